/**
 * Every automatic request the extension makes for runs is planned here, next to the store: the list for
 * the Runs view, and one detail refresh per run a panel watches. Whoever shows runs says whether they are
 * on screen; window focus and the poll policy are fed in once, and reach every schedule (the log readers
 * attached to a watch included). Imports no vscode, so it is tested in plain Node on a clock the test moves.
 *
 * The budget: one list request per list interval, whatever the number of panels; one detail request per
 * watched run per interval, and only while a panel for it is visible, never two for the same run at a
 * time (panels of the same run share one schedule); none for a run that has finished.
 */
import { AuthenticationError, MalformedResponseError, NotFoundError, PermissionError, RateLimitedError } from '../api/errors';
import type { GetRunEmbed, Run } from '../api/types';
import { Disposable, toDisposable, type IDisposable } from '../core/disposable';
import { Emitter, type Event } from '../core/emitter';
import { DEFAULT_POLL_POLICY, PollScheduler, realTimers, type PollOutcome, type PollPolicy, type Timers } from '../core/pollScheduler';
import { shortId } from '../core/runModel';
import { runPhase } from './logFollower';
import type { RunStore } from './runStore';
import { errorMessage } from '../core/errorMessage';

/** After this long without an answer, whoever shows the result says it is waiting instead of looking current. */
export const SLOW_ANSWER_MS = 5_000;
/** How often rows whose text depends on the clock ("6 min ago") are redrawn while the view is visible. */
export const CLOCK_TICK_MS = 15_000;
/** What a panel shows of a run: its node runs, and names for its target. */
export const RUN_EMBED: GetRunEmbed[] = ['node_runs', 'model', 'flow', 'comfyui_workflow'];

export interface PollerLog {
  debug(message: string): void;
  warn(message: string): void;
}

/** A log reader's schedule, run by the poller's focus and policy and by its watch's visibility. */
export interface FollowerSchedule {
  setVisible(visible: boolean): void;
  setFocused(focused: boolean): void;
  setPolicy(policy: PollPolicy): void;
}

export interface RunsPollerOptions {
  policy?: PollPolicy;
  /** The clock requests are planned on (faster than the wall clock in benchmarks). */
  timers?: Timers;
  /** The wall clock: how long a person has waited, and what "6 min ago" means. */
  clock?: Timers;
  focused?: boolean;
  log?: PollerLog;
}

/** One detail refresh of a watched run: what the store then knows, or why it failed. */
export type RunRefresh = { kind: 'ok'; run: Run } | { kind: 'error'; message: string };

/** What read-only view of a schedule the UI and tests get: whether it is asking, and when it will next. */
export interface ScheduleState {
  readonly isRefreshing: boolean;
  readonly nextRefreshAt: number | undefined;
}

/** The list's schedule as the Runs view drives it: paused until signed in, resumed and refreshed on demand. */
export interface ListSchedule extends ScheduleState {
  halt(): void;
  resume(): void;
  refreshNow(options?: { restart?: boolean }): Promise<void>;
}

/** A panel's hold on a run: polled while visible, until disposed. */
export interface RunWatch extends ScheduleState, IDisposable {
  readonly runId: string;
  setVisible(visible: boolean): void;
  /** Automatic refreshes again after the run finished or a final error stopped them. */
  resume(): void;
  /** A refresh now (joining one in flight), and automatic ones again. */
  refreshNow(): Promise<void>;
  readonly onDidRefresh: Event<RunRefresh>;
  /** A refresh has been waiting for an answer for SLOW_ANSWER_MS. */
  readonly onDidWait: Event<void>;
}

export class RunsPoller extends Disposable {
  private readonly listScheduler: PollScheduler;
  private readonly runs = new Map<string, WatchedRun>();
  private readonly followers = new Set<FollowerSchedule>();
  private readonly timers: Timers;
  private readonly clock: Timers;
  private readonly log: PollerLog | undefined;
  private policy: PollPolicy;
  private focused: boolean;
  private viewVisible = false;
  private listWaiting = false;
  private tickTimer: unknown;
  private readonly waitingEmitter = this._register(new Emitter<boolean>());
  private readonly tickEmitter = this._register(new Emitter<number>());
  /** The list has been waiting for an answer for SLOW_ANSWER_MS (true), or the wait is over (false). */
  readonly onDidChangeListWaiting = this.waitingEmitter.event;
  /** The wall clock moved on while the view is visible: rows that show times may read differently. */
  readonly onDidTick = this.tickEmitter.event;

