/**
 * The one cache of runs between the API and the UI. The tree, the status bar and the panels listen to
 * its events; it decides nothing about timing (src/core/pollScheduler.ts does) and imports no vscode, so
 * it is tested in plain Node against the emulator.
 *
 * A refresh is one request, whatever the number of active runs: the first page at first, and after that
 * every run created since the oldest one loaded (what "Load more" added included), so that the runs on
 * screen stay current without one request per run.
 */
import * as filters from '../api/filters';
import { AuthenticationError, PermissionError, RateLimitedError, RunflowApiError } from '../api/errors';
import type { NodeRun, Page, Run, RunEmbed, SearchRunsParams } from '../api/types';
import type { RunflowClient } from '../api/client';
import { Emitter } from '../core/emitter';
import type { PollOutcome } from '../core/pollScheduler';
import { filterParams, type RunFilter } from '../core/runFilter';
import { compareRunsNewestFirst, isActiveStatus, isTerminalStatus, statusOf } from '../core/runModel';

export type RunsApi = Pick<RunflowClient, 'searchRuns' | 'getRun'>;

/** What the view shows when it has no runs to show. */
export type StoreState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'rate_limited'; untilMs: number }
  | { kind: 'bad_filter'; message: string };

export interface StoreChange {
  /** Runs added or changed, by id. */
  changed: string[];
  removed: string[];
  /** Statuses whose membership or count changed. */
  groups: string[];
  /** The set of groups itself changed (one appeared or went away). */
  structure: boolean;
}

/** The largest page the API serves. */
const MAX_LIMIT = 500;
/** Embedded so the view can name each run's target without a request per run. */
const LIST_EMBED: RunEmbed[] = ['model', 'flow', 'comfyui_workflow'];

export class RunStore {
  private readonly runs = new Map<string, Run>();
  private readonly fingerprints = new Map<string, string>();
  private nextCursor: string | null = null;
  private loadedOnce = false;
  private filterValue: RunFilter = {};
  private stateValue: StoreState = { kind: 'idle' };
  /** Runs this window launched or opened; their finishing is announced. */
  private readonly watched = new Set<string>();
  /** Bumped by reset(): answers to requests made before it are dropped. */
  private generation = 0;

  private readonly changeEmitter = new Emitter<StoreChange>();
  private readonly stateEmitter = new Emitter<StoreState>();
  private readonly finishEmitter = new Emitter<Run>();
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  /** A watched run reached a terminal status. */
  readonly onDidFinish = this.finishEmitter.event;

  constructor(
    private readonly api: () => RunsApi | undefined,
    private pageSize: number,
  ) {}

  get state(): StoreState {
    return this.stateValue;
  }

  get filter(): RunFilter {
    return this.filterValue;
  }

  get hasMore(): boolean {
    return this.nextCursor !== null;
  }

