import { strict as assert } from 'node:assert';
import { RunflowClient } from '../../../src/api/client';
import { iterateItems, iteratePages, PaginationLimitError, type FetchPage, type PaginationSummary } from '../../../src/api/pagination';
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

describe('pagination', () => {
  describe('iteratePages (in memory)', () => {
    const chain: Record<string, Page<number>> = {
      start: page([1, 2], 'c2'),
      c2: page([3, 4], 'c3', 'start'),
      c3: page([5], null, 'c2'),
    };
    const fetchChain: FetchPage<number> = async (cursor) => chain[cursor ?? 'start'];

    it('follows next until it is null', async () => {
      assert.deepEqual(await collect(iterateItems(fetchChain)), [1, 2, 3, 4, 5]);
      assert.equal((await collect(iteratePages(fetchChain))).length, 3);
    });

    it('follows previous when asked, telling the fetcher the direction', async () => {
      const directions: string[] = [];
      const items = await collect(iterateItems<number>(async (cursor, direction) => {
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
          for await (const item of iterateItems(fetchCycle)) seen.push(item);
        })(),
        (e: unknown) => e instanceof PaginationLimitError && e.reason === 'repeated_cursor' && e.pagesFetched === 3,
      );
      assert.deepEqual(seen, ['a', 'b', 'c']);
      assert.equal(calls, 3);
      assert.deepEqual(await collect(iterateItems(fetchCycle, { onLimit: 'stop' })), ['a', 'b', 'c']);
    });

    it('stops at the page cap', async () => {
      let n = 0;
      const endless: FetchPage<number> = async () => page([n], `cursor-${++n}`);
      await assert.rejects(collect(iterateItems(endless, { maxPages: 5 })), (e: unknown) => e instanceof PaginationLimitError && e.reason === 'max_pages' && e.pagesFetched === 5);
      n = 0;
      assert.deepEqual(await collect(iterateItems(endless, { maxPages: 4, onLimit: 'stop' })), [0, 1, 2, 3]);
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
          for await (const item of iterateItems(hollow)) seen.push(item);
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
      await collect(iterateItems<number>(async () => page([n], `c${++n}`), { maxPages: 3, onLimit: 'stop', onStop: (s) => capped.push(s) }));
      assert.deepEqual(capped, [{ reason: 'max_pages', pages: 3, complete: false }]);

      const thrown: PaginationSummary[] = [];
      await assert.rejects(collect(iterateItems<string>(async (cursor) => cycle[cursor ?? 'a'], { onStop: (s) => thrown.push(s) })), PaginationLimitError);
      assert.deepEqual(thrown, [{ reason: 'repeated_cursor', pages: 3, complete: false }], 'told before the error is thrown');

      const ended: PaginationSummary[] = [];
      assert.deepEqual(await collect(iterateItems(fetchChain, { onStop: (s) => ended.push(s) })), [1, 2, 3, 4, 5]);
      assert.deepEqual(ended, [{ reason: 'end', pages: 3, complete: true }]);
    });

    it('says nothing when the consumer stops early', async () => {
      const stops: PaginationSummary[] = [];
      for await (const item of iterateItems(fetchChain, { onStop: (s) => stops.push(s) })) {
        if (item === 3) break;
      }
      assert.deepEqual(stops, []);
    });

    it('does not fetch further pages when the consumer stops early', async () => {
      let calls = 0;
      for await (const item of iterateItems<number>(async (cursor) => {
        calls++;
        return chain[cursor ?? 'start'];
      })) {
        if (item === 2) break;
      }
      assert.equal(calls, 1);
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
          for await (const run of client().iterateRuns({ limit: 1 })) ids.push(run.id);
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
      const pages = await collect(client().iterateRunPages({}, { onLimit: 'stop', onStop: (s) => stops.push(s) }));
      assert.equal(pages.length, 2);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(stops, [{ reason: 'empty_page', pages: 2, complete: false }]);
    });

    it('stops at the page cap when cursors never end', async () => {
      mode = 'endless';
      const pages = await collect(client().iterateRunPages({}, { maxPages: 7, onLimit: 'stop' }));
      assert.equal(pages.length, 7);
      assert.equal(server.requests.length, 7);
    });
  });
});
