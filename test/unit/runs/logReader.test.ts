/**
 * The log reader over real sockets: against the emulator for the ordinary paths, and against tiny
 * servers of our own for what a faithful but different server may do (cursors that repeat, empty pages
 * that point further, timestamps of mixed precision or none, no ids). Every request is counted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunflowClient } from '../../../src/api/client';
import type { RunLog } from '../../../src/api/types';
import { LogBuffer } from '../../../src/runs/logBuffer';
import { LogReader } from '../../../src/runs/logReader';
import { startEmulator, type Emulator } from '../../emulator';
import { sendJson, startTinyServer, type TinyServer } from '../api/http-fixtures';

const TOKEN = 'tok-log-reader';

let scratch: string;
let files = 0;

function readerFor(baseUrl: string, runId: string, live = false): LogReader {
  const client = new RunflowClient({ baseUrl, getToken: () => TOKEN, retry: { maxAttempts: 1 } });
  return new LogReader(() => client, runId, () => new LogBuffer(path.join(scratch, `log-${++files}.ndjson`)), live);
}

function allLines(reader: LogReader) {
  return reader.lines(0, reader.status().total);
}

function messages(reader: LogReader): string[] {
  return allLines(reader).map((l) => l.message);
}

/** The run's log as a server would keep it, paged by offset; `order` picks what a `sort_by` answers. */
interface LogServerState {
  lines: RunLog[];
  /** 'repeat': every answer's `next` is the same cursor, whatever was asked. */
  mode: 'normal' | 'repeat' | 'hollow';
}

function logHandler(state: LogServerState) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!/^\/v1\/runs\/[^/]+\/logs$/.test(url.pathname)) return sendJson(res, 404, { detail: 'not found' });
    const limit = Number(url.searchParams.get('limit') ?? '50');
    const desc = url.searchParams.get('sort_by') === 'timestamp:desc';
    const ordered = desc ? [...state.lines].reverse() : state.lines;
    const pq = url.searchParams.get('pq');
    if (state.mode === 'repeat') {
      // Ignores the cursor: hands out the first page again, and the same cursor, for ever.
      return sendJson(res, 200, { items: ordered.slice(0, limit), first: null, next: 'SAME', previous: null });
    }
    if (state.mode === 'hollow' && pq !== null) {
      return sendJson(res, 200, { items: [], first: null, next: `${pq}+`, previous: null });
    }
    const offset = pq ? Number(pq.replace(/\D/g, '')) : 0;
    const items = ordered.slice(offset, offset + limit);
    const next = offset + limit < ordered.length ? `o${offset + limit}` : null;
    sendJson(res, 200, { items, first: null, next, previous: null });
  };
}

function line(id: string | null, timestamp: string | null, message: string, level = 'info'): RunLog {
  const l: RunLog = { level_code: level, message, timestamp };
  if (id !== null) l.id = id;
  return l;
}

function lineRange(prefix: string, count: number, from = 0): RunLog[] {
  return Array.from({ length: count }, (_, i) => line(`${prefix}-${String(from + i).padStart(6, '0')}`, new Date(Date.UTC(2024, 2, 7, 10, 0, 0) + (from + i) * 10).toISOString(), `${prefix} line ${from + i}`));
}

