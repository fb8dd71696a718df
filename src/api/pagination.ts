/**
 * Cursor pagination over `Page<T>` answers. Iteration follows `next` (or `previous`), and ends on a
 * null cursor. A server that hands out a cursor it already gave (a loop) or more pages than
 * `maxPages` cannot keep it going: by default that ends iteration with a `PaginationLimitError`
 * after the pages fetched so far have been yielded; with `onLimit: 'stop'` it ends quietly.
 */
import type { Page } from './types';

export type PageDirection = 'next' | 'previous';

export interface PaginationOptions {
  /** Default 'next'. */
  direction?: PageDirection;
  /** Most pages fetched in one iteration. Default 1,000. */
  maxPages?: number;
  /** What a repeated cursor or the page cap does. Default 'throw'. */
  onLimit?: 'throw' | 'stop';
  /** Cursor of the first page; none fetches the first page of the listing. */
  startCursor?: string | null;
}

export const DEFAULT_MAX_PAGES = 1_000;

export type PaginationLimitReason = 'repeated_cursor' | 'max_pages';

export class PaginationLimitError extends Error {
  readonly reason: PaginationLimitReason;
  readonly pagesFetched: number;
  constructor(reason: PaginationLimitReason, pagesFetched: number) {
    super(
      reason === 'repeated_cursor'
        ? `pagination stopped after ${pagesFetched} pages: the server repeated a cursor`
        : `pagination stopped at the limit of ${pagesFetched} pages`,
    );
    this.reason = reason;
    this.pagesFetched = pagesFetched;
  }
}
Object.defineProperty(PaginationLimitError.prototype, 'name', { value: 'PaginationLimitError', writable: true, configurable: true });

/**
 * Fetches the page at `cursor` (undefined: the first page). `direction` tells it whether the cursor
 * came from `previous`, which the API needs to know (`from_prev=true`).
 */
export type FetchPage<T> = (cursor: string | undefined, direction: PageDirection) => Promise<Page<T>>;

export async function* iteratePages<T>(fetchPage: FetchPage<T>, options: PaginationOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
  const direction = options.direction ?? 'next';
  const maxPages = Math.max(1, Math.floor(options.maxPages ?? DEFAULT_MAX_PAGES));
  const seen = new Set<string>();
  let cursor = options.startCursor ?? undefined;
  if (cursor !== undefined) seen.add(cursor);
  let pages = 0;

  const limit = (reason: PaginationLimitReason) => {
    if (options.onLimit !== 'stop') throw new PaginationLimitError(reason, pages);
  };

  for (;;) {
    if (pages >= maxPages) return limit('max_pages');
    const page = await fetchPage(cursor, direction);
    pages++;
    yield page;
    const following = direction === 'next' ? page.next : page.previous;
    if (following === null || following === undefined || following === '') return;
    // Every cursor is remembered, not just the last: a server cycling A→B→A must stop too.
    if (seen.has(following)) return limit('repeated_cursor');
    seen.add(following);
    cursor = following;
  }
}

export async function* iterateItems<T>(fetchPage: FetchPage<T>, options: PaginationOptions = {}): AsyncGenerator<T, void, undefined> {
  for await (const page of iteratePages(fetchPage, options)) {
    yield* page.items;
  }
}
