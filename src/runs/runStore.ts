/**
 * The one cache of runs between the API and the UI. The tree, the status bar and the panels listen to
 * its events; it decides nothing about timing (src/core/pollScheduler.ts does) and imports no vscode, so
 * it is tested in plain Node against the emulator.
 *
 * A refresh is one request, whatever the number of active runs: the newest runs, down to the oldest loaded
 * run that may still change (active, or in a status that is not terminal), plus a page of room for runs
 * that arrived since (changeableSpan in runWindow.ts). Finished runs older than that cannot change: they
 * are not asked for again, and stay listed as they were (an answer speaks only for the span it covers).
 * So a poll costs what can change, not what "Load more" has piled up. The API serves at most 500 runs a
 * page: a span deeper than that is cut there, and runs below the first 500 are not refreshed by the
 * poll (as when every refresh asked for all that was loaded). It uses only `limit`, `sort_by` and the
 * cursor, which the reference documents: `q` carries the user's own filter and nothing else (see
 * src/api/README.md).
 *
 * The count of active runs (the status bar's) is about all the user's newest runs, whatever the filter.
 * Unfiltered, the loaded runs are that window. With a filter checked here only (a target, or a filter the
 * server refused), the refresh asks without q anyway, so the count is taken from the newest page of its
 * answer before the filter is applied. Only a filter sent to the server narrows the answer: then
 * `refreshActiveCount` asks for the newest page once more, without q and embeds and with only the fields
 * the count reads.
 */
import { PermissionError } from '../api/errors';
import type { GetRunEmbed, NodeRun, Page, Run, RunEmbed, SearchRunsParams } from '../api/types';
import type { RunflowClient } from '../api/client';
import { CursorTrail } from '../api/pagination';
import { Emitter } from '../core/emitter';
import type { PollOutcome } from '../core/pollScheduler';
import { canFilterLocally, describeFilter, filterParams, isEmptyFilter, matchesFilter, sendsFilter, type RunFilter } from '../core/runFilter';
import { mergeRun } from '../core/runMerge';
import { compareRunsNewestFirst, isActiveStatus, isTerminalStatus, oldestCreatedAt, statusOf } from '../core/runModel';
import { parseTimestamp } from '../core/time';
import { changeableSpan, countActive, leftTheFilter, withinWindow } from './runWindow';
import { failureOf, type StoreChange, type StoreState } from './storeState';
import { errorMessage } from '../core/errorMessage';

export type { StoreChange, StoreState } from './storeState';

export type RunsApi = Pick<RunflowClient, 'searchRuns' | 'getRun'>;

/** The largest page the API serves. */
const MAX_LIMIT = 500;
/** Embedded so the view can name each run's target without a request per run. */
const LIST_EMBED: RunEmbed[] = ['model', 'flow', 'comfyui_workflow'];
/** A run read again on its own: what the list embeds. */
const RELOAD_EMBED: GetRunEmbed[] = ['model', 'flow', 'comfyui_workflow'];
/** Asked for too, unless the server refused it: it needs the `evaluations:read` permission. */
const EVALUATION_EMBED: RunEmbed = 'current_evaluation_summary';
/** Pages of one listing, the first included, before "Load more" goes away. */
const MAX_LOAD_MORE_PAGES = 1_001;
/** All that counting active runs reads of a run. */
const COUNT_FIELDS = ['id', 'status_code'];