describe('LogReader', function () {
  this.timeout(20_000);

  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-log-reader-'));
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  describe('against the emulator', () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, runCount: 5, bigLogLines: 1_234, speed: 1 });
    });
    after(() => emu.close());
    beforeEach(() => {
      emu.clearFaults();
      emu.resetRequests();
    });

    const logRequests = () => emu.requests({ method: 'GET', path: '/logs$' });

    it('reads a long log newest page first, then whole through the pager, each line once and in order', async () => {
      const runId = emu.bigLogRunId!;
      const reader = readerFor(emu.url, runId);
      try {
        assert.equal(await reader.start(), true);
        const lines = allLines(reader);
        assert.equal(lines.length, 1_234);
        assert.equal(reader.status().complete, true);
        assert.equal(reader.status().incomplete, '');
        const requests = logRequests();
        // 1 newest page + 3 pages of 500 from the start.
        assert.equal(requests.length, 4);
        assert.equal(requests[0].query.sort_by, 'timestamp:desc');
        assert.ok(requests.slice(1).every((r) => r.query.sort_by === 'timestamp:asc'));
        assert.ok(requests.every((r) => !('q' in r.query)), 'never a q');
        const ids = new Set(lines.map((l) => l.message));
        assert.ok(ids.size > 1);
      } finally {
        reader.dispose();
      }
    });

    it('follows new lines from the newest page without q: one request per poll, only the new lines', async () => {
      const run = emu.insertRun({ status_code: 'running' });
      emu.appendLogs(run.id!, [{ message: 'one' }, { message: 'two' }]);
      const reader = readerFor(emu.url, run.id!, true);
      try {
        await reader.start();
        assert.deepEqual(messages(reader), ['one', 'two']);
        emu.resetRequests();
        // Same millisecond as each other: only the ids tell them apart.
        emu.appendLogs(run.id!, [{ message: 'three' }, { message: 'two' }, { message: 'four' }]);
        assert.equal(await reader.pollNew(), 3);
        assert.deepEqual(messages(reader), ['one', 'two', 'three', 'two', 'four']);
        assert.equal(await reader.pollNew(), 0);
        const requests = logRequests();
        assert.equal(requests.length, 2);
        for (const r of requests) {
          assert.equal(r.query.sort_by, 'timestamp:desc');
          assert.equal(r.query.limit, '500');
          assert.ok(!('q' in r.query), 'never a q');
        }
      } finally {
        reader.dispose();
      }
    });

    it('reads back page by page when more than a page of lines arrived, until it meets what it holds', async () => {
      const run = emu.insertRun({ status_code: 'running' });
      emu.appendLogs(run.id!, [{ message: 'first' }]);
      const reader = readerFor(emu.url, run.id!, true);
      try {
        await reader.start();
        emu.resetRequests();
        const burst = Array.from({ length: 1_200 }, (_, i) => ({ message: `burst ${i}` }));
        emu.appendLogs(run.id!, burst);
        assert.equal(await reader.pollNew(), 1_200);
        const got = messages(reader);
        assert.equal(got.length, 1_201);
        assert.deepEqual(got.slice(0, 3), ['first', 'burst 0', 'burst 1']);
        assert.equal(got[1_200], 'burst 1199');
        // 500 + 500 new, then the page that reaches 'first'.
        assert.equal(logRequests().length, 3);
        assert.equal(reader.status().incomplete, '');
      } finally {
        reader.dispose();
      }
    });
  });

  describe('finding a line, the error lines and a node, against the strict emulator', () => {
    let emu: Emulator;
    before(async () => {
      // Strict mode spells each timestamp one of several ways: the line is found by its instant.
      emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, runCount: 5, speed: 1, strict: 'refuse-q' });
    });
    after(() => emu.close());

    it("finds a line by time and text among a regex's matches, once the whole log is read", async () => {
      const start = Date.parse('2026-11-30T08:00:00Z');
      const logs = Array.from({ length: 1_300 }, (_, i) => ({
        timestamp: new Date(start + Math.floor(i / 2) * 1_000).toISOString(),
        level_code: i % 100 === 7 ? 'error' : 'info',
        message: i % 100 === 7 ? `\u001b[31mTraceback\u001b[0m at ${i}` : `step ${i % 10}`,
        meta: i >= 900 ? { node_id: 'node-late' } : { node: 'early' },
      }));
      const run = emu.insertRun({ status_code: 'failed', has_logs: true, logs: logs as unknown as NonNullable<Parameters<Emulator['insertRun']>[0]['logs']> });
      const reader = readerFor(emu.url, run.id!);
      try {
        // Before the whole log is read, only the newest page answers (its own positions).
        const reading = reader.start();
        const located = reader.locate('/step [3]/', { timestamp: new Date(start + 601_000).toISOString(), message: 'step 3' });
        assert.equal(await reading, true);
        assert.equal(await located, 1_203, 'the line with that instant and text, not the first match');
        assert.equal(await reader.locate('traceback', { timestamp: '2026-11-30T09:03:23+01:00', message: 'Traceback at 407' }), 407, 'the ANSI-free text, the time in another offset');
        assert.deepEqual(reader.errorPositions(), { positions: Array.from({ length: 13 }, (_, k) => k * 100 + 7), truncated: false });
        assert.equal(reader.firstPositionOfNode(['node-late']), 900);
        assert.equal(reader.firstPositionOfNode(['early']), 0);
        assert.equal(reader.firstPositionOfNode(['nobody']), -1);
        reader.setLevel('error');
        assert.deepEqual(reader.errorPositions().positions, Array.from({ length: 13 }, (_, k) => k));
        assert.equal(reader.firstPositionOfNode(['node-late']), 9);
        assert.deepEqual((await reader.search('/^traceback at \\d*7$/i')).matches, Array.from({ length: 13 }, (_, k) => k));
      } finally {
        reader.dispose();
      }
    });
  });

  describe('against a server that repeats its cursor', () => {
    let server: TinyServer;
    const state: LogServerState = { lines: [], mode: 'repeat' };
    before(async () => {
      server = await startTinyServer(logHandler(state));
    });
    after(() => server.close());
    beforeEach(() => {
      server.requests.length = 0;
      state.mode = 'repeat';
    });

    it('costs at most two requests more than the first, keeps each line once, and says the log may be incomplete', async () => {
      state.lines = lineRange('r', 30);
      const reader = readerFor(server.url, 'run-1');
      try {
        assert.equal(await reader.start(), true);
        // The newest page, the first page from the start, and the page at the cursor that then comes back.
        assert.equal(server.requests.length, 3);
        assert.equal(allLines(reader).length, 30, 'the page served twice is not shown twice');
        assert.deepEqual(messages(reader).slice(0, 2), ['r line 0', 'r line 1']);
        const status = reader.status();
        assert.equal(status.complete, true);
        assert.match(status.incomplete, /repeated a page cursor.*may be incomplete/);
        assert.equal(status.error, '');

        // Following it: the newest page overlaps what is held at once.
        assert.equal(await reader.pollNew(), 0);
        assert.equal(server.requests.length, 4);
      } finally {
        reader.dispose();
      }
    });

    it('a live tail whose whole newest page is new stops at the repeat: two requests, the new lines once, incomplete', async () => {
      state.mode = 'normal';
      state.lines = lineRange('t', 3);
      const reader = readerFor(server.url, 'run-2', true);
      try {
        await reader.start();
        assert.equal(reader.status().incomplete, '');
        server.requests.length = 0;
        // The server now answers with other lines only, and a cursor that never changes.
        state.mode = 'repeat';
        state.lines = lineRange('u', 4);
        assert.equal(await reader.pollNew(), 4);
        assert.equal(server.requests.length, 2);
        assert.deepEqual(messages(reader), ['t line 0', 't line 1', 't line 2', 'u line 0', 'u line 1', 'u line 2', 'u line 3']);
        assert.match(reader.status().incomplete, /may be incomplete/);
      } finally {
        reader.dispose();
      }
    });

    it('stops the walk on an empty page that points further, after one request for it', async () => {
      state.mode = 'hollow';
      state.lines = lineRange('h', 700);
      const reader = readerFor(server.url, 'run-3');
      try {
        assert.equal(await reader.start(), true);
        // Newest page, first page, then the empty one.
        assert.equal(server.requests.length, 3);
        assert.equal(allLines(reader).length, 500);
        assert.match(reader.status().incomplete, /empty page.*may be incomplete/);
      } finally {
        reader.dispose();
      }
    });
  });

  describe('a walk that fails half way', () => {
    let server: TinyServer;
    const state: LogServerState = { lines: lineRange('w', 1_200), mode: 'normal' };
    let failNext = false;
    before(async () => {
      const handle = logHandler(state);
      server = await startTinyServer((req, res) => {
        if (failNext && new URL(req.url ?? '/', 'http://x').searchParams.get('pq') === 'o500') {
          failNext = false;
          return sendJson(res, 500, { detail: 'boom' });
        }
        handle(req, res);
      });
    });
    after(() => server.close());

    it('goes on from the page that failed when read again, without a line twice', async () => {
      failNext = true;
      const reader = readerFor(server.url, 'run-w');
      try {
        assert.equal(await reader.start(), false);
        assert.match(reader.status().error, /Could not read the log/);
        assert.equal(reader.status().complete, false);
        assert.equal(server.requests.length, 3);
        assert.equal(await reader.start(), true);
        // Only the page that failed and the one after it.
        assert.equal(server.requests.length, 5);
        assert.equal(new URL(server.requests[3].url, 'http://x').searchParams.get('pq'), 'o500');
        const got = messages(reader);
        assert.equal(got.length, 1_200);
        assert.equal(new Set(got).size, 1_200);
        assert.equal(reader.status().error, '');
      } finally {
        reader.dispose();
      }
    });
  });

  describe('timestamps are instants, and a line without one keeps its place', () => {
    let server: TinyServer;
    const state: LogServerState = { lines: [], mode: 'normal' };
    before(async () => {
      server = await startTinyServer(logHandler(state));
    });
    after(() => server.close());
    beforeEach(() => {
      server.requests.length = 0;
      state.mode = 'normal';
    });

    const SECOND = line(null, '2024-03-07T10:00:09Z', 'at nine seconds');
    const HALF = line(null, '2024-03-07T10:00:09.500Z', 'half a second later');

    it('keeps …:09.500Z after …:09Z, in the whole log and in the live tail', async () => {
      state.lines = [SECOND, HALF];
      const whole = readerFor(server.url, 'run-a');
      try {
        await whole.start();
        assert.deepEqual(messages(whole), ['at nine seconds', 'half a second later']);
      } finally {
        whole.dispose();
      }

      state.lines = [SECOND];
      const live = readerFor(server.url, 'run-b', true);
      try {
        await live.start();
        state.lines = [SECOND, HALF];
        assert.equal(await live.pollNew(), 1);
        assert.deepEqual(messages(live), ['at nine seconds', 'half a second later']);
        assert.equal(await live.pollNew(), 0);
      } finally {
        live.dispose();
      }
    });

    it('keeps every line after one whose timestamp cannot be read, over several pages too', async () => {
      const odd = [line('x0', 'not a time', 'unreadable time'), line('x1', null, 'no time at all'), line('x2', '', 'empty time')];
      state.lines = [...lineRange('a', 2), ...odd, ...lineRange('b', 3, 2)];
      const small = readerFor(server.url, 'run-c');
      try {
        await small.start();
        assert.deepEqual(messages(small), ['a line 0', 'a line 1', 'unreadable time', 'no time at all', 'empty time', 'b line 2', 'b line 3', 'b line 4']);
      } finally {
        small.dispose();
      }

      state.lines = [...lineRange('c', 499), odd[0], ...lineRange('d', 700, 499)];
      const big = readerFor(server.url, 'run-d');
      try {
        await big.start();
        const got = messages(big);
        assert.equal(got.length, 1_200);
        assert.equal(got[499], 'unreadable time');
        assert.equal(got[1_199], 'd line 1198');
      } finally {
        big.dispose();
      }
    });

    it('appends a new line without a time, and new lines after it, in server order', async () => {
      state.lines = [SECOND];
      const reader = readerFor(server.url, 'run-e', true);
      try {
        await reader.start();
        state.lines = [SECOND, line(null, null, 'no time'), line(null, 'garbage', 'bad time'), HALF];
        assert.equal(await reader.pollNew(), 3);
        assert.deepEqual(messages(reader), ['at nine seconds', 'no time', 'bad time', 'half a second later']);
        assert.equal(await reader.pollNew(), 0, 'held lines without time are recognised again');
        assert.equal(allLines(reader).length, 4);
      } finally {
        reader.dispose();
      }
    });

    it('matches lines without ids by instant and text: another spelling of the same instant is the same line', async () => {
      state.lines = [line(null, '2024-03-07T10:00:09Z', 'tick'), line(null, '2024-03-07T10:00:09Z', 'tick')];
      const reader = readerFor(server.url, 'run-f', true);
      try {
        await reader.start();
        // The server now writes the same instants with an offset and microseconds, and one more tick.
        state.lines = [
          line(null, '2024-03-07T11:00:09.000000+01:00', 'tick'),
          line(null, '2024-03-07T10:00:09+00:00', 'tick'),
          line(null, '2024-03-07T10:00:09Z', 'tick'),
        ];
        assert.equal(await reader.pollNew(), 1, 'two held ticks at that instant, three on the server: one is new');
        assert.deepEqual(messages(reader), ['tick', 'tick', 'tick']);
        assert.equal(await reader.pollNew(), 0);
      } finally {
        reader.dispose();
      }
    });
  });

  describe('API text', () => {
    let server: TinyServer;
    const state: LogServerState = { lines: [], mode: 'normal' };
    before(async () => {
      server = await startTinyServer(logHandler(state));
    });
    after(() => server.close());

    it('reaches the panel, the editor and a saved file without bidirectional controls', async () => {
      state.lines = [
        line('b1', '2024-03-07T10:00:00Z', 'invoice-model\u202Efdp.exe', 'in\u202Efo'),
        line('b2', '2024-03-07T10:00:01Z', '\u2066isolated\u2069 \u200Fmark\u200E \u061Carabic', 'warning'),
      ];
      const reader = readerFor(server.url, 'run-bidi', true);
      try {
        await reader.start();
        const lines = allLines(reader);
        assert.deepEqual(lines.map((l) => l.message), ['invoice-modelfdp.exe', 'isolated mark arabic']);
        assert.deepEqual(lines.map((l) => l.level), ['info', 'warning']);
        const text = [...reader.plainText()].join('');
        assert.doesNotMatch(text, /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        state.lines = [...state.lines, line('b3', '2024-03-07T10:00:02Z', 'new \u202Eline')];
        await reader.pollNew();
        assert.equal(messages(reader)[2], 'new line');
      } finally {
        reader.dispose();
      }
    });
  });
});
