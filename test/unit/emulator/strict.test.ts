import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { decodeCursor } from '../../emulator/paging';
import { ODD_STATUSES, PATCH_RESPONSE_FIELDS, STRICT_DEFAULT_LIMIT, STRICT_EMBEDDED_LOG_LIMIT } from '../../emulator/strict';
import { call, qs, waitFor } from './helpers';

interface WireRun {
  id: string;
  status_code: string | null;
  created_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  client_ref: string | null;
  [key: string]: unknown;
}

interface WireLog {
  id: string;
  run_id: string;
  message: string;
  timestamp: string | null;
  run: WireRun | null;
}

const KNOWN_STATUSES = ['queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'partial_succeeded'];

const FORMS: Array<[string, RegExp]> = [
  ['no fraction, Z', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/],
  ['milliseconds, Z', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/],
  ['microseconds, Z', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/],
  ['+00:00', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/],
  ['+02:00', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?\+02:00$/],
  ['-07:00', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?-07:00$/],
];

function formOf(ts: string): string {
  const hit = FORMS.find(([, re]) => re.test(ts));
  assert.ok(hit, `unexpected timestamp spelling ${ts}`);
  return hit[0];
}

/** Microseconds since the epoch, exactly (Date.parse stops at milliseconds). */
function instant(ts: string): number {
  const ms = Date.parse(ts);
  assert.ok(!Number.isNaN(ms), `unparseable ${ts}`);
  const fraction = /\.(\d+)/.exec(ts)?.[1] ?? '';
  return ms * 1000 + Number(fraction.padEnd(6, '0').slice(3, 6));
}

function assertStrictError(res: { status: number; body: any }, status: number, code?: string): void {
  assert.equal(res.status, status);
  assert.deepEqual(Object.keys(res.body), ['error']);
  assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message']);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
  if (code) assert.equal(res.body.error.code, code);
}

async function allRuns(emu: Emulator, sort = 'created_at:desc', org?: string): Promise<WireRun[]> {
  const res = await call(emu, `/v1/runs${qs({ limit: 500, sort_by: sort })}`, { org });
  assert.equal(res.status, 200);
  assert.equal(res.body.next, null);
  return res.body.items;
}

async function walkLogs(emu: Emulator, runId: string, limit: number, sort = 'timestamp:asc'): Promise<WireLog[]> {
  const out: WireLog[] = [];
  let page = (await call(emu, `/v1/runs/${runId}/logs${qs({ limit, sort_by: sort })}`)).body;
  for (;;) {
    out.push(...page.items);
    if (!page.next) return out;
    page = (await call(emu, `/v1/runs/${runId}/logs${qs({ limit, sort_by: sort, pq: page.next })}`)).body;
  }
}

describe('emulator strict mode', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, strict: 'refuse-q' });
  });
  after(() => emu.close());

  describe('the option', () => {
    it('is false by default and reported by the emulator and its health endpoint', async () => {
      const plain = await startEmulator({ runCount: 3 });
      try {
        assert.equal(plain.strict, false);
        assert.equal(((await (await fetch(`${plain.url}/__emulator/health`)).json()) as { strict: unknown }).strict, false);
      } finally {
        await plain.close();
      }
      assert.equal(emu.strict, 'refuse-q');
      assert.equal(((await (await fetch(`${emu.url}/__emulator/health`)).json()) as { strict: unknown }).strict, 'refuse-q');
    });

    it('rejects anything but false, refuse-q and ignore-q', async () => {
      await assert.rejects(startEmulator({ strict: 'yes' as never }), /strict must be/);
      await assert.rejects(startEmulator({ strict: true as never }), /strict must be/);
    });
  });

  describe('q', () => {
    it('refuse-q: any q on the runs and logs searches is a 400, even an empty one', async () => {
      const [run] = await allRuns(emu);
      for (const path of [
        `/v1/runs${qs({ q: 'status_code = "failed"' })}`,
        '/v1/runs?q=',
        `/v1/runs${qs({ q: 'x', limit: 5, sort_by: 'created_at:desc' })}`,
        `/v1/runs/${run.id}/logs${qs({ q: 'level_code = "error"' })}`,
        `/v1/runs/any/logs${qs({ q: 'message ~ "cuda"' })}`,
        '/v1/runs/any/logs?q=',
      ]) {
        assertStrictError(await call(emu, path), 400, 'unsupported_parameter');
      }
      assert.equal((await call(emu, `/v1/runs/${run.id}/logs?limit=5`)).status, 200);
      assert.equal((await call(emu, '/v1/runs/any/logs?limit=5')).status, 200);
    });

    it('ignore-q: q changes nothing, not even when it is not a valid expression', async () => {
      const lenient = await startEmulator({ strict: 'ignore-q', runCount: 60 });
      try {
        assert.equal(lenient.strict, 'ignore-q');
        const plain = (await call(lenient, '/v1/runs?limit=500&sort_by=created_at:desc')).body.items.map((r: WireRun) => r.id);
        for (const q of ['status_code = "failed"', 'target = "product-shots"', '((', '']) {
          const res = await call(lenient, `/v1/runs${qs({ q, limit: 500, sort_by: 'created_at:desc' })}`);
          assert.equal(res.status, 200, q);
          assert.deepEqual(res.body.items.map((r: WireRun) => r.id), plain, q);
        }
        const logs = await call(lenient, `/v1/runs/any/logs${qs({ q: 'level_code = "error"', limit: 50 })}`);
        assert.equal(logs.status, 200);
        assert.ok(logs.body.items.some((l: { level_code: string }) => l.level_code !== 'error'));
      } finally {
        await lenient.close();
      }
    });
  });

  describe('error bodies', () => {
    it('are {"error": {"message", "code"}} for every status, 422 included', async () => {
      assertStrictError(await call(emu, '/v1/nope'), 404, 'not_found');
      assertStrictError(await call(emu, '/v1/runs/3c90c3cc-0d44-4b50-8888-8dd25736052a'), 404, 'not_found');
      assertStrictError(await call(emu, '/v1/runs', { token: null }), 401, 'unauthenticated');
      assertStrictError(await call(emu, '/v1/runs', { org: 'org_nowhere' }), 403, 'forbidden');
      assertStrictError(await call(emu, '/v1/runs', { method: 'DELETE' }), 405, 'method_not_allowed');
      const limit = await call(emu, '/v1/runs?limit=0');
      assertStrictError(limit, 422, 'invalid_request');
      assert.match(limit.body.error.message, /limit/);
      const body = await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: {} } });
      assertStrictError(body, 422, 'invalid_request');
      assert.match(body.body.error.message, /prompt/);
      const finished = (await allRuns(emu)).find((r) => r.status_code === 'succeeded') as WireRun;
      const conflict = await call(emu, `/v1/runs/${finished.id}`, { method: 'PATCH', body: { status_code: 'failed' } });
      assertStrictError(conflict, 409, 'conflict');
    });

    it('injected status faults answer in the strict shape too; custom bodies stay as given', async () => {
      emu.addFault({ path: '^/v1/runs$', status: 503 });
      assertStrictError(await call(emu, '/v1/runs'), 503, 'unavailable');
      emu.addFault({ path: '^/v1/runs$', status: 429 });
      const limited = await call(emu, '/v1/runs');
      assertStrictError(limited, 429, 'rate_limited');
      assert.equal(limited.headers.get('retry-after'), '1');
      emu.addFault({ path: '^/v1/runs$', status: 500, body: '{"detail":"as given"}' });
      assert.deepEqual((await call(emu, '/v1/runs')).body, { detail: 'as given' });
    });

    it('stay FastAPI-shaped in the default mode', async () => {
      const plain = await startEmulator({ runCount: 3 });
      try {
        assert.deepEqual((await call(plain, '/v1/nope')).body, { detail: 'Not Found' });
        assert.ok(Array.isArray((await call(plain, '/v1/runs?limit=0')).body.detail));
      } finally {
        await plain.close();
      }
    });
  });

  describe('cursors', () => {
    it('are opaque strings of another style than the default ones, and stable', async () => {
      const a = (await call(emu, '/v1/runs?limit=5&sort_by=created_at:desc')).body;
      const b = (await call(emu, '/v1/runs?limit=5&sort_by=created_at:desc')).body;
      for (const c of [a.first, a.next]) {
        assert.match(c, /^[A-Za-z0-9+/]+={0,2}~[0-9a-z]+$/);
        assert.equal(decodeCursor(c), null, 'not a default-mode cursor');
      }
      assert.equal(a.next, b.next);
      assert.equal(a.previous, null);
    });

    it('page forward and back (from_prev) over every run exactly once', async () => {
      for (const sort of ['created_at:desc', 'completed_at:asc', 'status_code:asc']) {
        const expected = (await allRuns(emu, sort)).map((r) => r.id);
        const pages: Array<{ items: WireRun[]; previous: string | null; next: string | null }> = [];
        let page = (await call(emu, `/v1/runs${qs({ limit: 13, sort_by: sort })}`)).body;
        for (;;) {
          pages.push(page);
          if (!page.next) break;
          page = (await call(emu, `/v1/runs${qs({ limit: 13, sort_by: sort, pq: page.next })}`)).body;
        }
        assert.deepEqual(pages.flatMap((p) => p.items.map((r) => r.id)), expected, sort);
        let back = pages[pages.length - 1];
        for (let i = pages.length - 2; i >= 0; i--) {
          back = (await call(emu, `/v1/runs${qs({ limit: 13, sort_by: sort, pq: back.previous as string, from_prev: true })}`)).body;
          assert.deepEqual(back.items.map((r) => r.id), pages[i].items.map((r) => r.id), `${sort} page ${i}`);
        }
        assert.equal(back.previous, null);
      }
    });

    it('refuse default-mode, altered and mismatched cursors with 422', async () => {
      const page = (await call(emu, '/v1/runs?limit=5&sort_by=created_at:desc')).body;
      const plain = await startEmulator({ runCount: 10 });
      try {
        const foreign = (await call(plain, '/v1/runs?limit=5&sort_by=created_at:desc')).body.next;
        assertStrictError(await call(emu, `/v1/runs${qs({ sort_by: 'created_at:desc', pq: foreign })}`), 422, 'invalid_request');
      } finally {
        await plain.close();
      }
      const altered = `${page.next.slice(0, 5)}${page.next[5] === 'A' ? 'B' : 'A'}${page.next.slice(6)}`;
      assertStrictError(await call(emu, `/v1/runs${qs({ sort_by: 'created_at:desc', pq: altered })}`), 422);
      assertStrictError(await call(emu, `/v1/runs${qs({ sort_by: 'created_at:asc', pq: page.next })}`), 422);
      assertStrictError(await call(emu, `/v1/runs${qs({ sort_by: 'created_at:desc', pq: page.next, from_prev: true })}`), 422);
    });
  });

  describe('timestamps', () => {
    const fullLogs = new Map<string, WireLog[]>();
    const logsOf = async (runId: string): Promise<WireLog[]> => {
      let logs = fullLogs.get(runId);
      if (!logs) {
        logs = await walkLogs(emu, runId, 500);
        fullLogs.set(runId, logs);
      }
      return logs;
    };

    it('spell run timestamps in every form, each parseable, the same way in every answer', async () => {
      const runs = await allRuns(emu);
      const forms = new Set<string>();
      for (const r of runs) for (const ts of [r.created_at, r.started_at, r.completed_at]) if (ts) forms.add(formOf(ts));
      assert.deepEqual([...forms].sort(), FORMS.map(([name]) => name).sort());
      for (const r of runs.slice(0, 20)) {
        const one = (await call(emu, `/v1/runs/${r.id}`)).body;
        assert.deepEqual([one.created_at, one.started_at, one.completed_at], [r.created_at, r.started_at, r.completed_at]);
      }
    });

    it('keep the order of the instants within a run, whatever the spelling', async () => {
      for (const r of await allRuns(emu)) {
        if (r.created_at && r.started_at) assert.ok(instant(r.created_at) <= instant(r.started_at), r.id);
        if (r.started_at && r.completed_at) assert.ok(instant(r.started_at) <= instant(r.completed_at), r.id);
      }
    });

    it('sort by instant, not by string, in both directions', async () => {
      for (const [sort, sign] of [['created_at:desc', -1], ['created_at:asc', 1], ['completed_at:desc', -1]] as const) {
        const field = sort.split(':')[0] as 'created_at' | 'completed_at';
        const dated = (await allRuns(emu, sort)).filter((r) => r[field] !== null);
        let stringOrderDisagrees = 0;
        for (let i = 1; i < dated.length; i++) {
          const a = dated[i - 1][field] as string;
          const b = dated[i][field] as string;
          const c = Math.sign(instant(b) - instant(a));
          assert.ok(c === sign || c === 0, `${sort}: ${a} then ${b}`);
          if (c === 0) assert.ok(sign * (dated[i].id < dated[i - 1].id ? -1 : 1) > 0, 'ties go by id');
          if (Math.sign(b < a ? -1 : b > a ? 1 : 0) !== c) stringOrderDisagrees++;
        }
        assert.ok(stringOrderDisagrees > 0, `${sort}: some neighbours compare differently as strings`);
      }
    });

    it('spell node run and log timestamps in several forms', async () => {
      const runs = await allRuns(emu);
      const nodeForms = new Set<string>();
      const page = (await call(emu, '/v1/runs?limit=200&sort_by=created_at:desc&embed=node_runs')).body.items as Array<{ node_runs: WireRun[] }>;
      for (const r of page) for (const n of r.node_runs) for (const ts of [n.created_at, n.started_at, n.completed_at]) if (ts) nodeForms.add(formOf(ts));
      assert.ok(nodeForms.size >= 5, [...nodeForms].join(', '));
      const logForms = new Set<string>();
      for (const r of runs.slice(0, 30)) for (const l of await logsOf(r.id)) if (l.timestamp && !Number.isNaN(Date.parse(l.timestamp))) logForms.add(formOf(l.timestamp));
      assert.deepEqual([...logForms].sort(), FORMS.map(([name]) => name).sort());
    });

    it('give logs a line at …:09Z followed by one at …:09.500Z, in server order', async function () {
      this.timeout(30000);
      const runs = await allRuns(emu);
      let found = 0;
      for (const r of runs) {
        const logs = await logsOf(r.id);
        for (let i = 1; i < logs.length; i++) {
          const a = logs[i - 1].timestamp;
          const b = logs[i].timestamp;
          if (a && b && /T\d\d:\d\d:\d\dZ$/.test(a) && b === a.replace(/Z$/, '.500Z')) {
            assert.ok(b < a, 'as strings the later line sorts first: the trap this sets');
            found++;
          }
        }
      }
      assert.ok(found >= 10, `found ${found}`);
    });

    it('keep log lines without a usable timestamp in their place, pages of any size, both ways', async function () {
      this.timeout(30000);
      const runs = await allRuns(emu);
      const quirky: Array<{ id: string; logs: WireLog[] }> = [];
      let missing = 0;
      let garbled = 0;
      for (const r of runs) {
        const logs = await logsOf(r.id);
        const nulls = logs.filter((l) => l.timestamp === null).length;
        const bad = logs.filter((l) => l.timestamp !== null && Number.isNaN(Date.parse(l.timestamp))).length;
        missing += nulls;
        garbled += bad;
        if (nulls + bad > 0) quirky.push({ id: r.id, logs });
      }
      assert.ok(missing >= 1 && garbled >= 1, `missing ${missing}, garbled ${garbled}`);
      for (const { id, logs } of quirky.slice(0, 3)) {
        const ids = logs.map((l) => l.id);
        assert.deepEqual(ids, [...ids].sort(), 'server order is the order the lines were written in');
        let last = -Infinity;
        for (const l of logs) {
          if (l.timestamp === null || Number.isNaN(Date.parse(l.timestamp))) continue;
          assert.ok(instant(l.timestamp) >= last, 'timestamped lines never go back in time');
          last = instant(l.timestamp);
        }
        for (const limit of [1, 3]) assert.deepEqual((await walkLogs(emu, id, limit)).map((l) => l.id), ids, `limit ${limit}`);
        assert.deepEqual((await walkLogs(emu, id, 2, 'timestamp:desc')).map((l) => l.id), [...ids].reverse());
        const tail = (await call(emu, `/v1/runs/${id}/logs?limit=2&sort_by=timestamp:desc`)).body;
        let back = (await call(emu, `/v1/runs/${id}/logs${qs({ limit: 2, sort_by: 'timestamp:desc', pq: tail.next })}`)).body;
        back = (await call(emu, `/v1/runs/${id}/logs${qs({ limit: 2, sort_by: 'timestamp:desc', pq: back.previous, from_prev: true })}`)).body;
        assert.deepEqual(back.items.map((l: WireLog) => l.id), tail.items.map((l: WireLog) => l.id));
      }
    });

    it('keep each run’s own order within the logs of every run (run_id any)', async function () {
      this.timeout(30000);
      const small = await startEmulator({ strict: 'refuse-q', runCount: 80 });
      try {
        const everything: WireLog[] = [];
        let page = (await call(small, '/v1/runs/any/logs?limit=500')).body;
        for (;;) {
          everything.push(...page.items);
          if (!page.next) break;
          page = (await call(small, `/v1/runs/any/logs${qs({ limit: 500, pq: page.next })}`)).body;
        }
        assert.equal(new Set(everything.map((l) => l.id)).size, everything.length);
        const byRun = new Map<string, string[]>();
        for (const l of everything) byRun.set(l.run_id, [...(byRun.get(l.run_id) ?? []), l.id]);
        for (const ids of byRun.values()) assert.deepEqual(ids, [...ids].sort());
        assert.ok(everything.some((l) => l.timestamp === null || Number.isNaN(Date.parse(l.timestamp))));
        let last = -Infinity;
        for (const l of everything) {
          if (l.timestamp === null || Number.isNaN(Date.parse(l.timestamp))) continue;
          assert.ok(instant(l.timestamp) >= last, 'the merged order follows the instants');
          last = instant(l.timestamp);
        }
      } finally {
        await small.close();
      }
    });
  });

  describe('statuses', () => {
    it('give a few percent of the seeded runs statuses outside the seven, at least one of each', async () => {
      const runs = await allRuns(emu);
      const odd = runs.filter((r) => r.status_code !== null && !KNOWN_STATUSES.includes(r.status_code));
      for (const s of ODD_STATUSES) assert.ok(odd.some((r) => r.status_code === s), `status ${JSON.stringify(s)}`);
      assert.ok(odd.every((r) => (ODD_STATUSES as readonly string[]).includes(r.status_code as string)));
      const share = odd.length / runs.length;
      assert.ok(share >= 0.015 && share <= 0.1, `share ${share}`);
      emu.reset();
      assert.deepEqual(
        (await allRuns(emu)).map((r) => r.status_code),
        runs.map((r) => r.status_code),
        'reset restores them',
      );
    });

    it('leave runs created through the API on the normal lifecycle', async () => {
      const fast = await startEmulator({ strict: 'refuse-q', runCount: 5, speed: 400 });
      try {
        const created = await call(fast, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'fox' } } });
        assert.equal(created.body.status_code, 'queued');
        const seen = new Set<string>();
        const done = await waitFor(async () => {
          const r = (await call(fast, `/v1/runs/${created.body.id}`)).body as WireRun;
          seen.add(r.status_code as string);
          return r.status_code === 'succeeded' ? r : null;
        }, 8000);
        assert.ok(done.completed_at);
        for (const s of seen) assert.ok(KNOWN_STATUSES.includes(s), s);
        const logs = (await call(fast, `/v1/runs/${created.body.id}/logs?limit=500&sort_by=timestamp:asc`)).body.items as WireLog[];
        const stamps = logs.map((l) => l.timestamp as string);
        assert.match(stamps[0], /:\d\dZ$/, 'a live log opens each second without a fraction');
        const sameSecond = stamps.some(
          (b, i) => i > 0 && /:\d\dZ$/.test(stamps[i - 1]) && /\.\d+/.test(b) && Math.floor(Date.parse(b) / 1000) === Date.parse(stamps[i - 1]) / 1000,
        );
        assert.ok(sameSecond, stamps.join(' '));
      } finally {
        await fast.close();
      }
    });
  });

  describe('RunLog.run', () => {
    it('is the run of the line on the logs endpoint, and null in embed=logs', async () => {
      const runs = await allRuns(emu);
      const withLogs = runs.filter((r) => r.has_logs).slice(0, 3);
      for (const r of withLogs) {
        const logs = (await call(emu, `/v1/runs/${r.id}/logs?limit=5`)).body.items as WireLog[];
        assert.ok(logs.length > 0);
        for (const l of logs) {
          assert.ok(l.run);
          assert.equal(l.run.id, r.id);
          assert.equal(l.run.status_code, r.status_code);
          assert.equal(l.run.created_at, r.created_at);
          assert.equal(l.run.client_ref, r.client_ref);
          for (const embed of ['node_runs', 'logs', 'model', 'flow', 'comfyui_workflow', 'current_evaluation_summary']) assert.ok(!(embed in l.run));
        }
        const embedded = (await call(emu, `/v1/runs/${r.id}?embed=logs`)).body.logs as WireLog[];
        assert.ok(embedded.every((l) => l.run === null));
        assert.deepEqual(
          embedded.slice(0, logs.length).map((l) => [l.id, l.timestamp]),
          logs.map((l) => [l.id, l.timestamp]),
        );
      }
      const any = (await call(emu, '/v1/runs/any/logs?limit=20')).body.items as WireLog[];
      assert.ok(any.every((l) => l.run?.id === l.run_id));
    });
  });

  describe('the current_evaluation_summary embed', () => {
    it('is refused with 403 unless the token starts with eval-', async () => {
      const gated = await startEmulator({ strict: 'refuse-q', runCount: 30, tokens: { 'demo-token': '*', 'noeval-token': '*', 'eval-token': '*' } });
      try {
        for (const token of ['demo-token', 'noeval-token']) {
          assertStrictError(await call(gated, '/v1/runs?embed=current_evaluation_summary', { token }), 403, 'permission_denied');
          assertStrictError(await call(gated, '/v1/runs?embed=model,current_evaluation_summary', { token }), 403);
          assert.equal((await call(gated, '/v1/runs?embed=model', { token })).status, 200);
        }
        const allowed = await call(gated, '/v1/runs?embed=current_evaluation_summary&limit=30', { token: 'eval-token' });
        assert.equal(allowed.status, 200);
        assert.ok(allowed.body.items.every((r: WireRun) => 'current_evaluation_summary' in r));
        assert.ok(allowed.body.items.some((r: WireRun) => r.current_evaluation_summary !== null));
      } finally {
        await gated.close();
      }
    });
  });

  describe('PATCH', () => {
    it('answers in the narrower shape of patch-run.txt', async () => {
      emu.reset();
      const run = (await allRuns(emu)).find((r) => r.status_code === 'running' && r.client_ref !== null) ?? (await allRuns(emu)).find((r) => r.status_code === 'running');
      assert.ok(run);
      const res = await call(emu, `/v1/runs/${run.id}`, { method: 'PATCH', body: { status_code: 'cancelled' } });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), [...PATCH_RESPONSE_FIELDS]);
      assert.equal(res.body.status_code, 'cancelled');
      for (const absent of ['client_ref', 'cost_breakdown', 'failure_code', 'failure_message', 'failure_stage_code', 'batch_id', 'node_runs', 'model', 'flow']) {
        assert.ok(!(absent in res.body), absent);
      }
      const after = (await call(emu, `/v1/runs/${run.id}`)).body;
      assert.equal(after.client_ref, run.client_ref, 'the run still has what the answer left out');
      assert.equal(after.completed_at, res.body.completed_at);
    });
  });

  describe('nothing the reference does not promise', () => {
    it('sends no X-Request-Id header', async () => {
      for (const path of ['/v1/runs?limit=1', '/v1/runs?limit=0', '/v1/nope']) {
        assert.equal((await call(emu, path)).headers.get('x-request-id'), null, path);
      }
    });

    it('answers a created run with 200 and still fills its request_id', async () => {
      const res = await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'fox' }, client_ref: 'strict-200' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.status_code, 'queued');
      assert.equal(res.body.client_ref, 'strict-200');
      assert.match(res.body.request_id, /^req_/);
    });

    it('lists oldest first and 20 to a page without sort_by and limit', async () => {
      const page = (await call(emu, '/v1/runs')).body.items as WireRun[];
      assert.equal(page.length, STRICT_DEFAULT_LIMIT);
      const oldest = (await allRuns(emu, 'created_at:asc')).slice(0, STRICT_DEFAULT_LIMIT);
      assert.deepEqual(page.map((r) => r.id), oldest.map((r) => r.id));
    });

    it('ranks nulls above every value, as PostgreSQL does: first descending, last ascending', async () => {
      const desc = await allRuns(emu, 'created_at:desc');
      const undated = desc.filter((r) => r.created_at === null).map((r) => r.id);
      assert.ok(undated.length >= 1);
      assert.deepEqual(desc.slice(0, undated.length).map((r) => r.id), undated);
      const asc = await allRuns(emu, 'created_at:asc');
      assert.deepEqual(asc.slice(-undated.length).map((r) => r.id), [...undated].reverse());
      let page = (await call(emu, '/v1/runs?limit=1&sort_by=created_at:desc')).body;
      page = (await call(emu, `/v1/runs${qs({ limit: 1, sort_by: 'created_at:desc', pq: page.next })}`)).body;
      assert.equal(page.items[0].id, desc[1].id, 'cursors page past null keys');
    });

    it('projects exactly the fields asked for, id included only when asked', async () => {
      const items = (await call(emu, '/v1/runs?limit=3&fields=status_code,created_at')).body.items;
      for (const r of items) assert.deepEqual(Object.keys(r), ['status_code', 'created_at']);
      const [run] = await allRuns(emu);
      const logs = (await call(emu, `/v1/runs/${run.id}/logs?limit=2&fields=message`)).body.items;
      for (const l of logs) assert.deepEqual(Object.keys(l), ['message']);
    });

    it(`embeds at most ${STRICT_EMBEDDED_LOG_LIMIT} log lines`, async () => {
      const big = await startEmulator({ strict: 'refuse-q', runCount: 3, bigLogLines: 500 });
      try {
        const run = (await call(big, `/v1/runs/${big.bigLogRunId}?embed=logs`)).body;
        assert.equal(run.logs.length, STRICT_EMBEDDED_LOG_LIMIT);
      } finally {
        await big.close();
      }
    });
  });

  describe('faults, request log, reset and control', () => {
    beforeEach(() => emu.reset());

    it('drop after commit creates the run and records the request', async () => {
      emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
      await assert.rejects(call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'x' }, client_ref: 'dropped-strict' } }));
      const newest = (await call(emu, '/v1/runs?limit=5&sort_by=created_at:desc')).body.items as WireRun[];
      assert.equal(newest.filter((r) => r.client_ref === 'dropped-strict').length, 1);
      const [record] = emu.requests({ method: 'POST' });
      assert.equal(record.fault, 'drop:after');
      assert.equal(record.status, null);
    });

    it('delays, and records refused q requests with their status', async () => {
      emu.addFault({ path: '^/v1/runs$', delayMs: 150 });
      const started = Date.now();
      assert.equal((await call(emu, '/v1/runs?limit=1')).status, 200);
      assert.ok(Date.now() - started >= 140);
      await call(emu, '/v1/runs?q=x');
      const records = emu.requests({ path: '^/v1/runs$' });
      assert.deepEqual(records.map((r) => [r.status, r.fault]), [[200, 'delay:150'], [400, null]]);
      assert.equal(records[1].query.q, 'x');
    });

    it('inserts, patches and appends through the control endpoints, served in the strict way', async () => {
      const inserted = await fetch(`${emu.url}/__emulator/runs`, {
        method: 'POST',
        body: JSON.stringify({ status_code: 'running', client_ref: 'ctl' }),
      });
      assert.equal(inserted.status, 201);
      const { id } = (await inserted.json()) as { id: string };
      await fetch(`${emu.url}/__emulator/runs/${id}/logs`, { method: 'POST', body: JSON.stringify([{ message: 'one' }, { message: 'two' }]) });
      const logs = (await call(emu, `/v1/runs/${id}/logs`)).body.items as WireLog[];
      assert.deepEqual(logs.map((l) => l.message), ['one', 'two']);
      for (const l of logs) formOf(l.timestamp as string);
      const got = (await call(emu, `/v1/runs/${id}`)).body;
      assert.equal(got.client_ref, 'ctl');
      formOf(got.created_at);
      emu.reset();
      assert.equal((await call(emu, `/v1/runs/${id}`)).status, 404);
    });
  });

  it('serves the same bytes for the same seed and clock', async function () {
    this.timeout(20000);
    const now = () => Date.UTC(2026, 10, 30, 4, 15, 9, 0);
    const a = await startEmulator({ strict: 'refuse-q', runCount: 80, now });
    const b = await startEmulator({ strict: 'refuse-q', runCount: 80, now });
    try {
      for (const path of ['/v1/runs?limit=500&sort_by=created_at:desc&embed=node_runs', '/v1/runs/any/logs?limit=500']) {
        const textA = (await call(a, path)).text.split(a.url).join('URL');
        const textB = (await call(b, path)).text.split(b.url).join('URL');
        assert.equal(textA, textB, path);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
