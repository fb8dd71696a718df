/**
 * Cursor pagination over `Page<T>` answers: the one pager every loop that follows `next` (or `previous`)
 * goes through. Iteration ends on a null cursor. A server that hands out a cursor it already gave (a
 * loop), a page with no items that still points further (it would go on for ever without showing
 * anything), or more pages than `maxPages` cannot keep it going: by default that ends iteration with a
 * `PaginationLimitError` after the pages fetched so far have been yielded; with `onLimit: 'stop'` it
 * ends quietly.
 *
 * Either way the caller learns why it stopped: `onStop` is called, and the generator returns the same
 * summary. A stop other than `'end'` means the listing may be incomplete, which a UI should say.
 */
import type { Page } from './types';

export type PageDirection = 'next' | 'previous';

/** Why iteration ended: `'end'` is a null cursor, the others are limits. */
export type PaginationStopReason = 'end' | 'repeated_cursor' | 'empty_page' | 'max_pages';

export type PaginationLimitReason = Exclude<PaginationStopReason, 'end'>;

export interface PaginationSummary {
  reason: PaginationStopReason;
  /** Pages fetched in this iteration. */
  pages: number;
  /** False when the server pointed to more pages that were not fetched. */
  complete: boolean;
}

export interface PaginationOptions {
  /** Default 'next'. */
  direction?: PageDirection;
  /** Most pages fetched in one iteration. Default 1,000. */
  maxPages?: number;
  /** What a repeated cursor, an empty page with a cursor, or the page cap does. Default 'throw'. */
  onLimit?: 'throw' | 'stop';
  /** Cursor of the first page; none fetches the first page of the listing. */
  startCursor?: string | null;
  /**
   * Told why iteration ended, once, when the pager itself ended it (not when the consumer stopped
   * early or a request failed). Called before a `PaginationLimitError` is thrown.
   */
  onStop?: (summary: PaginationSummary) => void;
}

export const DEFAULT_MAX_PAGES = 1_000;

export class PaginationLimitError extends Error {
  readonly reason: PaginationLimitReason;
  readonly pagesFetched: number;
  constructor(reason: PaginationLimitReason, pagesFetched: number) {
    super(
      reason === 'repeated_cursor'
        ? `pagination stopped after ${pagesFetched} pages: the server repeated a cursor`
        : reason === 'empty_page'
          ? `pagination stopped after ${pagesFetched} pages: the server sent an empty page that points to another`
          : `pagination stopped at the limit of ${pagesFetched} pages`,
    );
    this.reason = reason;
    this.pagesFetched = pagesFetched;
  }
}
Object.defineProperty(PaginationLimitError.prototype, 'name', { value: 'PaginationLimitError', writable: true, configurable: true });

/**
 * Where a page points in `direction`: its cursor, or why a walk ends there. A page with no items that
 * still points further ends it too: following it could go on for ever without showing anything.
 */
export function pageCursor(page: Page<unknown>, direction: PageDirection = 'next'): { cursor: string } | { stop: 'end' | 'empty_page' } {
  const following = direction === 'next' ? page.next : page.previous;
  if (following === null || following === undefined || following === '') return { stop: 'end' };
  if (!Array.isArray(page.items) || page.items.length === 0) return { stop: 'empty_page' };
  return { cursor: following };
}

/**
 * The stops of one walk along a listing, for a caller that fetches one page at a time (as "Load more"
 * does) as well as for `iteratePages`: told each page fetched, it answers the cursor to follow next or
 * why the walk ends.
 */
export class CursorTrail {
  private readonly seen = new Set<string>();
  private fetched = 0;

  constructor(
    private readonly direction: PageDirection = 'next',
    private readonly maxPages = DEFAULT_MAX_PAGES,
    startCursor?: string,
  ) {
    if (startCursor !== undefined) this.seen.add(startCursor);
  }

  /** Pages told so far. */
  get pages(): number {
    return this.fetched;
  }

  follow(page: Page<unknown>): { cursor: string } | { stop: PaginationStopReason } {
    this.fetched++;
    const next = pageCursor(page, this.direction);
    if ('stop' in next) return next;
    // Every cursor is remembered, not just the last: a server cycling A→B→A must stop too.
    if (this.seen.has(next.cursor)) return { stop: 'repeated_cursor' };
    this.seen.add(next.cursor);
    if (this.fetched >= this.maxPages) return { stop: 'max_pages' };
    return next;
  }
}

/**
 * Fetches the page at `cursor` (undefined: the first page). `direction` tells it whether the cursor
 * came from `previous`, which the API needs to know (`from_prev=true`).
 */
export type FetchPage<T> = (cursor: string | undefined, direction: PageDirection) => Promise<Page<T>>;

export async function* iteratePages<T>(
  fetchPage: FetchPage<T>,
  options: PaginationOptions = {},
): AsyncGenerator<Page<T>, PaginationSummary, undefined> {
  const direction = options.direction ?? 'next';
  const maxPages = Math.max(1, Math.floor(options.maxPages ?? DEFAULT_MAX_PAGES));
  let cursor = options.startCursor ?? undefined;
  const trail = new CursorTrail(direction, maxPages, cursor);

  const stop = (reason: PaginationStopReason): PaginationSummary => {
    const summary: PaginationSummary = { reason, pages: trail.pages, complete: reason === 'end' };
    options.onStop?.(summary);
    if (reason !== 'end' && options.onLimit !== 'stop') throw new PaginationLimitError(reason, trail.pages);
    return summary;
  };

  for (;;) {
    const page = await fetchPage(cursor, direction);
    yield page;
    const step = trail.follow(page);
    if ('stop' in step) return stop(step.stop);
    cursor = step.cursor;
  }
}
