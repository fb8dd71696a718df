/**
 * What each endpoint may filter on, sort by and project: the bridge between wire field names and
 * the stored records.
 */
import type { Catalogue } from './catalogue';
import type { SortValue } from './paging';
import { dig, type FieldResolver } from './query';
import type { RunRecord } from './store';
import { RUN_FIELDS, RUN_LOG_FIELDS, type RunLog } from './types';

/** Run fields holding free-form objects: dotted paths reach inside them. */
const OBJECT_RUN_FIELDS = new Set(['input', 'output', 'context', 'cost_breakdown', 'metadata', 'links']);

export const SORTABLE_RUN_FIELDS: readonly string[] = RUN_FIELDS.filter((f) => !OBJECT_RUN_FIELDS.has(f));

export function targetEntity(catalogue: Catalogue, record: RunRecord): { slug: string | null } | null {
  const run = record.run;
  switch (run.target_type) {
    case 'model':
      return run.model_id ? (catalogue.modelById.get(run.model_id)?.model ?? null) : null;
    case 'flow':
      return run.flow_id ? (catalogue.flowById.get(run.flow_id) ?? null) : null;
    case 'comfyui':
      return run.comfyui_workflow_id ? (catalogue.workflowById.get(run.comfyui_workflow_id) ?? null) : null;
    default:
      return null;
  }
}

function scalarKeys(sample: object | undefined): Set<string> {
  const keys = new Set<string>();
  if (!sample) return keys;
  for (const [k, v] of Object.entries(sample)) if (v === null || typeof v !== 'object') keys.add(k);
  return keys;
}

export function runFieldResolver(catalogue: Catalogue): FieldResolver<RunRecord> {
  const relationKeys = {
    model: scalarKeys(catalogue.models[0]?.model),
    flow: scalarKeys(catalogue.flows[0]),
    comfyui_workflow: scalarKeys(catalogue.workflows[0]),
  };
  return (path) => {
    const [root, ...rest] = path;
    if (rest.length === 0) {
      if ((RUN_FIELDS as readonly string[]).includes(root)) {
        return (r) => (r.run as unknown as Record<string, unknown>)[root] ?? null;
      }
      if (root === 'target') return (r) => targetEntity(catalogue, r)?.slug ?? null;
      if (root === 'current_evaluation_summary') return (r) => r.evaluation?.summary ?? null;
      return null;
    }
    if (OBJECT_RUN_FIELDS.has(root)) {
      return (r) => dig((r.run as unknown as Record<string, unknown>)[root], rest);
    }
    if (root === 'current_evaluation_summary' && rest.length === 1 && ['passed', 'status_code', 'score'].includes(rest[0])) {
      const key = rest[0] as 'passed' | 'status_code' | 'score';
      return (r) => r.evaluation?.summary[key] ?? null;
    }
    if (rest.length === 1) {
      const key = rest[0];
      if (root === 'model' && relationKeys.model.has(key)) {
        return (r) => {
          const m = r.run.model_id ? catalogue.modelById.get(r.run.model_id)?.model : undefined;
          return m ? ((m as unknown as Record<string, unknown>)[key] ?? null) : null;
        };
      }
      if (root === 'flow' && relationKeys.flow.has(key)) {
        return (r) => {
          const f = r.run.flow_id ? catalogue.flowById.get(r.run.flow_id) : undefined;
          return f ? ((f as unknown as Record<string, unknown>)[key] ?? null) : null;
        };
      }
      if (root === 'comfyui_workflow' && relationKeys.comfyui_workflow.has(key)) {
        return (r) => {
          const w = r.run.comfyui_workflow_id ? catalogue.workflowById.get(r.run.comfyui_workflow_id) : undefined;
          return w ? ((w as unknown as Record<string, unknown>)[key] ?? null) : null;
        };
      }
    }
    return null;
  };
}

export const logFieldResolver: FieldResolver<RunLog> = (path) => {
  const [root, ...rest] = path;
  if (rest.length === 0 && root !== 'run' && (RUN_LOG_FIELDS as readonly string[]).includes(root)) {
    return (l) => (l as unknown as Record<string, unknown>)[root] ?? null;
  }
  if (root === 'meta' && rest.length > 0) return (l) => dig(l.meta, rest);
  return null;
};

export function runSortValue(record: RunRecord, field: string): SortValue {
  const v = (record.run as unknown as Record<string, unknown>)[field];
  return v === undefined || (v !== null && typeof v === 'object') ? null : (v as SortValue);
}

/**
 * Keeps only `fields` of a serialised object, plus `id` unless `keepId` is false (strict mode keeps
 * exactly what was asked for); `keep` lists keys that always survive.
 */
export function project<T extends object>(obj: T, fields: Set<string> | null, keep: readonly string[] = [], keepId = true): Partial<T> {
  if (!fields) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if ((keepId && k === 'id') || fields.has(k) || keep.includes(k)) out[k] = v;
  return out as Partial<T>;
}
