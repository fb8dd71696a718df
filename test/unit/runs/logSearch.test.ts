/**
 * The search across runs over real sockets: against the emulator in its default mode (which honours q)
 * and both strict modes (q refused, q ignored), and against tiny servers of our own for what a hostile
 * server may do (a repeated cursor, an empty page that points further, lines that name no run, pages out
 * of order, failures). Every request is counted.
 */
import { strict as assert } from 'node:assert';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RunflowClient } from '../../../src/api/client';
import type { RunLog } from '../../../src/api/types';
import {
  LogSearch,
  MAX_MATCH_TEXT,
  MAX_SERVER_RUN_IDS,
  MAX_SERVER_TEXT,
  type LogMatch,
  type LogSearchOptions,
  type LogSearchQuery,
  type RunSummary,
  type SearchOutcome,
  type SearchProgress,
} from '../../../src/runs/logSearch';
import { excerptAround, LEAD_CHARS } from '../../../src/runs/matchExcerpt';
import type { StrictMode } from '../../emulator';
import { sendJson, startTinyServer, type TinyServer } from '../api/http-fixtures';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'tok-log-search-4f1c';
const LOGS_PATH = '^/v1/runs/any/logs$';

/** Everything a search reports through its events. */
interface Watched {
  matches: LogMatch[];
  runs: Map<string, RunSummary>;
  fallbacks: string[];
  progress: SearchProgress[];
}

function watch(search: LogSearch): Watched {
  const seen: Watched = { matches: [], runs: new Map(), fallbacks: [], progress: [] };
  search.onDidFindMatches(({ matches, runs }) => {
    seen.matches.push(...matches);
    for (const r of runs) seen.runs.set(r.id, r);
  });
  search.onDidFallBack((m) => seen.fallbacks.push(m));
  search.onDidProgress((p) => seen.progress.push(p));
  return seen;
}

function countsByRun(matches: readonly LogMatch[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of matches) counts[m.runId ?? '(none)'] = (counts[m.runId ?? '(none)'] ?? 0) + 1;
  return counts;
}

