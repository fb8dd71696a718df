/**
 * The run before a run: the newest earlier run of the same launch file when the run came from one, else
 * of the same target. A launch file's runs are known by their client_ref: the launcher makes it from the
 * file's name (makeClientRef), or takes the file's own, which then every run of the file carries.
 *
 * The loaded runs are looked at first: without a filter they are every newest run down to the oldest
 * loaded, so an earlier run found among them is the previous one, without a request. Otherwise the
 * newest runs are read page by page (`sort_by=created_at:desc`, no `q`: the server is not asked to match
 * anything), matched here, through a CursorTrail with a budget of pages. Times are compared as instants.
 */
import type { RunflowClient } from '../api/client';
import { CursorTrail, type PaginationStopReason } from '../api/pagination';
import type { Run } from '../api/types';
import { parseTimestamp } from '../core/time';
import { clientRefOrigin, RERUN_ORIGIN_PREFIX } from './createRun';

export type PreviousRunApi = Pick<RunflowClient, 'searchRuns'>;

/** What makes two runs "the same thing run again". */
export type Lineage =
  | { kind: 'launchFile'; origin: string }
  | { kind: 'clientRef'; clientRef: string }
  | { kind: 'target'; target: 'model' | 'flow' | 'comfyui'; id: string };

/** Pages read before the search gives up, and runs per page. */
export const PREVIOUS_RUN_MAX_PAGES = 20;
export const PREVIOUS_RUN_PAGE_SIZE = 100;

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function targetOf(run: Run): { target: 'model' | 'flow' | 'comfyui'; id: string } | undefined {
  const ids = { model: text(run.model_id), flow: text(run.flow_id), comfyui: text(run.comfyui_workflow_id) } as const;
  const declared = (['model', 'flow', 'comfyui'] as const).find((t) => t === run.target_type);
  if (declared) return ids[declared] ? { target: declared, id: ids[declared] } : undefined;
  for (const target of ['model', 'flow', 'comfyui'] as const) if (ids[target]) return { target, id: ids[target] };
  return undefined;
}

/**
 * What the previous run must share with `run`. `fromLaunchFile`: the workspace knows the run was launched
 * from a file (its own client_ref then marks the file's runs). A client_ref made from a file's name marks
 * them as well; one made for "Run Again" does not.
 */
export function lineageOf(run: Run, fromLaunchFile: boolean): Lineage | undefined {
  const ref = text(run.client_ref);
  const origin = clientRefOrigin(ref);
  if (origin !== undefined && !origin.startsWith(RERUN_ORIGIN_PREFIX)) return { kind: 'launchFile', origin };
  if (ref && fromLaunchFile) return { kind: 'clientRef', clientRef: ref };
  const target = targetOf(run);
  return target && { kind: 'target', ...target };
}

export function describeLineage(lineage: Lineage): string {
  switch (lineage.kind) {
    case 'launchFile':
      return `launched from the same file (client_ref ${lineage.origin}-…)`;
    case 'clientRef':
      return `with the same client_ref`;
    case 'target':
      return `of the same ${lineage.target === 'comfyui' ? 'ComfyUI workflow' : lineage.target}`;
  }
}

export function inLineage(lineage: Lineage, run: Run): boolean {
  switch (lineage.kind) {
    case 'launchFile':
      return clientRefOrigin(run.client_ref) === lineage.origin;
    case 'clientRef':
      return run.client_ref === lineage.clientRef;
    case 'target': {
      const t = targetOf(run);
      return t !== undefined && t.target === lineage.target && t.id === lineage.id;
    }
  }
}

export type PreviousRunResult =
  | { kind: 'found'; run: Run; lineage: Lineage; pages: number }
  | { kind: 'none'; lineage: Lineage; pages: number; runsRead: number; reason: PaginationStopReason }
  /** The run says nothing to match others by, or has no readable creation time. */
  | { kind: 'cannot'; why: string };

/** The newest of `runs` in the lineage created before `before` (an instant), other than `id`. */
function newestBefore(runs: Iterable<Run>, lineage: Lineage, id: string, before: number): Run | undefined {
  let best: Run | undefined;
  let bestAt = -Infinity;
  for (const r of runs) {
    if (!r || r.id === id || typeof r.id !== 'string') continue;
    const at = parseTimestamp(r.created_at);
    if (at === undefined || at >= before || at <= bestAt || !inLineage(lineage, r)) continue;
    best = r;
    bestAt = at;
  }
  return best;
}

export interface PreviousRunOptions {
  /** The runs the Runs view has loaded. */
  loaded: readonly Run[];
  /** Whether the loaded runs are every newest run down to the oldest of them (no filter narrows them). */
  loadedComplete: boolean;
  fromLaunchFile: boolean;
  maxPages?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

export async function findPreviousRun(api: PreviousRunApi, run: Run, options: PreviousRunOptions): Promise<PreviousRunResult> {
  const lineage = lineageOf(run, options.fromLaunchFile);
  if (!lineage) return { kind: 'cannot', why: 'it names no target and no launch file' };
  const before = parseTimestamp(run.created_at);
  if (before === undefined) return { kind: 'cannot', why: 'it has no readable creation time' };
  const id = text(run.id) ?? '';

  if (options.loadedComplete) {
    const found = newestBefore(options.loaded, lineage, id, before);
    if (found) return { kind: 'found', run: found, lineage, pages: 0 };
  }

  const trail = new CursorTrail('next', options.maxPages ?? PREVIOUS_RUN_MAX_PAGES);
  let cursor: string | undefined;
  let runsRead = 0;
  for (;;) {
    const page = await api.searchRuns(
      { sort_by: 'created_at:desc', limit: options.pageSize ?? PREVIOUS_RUN_PAGE_SIZE, ...(cursor ? { pq: cursor } : {}) },
      { signal: options.signal },
    );
    const items = Array.isArray(page.items) ? page.items : [];
    runsRead += items.length;
    // The newest match on this page: a server's order by its own text may differ from the instants by a hair.
    const found = newestBefore(items, lineage, id, before);
    if (found) return { kind: 'found', run: found, lineage, pages: trail.pages + 1 };
    const step = trail.follow(page);
    if ('stop' in step) return { kind: 'none', lineage, pages: trail.pages, runsRead, reason: step.stop };
    cursor = step.cursor;
  }
}
