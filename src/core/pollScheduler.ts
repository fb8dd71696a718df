/**
 * When to ask the API again. The Runs view is open all day, so polling must cost almost nothing while
 * nothing happens: it runs only while someone can see the result, fast while runs are active, backing off
 * while nothing changes, never two at once, and it waits as long as a 429 asks.
 */

export interface PollPolicy {
  /** Interval while runs are active. */
  activeMs: number;
  /** First idle interval after a change; doubled on every refresh that changed nothing. */
  idleMinMs: number;
  /** Idle backoff cap. */
  idleMaxMs: number;
  /** Backoff cap after errors. */
  errorMaxMs: number;
  /** Regaining focus or visibility refreshes at once, but not more often than this. */
  catchUpMinGapMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  activeMs: 5_000,
  idleMinMs: 15_000,
  idleMaxMs: 60_000,
  errorMaxMs: 5 * 60_000,
  catchUpMinGapMs: 2_000,
};

export type PollOutcome =
  /**
   * `watching`: nothing is active, but something may still change (a run in a status nobody knows):
   * poll at the first idle interval instead of backing off further.
   */
  | { kind: 'ok'; changed: boolean; active: boolean; watching?: boolean }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'error'; retryable: boolean };

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on the given clock. */
export function delay(ms: number, timers: Timers = realTimers): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}

/**
 * A clock that runs `scale` times faster than the wall clock, so tests and benchmarks can watch an hour
 * of polling in a minute against a real server. Only the extension's test mode ever builds one.
 */
export function scaledTimers(scale: number, base: Timers = realTimers): Timers {
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) * scale,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / scale),
    clearTimeout: (h) => base.clearTimeout(h),
  };
}

export class PollScheduler {
  private visible = false;
  private focused = true;
  private enabled = true;
  private disposed = false;
  private inFlight: Promise<void> | undefined;
  private timer: unknown;
  /** When the next automatic refresh is due (ms epoch); undefined until the first one ran. */
  private dueAt: number | undefined;
  private lastRunAt = -Infinity;
  private idleMs: number;
  private errorStreak = 0;
  /** Nothing automatic may start before this (a 429's wait, or a non-retryable error). */
  private blockedUntil = 0;
  private halted = false;

  constructor(
    private readonly task: () => Promise<PollOutcome>,
    private policy: PollPolicy = DEFAULT_POLL_POLICY,
    private readonly timers: Timers = realTimers,
  ) {
    this.idleMs = policy.idleMinMs;
  }

  /** Whether automatic refreshes may run at all (a setting). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.reschedule(true);
  }

  setVisible(visible: boolean): void {
    const was = this.canPoll();
    this.visible = visible;
    this.reschedule(!was && this.canPoll());
  }

  setFocused(focused: boolean): void {
    const was = this.canPoll();
    this.focused = focused;
    this.reschedule(!was && this.canPoll());
  }

  setPolicy(policy: PollPolicy): void {
    this.policy = policy;
    this.idleMs = Math.min(Math.max(this.idleMs, policy.idleMinMs), policy.idleMaxMs);
    this.reschedule(false);
  }

  /** Polling stopped for good until `resume()` (for example after a 401: asking again would fail again). */
  halt(): void {
    this.halted = true;
    this.clearTimer();
  }

  resume(): void {
    this.halted = false;
    this.errorStreak = 0;
    this.blockedUntil = 0;
    this.reschedule(true);
  }

  /** The time the next automatic refresh is planned for, for tests and the UI; undefined when none is. */
  get nextRefreshAt(): number | undefined {
    return this.timer === undefined ? undefined : this.dueAt;
  }

  get isRefreshing(): boolean {
    return this.inFlight !== undefined;
  }

  /**
   * A refresh now, whatever the visibility (the user asked, or the data must be reloaded). Joins the one
   * in flight instead of starting a second; with `restart`, the one in flight asked for what is no longer
   * wanted (a filter or a server changed since), so a new one follows it and is the one waited for.
   */
  refreshNow(options: { restart?: boolean } = {}): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.inFlight) return options.restart ? this.inFlight.then(() => this.refreshNow()) : this.inFlight;
    this.clearTimer();
    this.lastRunAt = this.timers.now();
    this.inFlight = this.task()
      .catch((): PollOutcome => ({ kind: 'error', retryable: true }))
      .then((outcome) => this.afterRun(outcome))
      .finally(() => {
        this.inFlight = undefined;
        this.reschedule(false);
      });
    return this.inFlight;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private canPoll(): boolean {
    return this.visible && this.focused && this.enabled && !this.halted && !this.disposed;
  }

  private afterRun(outcome: PollOutcome): void {
    const now = this.timers.now();
    switch (outcome.kind) {
      case 'ok':
        this.errorStreak = 0;
        if (outcome.active) {
          this.idleMs = this.policy.idleMinMs;
          this.dueAt = now + this.policy.activeMs;
        } else if (outcome.changed || outcome.watching) {
          this.idleMs = this.policy.idleMinMs;
          this.dueAt = now + this.idleMs;
        } else {
          this.idleMs = Math.min(this.idleMs * 2, this.policy.idleMaxMs);
          this.dueAt = now + this.idleMs;
        }
        break;
      case 'rate_limited':
        this.blockedUntil = now + Math.max(outcome.retryAfterMs, 1_000);
        this.dueAt = this.blockedUntil;
        break;
      case 'error': {
        this.errorStreak++;
        const base = Math.max(this.policy.activeMs, 5_000);
        this.dueAt = now + Math.min(base * 2 ** (this.errorStreak - 1), this.policy.errorMaxMs);
        if (!outcome.retryable) this.halt();
        break;
      }
    }
  }

  /** Plans the next automatic refresh; `catchUp` means the user just came back and is owed fresh data. */
  private reschedule(catchUp: boolean): void {
    this.clearTimer();
    if (!this.canPoll() || this.inFlight) return;
    const now = this.timers.now();
    let at = this.dueAt ?? now;
    if (catchUp) at = Math.min(at, Math.max(now, this.lastRunAt + this.policy.catchUpMinGapMs));
    at = Math.max(at, this.blockedUntil);
    this.dueAt = at;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.refreshNow();
    }, Math.max(0, at - now));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
