import { strict as assert } from 'node:assert';
import { RunflowClient } from '../../../src/api/client';
import { iterateItems, iteratePages, PaginationLimitError, type FetchPage } from '../../../src/api/pagination';
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
      const endless: FetchPage<number> = async () => page([], `c${++n}`);
      await assert.rejects(collect(iteratePages(endless)), (e: unknown) => e instanceof PaginationLimitError && e.pagesFetched === 1000);
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
    let mode: 'same' | 'endless' = 'same';
    before(async () => {
      server = await startTinyServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const pq = url.searchParams.get('pq');
        if (mode === 'same') {
          // Always hands out the same cursor: a client trusting it would loop forever.
          sendJson(res, 200, { items: [{ id: `run-${pq ?? 'first'}` }], first: null, next: 'CURSOR-1', previous: null });
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

    it('stops at the page cap when cursors never end', async () => {
      mode = 'endless';
      const pages = await collect(client().iterateRunPages({}, { maxPages: 7, onLimit: 'stop' }));
      assert.equal(pages.length, 7);
      assert.equal(server.requests.length, 7);
    });
  });
});