  constructor(
    private readonly store: RunStore,
    options: RunsPollerOptions = {},
  ) {
    super();
    this.policy = options.policy ?? DEFAULT_POLL_POLICY;
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? realTimers;
    this.focused = options.focused ?? true;
    this.log = options.log;
    this.listScheduler = new PollScheduler(() => this.refreshList(), this.policy, this.timers);
    this.listScheduler.setFocused(this.focused);
    this._register(this.listScheduler);
    this._register(
      toDisposable(() => {
        this.stopTicking();
        for (const run of [...this.runs.values()]) run.dispose();
        this.runs.clear();
        this.followers.clear();
      }),
    );
  }

  get list(): ListSchedule {
    return this.listScheduler;
  }

  /** The Runs view is on screen, or not: the list is polled and its clock-dependent rows tick only while it is. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.listScheduler.setVisible(visible);
    if (visible) this.startTicking();
    else this.stopTicking();
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.listScheduler.setFocused(focused);
    for (const run of this.runs.values()) run.scheduler.setFocused(focused);
    for (const follower of this.followers) follower.setFocused(focused);
  }

  setPolicy(policy: PollPolicy): void {
    this.policy = policy;
    this.listScheduler.setPolicy(policy);
    for (const run of this.runs.values()) run.scheduler.setPolicy(policy);
    for (const follower of this.followers) follower.setPolicy(policy);
  }

  get currentPolicy(): PollPolicy {
    return this.policy;
  }

  /** Whether the list is refreshed by itself at all (a setting); panels keep their runs current either way. */
  setListEnabled(enabled: boolean): void {
    this.listScheduler.setEnabled(enabled);
  }

  /**
   * Keeps `runId` current while the watch is visible, with its store events and a refresh result per
   * detail request. A `follower` (the run's log) is run by the same focus, policy and visibility.
   */
  watch(runId: string, options: { visible: boolean; follower?: FollowerSchedule }): RunWatch {
    if (this.isDisposed) throw new Error('the poller is disposed');
    let run = this.runs.get(runId);
    if (!run) {
      run = new WatchedRun(runId, () => this.reloadRun(runId), this.policy, this.timers);
      run.scheduler.setFocused(this.focused);
      this.runs.set(runId, run);
    }
    const follower = options.follower;
    if (follower) {
      this.followers.add(follower);
      follower.setPolicy(this.policy);
      follower.setFocused(this.focused);
    }
    return run.attach(options.visible, follower, () => {
      if (follower) this.followers.delete(follower);
      if (run.watchers === 0 && this.runs.get(runId) === run) {
        run.dispose();
        this.runs.delete(runId);
      }
    });
  }

  /** Runs watched now, for tests and diagnostics. */
  get watchedRunIds(): string[] {
    return [...this.runs.keys()];
  }

  private async refreshList(): Promise<PollOutcome> {
    // A request may hang for its whole timeout: after a few seconds the view says it is waiting.
    const slow = this.clock.setTimeout(() => this.setListWaiting(true), SLOW_ANSWER_MS);
    try {
      const outcome = await this.store.refresh();
      return await this.countActiveApart(outcome);
    } finally {
      this.clock.clearTimeout(slow);
      this.setListWaiting(false);
    }
  }

  private setListWaiting(waiting: boolean): void {
    if (waiting === this.listWaiting || this.isDisposed) return;
    this.listWaiting = waiting;
    this.waitingEmitter.fire(waiting);
  }

  /**
   * While a filter sent to the server narrows the view, the status bar's count of active runs takes one
   * more request (see RunStore.refreshActiveCount): a light one, only then, and after the refresh, so never
   * two at a time. Active runs outside the filter keep the poll at the active pace, as they would unfiltered.
   */
  private async countActiveApart(outcome: PollOutcome): Promise<PollOutcome> {
    const refused = this.store.state.kind === 'bad_filter';
    if (!this.store.countsActiveApart || (outcome.kind !== 'ok' && !refused)) return outcome;
    const before = this.store.activeCount;
    let count: number | undefined;
    try {
      count = await this.store.refreshActiveCount();
    } catch (err) {
      this.log?.debug(`Could not count the active runs apart from the filter: ${errorMessage(err)}`);
    }
    if (outcome.kind !== 'ok' || count === undefined) return outcome;
    return { ...outcome, changed: outcome.changed || count !== before, active: outcome.active || count > 0 };
  }

