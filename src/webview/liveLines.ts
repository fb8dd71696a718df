/**
 * Announces new lines of a live log to screen readers: politely, and at most once per interval, as one
 * sentence for all the lines that came meanwhile ("12 new log lines"). One announcement per line would
 * drown every other thing the reader wants to hear. Pure: the clock and the timer come from outside.
 */

export interface LiveLinesClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The quietest a screen reader is asked to speak about new lines. */
export const ANNOUNCE_EVERY_MS = 10_000;

export function newLinesText(count: number): string {
  return count === 1 ? '1 new log line' : `${count.toLocaleString('en-US')} new log lines`;
}

export class LiveLineAnnouncer {
  private pending = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;

  constructor(
    private readonly say: (text: string) => void,
    private readonly clock: LiveLinesClock,
    private readonly everyMs = ANNOUNCE_EVERY_MS,
  ) {}

  /** `count` lines arrived while the run is live. */
  add(count: number): void {
    if (!(count > 0)) return;
    this.pending += count;
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.everyMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = 0;
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending === 0) return;
    const count = this.pending;
    this.pending = 0;
    this.lastAt = this.clock.now();
    this.say(newLinesText(count));
  }
}
