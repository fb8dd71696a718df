import { strict as assert } from 'node:assert';
import { RunflowClient } from '../../../src/api/client';
import { CursorTrail, iteratePages, pageCursor, PaginationLimitError, type FetchPage, type PaginationOptions, type PaginationSummary } from '../../../src/api/pagination';
import type { Page } from '../../../src/api/types';
import { sendJson, startTinyServer, type TinyServer } from './http-fixtures';

function page<T>(items: T[], next: string | null, previous: string | null = null): Page<T> {
  return { items, first: null, next, previous };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

/** The items of every page the pager yields, in order. */
async function* pagedItems<T>(fetchPage: FetchPage<T>, options: PaginationOptions = {}): AsyncGenerator<T> {
  for await (const p of iteratePages(fetchPage, options)) yield* p.items;
}

describe('pagination', () => {
  describe('iteratePages (in memory)', () => {
    const chain: Record<string, Page<number>> = {
      start: page([1, 2], 'c2'),
      c2: page([3, 4], 'c3', 'start'),
      c3: page([5], null, 'c2'),
    };
    const fetchChain: FetchPage<number> = async (cursor) => chain[cursor ?? 'start'];

    it('follows next until it is null', async () => {
      assert.deepEqual(await collect(pagedItems(fetchChain)), [1, 2, 3, 4, 5]);
      assert.equal((await collect(iteratePages(fetchChain))).length, 3);
    });

    it('follows previous when asked, telling the fetcher the direction', async () => {
      const directions: string[] = [];
      const items = await collect(pagedItems<number>(async (cursor, direction) => {
        directions.push(direction);
        return chain[cursor ?? 'c3'];
      }, { direction: 'previous', startCursor: 'c3' }));
      assert.deepEqual(items, [5, 3, 4, 1, 2]);
      assert.deepEqual(directions, ['previous', 'previous', 'previous']);
    });

    it('stops on a repeated cursor, also across a longer cycle', async () => {
      const cycle: Record<string, Page<string>> = { a: page(['a'], 'b'), b: page(['b'], 'c'), c: page(['c'], 'b') };
      let calls = 0;
      const fetchCycle: FetchPage<string> = async (cursor) => {
        calls++;
        return cycle[cursor ?? 'a'];
      };
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const item of pagedItems(fetchCycle)) seen.push(item);
        })(),
        (e: unknown) => e instanceof PaginationLimitError && e.reason === 'repeated_cursor' && e.pagesFetched === 3,
      );
      assert.deepEqual(seen, ['a', 'b', 'c']);
      assert.equal(calls, 3);
      assert.deepEqual(await collect(pagedItems(fetchCycle, { onLimit: 'stop' })), ['a', 'b', 'c']);
    });

    it('stops at the page cap', async () => {
      let n = 0;
      const endless: FetchPage<number> = async () => page([n], `cursor-${++n}`);
      await assert.rejects(collect(pagedItems(endless, { maxPages: 5 })), (e: unknown) => e instanceof PaginationLimitError && e.reason === 'max_pages' && e.pagesFetched === 5);
      n = 0;
      assert.deepEqual(await collect(pagedItems(endless, { maxPages: 4, onLimit: 'stop' })), [0, 1, 2, 3]);
      assert.equal(n, 4);
    });

    it('has a default cap of 1,000 pages', async () => {
      let n = 0;
      const endless: FetchPage<number> = async () => page([n], `c${++n}`);
      await assert.rejects(collect(iteratePages(endless)), (e: unknown) => e instanceof PaginationLimitError && e.pagesFetched === 1000);
    });

    it('stops on an empty page that still points to another', async () => {
      let calls = 0;
      // Fresh cursors every time: only the empty page tells that this goes nowhere.
      const hollow: FetchPage<number> = async () => page(calls++ === 0 ? [1] : [], `c${calls}`);
      const seen: number[] = [];
      await assert.rejects(
        (async () => {
          for await (const item of pagedItems(hollow)) seen.push(item);
        })(),
        (e: unknown) => e instanceof PaginationLimitError && e.reason === 'empty_page' && e.pagesFetched === 2,
      );
      assert.deepEqual(seen, [1]);
      assert.equal(calls, 2);
    });

    it('ends quietly on an empty last page without a cursor', async () => {
      const stops: PaginationSummary[] = [];
      const pages = await collect(iteratePages<number>(async (cursor) => (cursor ? page([], null) : page([1], 'c2')), { onStop: (s) => stops.push(s) }));
      assert.equal(pages.length, 2);
      assert.deepEqual(stops, [{ reason: 'end', pages: 2, complete: true }]);
    });

    it('tells the caller why it stopped: onStop and the return value', async () => {
      const cycle: Record<string, Page<string>> = { a: page(['a'], 'b'), b: page(['b'], 'a') };
      const stops: PaginationSummary[] = [];
      const pages = iteratePages<string>(async (cursor) => cycle[cursor ?? 'a'], { onLimit: 'stop', onStop: (s) => stops.push(s) });
      let step = await pages.next();
      let count = 0;
      while (!step.done) {
        count++;
        step = await pages.next();
      }
      // The first page was asked for without a cursor, so `a` is only known as a repeat when `b` comes back.
      assert.equal(count, 3);
      assert.deepEqual(step.value, { reason: 'repeated_cursor', pages: 3, complete: false });
      assert.deepEqual(stops, [step.value]);

      const capped: PaginationSummary[] = [];
      let n = 0;
      await collect(pagedItems<number>(async () => page([n], `c${++n}`), { maxPages: 3, onLimit: 'stop', onStop: (s) => capped.push(s) }));
      assert.deepEqual(capped, [{ reason: 'max_pages', pages: 3, complete: false }]);

      const thrown: PaginationSummary[] = [];
      await assert.rejects(collect(pagedItems<string>(async (cursor) => cycle[cursor ?? 'a'], { onStop: (s) => thrown.push(s) })), PaginationLimitError);
      assert.deepEqual(thrown, [{ reason: 'repeated_cursor', pages: 3, complete: false }], 'told before the error is thrown');

      const ended: PaginationSummary[] = [];
      assert.deepEqual(await collect(pagedItems(fetchChain, { onStop: (s) => ended.push(s) })), [1, 2, 3, 4, 5]);
      assert.deepEqual(ended, [{ reason: 'end', pages: 3, complete: true }]);
    });

    it('says nothing when the consumer stops early', async () => {
      const stops: PaginationSummary[] = [];
      for await (const item of pagedItems(fetchChain, { onStop: (s) => stops.push(s) })) {
        if (item === 3) break;
      }
      assert.deepEqual(stops, []);
    });

    it('does not fetch further pages when the consumer stops early', async () => {
      let calls = 0;
      for await (const item of pagedItems<number>(async (cursor) => {
        calls++;
        return chain[cursor ?? 'start'];
      })) {
        if (item === 2) break;
      }
      assert.equal(calls, 1);
    });
  });

  describe('CursorTrail (a walk fetched one page at a time, as "Load more" does)', () => {
    it('follows next cursors until a page has none', () => {
      const trail = new CursorTrail();
      assert.deepEqual(trail.follow(page([1], 'c2')), { cursor: 'c2' });
      assert.deepEqual(trail.follow(page([2], 'c3')), { cursor: 'c3' });
      assert.deepEqual(trail.follow(page([3], null)), { stop: 'end' });
      assert.equal(trail.pages, 3);
    });

    it('ends on a cursor it followed before, on an empty page that points further, and at its budget', () => {
      const cycling = new CursorTrail();
      cycling.follow(page([1], 'a'));
      cycling.follow(page([2], 'b'));
      assert.deepEqual(cycling.follow(page([3], 'a')), { stop: 'repeated_cursor' });
      assert.deepEqual(new CursorTrail('next', 10, 'start').follow(page([1], 'start')), { stop: 'repeated_cursor' }, 'the cursor it started from counts');
      assert.deepEqual(new CursorTrail().follow(page([], 'more')), { stop: 'empty_page' });
      const budget = new CursorTrail('next', 2);
      assert.deepEqual(budget.follow(page([1], 'c2')), { cursor: 'c2' });
      assert.deepEqual(budget.follow(page([2], 'c3')), { stop: 'max_pages' });
    });

    it('reads previous when walking back, and an empty last page is the end', () => {
      assert.deepEqual(new CursorTrail('previous').follow(page([1], 'n', 'p')), { cursor: 'p' });
      assert.deepEqual(pageCursor(page([], null)), { stop: 'end' });
      assert.deepEqual(pageCursor(page([], '')), { stop: 'end' });
      assert.deepEqual(pageCursor(page([1], 'n', 'p'), 'previous'), { cursor: 'p' });
    });
  });

  describe('over HTTP against a broken server', () => {
    let server: TinyServer;
    let mode: 'same' | 'endless' | 'hollow' = 'same';
    before(async () => {
      server = await startTinyServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const pq = url.searchParams.get('pq');
        if (mode === 'same') {
          // Always hands out the same cursor: a client trusting it would loop forever.
          sendJson(res, 200, { items: [{ id: `run-${pq ?? 'first'}` }], first: null, next: 'CURSOR-1', previous: null });
        } else if (mode === 'hollow') {
          // A first page, then empty pages that each point to yet another.
          const n = Number(pq ?? '0');
          sendJson(res, 200, { items: n === 0 ? [{ id: 'run-0' }] : [], first: null, next: String(n + 1), previous: null });
        } else {
          const n = Number(pq ?? '0');
          sendJson(res, 200, { items: [{ id: `run-${n}` }], first: null, next: String(n + 1), previous: null });
        }
      });
    });
    after(() => server.close());
    beforeEach(() => (server.requests.length = 0));

    const client = () => new RunflowClient({ baseUrl: server.url, getToken: async () => 'tok-pagination' });

    it('stops when the server repeats a cursor', async () => {
      mode = 'same';
      const ids: unknown[] = [];
      await assert.rejects(
        (async () => {
          for await (const p of client().iterateLogPages('r1', { limit: 1 })) ids.push(...p.items.map((l) => l.id));
        })(),
        (e: unknown) => e instanceof PaginationLimitError && e.reason === 'repeated_cursor',
      );
      assert.deepEqual(ids, ['run-first', 'run-CURSOR-1']);
      assert.equal(server.requests.length, 2);
      assert.equal(new URL(server.requests[1].url, 'http://x').searchParams.get('pq'), 'CURSOR-1');
    });

    it('stops on an empty page after one request for it, and says why', async () => {
      mode = 'hollow';
      const stops: PaginationSummary[] = [];
      const pages = await collect(client().iterateLogPages('r1', {}, { onLimit: 'stop', onStop: (s) => stops.push(s) }));
      assert.equal(pages.length, 2);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(stops, [{ reason: 'empty_page', pages: 2, complete: false }]);
    });

    it('stops at the page cap when cursors never end', async () => {
      mode = 'endless';
      const pages = await collect(client().iterateLogPages('r1', {}, { maxPages: 7, onLimit: 'stop' }));
      assert.equal(pages.length, 7);
      assert.equal(server.requests.length, 7);
    });
  });
});