  /** One detail refresh through the store, which merges the answer into what it knew. */
  private async reloadRun(runId: string): Promise<PollOutcome> {
    const run = this.runs.get(runId);
    if (!run) return { kind: 'ok', changed: false, active: false };
    const slow = this.clock.setTimeout(() => run.waited(), SLOW_ANSWER_MS);
    try {
      const fresh = await this.store.reload(runId, { embed: RUN_EMBED, signal: run.signal });
      if (!fresh) {
        // Not shown, not cached: a panel and the view would otherwise show another run as this one.
        throw new MalformedResponseError({ method: 'GET', path: `/v1/runs/${encodeURIComponent(runId)}` }, `the answer is not run ${shortId(runId)}`);
      }
      const changed = run.noteAnswer(fresh);
      run.refreshed({ kind: 'ok', run: fresh });
      switch (runPhase(fresh)) {
        case 'settled':
          run.scheduler.halt();
          return { kind: 'ok', changed, active: false };
        case 'active':
          return { kind: 'ok', changed, active: true };
        default:
          // A status nobody knows may still change: watched at the idle pace, never halted.
          return { kind: 'ok', changed, active: false, watching: true };
      }
    } catch (err) {
      // The last panel of the run closed while its read was on its way: nobody is left to tell.
      if (run.signal.aborted) return { kind: 'ok', changed: false, active: false };
      const message = errorMessage(err);
      this.log?.warn(`Run panel ${runId}: ${message}`);
      run.refreshed({ kind: 'error', message });
      if (err instanceof RateLimitedError) return { kind: 'rate_limited', retryAfterMs: err.retryAfterMs ?? 30_000 };
      const final = err instanceof AuthenticationError || err instanceof PermissionError || err instanceof NotFoundError;
      return { kind: 'error', retryable: !final };
    } finally {
      this.clock.clearTimeout(slow);
    }
  }

  private startTicking(): void {
    if (this.tickTimer !== undefined || this.isDisposed) return;
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = undefined;
      if (!this.viewVisible) return;
      this.tickEmitter.fire(this.clock.now());
      this.startTicking();
    }, CLOCK_TICK_MS);
  }

  private stopTicking(): void {
    if (this.tickTimer === undefined) return;
    this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
  }
}

/** One watched run: its schedule, shared by every watch of it, and the watches' events. */
class WatchedRun {
  readonly scheduler: PollScheduler;
  private readonly visibility = new Map<object, boolean>();
  private readonly refreshEmitter = new Emitter<RunRefresh>();
  private readonly waitEmitter = new Emitter<void>();
  /** The last answer, to tell the schedule whether anything changed. */
  private lastAnswer = '';
  /** Ends a read on its way once no panel watches the run any more. */
  private readonly abort = new AbortController();

  constructor(
    readonly runId: string,
    task: () => Promise<PollOutcome>,
    policy: PollPolicy,
    timers: Timers,
  ) {
    this.scheduler = new PollScheduler(task, policy, timers);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get watchers(): number {
    return this.visibility.size;
  }

  attach(visible: boolean, follower: FollowerSchedule | undefined, detach: () => void): RunWatch {
    const key = {};
    const subscriptions: IDisposable[] = [];
    const setVisible = (v: boolean) => {
      if (!this.visibility.has(key)) return;
      this.visibility.set(key, v);
      follower?.setVisible(v);
      this.scheduler.setVisible([...this.visibility.values()].some(Boolean));
    };
    this.visibility.set(key, visible);
    setVisible(visible);
    const scheduler = this.scheduler;
    const events = { refresh: this.refreshEmitter, wait: this.waitEmitter };
    return {
      runId: this.runId,
      setVisible,
      resume: () => scheduler.resume(),
      refreshNow: () => {
        scheduler.resume();
        return scheduler.refreshNow();
      },
      get isRefreshing() {
        return scheduler.isRefreshing;
      },
      get nextRefreshAt() {
        return scheduler.nextRefreshAt;
      },
      onDidRefresh: (listener) => track(subscriptions, events.refresh.event(listener)),
      onDidWait: (listener) => track(subscriptions, events.wait.event(listener)),
      dispose: () => {
        if (!this.visibility.delete(key)) return;
        for (const s of subscriptions.splice(0)) s.dispose();
        this.scheduler.setVisible([...this.visibility.values()].some(Boolean));
        detach();
      },
    };
  }

  /** Whether `run` differs from the last answer. */
  noteAnswer(run: Run): boolean {
    const fingerprint = JSON.stringify(run);
    const changed = fingerprint !== this.lastAnswer;
    this.lastAnswer = fingerprint;
    return changed;
  }

  refreshed(result: RunRefresh): void {
    this.refreshEmitter.fire(result);
  }

  waited(): void {
    this.waitEmitter.fire();
  }

  dispose(): void {
    this.abort.abort();
    this.scheduler.dispose();
    this.refreshEmitter.dispose();
    this.waitEmitter.dispose();
  }
}

/** A watch's listeners go with the watch. */
function track(subscriptions: IDisposable[], subscription: { dispose(): void }): { dispose(): void } {
  subscriptions.push(subscription);
  return subscription;
}
