/**
 * Follows a run's log: when to read it again, from the run's phase, whether the panel is seen, and how
 * reads fail. The reading itself is the LogReader's.
 */
import type { Run } from '../api/types';
import { DEFAULT_POLL_POLICY, PollScheduler, realTimers, type PollOutcome, type PollPolicy, type Timers } from '../core/pollScheduler';
import { isActiveStatus, isTerminalStatus } from '../core/runModel';
import type { LogReader } from './logReader';

/** Where a run stands, for how its log is followed: `open` is a status nobody knows, which may still change. */
export type RunPhase = 'active' | 'open' | 'settled';

/** Settled only in a known final status; no run, or a status outside the known ones, may still change. */
export function runPhase(run: Pick<Run, 'status_code'> | undefined): RunPhase {
  if (!run) return 'open';
  if (isTerminalStatus(run.status_code)) return 'settled';
  if (isActiveStatus(run.status_code)) return 'active';
  return 'open';
}

export interface LogFollowerOptions {
  policy?: PollPolicy;
  timers?: Timers;
  /** Failed reads of a settled run's log before automatic retries stop. Default 3. */
  settledAttempts?: number;
}

/**
 * When to read a log: at the active pace while the run is active, at the idle pace while its status is
 * one nobody knows, once more when it settles, then not again. Failures back off like the Runs view's
 * polling does; for a settled run they stop after a few tries and the status offers a Retry.
 */
export class LogFollower {
  private readonly scheduler: PollScheduler;
  private phase: RunPhase;
  private settledFailures = 0;
  private stopped = false;
  private readonly settledAttempts: number;

  constructor(
    private readonly reader: LogReader,
    phase: RunPhase,
    options: LogFollowerOptions = {},
  ) {
    this.phase = phase;
    this.settledAttempts = Math.max(1, Math.floor(options.settledAttempts ?? 3));
    this.reader.setLive(phase !== 'settled');
    this.scheduler = new PollScheduler(() => this.step(), options.policy ?? DEFAULT_POLL_POLICY, options.timers ?? realTimers);
  }

  /** Automatic retries stopped; only `retry()` reads again. */
  get stoppedRetrying(): boolean {
    return this.stopped;
  }

  /** A read is on its way. */
  get reading(): boolean {
    return this.scheduler.isRefreshing;
  }

  /** When the next automatic read is planned; undefined when none is. */
  get nextReadAt(): number | undefined {
    return this.scheduler.nextRefreshAt;
  }

  setVisible(visible: boolean): void {
    this.scheduler.setVisible(visible);
  }

  setFocused(focused: boolean): void {
    this.scheduler.setFocused(focused);
  }

  setPolicy(policy: PollPolicy): void {
    this.scheduler.setPolicy(policy);
  }

  setPhase(phase: RunPhase): void {
    if (phase === this.phase) return;
    const was = this.phase;
    this.phase = phase;
    this.reader.setLive(phase !== 'settled');
    if (this.stopped) return;
    if (phase === 'settled') {
      this.settledFailures = 0;
      // The lines written as the run finished.
      void this.scheduler.refreshNow();
    } else if (was === 'settled') {
      this.scheduler.resume();
    }
  }

  /** The page is back in view: catch up, unless automatic reading stopped. */
  resume(): void {
    if (!this.stopped) this.scheduler.resume();
  }

  /** Reads now (joining a read in flight), unless automatic reading stopped. */
  readNow(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.scheduler.refreshNow();
  }

  /** The user asked: read again now, and follow as before. */
  retry(): Promise<void> {
    this.stopped = false;
    this.settledFailures = 0;
    this.reader.setRetryOffered(false);
    this.scheduler.resume();
    return this.scheduler.refreshNow();
  }

  dispose(): void {
    this.scheduler.dispose();
  }

  private async step(): Promise<PollOutcome> {
    const phase = this.phase;
    const { ok, added } = await this.reader.update();
    if (!ok) {
      if (this.phase !== 'settled') return { kind: 'error', retryable: true };
      if (++this.settledFailures < this.settledAttempts) return { kind: 'error', retryable: true };
      this.stopped = true;
      this.reader.setRetryOffered(true);
      // Not retryable: the scheduler halts until retry().
      return { kind: 'error', retryable: false };
    }
    this.settledFailures = 0;
    const changed = added > 0;
    if (this.phase === 'settled') {
      // Settled while this read was on its way: one more read for the lines written as it finished.
      if (phase !== 'settled') return { kind: 'ok', changed, active: true };
      this.scheduler.halt();
      return { kind: 'ok', changed, active: false };
    }
    if (this.phase === 'active') return { kind: 'ok', changed, active: true };
    return { kind: 'ok', changed, active: false, watching: true };
  }
}