export class RunStore {
  private readonly runs = new Map<string, Run>();
  private readonly fingerprints = new Map<string, string>();
  /** Bumped each time a run's data changes, so the UI can tell a redraw that shows nothing new. */
  private readonly versions = new Map<string, number>();
  private versionCounter = 0;
  /** Active runs among the newest runs, as last counted while a filter narrowed what is loaded. */
  private activeCountValue = 0;
  private nextCursor: string | null = null;
  /** The walk "Load more" is on since the last reset: a repeated cursor, an empty page or the budget ends it. */
  private cursorTrail = new CursorTrail('next', MAX_LOAD_MORE_PAGES);
  private loadedOnce = false;
  /** Answers 403 to the evaluation embed: keyed by whatever identifies the server and token. */
  private readonly evaluationRefusedFor = new Set<string>();
  private filterValue: RunFilter = {};
  private stateValue: StoreState = { kind: 'idle' };
  /** Runs this window launched or opened; their finishing is announced. */
  private readonly watched = new Set<string>();
  /** Runs learnt outside the list (see upsert) that the filter hides: known, not shown. */
  private readonly hidden = new Map<string, Run & { id: string }>();
  /**
   * Runs the listing answered that a filter checked here keeps off the list, as much of them as says
   * where they sit and whether they may change: the listing holds them all the same, so they count in
   * how deep a refresh must reach (see changeableSpan), and one that may change may come to pass.
   */
  private readonly passedOver = new Map<string, Pick<Run, 'id' | 'status_code' | 'created_at'>>();
  /** Bumped by reset(): answers to requests made before it are dropped. */
  private generation = 0;
  /** The runs were drawn from an earlier window's list (see seed): when that list was current, until a refresh lands. */
  private staleSinceValue: number | undefined;

  private readonly changeEmitter = new Emitter<StoreChange>();
  private readonly stateEmitter = new Emitter<StoreState>();
  private readonly finishEmitter = new Emitter<Run>();
  private readonly activeCountEmitter = new Emitter<number>();
  private readonly refreshEmitter = new Emitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  /** A list refresh was answered and merged (whether or not anything changed). */
  readonly onDidRefresh = this.refreshEmitter.event;
  /** The count of active runs changed where no run change says so (it was counted apart from a filter). */
  readonly onDidChangeActiveCount = this.activeCountEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  /** A watched run reached a terminal status. */
  readonly onDidFinish = this.finishEmitter.event;