function highlighted(m: LogMatch): string[] {
  return m.ranges.map((r) => m.text.slice(r.start, r.end));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const MODES: { mode: StrictMode; name: string }[] = [
  { mode: false, name: 'default mode: q honoured' },
  { mode: 'refuse-q', name: 'strict refuse-q' },
  { mode: 'ignore-q', name: 'strict ignore-q' },
];

for (const { mode, name } of MODES) {
  describe(`LogSearch against the emulator (${name})`, function () {
    this.timeout(60_000);
    const suite = useEmulator(TOKEN, { strict: mode });
    const strict = mode !== false;

    async function pickRuns(count: number): Promise<string[]> {
      const page = await suite.client.searchRuns({ limit: 300, sort_by: 'created_at:desc' });
      const ids = page.items.map((r) => r.id).filter((id): id is string => typeof id === 'string');
      assert.ok(ids.length >= 250, `${ids.length} runs listed`);
      // Spread over the list: new, middle and old runs.
      return Array.from({ length: count }, (_, i) => ids[Math.floor(((i + 0.5) * ids.length) / count)]);
    }

    function searchFor(query: Partial<LogSearchQuery> & { text: string }, options?: LogSearchOptions): { search: LogSearch; seen: Watched } {
      const search = new LogSearch(suite.client, { level: 'any', ...query }, options);
      return { search, seen: watch(search) };
    }

    function logRequests() {
      return suite.emu.requests({ path: LOGS_PATH });
    }

    it('lists exactly the 3 runs whose logs hold the text, with their counts, among 300', async () => {
      const [a, b, c] = await pickRuns(3);
      suite.emu.appendLogs(a, [
        { level_code: 'error', message: 'CUDA out of memory zq-7731: tried to allocate 2.50 GiB' },
        { level_code: 'error', message: 'retrying after cuda OUT OF MEMORY ZQ-7731' },
      ]);
      suite.emu.appendLogs(b, [{ level_code: 'error', message: 'CUDA out of memory zq-7731 on GPU 1' }]);
      suite.emu.appendLogs(c, [
        { level_code: 'error', message: 'CUDA out of memory zq-7731 (1)' },
        { level_code: 'info', message: 'note: CUDA out of memory zq-7731 (2)' },
        { level_code: 'warning', message: 'CUDA out of memory zq-7731 (3)' },
      ]);
      suite.emu.resetRequests();

      const { search, seen } = searchFor({ text: 'CUDA out of memory zq-7731' });
      const outcome = await search.run();

      assert.equal(outcome.stop, 'end', outcome.error);
      assert.equal(outcome.canContinue, false);
      assert.deepEqual(countsByRun(seen.matches), { [a]: 2, [b]: 1, [c]: 3 });
      assert.deepEqual(outcome.progress.matches, 6);
      assert.deepEqual(outcome.progress.runs, 3);
      assert.equal(seen.fallbacks.length, mode === 'refuse-q' ? 1 : 0);
      assert.equal(outcome.fallback, mode === 'refuse-q');
      assert.equal(outcome.serverNarrowed, mode !== 'refuse-q');
      for (const m of seen.matches) {
        assert.deepEqual(
          highlighted(m).map((t) => t.toLowerCase()),
          ['cuda out of memory zq-7731'],
        );
        assert.ok(m.message.toLowerCase().includes('cuda out of memory zq-7731'));
        assert.equal(typeof m.logId, 'string');
        assert.equal(typeof m.timeMs, 'number');
        assert.ok(m.timestamp !== '');
      }
      assert.deepEqual(
        seen.matches.filter((m) => m.runId === c).map((m) => m.level).sort(),
        ['error', 'info', 'warning'],
      );
      // Newest first: the lines of each run come in reverse order of their appending.
      assert.deepEqual(
        seen.matches.filter((m) => m.runId === c).map((m) => m.message.slice(-3)),
        ['(3)', '(2)', '(1)'],
      );

      const requests = logRequests();
      assert.ok(requests.every((r) => r.query.sort_by === 'timestamp:desc' && r.query.limit === '500'));
      if (mode === 'refuse-q') {
        assert.equal(requests[0].status, 400);
        assert.ok(requests[0].query.q?.includes("message ~ 'CUDA out of memory zq-7731'"));
        assert.equal(requests[1].query.q, undefined);
        assert.equal(requests[1].query.pq, undefined);
        assert.ok(requests.slice(1).every((r) => r.query.q === undefined && r.status === 200));
      } else {
        assert.ok(requests.every((r) => r.query.q === "message ~ 'CUDA out of memory zq-7731'" && r.status === 200));
      }
      // Only the default mode narrows: there, one page answers; the strict modes read all of it.
      if (mode === false) assert.equal(requests.length, 1);
      else assert.ok(outcome.progress.pages > 20, `${outcome.progress.pages} pages`);

      if (strict) {
        // The strict server fills `run`: the view gets what the Runs view calls each run.
        assert.deepEqual([...seen.runs.keys()].sort(), [a, b, c].sort());
        for (const summary of seen.runs.values()) {
          assert.ok(summary.label && summary.label.length > 0, JSON.stringify(summary));
          assert.equal(typeof summary.status, 'string');
        }
      }

      // Nothing to search further: no request.
      const before = logRequests().length;
      assert.deepEqual(await search.continue(), outcome);
      assert.equal(logRequests().length, before);
    });

    it('narrows by level, finds a /regex/, and finds text that ANSI codes colour', async () => {
      const [a] = await pickRuns(1);
      const since = Date.now() - 5_000;
      suite.emu.appendLogs(a, [
        { level_code: 'error', message: 'zq-lvl disk failed' },
        { level_code: 'warning', message: 'zq-lvl disk slow' },
        { level_code: 'info', message: 'zq-lvl disk ok' },
        { level_code: 'fatal', message: 'zq-lvl disk gone' },
        { level_code: 'error', message: '\u001b[31mCUDA\u001b[0m out of memory zq-ansi' },
      ]);
      const tails = async (query: Partial<LogSearchQuery> & { text: string }) => {
        const { search, seen } = searchFor({ sinceMs: since, ...query }, { pageSize: 100 });
        const outcome = await search.run();
        assert.equal(outcome.stop, 'end', outcome.error);
        return seen.matches.map((m) => m.text.split(' ').pop()).sort();
      };

      assert.deepEqual(await tails({ text: 'zq-lvl', level: 'error' }), ['failed', 'gone']);
      assert.deepEqual(await tails({ text: 'zq-lvl', level: 'warning' }), ['failed', 'gone', 'slow']);
      assert.deepEqual(await tails({ text: 'zq-lvl', level: 'any' }), ['failed', 'gone', 'ok', 'slow']);
      assert.deepEqual(await tails({ text: '/zq-lvl disk (failed|slow)$/' }), ['failed', 'slow']);
      assert.deepEqual(await tails({ text: '/ZQ-LVL disk (failed|slow)$/' }), []);

      // The regex is matched here, on the text without its colour codes.
      const { search, seen } = searchFor({ text: '/CUDA out of memory zq-ansi/', sinceMs: since }, { pageSize: 100 });
      assert.equal((await search.run()).stop, 'end');
      assert.equal(seen.matches.length, 1);
      const [m] = seen.matches;
      assert.equal(m.text, 'CUDA out of memory zq-ansi');
      assert.deepEqual(m.ranges, [{ start: 0, end: 26 }]);
      assert.equal(m.message, '\u001b[31mCUDA\u001b[0m out of memory zq-ansi');
      assert.equal(m.runId, a);
      // Plain text within one colour span is found whatever the server does with q.
      assert.deepEqual(await tails({ text: 'out of memory zq-ansi' }), ['zq-ansi']);
      // Plain text across the colour code: a server that matches q on the raw message cannot see it, so it
      // is found where the server does not narrow (src/runs/README.md).
      if (strict) assert.deepEqual(await tails({ text: 'CUDA out of memory zq-ansi' }), ['zq-ansi']);
    });

    it('keeps to the time bound and stops reading once whole pages are older than it', async () => {
      const [a, b] = await pickRuns(2);
      // Seeded lines carry this text too, long before the bound.
      const text = 'CUDA out of memory. Tried to allocate';
      if (mode === false) {
        const { search, seen } = searchFor({ text });
        assert.equal((await search.run()).stop, 'end');
        assert.ok(seen.matches.length > 1, 'seeded lines hold the text');
      }
      const since = Date.now() - 3_000;
      suite.emu.appendLogs(a, [{ level_code: 'error', message: `${text} 1.00 GiB (zq-time)` }]);
      suite.emu.appendLogs(b, [{ level_code: 'info', message: 'zq-time filler' }]);
      suite.emu.resetRequests();

      const { search, seen } = searchFor({ text, sinceMs: since }, { pageSize: 100 });
      const outcome = await search.run();
      assert.equal(outcome.stop, 'end', outcome.error);
      assert.equal(outcome.canContinue, false);
      assert.deepEqual(seen.matches.map((m) => [m.runId, m.text.endsWith('(zq-time)')]), [[a, true]]);
      for (const m of seen.matches) assert.ok(m.timeMs === undefined || m.timeMs >= since);
      const requests = logRequests();
      // The bound is checked here on parsed times, never sent for the server to compare as text.
      assert.ok(requests.every((r) => !(r.query.q ?? '').includes('timestamp')), JSON.stringify(requests.map((r) => r.query.q)));
      // 134 pages of 100 hold the whole log: reading stopped after two pages older than the bound.
      assert.ok(requests.length <= 6, `${requests.length} requests`);
    });

    it('keeps to the runs of the Runs view’s filter, asking the server for them while they are few', async () => {
      const [a, b, c] = await pickRuns(3);
      for (const id of [a, b, c]) suite.emu.appendLogs(id, [{ level_code: 'error', message: 'zq-runs CUDA out of memory' }]);
      const since = Date.now() - 5_000;
      suite.emu.resetRequests();

      const few = searchFor({ text: 'zq-runs', sinceMs: since, runIds: new Set([a, c]) }, { pageSize: 100 });
      assert.equal((await few.search.run()).stop, 'end');
      assert.deepEqual(countsByRun(few.seen.matches), { [a]: 1, [c]: 1 });
      if (mode !== 'refuse-q') assert.ok(logRequests()[0].query.q?.includes('run_id in ('));

      suite.emu.resetRequests();
      const many = new Set([a, c, ...Array.from({ length: MAX_SERVER_RUN_IDS + 10 }, (_, i) => `not-a-run-${i}`)]);
      const wide = searchFor({ text: 'zq-runs', sinceMs: since, runIds: many }, { pageSize: 100 });
      assert.equal((await wide.search.run()).stop, 'end');
      assert.deepEqual(countsByRun(wide.seen.matches), { [a]: 1, [c]: 1 });
      assert.ok(logRequests().every((r) => !r.query.q?.includes('run_id')));
    });

    it('stops at the line budget, and searching further goes on from there without reading a line twice', async () => {
      suite.emu.resetRequests();
      // A regex: no q, so every mode reads the same pages.
      const { search, seen } = searchFor({ text: '/./' }, { pageSize: 100, lineBudget: 250 });
      const first = await search.run();
      assert.equal(first.stop, 'line_budget');
      assert.equal(first.canContinue, true);
      assert.equal(first.serverNarrowed, false);
      assert.deepEqual({ pages: first.progress.pages, lines: first.progress.lines }, { pages: 3, lines: 300 });
      assert.equal(logRequests().length, 3);

      const second = await search.continue();
      assert.equal(second.stop, 'line_budget');
      assert.deepEqual({ pages: second.progress.pages, lines: second.progress.lines }, { pages: 6, lines: 600 });
      const requests = logRequests();
      assert.equal(requests.length, 6);
      assert.equal(requests[0].query.pq, undefined);
      const cursors = requests.slice(1).map((r) => r.query.pq);
      assert.equal(new Set(cursors).size, 5, 'each page asked for once');
      // Every line but an empty one matches /./; none comes twice.
      const ids = seen.matches.map((m) => `${m.runId}/${m.logId}`);
      assert.ok(ids.length > 500, `${ids.length} matches`);
      assert.equal(new Set(ids).size, ids.length);
      // Newest first across both passes.
      const times = seen.matches.map((m) => m.timeMs).filter((t): t is number => t !== undefined);
      assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]));
    });

    it('sends no request once cancelled, and goes on from the page it had not read', async () => {
      suite.emu.resetRequests();
      const controller = new AbortController();
      const { search, seen } = searchFor({ text: '/./' }, { pageSize: 100, lineBudget: 300 });
      search.onDidProgress((p) => {
        if (p.pages === 2) controller.abort();
      });
      const outcome = await search.run(controller.signal);
      assert.equal(outcome.stop, 'cancelled');
      assert.equal(outcome.canContinue, true);
      assert.equal(logRequests().length, 2);
      await delay(300);
      assert.equal(logRequests().length, 2);

      const resumed = await search.continue();
      assert.equal(resumed.stop, 'line_budget');
      assert.equal(logRequests().length, 5);
      assert.equal(resumed.progress.lines, 500);
      const ids = seen.matches.map((m) => `${m.runId}/${m.logId}`);
      assert.equal(new Set(ids).size, ids.length);

      // Cancelled while the request is on its way: its answer is not read, and nothing follows it.
      suite.emu.resetRequests();
      const early = new AbortController();
      const other = searchFor({ text: '/./' }, { pageSize: 100 });
      const running = other.search.run(early.signal);
      setImmediate(() => early.abort());
      const cancelled = await running;
      assert.equal(cancelled.stop, 'cancelled');
      assert.equal(other.seen.matches.length, 0);
      await delay(300);
      assert.ok(logRequests().length <= 1);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Servers that the emulator, a correct server, is not

/** A log served in pages by index (`pq` = `p<n>`), with a few ways of going wrong. */
interface HostileState {
  pages: RunLog[][];
  /** Every answer points to the same cursor. */
  repeat?: boolean;
  /** Pages after the first come back empty, still pointing further. */
  hollow?: boolean;
  /** Status of every answer to a request carrying q. */
  refuseQ?: number;
  /** Status of every answer while set (a failing server). */
  failWith?: number;
}

function hostileHandler(state: HostileState) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/v1/runs/any/logs') return sendJson(res, 404, { detail: 'not found' });
    if (state.failWith) return sendJson(res, state.failWith, { detail: `broken, Bearer ${TOKEN}` });
    if (state.refuseQ && url.searchParams.has('q')) return sendJson(res, state.refuseQ, { detail: 'q is not supported' });
    const pq = url.searchParams.get('pq');
    const index = pq ? Number(pq.slice(1)) : 0;
    if (state.repeat) return sendJson(res, 200, { items: state.pages[0], first: null, next: 'SAME', previous: null });
    if (state.hollow && index > 0) return sendJson(res, 200, { items: [], first: null, next: `p${index + 1}`, previous: null });
    const items = state.pages[index] ?? [];
    const next = index + 1 < state.pages.length ? `p${index + 1}` : null;
    sendJson(res, 200, { items, first: null, next, previous: null });
  };
}

function line(id: string | null, timestamp: string | null, message: unknown, extra: Partial<RunLog> = {}): RunLog {
  const l = { run_id: 'run-1', level_code: 'info', message, timestamp, ...extra } as RunLog;
  if (id !== null) l.id = id;
  return l;
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 12);

/** `count` lines, newest first, one minute apart, ending `startMinutesAgo` before T0. */
function minutes(prefix: string, count: number, startMinutesAgo: number, message = 'zq ordinary line'): RunLog[] {
  return Array.from({ length: count }, (_, i) =>
    line(`${prefix}-${i}`, new Date(T0 - (startMinutesAgo + i) * 60_000).toISOString(), message),
  );
}

describe('LogSearch against hostile servers', function () {
  this.timeout(20_000);
  let server: TinyServer | undefined;
  let state: HostileState;

  async function serve(s: HostileState): Promise<RunflowClient> {
    state = s;
    server = await startTinyServer(hostileHandler(state));
    return new RunflowClient({ baseUrl: server.url, getToken: () => TOKEN, retry: { maxAttempts: 1 } });
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('stops on a repeated cursor, reporting each line once', async () => {
    const client = await serve({ pages: [minutes('a', 3, 0)], repeat: true });
    const search = new LogSearch(client, { text: 'ordinary', level: 'any' });
    const seen = watch(search);
    const outcome = await search.run();
    assert.equal(outcome.stop, 'repeated_cursor');
    assert.equal(outcome.canContinue, false);
    assert.equal(server!.requests.length, 2);
    assert.equal(seen.matches.length, 3);
    assert.equal(outcome.progress.lines, 6);
  });

  it('stops on an empty page that points further', async () => {
    const client = await serve({ pages: [minutes('a', 2, 0), minutes('b', 2, 2)], hollow: true });
    const search = new LogSearch(client, { text: 'ordinary', level: 'any' });
    const outcome = await search.run();
    assert.equal(outcome.stop, 'empty_page');
    assert.equal(server!.requests.length, 2);
    assert.equal(outcome.progress.matches, 2);
  });

  it('keeps lines that name no run, carry no readable time or hold an object message', async () => {
    const since = T0 - HOUR;
    const client = await serve({
      pages: [
        [
          line('1', new Date(T0).toISOString(), 'CUDA out of memory, no run', { run_id: null }),
          line('2', null, 'CUDA out of memory, no time', { level_code: null }),
          line('3', 'not-a-timestamp', 'CUDA out of memory, garbled time'),
          line('4', '2026-11-30T13:00:00+02:00', { error: 'CUDA out of memory', gpu: 0 }),
          line('5', new Date(T0 - 2 * HOUR).toISOString(), 'CUDA out of memory, too old'),
          line('6', new Date(T0).toISOString(), 'CUDA out of memory, run only in run', { run_id: null, run: { id: 'run-2', model: { name: 'Flux Dev' }, status_code: 'failed' } }),
          line(null, new Date(T0).toISOString(), '\u202eCUDA out of memory\u202c, no id'),
        ],
      ],
    });
    const search = new LogSearch(client, { text: 'cuda out of memory', level: 'any', sinceMs: since, runIds: new Set(['run-1', 'run-2']) });
    const seen = watch(search);
    assert.equal((await search.run()).stop, 'end');
    const byId = new Map(seen.matches.map((m) => [m.logId, m]));
    assert.deepEqual([...byId.keys()], ['1', '2', '3', '4', '6', undefined]);
    assert.equal(byId.get('1')!.runId, null);
    assert.equal(byId.get('2')!.timeMs, undefined);
    assert.equal(byId.get('2')!.timestamp, '');
    assert.equal(byId.get('2')!.level, '');
    assert.equal(byId.get('3')!.timestamp, 'not-a-timestamp');
    assert.equal(byId.get('4')!.message, '{"error":"CUDA out of memory","gpu":0}');
    assert.equal(byId.get('4')!.timeMs, Date.UTC(2026, 10, 30, 11));
    assert.deepEqual(highlighted(byId.get('4')!), ['CUDA out of memory']);
    assert.equal(byId.get('6')!.runId, 'run-2');
    assert.deepEqual(seen.runs.get('run-2'), { id: 'run-2', label: 'Flux Dev', status: 'failed' });
    const noId = byId.get(undefined)!;
    assert.equal(noId.text, 'CUDA out of memory, no id');
    assert.deepEqual(highlighted(noId), ['CUDA out of memory']);
    assert.equal(seen.progress.at(-1)!.runs, 3);
  });

  it('falls back once when q is refused with 422, asking for the same page again without it', async () => {
    const client = await serve({ pages: [minutes('a', 2, 0), minutes('b', 2, 2)], refuseQ: 422 });
    const search = new LogSearch(client, { text: 'ordinary', level: 'error' });
    const seen = watch(search);
    search.onDidFindMatches(() => assert.fail('no line is an error'));
    const outcome = await search.run();
    assert.equal(outcome.stop, 'end');
    assert.equal(outcome.fallback, true);
    assert.equal(outcome.serverNarrowed, false);
    assert.equal(seen.fallbacks.length, 1);
    const urls = server!.requests.map((r) => new URL(r.url, 'http://x').searchParams);
    assert.equal(urls.length, 3);
    assert.ok(urls[0].get('q')?.includes("level_code in ('emergency'"));
    assert.equal(urls[1].get('q'), null);
    assert.equal(urls[1].get('pq'), null);
    assert.equal(urls[2].get('pq'), 'p1');
  });

  it('matches a plain text too long for a request line here only', async () => {
    const long = `zq ${'ordinary '.repeat(40)}`.slice(0, MAX_SERVER_TEXT + 1);
    const client = await serve({ pages: [[line('1', new Date(T0).toISOString(), `${long} and more`)]] });
    const search = new LogSearch(client, { text: long, level: 'error' });
    const seen = watch(search);
    await search.run();
    const q = new URL(server!.requests[0].url, 'http://x').searchParams.get('q') ?? '';
    assert.ok(q.startsWith('level_code in ('), q);
    assert.ok(!q.includes('message'), q);
    assert.equal(seen.matches.length, 0, 'the line is no error');
  });

  it('ends on a failure with a readable message without the token, and goes on from the failed page', async () => {
    const client = await serve({ pages: [minutes('a', 2, 0), minutes('b', 2, 2), minutes('c', 2, 4)] });
    const search = new LogSearch(client, { text: 'ordinary', level: 'any' });
    const seen = watch(search);
    search.onDidProgress((p) => {
      if (p.pages === 1) state.failWith = 500;
    });
    const failed = await search.run();
    assert.equal(failed.stop, 'error');
    assert.ok(failed.error?.includes('500'), failed.error);
    assert.ok(!failed.error?.includes(TOKEN), failed.error);
    assert.equal(failed.canContinue, true);

    state.failWith = undefined;
    const resumed = await search.continue();
    assert.equal(resumed.stop, 'end');
    assert.deepEqual(seen.matches.map((m) => m.logId), ['a-0', 'a-1', 'b-0', 'b-1', 'c-0', 'c-1']);
    assert.deepEqual(
      server!.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('pq')),
      [null, 'p1', 'p1', 'p2'],
    );
  });

  it('stops early after two pages older than the bound, but not when the server does not keep the order', async () => {
    const pages = [minutes('new', 3, 0), minutes('old1', 3, 120), minutes('old2', 3, 180), minutes('old3', 3, 240), minutes('old4', 3, 300)];
    const sorted = await serve({ pages });
    const search = new LogSearch(sorted, { text: 'ordinary', level: 'any', sinceMs: T0 - HOUR });
    const outcome = await search.run();
    assert.equal(outcome.stop, 'end');
    assert.equal(outcome.progress.matches, 3);
    assert.equal(server!.requests.length, 3);
    await server!.close();

    // Old pages whose times go up from one page to the next: this server does not sort, so every page is read.
    const shuffled = await serve({ pages: [minutes('old3', 3, 240), minutes('old1', 3, 120), minutes('old2', 3, 180), minutes('new', 3, 0)] });
    const unsortedSearch = new LogSearch(shuffled, { text: 'ordinary', level: 'any', sinceMs: T0 - HOUR });
    const seen = watch(unsortedSearch);
    const unsorted = await unsortedSearch.run();
    assert.equal(unsorted.stop, 'end');
    assert.equal(server!.requests.length, 4);
    assert.deepEqual(seen.matches.map((m) => m.logId), ['new-0', 'new-1', 'new-2']);
  });

  it('stops at the time budget and at the match budget', async () => {
    const pages = Array.from({ length: 6 }, (_, p) => minutes(`p${p}`, 5, p * 5));
    const client = await serve({ pages });
    let clock = 0;
    const timed = new LogSearch(client, { text: 'ordinary', level: 'any' }, { timeBudgetMs: 40_000, now: () => (clock += 25_000) });
    const outTimed = await timed.run();
    assert.equal(outTimed.stop, 'time_budget');
    assert.equal(outTimed.canContinue, true);
    assert.equal(outTimed.progress.pages, 2);
    const onward = await timed.continue();
    assert.equal(onward.stop, 'time_budget');
    assert.equal(onward.progress.pages, 4);

    server!.requests.length = 0;
    const capped = new LogSearch(client, { text: 'ordinary', level: 'any' }, { matchBudget: 7 });
    const seen = watch(capped);
    const outCapped = await capped.run();
    assert.equal(outCapped.stop, 'match_budget');
    assert.equal(outCapped.canContinue, false);
    assert.equal(seen.matches.length, 7);
    assert.equal(server!.requests.length, 2);
  });

  it('sends nothing for a query it cannot search, and fires nothing after dispose', async () => {
    const client = await serve({ pages: [minutes('a', 3, 0), minutes('b', 3, 3)] });
    assert.equal(LogSearch.check('/oops(/').ok, false);
    assert.equal(LogSearch.check('   ').ok, false);
    assert.deepEqual(LogSearch.check('/out of (memory|time)/i'), { ok: true });
    const invalid = await new LogSearch(client, { text: '/oops(/', level: 'any' }).run();
    assert.equal(invalid.stop, 'error');
    assert.ok(invalid.error?.startsWith('Not a valid regular expression'));
    assert.equal(invalid.canContinue, false);
    assert.equal(server!.requests.length, 0);

    const search = new LogSearch(client, { text: 'ordinary', level: 'any' });
    const events: string[] = [];
    search.onDidFindMatches(() => events.push('matches'));
    search.onDidProgress(() => events.push('progress'));
    const running = search.run();
    search.dispose();
    const outcome: SearchOutcome = await running;
    assert.equal(outcome.stop, 'cancelled');
    assert.equal(outcome.canContinue, false);
    assert.deepEqual(events, []);
    assert.ok(server!.requests.length <= 1);
  });
});

describe('excerptAround', () => {
  it('leaves a short line as it is', () => {
    assert.deepEqual(excerptAround('abc', [{ start: 1, end: 2 }], MAX_MATCH_TEXT), { text: 'abc', ranges: [{ start: 1, end: 2 }] });
  });

  it('brings a match that comes late in a short line to the front, so a tree row shows it', () => {
    const text = `${'x'.repeat(200)}NEEDLE and the rest`;
    const cut = excerptAround(text, [{ start: 200, end: 206 }], MAX_MATCH_TEXT);
    assert.ok(cut.text.startsWith('…'));
    assert.equal(cut.ranges[0].start, 1 + LEAD_CHARS);
    assert.deepEqual(cut.ranges.map((r) => cut.text.slice(r.start, r.end)), ['NEEDLE']);
    assert.ok(cut.text.endsWith('and the rest'));
  });

  it('cuts a long line around its first match, marking each cut, within the limit', () => {
    const text = `${'x'.repeat(1000)}NEEDLE${'y'.repeat(1000)}NEEDLE`;
    const cut = excerptAround(text, [{ start: 1000, end: 1006 }, { start: 2006, end: 2012 }], MAX_MATCH_TEXT);
    assert.ok(cut.text.length <= MAX_MATCH_TEXT);
    assert.ok(cut.text.startsWith('…') && cut.text.endsWith('…'));
    assert.deepEqual(cut.ranges.map((r) => cut.text.slice(r.start, r.end)), ['NEEDLE']);
    assert.equal(cut.ranges[0].start, 1 + LEAD_CHARS, 'a little context before the match');

    const atStart = excerptAround(`NEEDLE${'y'.repeat(1000)}`, [{ start: 0, end: 6 }], MAX_MATCH_TEXT);
    assert.equal(atStart.text.length, MAX_MATCH_TEXT);
    assert.ok(!atStart.text.startsWith('…') && atStart.text.endsWith('…'));
    assert.deepEqual(atStart.ranges, [{ start: 0, end: 6 }]);

    const atEnd = excerptAround(`${'y'.repeat(1000)}NEEDLE`, [{ start: 1000, end: 1006 }], MAX_MATCH_TEXT);
    assert.equal(atEnd.text.length, MAX_MATCH_TEXT);
    assert.ok(atEnd.text.startsWith('…') && atEnd.text.endsWith('NEEDLE'));
    assert.deepEqual(atEnd.ranges.map((r) => atEnd.text.slice(r.start, r.end)), ['NEEDLE']);
  });

  it('cuts a match longer than the limit, and never half a surrogate pair', () => {
    const long = excerptAround('z'.repeat(2000), [{ start: 0, end: 2000 }], 100);
    assert.equal(long.text.length, 100);
    assert.deepEqual(long.ranges, [{ start: 0, end: 99 }]);

    const emoji = '😀'.repeat(400);
    for (const start of [0, 1, 300, 301, 799]) {
      const cut = excerptAround(emoji, [{ start, end: start + 1 }], 101);
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(cut.text), `cut at ${start}`);
      assert.ok(cut.text.length <= 101);
    }
  });
});
