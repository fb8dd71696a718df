/**
 * In-memory state of the emulator: run records with their node runs, logs and evaluation, scoped
 * by organisation. The wire `org_id` of a run may be null (the reference allows it), so scoping
 * uses a separate `orgId` that is always set.
 */
import type { Catalogue } from './catalogue';
import { LogSource } from './logs';
import { mix, Random } from './prng';
import {
  ACTIVE_STATUSES,
  RUN_FIELDS,
  TERMINAL_STATUSES,
  type EvaluationSummary,
  type NodeRun,
  type Run,
  type RunStatus,
} from './types';

export interface EvaluationIssue {
  category: string;
  subcategory: string | null;
}

export interface EvaluationState {
  summary: EvaluationSummary;
  issues: EvaluationIssue[];
}

export interface RunRecord {
  /** Base wire fields only; embeds are attached when serialising. */
  run: Run;
  orgId: string;
  evaluation: EvaluationState | null;
  nodeRuns: NodeRun[];
  logs: LogSource;
}

export function isActive(status: string | null): boolean {
  return status !== null && (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function isTerminal(status: string | null): boolean {
  return status !== null && (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** A Run with every base field null except its id. */
export function blankRun(id: string): Run {
  const run = { id } as Record<string, unknown>;
  for (const f of RUN_FIELDS) if (f !== 'id') run[f] = null;
  return run as unknown as Run;
}

export class Store {
  readonly records = new Map<string, RunRecord>();
  /** Id of the seeded run carrying `bigLogLines` lines, if any. */
  bigLogRunId: string | null = null;
  private readonly ids: Random;

  constructor(
    readonly catalogue: Catalogue,
    readonly organizations: string[],
    readonly baseUrl: string,
    seed: number,
  ) {
    this.ids = new Random(mix(seed, 0x5eed1d));
  }

  get defaultOrg(): string {
    return this.organizations[0];
  }

  newRunId(): string {
    let id = this.ids.uuid();
    while (this.records.has(id)) id = this.ids.uuid();
    return id;
  }

  newRequestId(): string {
    return `req_${this.ids.hex(20)}`;
  }

  add(record: RunRecord): RunRecord {
    this.records.set(record.run.id, record);
    return record;
  }

  get(id: string): RunRecord | undefined {
    return this.records.get(id);
  }

  inOrg(orgId: string): RunRecord[] {
    const out: RunRecord[] = [];
    for (const r of this.records.values()) if (r.orgId === orgId) out.push(r);
    return out;
  }

  links(id: string): Run['links'] {
    return { self: `${this.baseUrl}/v1/runs/${id}`, logs: `${this.baseUrl}/v1/runs/${id}/logs` };
  }

  /**
   * Inserts a run for tests. Unspecified fields get plausible defaults; a key given as null stays
   * null. `node_runs`, `logs` and `current_evaluation_summary` in the partial populate the
   * run's relations instead of being stored as fields.
   */
  insert(partial: Partial<Run> & { status_code: string }): RunRecord {
    const id = partial.id ?? this.newRunId();
    if (this.records.has(id)) throw new Error(`run ${id} already exists`);
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const model = this.catalogue.models[0];
    const status = partial.status_code as RunStatus;
    const started = status !== 'queued' && status !== 'dispatching';
    const run: Run = {
      ...blankRun(id),
      model_id: model.model.id,
      target_type: 'model',
      target_version: model.model.version,
      org_id: this.defaultOrg,
      source_code: 'api',
      input: {},
      output: isTerminal(status) ? {} : null,
      context: {},
      nodes_total: 0,
      nodes_completed: 0,
      request_id: this.newRequestId(),
      created_by: this.catalogue.users[0],
      created_at: nowIso,
      started_at: started ? nowIso : null,
      completed_at: isTerminal(status) ? nowIso : null,
      duration_ms: isTerminal(status) ? 0 : null,
      metadata: {},
      has_logs: false,
      has_node_runs: false,
      links: this.links(id),
    };
    const { node_runs, logs, current_evaluation_summary, model: _m, flow: _f, comfyui_workflow: _c, ...fields } = partial;
    Object.assign(run, fields);
    if (partial.target_type === undefined) {
      if (partial.flow_id) run.target_type = 'flow';
      else if (partial.comfyui_workflow_id) run.target_type = 'comfyui';
    }
    if (run.target_type !== 'model' && partial.model_id === undefined) {
      run.model_id = null;
      if (partial.target_version === undefined) run.target_version = null;
    }
    const record: RunRecord = {
      run,
      orgId: partial.org_id ?? this.defaultOrg,
      evaluation: null,
      nodeRuns: [],
      logs: new LogSource(id),
    };
    this.applyRelations(record, { node_runs, current_evaluation_summary });
    if (logs) {
      const sorted = [...logs].sort((a, b) => (a.timestamp ?? '').localeCompare(b.timestamp ?? ''));
      for (const l of sorted) {
        record.logs.append(l.level_code ?? 'info', l.message ?? '', l.timestamp ? Date.parse(l.timestamp) : now, l.meta ?? null);
      }
      if (partial.has_logs === undefined) run.has_logs = record.logs.length > 0;
    }
    return this.add(record);
  }

  /** Merges `patch` into a run's fields (relations as in `insert`). */
  update(id: string, patch: Partial<Run>): RunRecord {
    const record = this.records.get(id);
    if (!record) throw new Error(`no run ${id}`);
    const { node_runs, logs: _l, current_evaluation_summary, model: _m, flow: _f, comfyui_workflow: _c, id: _id, ...fields } = patch;
    Object.assign(record.run, fields);
    if (patch.org_id) record.orgId = patch.org_id;
    this.applyRelations(record, { node_runs, current_evaluation_summary });
    return record;
  }

  appendLogs(id: string, lines: Array<{ level_code?: string; message: string }>): void {
    const record = this.records.get(id);
    if (!record) throw new Error(`no run ${id}`);
    const now = Date.now();
    for (const l of lines) record.logs.append(l.level_code ?? 'info', l.message, now);
    if (lines.length > 0) record.run.has_logs = true;
  }

  /** The run as tests see it: base fields plus evaluation summary and node runs, detached from the store. */
  snapshot(record: RunRecord): Run {
    return structuredClone({
      ...record.run,
      current_evaluation_summary: record.evaluation?.summary ?? null,
      node_runs: record.nodeRuns,
    });
  }

  private applyRelations(
    record: RunRecord,
    rel: { node_runs?: NodeRun[] | null; current_evaluation_summary?: EvaluationSummary | null },
  ): void {
    if (rel.node_runs !== undefined) {
      record.nodeRuns = (rel.node_runs ?? []).map((n) => ({ ...n, run_id: n.run_id ?? record.run.id }));
      record.run.has_node_runs = record.nodeRuns.length > 0;
    }
    if (rel.current_evaluation_summary !== undefined) {
      record.evaluation = rel.current_evaluation_summary
        ? { summary: rel.current_evaluation_summary, issues: record.evaluation?.issues ?? [] }
        : null;
    }
  }
}
