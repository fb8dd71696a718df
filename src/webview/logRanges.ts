/**
 * Which log ranges to ask the extension for, given what is on screen, what is cached and what is
 * already on its way. Pure, so the rules (bounded ranges, screen first, no duplicates, a cap on
 * requests in flight, a timeout for lost answers) are unit-tested without a browser.
 */

export interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface PendingRange extends Range {
  requestId: number;
  sentAt: number;
}

/**
 * Positions worth holding while [first, end) is on screen: the screen plus `prefetch` lines on each
 * side, widened to `align` boundaries so that scrolling a little does not ask for a few lines at a time.
 */
export function wantedWindow(first: number, end: number, total: number, prefetch: number, align: number): Range {
  if (total <= 0 || end <= first) return { start: 0, end: 0 };
  const a = Math.max(1, Math.floor(align));
  const start = Math.max(0, Math.floor((first - prefetch) / a) * a);
  const stop = Math.min(total, Math.ceil((end + prefetch) / a) * a);
  return { start: Math.min(start, stop), end: stop };
}

/**
 * Runs of positions in `want` that are neither loaded nor covered by a pending request, split to at
 * most `maxRange` lines, ordered by distance from `focus` (the screen) so the visible lines come first.
 */
export function missingRanges(
  want: Range,
  isLoaded: (position: number) => boolean,
  pending: readonly Range[],
  maxRange: number,
  focus = want.start,
): Range[] {
  const max = Math.max(1, Math.floor(maxRange));
  const runs: Range[] = [];
  let runStart = -1;
  const isPending = (p: number) => pending.some((r) => p >= r.start && p < r.end);
  for (let p = want.start; p < want.end; p++) {
    const missing = !isLoaded(p) && !isPending(p);
    if (missing && runStart < 0) runStart = p;
    if ((!missing || p === want.end - 1) && runStart >= 0) {
      const runEnd = missing ? p + 1 : p;
      for (let s = runStart; s < runEnd; s += max) runs.push({ start: s, end: Math.min(runEnd, s + max) });
      runStart = -1;
    }
  }
  const distance = (r: Range) => (focus < r.start ? r.start - focus : focus >= r.end ? focus - r.end + 1 : 0);
  return runs.sort((a, b) => distance(a) - distance(b) || a.start - b.start);
}

export interface RequesterOptions {
  maxRange: number;
  /** Requests allowed on their way at once; more would only queue up behind a fast scroll. */
  maxInFlight: number;
  /** After this long an unanswered request is forgotten so the range can be asked for again. */
  timeoutMs: number;
}

/** Keeps track of the `logRange` requests in flight. */
export class RangeRequester {
  private pending: PendingRange[] = [];

  constructor(
    private readonly options: RequesterOptions,
    private readonly nextId: () => number,
  ) {}

  get inFlight(): readonly PendingRange[] {
    return this.pending;
  }

  /** The requests to send now for `want` (recorded as pending). */
  plan(want: Range, isLoaded: (position: number) => boolean, now: number, focus?: number): PendingRange[] {
    this.pending = this.pending.filter((r) => now - r.sentAt < this.options.timeoutMs);
    const free = this.options.maxInFlight - this.pending.length;
    if (free <= 0 || want.end <= want.start) return [];
    const ranges = missingRanges(want, isLoaded, this.pending, this.options.maxRange, focus).slice(0, free);
    const sent = ranges.map((r) => ({ ...r, requestId: this.nextId(), sentAt: now }));
    this.pending.push(...sent);
    return sent;
  }

  /** The pending request an answer belongs to, removed from the pending list; undefined for unknown or stale ids. */
  settle(requestId: number): PendingRange | undefined {
    const k = this.pending.findIndex((r) => r.requestId === requestId);
    if (k < 0) return undefined;
    return this.pending.splice(k, 1)[0];
  }

  /** Forgets every request: answers to them will be ignored (the list they were about changed). */
  reset(): void {
    this.pending = [];
  }
}