  constructor(
    private readonly api: () => RunsApi | undefined,
    private pageSize: number,
    /** Names the server and token in use, so a refused evaluation embed is remembered for them only. */
    private readonly identity: () => string = () => '',
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

  /** The newest runs, as many as a first load shows: what a list answer kept for the next start holds. */
  firstPage(): Run[] {
    return this.all().slice(0, this.pageSize);
  }

  /**
   * When the runs shown were last known current, while they come from a list kept by an earlier window
   * and no refresh has answered yet; undefined otherwise.
   */
  get staleSince(): number | undefined {
    return this.staleSinceValue;
  }

  /**
   * Shows runs kept from an earlier window before any request: they are not yet refreshed (staleSince),
   * not counted as active (activeCount), and the first refresh treats them as a first load would: runs
   * missing from its answer leave, and what it brings is merged into what was shown.
   */
  seed(runs: readonly Run[], savedAt: number): void {
    this.startOver();
    this.setActiveCount(0);
    const items = runs.filter((r): r is Run & { id: string } => !!r && typeof r.id === 'string' && r.id !== '' && matchesFilter(r, this.filterValue));
    if (!items.length) return;
    this.staleSinceValue = savedAt;
    this.merge(items.slice(0, this.pageSize), []);
  }

  activeRuns(): Run[] {
    return this.all().filter((r) => isActiveStatus(r.status_code));
  }

  /**
   * How many of the user's newest runs are active, whatever the filter: the loaded runs when nothing
   * narrows them, else the last count (see the top of this file). Before the first answer after a change
   * of filter, the count from before it.
   */
  get activeCount(): number {
    if (isEmptyFilter(this.filterValue) && this.loadedOnce) return countActive(this.runs.values());
    return this.activeCountValue;
  }

  /** Whether the count of active runs needs a request of its own: the refresh sends a filter that narrows its answer. */
  get countsActiveApart(): boolean {
    try {
      return sendsFilter(this.filterValue);
    } catch {
      // A filter that cannot be written as a request is not sent: the refresh says so.
      return false;
    }
  }

  /** A number that changes whenever the run's data does (undefined for a run not loaded). */
  versionOf(id: string): number | undefined {
    return this.versions.get(id);
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
    // The same user's runs are as active as before: the count stands until the next answer.
    const count = this.activeCount;
    this.filterValue = filter;
    this.startOver();
    this.activeCountValue = count;
  }

  /** Forgets every run (sign-out, another server or organisation). */
  reset(): void {
    this.startOver();
    this.setActiveCount(0);
  }

  /** One poll: reloads, with a single request, the newest runs down to the oldest that may still change. */
  async refresh(signal?: AbortSignal): Promise<PollOutcome> {
    const api = this.api();
    if (!api) {
      this.setState({ kind: 'idle' });
      return { kind: 'error', retryable: false };
    }
    const generation = this.generation;
    const first = !this.loadedOnce || this.runs.size === 0;
    if (!this.loadedOnce) this.setState({ kind: 'loading' });
    let params: SearchRunsParams;
    try {
      params = {
        ...filterParams(this.filterValue),
        sort_by: 'created_at:desc',
        limit: first ? this.pageSize : Math.min(MAX_LIMIT, this.pageSize + changeableSpan([...this.runs.values(), ...this.passedOver.values()], this.hidden.values())),
      };
    } catch (err) {
      this.setState({ kind: 'bad_filter', message: errorMessage(err), filter: describeFilter(this.filterValue) });
      return { kind: 'error', retryable: false };
    }
    let page: Page<Run>;
    try {
      page = await this.search(api, params, signal);
    } catch (err) {
      if (generation !== this.generation) return { kind: 'ok', changed: false, active: false };
      return this.failed(err);
    }
    if (generation !== this.generation) return { kind: 'ok', changed: false, active: false };

    const answered = page.items.filter((r): r is Run & { id: string } => !!r && typeof r.id === 'string' && r.id !== '');
    // Without a filter the loaded runs are the count; with one that was not sent, the answer is all the newest runs.
    const countedHere = !isEmptyFilter(this.filterValue) && !this.countsActiveApart;
    let items = answered.filter((r) => matchesFilter(r, this.filterValue));
    const passed = answered.filter((r) => !matchesFilter(r, this.filterValue));
    let removed: string[] = [];
    // On the first answer every run it brings is inside the listed window.
    let windowStart = -Infinity;
    if (!this.loadedOnce) {
      this.nextCursor = cursorOf(this.cursorTrail.follow(page));
      this.loadedOnce = true;
      // Runs drawn from a kept list that the newest answer no longer lists are gone, or no longer newest.
      if (this.staleSinceValue !== undefined) {
        const kept = new Set(items.map((r) => r.id));
        removed = [...this.runs.keys()].filter((id) => !kept.has(id));
        this.staleSinceValue = undefined;
      }
    } else {
      removed = leftTheFilter(this.runs, answered, items, page);
      for (const id of leftTheFilter(this.passedOver, answered, passed, page)) this.passedOver.delete(id);
      windowStart = Math.min(oldestCreatedAt(this.runs.values()), oldestCreatedAt(this.passedOver.values()));
      items = withinWindow(this.runs, items, windowStart);
    }
    const change = this.merge(items, removed);
    this.passOver(passed, windowStart);
    if (countedHere) this.setActiveCount(countActive([...answered].sort(compareRunsNewestFirst).slice(0, this.pageSize)));
    else if (isEmptyFilter(this.filterValue)) this.activeCountValue = countActive(this.runs.values());
    this.setState({ kind: 'ready' });
    this.refreshEmitter.fire();
    // Active runs outside the filter keep the pace too: the status bar counts them.
    const active = this.hasActive() || (countedHere && this.activeCountValue > 0);
    return { kind: 'ok', changed: change, active, ...(this.hasUnsettled() ? { watching: true } : {}) };
  }

  /**
   * Counts the active runs among the newest page while a filter sent to the server narrows the refresh:
   * one request without q or embeds, with only the fields the count reads. Answers the count, or
   * undefined when nothing needed counting or the answer was for a filter or server since replaced.
   */
  async refreshActiveCount(signal?: AbortSignal): Promise<number | undefined> {
    const api = this.api();
    if (!api || !this.countsActiveApart) return undefined;
    const generation = this.generation;
    const page = await api.searchRuns({ sort_by: 'created_at:desc', limit: this.pageSize, fields: COUNT_FIELDS }, { signal });
    if (generation !== this.generation) return undefined;
    this.setActiveCount(countActive(page.items.filter((r) => !!r && typeof r === 'object')));
    return this.activeCountValue;
  }

  /** Follows the API's `next` cursor for one more page of older runs. */
  async loadMore(signal?: AbortSignal): Promise<void> {
    const api = this.api();
    const cursor = this.nextCursor;
    if (!api || !cursor) return;
    const generation = this.generation;
    const page = await this.search(api, { ...filterParams(this.filterValue), limit: this.pageSize, sort_by: 'created_at:desc', pq: cursor }, signal);
    if (generation !== this.generation) return;
    this.nextCursor = cursorOf(this.cursorTrail.follow(page));
    const answered = page.items.filter((r): r is Run & { id: string } => !!r && typeof r.id === 'string' && r.id !== '');
    const items = answered.filter((r) => matchesFilter(r, this.filterValue));
    this.merge(items, [], true);
    // The walk went past these: they are in the listed window.
    this.passOver(answered.filter((r) => !matchesFilter(r, this.filterValue)), -Infinity);
    // Even with nothing new, "Load more" itself may have to go away.
    this.changeEmitter.fire({ changed: [], removed: [], groups: [], structure: true });
  }

  /**
   * A run learnt elsewhere (launched, cancelled, opened): into the list at once when the filter lets it
   * in. One the filter hides is kept aside, so that its finishing is still announced, and a listed run
   * that no longer passes the filter leaves the list.
   */
  upsert(run: Run): void {
    if (typeof run.id !== 'string' || !run.id) return;
    const id = run.id;
    const listed = this.runs.get(id);
    const aside = this.hidden.get(id);
    const merged = mergeRun(listed ?? aside, run) as Run & { id: string };
    // A part of the filter the extension cannot check (a raw q, an issue category) lets in only what the server listed.
    const passes = matchesFilter(merged, this.filterValue) && (listed !== undefined || canFilterLocally(this.filterValue));
    if (passes) {
      this.hidden.delete(id);
      if (!listed && aside) this.runs.set(id, aside);
      this.merge([run as Run & { id: string }], []);
      return;
    }
    if (listed) this.merge([], [id]);
    this.hidden.set(id, merged);
    this.announceIfFinished(listed ?? aside, merged);
  }

  /**
   * Fetches one run again (detail panels, after cancel) and merges it; answers what the store then knows,
   * or undefined when the answer is about another run. `embed` defaults to what the list embeds.
   */
  async reload(id: string, options: { embed?: GetRunEmbed[]; signal?: AbortSignal } = {}): Promise<Run | undefined> {
    const api = this.api();
    if (!api) return undefined;
    const run = await api.getRun(id, { embed: options.embed ?? RELOAD_EMBED }, { signal: options.signal });
    if (run.id !== id) return undefined;
    this.upsert(run);
    // Merged into what was known, listed or kept aside because the filter hides it.
    return this.runs.get(id) ?? this.hidden.get(id) ?? run;
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
    this.activeCountEmitter.dispose();
    this.refreshEmitter.dispose();
  }

  /**
   * A list request with the embeds. The evaluation summary needs a permission the token may lack: a 403
   * to a request that asked for it is asked again once without it, and the refusal remembered.
   */
  private async search(api: RunsApi, params: SearchRunsParams, signal?: AbortSignal): Promise<Page<Run>> {
    const identity = this.identity();
    const withEvaluation = !this.evaluationRefusedFor.has(identity);
    try {
      return await api.searchRuns({ ...params, embed: withEvaluation ? [...LIST_EMBED, EVALUATION_EMBED] : LIST_EMBED }, { signal });
    } catch (err) {
      if (!withEvaluation || !(err instanceof PermissionError)) throw err;
      this.evaluationRefusedFor.add(identity);
      return api.searchRuns({ ...params, embed: LIST_EMBED }, { signal });
    }
  }

  /** Notes runs the filter kept off the list, those at least as new as `windowStart` (or already noted). */
  private passOver(runs: (Run & { id: string })[], windowStart: number): void {
    for (const run of runs) {
      if (this.runs.has(run.id)) continue;
      const t = parseTimestamp(run.created_at);
      const inWindow = windowStart === -Infinity || this.passedOver.has(run.id) || (t !== undefined && t >= windowStart);
      if (inWindow) this.passedOver.set(run.id, { id: run.id, status_code: run.status_code, created_at: run.created_at });
    }
  }

  private setActiveCount(count: number): void {
    if (count === this.activeCountValue) return;
    this.activeCountValue = count;
    this.activeCountEmitter.fire(count);
  }

  private startOver(): void {
    this.generation++;
    this.clearRuns();
    this.setState({ kind: 'idle' });
  }

  private hasActive(): boolean {
    for (const run of this.runs.values()) if (isActiveStatus(run.status_code)) return true;
    return false;
  }

  /** A status outside the known ones may still change: such runs are watched at the idle pace. */
  private hasUnsettled(): boolean {
    for (const run of this.runs.values()) if (!isActiveStatus(run.status_code) && !isTerminalStatus(run.status_code)) return true;
    return false;
  }

  private failed(err: unknown): PollOutcome {
    const failure = failureOf(err, this.filterValue);
    if (failure.forget) this.clearRuns();
    this.setState(failure.state);
    return failure.outcome;
  }

  private clearRuns(): void {
    const removed = [...this.runs.keys()];
    this.runs.clear();
    this.hidden.clear();
    this.passedOver.clear();
    this.fingerprints.clear();
    this.versions.clear();
    this.nextCursor = null;
    this.cursorTrail = new CursorTrail('next', MAX_LOAD_MORE_PAGES);
    this.loadedOnce = false;
    this.staleSinceValue = undefined;
    if (removed.length) this.changeEmitter.fire({ changed: [], removed, groups: [], structure: true });
  }

  /** Applies fresh runs and removals; fires one change event when anything differs. Returns whether it did. */
  private merge(items: (Run & { id: string })[], removedIds: string[], appended = false): boolean {
    const changed: string[] = [];
    const groups = new Set<string>();
    const groupsBefore = this.groupKeys();
    for (const fresh of items) {
      this.hidden.delete(fresh.id);
      this.passedOver.delete(fresh.id);
      const before = this.runs.get(fresh.id);
      const run = mergeRun(before, fresh) as Run & { id: string };
      const fingerprint = JSON.stringify(run);
      if (this.fingerprints.get(run.id) === fingerprint) continue;
      this.runs.set(run.id, run);
      this.fingerprints.set(run.id, fingerprint);
      this.versions.set(run.id, ++this.versionCounter);
      changed.push(run.id);
      const was = before ? statusOf(before) : undefined;
      const now = statusOf(run);
      if (was !== now) {
        if (was) groups.add(was);
        groups.add(now);
      }
      this.announceIfFinished(before, run);
    }
    const removed: string[] = [];
    for (const id of removedIds) {
      const before = this.runs.get(id);
      if (!before) continue;
      this.runs.delete(id);
      this.fingerprints.delete(id);
      this.versions.delete(id);
      groups.add(statusOf(before));
      removed.push(id);
    }
    if (!changed.length && !removed.length) return false;
    const groupsAfter = this.groupKeys();
    const structure = groupsBefore.length !== groupsAfter.length || groupsBefore.some((g, i) => g !== groupsAfter[i]);
    this.changeEmitter.fire({ changed, removed, groups: [...groups], structure, ...(appended ? { appended } : {}) });
    return true;
  }

  /** A run this window launched or opened went from active, or from a status nobody knows, to a final one. */
  private announceIfFinished(before: Run | undefined, now: Run & { id: string }): void {
    if (before && !isTerminalStatus(before.status_code) && isTerminalStatus(now.status_code) && this.watched.has(now.id)) this.finishEmitter.fire(now);
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

function cursorOf(step: { cursor: string } | { stop: string }): string | null {
  return 'cursor' in step ? step.cursor : null;
}