  get size(): number {
    return this.runs.size;
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  all(): Run[] {
    return [...this.runs.values()].sort(compareRunsNewestFirst);
  }

  activeRuns(): Run[] {
    return this.all().filter((r) => isActiveStatus(r.status_code));
  }

  watch(id: string): void {
    this.watched.add(id);
  }

  isWatched(id: string): boolean {
    return this.watched.has(id);
  }

  setPageSize(pageSize: number): void {
    this.pageSize = Math.min(MAX_LIMIT, Math.max(1, Math.floor(pageSize)));
  }

  /** Narrows the view; the cache starts over so no run outside the filter lingers. */
  setFilter(filter: RunFilter): void {
    this.filterValue = filter;
    this.reset();
  }

  /** Forgets every run (sign-out, another server or organisation, a new filter). */
  reset(): void {
    this.generation++;
    this.clearRuns();
    this.setState({ kind: 'idle' });
  }

  /** One poll: reloads the loaded window of runs with a single request. */
  async refresh(signal?: AbortSignal): Promise<PollOutcome> {
    const api = this.api();
    if (!api) {
      this.setState({ kind: 'idle' });
      return { kind: 'error', retryable: false };
    }
    const generation = this.generation;
    const first = !this.loadedOnce;
    if (first) this.setState({ kind: 'loading' });
    let params: SearchRunsParams;
    try {
      params = this.refreshParams(first);
    } catch (err) {
      this.setState({ kind: 'bad_filter', message: err instanceof Error ? err.message : String(err) });
      return { kind: 'error', retryable: false };
    }
    let page: Page<Run>;
    try {
      page = await api.searchRuns(params, { signal });
    } catch (err) {
      if (generation !== this.generation) return { kind: 'ok', changed: false, active: false };
      return this.failed(err);
    }
    if (generation !== this.generation) return { kind: 'ok', changed: false, active: false };

    const items = page.items.filter((r): r is Run & { id: string } => typeof r?.id === 'string' && r.id !== '');
    let removed: string[] = [];
    if (first) {
      this.nextCursor = page.next ?? null;
      this.loadedOnce = true;
    } else if (!page.next) {
      // The answer holds the whole window: whatever is missing no longer matches the filter.
      const seen = new Set(items.map((r) => r.id));
      removed = [...this.runs.keys()].filter((id) => !seen.has(id));
    }
    const change = this.merge(items, removed);
    this.setState({ kind: 'ready' });
    const active = [...this.runs.values()].some((r) => isActiveStatus(r.status_code));
    return { kind: 'ok', changed: change, active };
  }

  /** Follows the API's `next` cursor for one more page of older runs. */
  async loadMore(signal?: AbortSignal): Promise<void> {
    const api = this.api();
    if (!api || !this.nextCursor) return;
    const generation = this.generation;
    const page = await api.searchRuns(
      { ...filterParams(this.filterValue), limit: this.pageSize, sort_by: 'created_at:desc', embed: LIST_EMBED, pq: this.nextCursor },
      { signal },
    );
    if (generation !== this.generation) return;
    this.nextCursor = page.next ?? null;
    const items = page.items.filter((r): r is Run & { id: string } => typeof r?.id === 'string' && r.id !== '');
    this.merge(items, []);
    // Even with nothing new, "Load more" itself may have to go away.
    this.changeEmitter.fire({ changed: [], removed: [], groups: [], structure: true });
  }

  /** A run learnt elsewhere (launched, cancelled, opened): into the cache at once. */
  upsert(run: Run): void {
    if (typeof run.id !== 'string' || !run.id) return;
    this.merge([run as Run & { id: string }], []);
  }

  /** Fetches one run again (detail panels, after cancel) and merges it. */
  async reload(id: string, signal?: AbortSignal): Promise<Run | undefined> {
    const api = this.api();
    if (!api) return undefined;
    const run = await api.getRun(id, { embed: ['model', 'flow', 'comfyui_workflow'] }, { signal });
    this.upsert(run);
    return run;
  }

  /** A run's node runs, asked for when the user expands it (too heavy to embed in every poll). */
  async fetchNodeRuns(id: string, signal?: AbortSignal): Promise<NodeRun[]> {
    const api = this.api();
    if (!api) return [];
    const run = await api.getRun(id, { embed: ['node_runs'] }, { signal });
    return Array.isArray(run.node_runs) ? run.node_runs.filter((n): n is NodeRun => !!n && typeof n === 'object') : [];
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.stateEmitter.dispose();
    this.finishEmitter.dispose();
  }

  private refreshParams(first: boolean): SearchRunsParams {
    const base = { sort_by: 'created_at:desc', embed: LIST_EMBED };
    if (first || this.runs.size === 0) return { ...base, ...filterParams(this.filterValue), limit: this.pageSize };
    const oldest = this.all()
      .map((r) => r.created_at)
      .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)))
      .pop();
    const window = oldest ? [filters.createdAtOrAfter(oldest)] : [];
    return {
      ...base,
      ...filterParams(this.filterValue, window),
      limit: Math.min(MAX_LIMIT, this.runs.size + this.pageSize),
    };
  }

  private failed(err: unknown): PollOutcome {
    if (err instanceof AuthenticationError) {
      this.clearRuns();
      this.setState({ kind: 'unauthorized' });
      return { kind: 'error', retryable: false };
    }
    if (err instanceof PermissionError) {
      this.clearRuns();
      this.setState({ kind: 'forbidden', message: err.message });
      return { kind: 'error', retryable: false };
    }
    if (err instanceof RateLimitedError) {
      const wait = err.retryAfterMs ?? 30_000;
      this.setState({ kind: 'rate_limited', untilMs: Date.now() + wait });
      return { kind: 'rate_limited', retryAfterMs: wait };
    }
    if (err instanceof RunflowApiError && (err.kind === 'validation' || (err.status === 400 && this.filterValue.query))) {
      this.setState({ kind: 'bad_filter', message: err.message });
      return { kind: 'error', retryable: false };
    }
    this.setState({ kind: 'unreachable', message: err instanceof Error ? err.message : String(err) });
    return { kind: 'error', retryable: true };
  }

  private clearRuns(): void {
    const removed = [...this.runs.keys()];
    this.runs.clear();
    this.fingerprints.clear();
    this.nextCursor = null;
    this.loadedOnce = false;
    if (removed.length) this.changeEmitter.fire({ changed: [], removed, groups: [], structure: true });
  }

  /** Applies fresh runs and removals; fires one change event when anything differs. Returns whether it did. */
  private merge(items: (Run & { id: string })[], removedIds: string[]): boolean {
    const changed: string[] = [];
    const groups = new Set<string>();
    const groupsBefore = this.groupKeys();
    for (const run of items) {
      const fingerprint = JSON.stringify(run);
      if (this.fingerprints.get(run.id) === fingerprint) continue;
      const before = this.runs.get(run.id);
      this.runs.set(run.id, run);
      this.fingerprints.set(run.id, fingerprint);
      changed.push(run.id);
      const was = before ? statusOf(before) : undefined;
      const now = statusOf(run);
      if (was !== now) {
        if (was) groups.add(was);
        groups.add(now);
      }
      if (before && isActiveStatus(before.status_code) && isTerminalStatus(run.status_code) && this.watched.has(run.id)) {
        this.finishEmitter.fire(run);
      }
    }
    const removed: string[] = [];
    for (const id of removedIds) {
      const before = this.runs.get(id);
      if (!before) continue;
      this.runs.delete(id);
      this.fingerprints.delete(id);
      groups.add(statusOf(before));
      removed.push(id);
    }
    if (!changed.length && !removed.length) return false;
    const groupsAfter = this.groupKeys();
    const structure = groupsBefore.length !== groupsAfter.length || groupsBefore.some((g, i) => g !== groupsAfter[i]);
    this.changeEmitter.fire({ changed, removed, groups: [...groups], structure });
    return true;
  }

  private groupKeys(): string[] {
    return [...new Set([...this.runs.values()].map(statusOf))].sort();
  }

  private setState(state: StoreState): void {
    if (JSON.stringify(state) === JSON.stringify(this.stateValue)) return;
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }
}
