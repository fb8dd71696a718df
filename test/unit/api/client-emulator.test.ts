/**
 * The Runflow client against the project's API emulator over real sockets: what reaches the server,
 * every error type, the retry rules, cancellation, pagination, and that the token never leaks.
 */
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { RunflowClient, type CallOptions, type RunflowClientOptions } from '../../../src/api/client';
import {
  AuthenticationError,
  CancelledError,
  HttpError,
  MalformedResponseError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  RunflowApiError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../../src/api/errors';
import { combineQuery, compare, eq, statusIn } from '../../../src/api/filters';
import { iteratePages, type PaginationOptions } from '../../../src/api/pagination';
import type { Page, Run, SearchRunsParams } from '../../../src/api/types';
import { startEmulator, type Emulator } from '../../emulator';
import { closedPort } from './http-fixtures';

const TOKEN = 'sk-SENTINEL-emulator-5f0d2c9a7b31';
const UNKNOWN_TOKEN = 'sk-SENTINEL-unknown-8e41ab77c2d0';
const DEMO_ONLY_TOKEN = 'sk-SENTINEL-demo-only-3a9f6e12b4c8';
const SECRETS = [TOKEN, UNKNOWN_TOKEN, DEMO_ONLY_TOKEN];
const RUNS_PATH = '^/v1/runs$';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

/** Pages of `GET /v1/runs` through the one pager, as a caller walking runs would drive it. */
function runPages(c: RunflowClient, params: SearchRunsParams, options: PaginationOptions & CallOptions = {}): AsyncGenerator<Page<Run>> {
  return iteratePages((cursor, direction) => c.searchRuns({ ...params, pq: cursor, from_prev: direction === 'previous' ? true : undefined }, options), options);
}

async function itemsOf<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  return (await collect(pages)).flatMap((p) => p.items);
}

describe('RunflowClient against the emulator', function () {
  this.timeout(10_000);

  let emu: Emulator;
  let logs: string[];

  before(async () => {
    emu = await startEmulator({
      port: 0,
      tokens: { [TOKEN]: '*', [DEMO_ONLY_TOKEN]: ['org_demo'] },
      seed: 1,
      speed: 50,
      runCount: 120,
    });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearFaults();
    emu.resetRequests();
    logs = [];
  });

  function client(opts: Partial<RunflowClientOptions> = {}): RunflowClient {
    return new RunflowClient({
      baseUrl: emu.url,
      getToken: async () => TOKEN,
      userAgent: 'runflow-vscode/0.1.0',
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      log: (level, message) => logs.push(`${level} ${message}`),
      ...opts,
    });
  }

  async function aModelRun(): Promise<Run> {
    const page = await client().searchRuns({ q: eq('target_type', 'model').text, limit: 1 });
    assert.equal(page.items.length, 1);
    return page.items[0];
  }

  describe('requests reach the server as sent', () => {
    it('searchRuns sends every parameter and the standard headers', async () => {
      const q = combineQuery("status_code != 'queued'", compare('created_at', '>', '2000-01-01T00:00:00Z'));
      const page = await client({ organizationId: 'org_demo' }).searchRuns({
        q,
        limit: 5,
        sort_by: 'created_at:asc',
        fields: ['id', 'status_code', 'created_at'],
        embed: ['model', 'node_runs'],
        from_prev: false,
        evaluation_status: 'failed',
        evaluation_issue_category: 'accuracy',
        evaluation_issue_subcategory: 'hallucination',
        pq: undefined,
      });
      assert.ok(Array.isArray(page.items) && page.items.length <= 5);
      const [record] = emu.requests({ method: 'GET', path: RUNS_PATH });
      assert.deepEqual(record.query, {
        q: "(status_code != 'queued') and created_at > '2000-01-01T00:00:00Z'",
        limit: '5',
        sort_by: 'created_at:asc',
        fields: 'id,status_code,created_at',
        embed: 'model,node_runs',
        from_prev: 'false',
        evaluation_status: 'failed',
        evaluation_issue_category: 'accuracy',
        evaluation_issue_subcategory: 'hallucination',
      });
      assert.equal(record.status, 200);
      assert.equal(record.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(record.headers['user-agent'], 'runflow-vscode/0.1.0');
      assert.equal(record.headers['x-organization-id'], 'org_demo');
      assert.equal(record.headers.accept, 'application/json');
    });

    it('sends pq and from_prev, and a previous cursor leads back to the first page', async () => {
      const c = client();
      const first = await c.searchRuns({ limit: 3 });
      assert.ok(first.next);
      const second = await c.searchRuns({ limit: 3, pq: first.next });
      assert.ok(second.previous);
      const back = await c.searchRuns({ limit: 3, pq: second.previous, from_prev: true });
      assert.deepEqual(back.items.map((r) => r.id), first.items.map((r) => r.id));
      const records = emu.requests({ path: RUNS_PATH });
      assert.equal(records[1].query.pq, first.next);
      assert.deepEqual(records[2].query, { limit: '3', pq: second.previous, from_prev: 'true' });
    });

    it('getRun sends embed and returns the run with its relations', async () => {
      const target = await aModelRun();
      const run = await client().getRun(target.id!, { embed: ['model', 'logs', 'node_runs'] });
      assert.equal(run.id, target.id);
      assert.ok(run.model && typeof run.model === 'object');
      assert.ok(Array.isArray(run.model.inputs));
      assert.ok(Array.isArray(run.logs));
      const [record] = emu.requests({ method: 'GET', path: '^/v1/runs/[^/]+$' });
      assert.equal(record.path, `/v1/runs/${target.id}`);
      assert.deepEqual(record.query, { embed: 'model,logs,node_runs' });
    });

    it('searchLogs sends its parameters, for one run and for any', async () => {
      const target = await aModelRun();
      const c = client();
      const page = await c.searchLogs(target.id!, { limit: 2, sort_by: 'timestamp:desc', fields: ['id', 'message', 'timestamp'], q: "message ~ ''" });
      assert.ok(page.items.length <= 2);
      await c.searchLogs('any', { limit: 4 });
      const records = emu.requests({ method: 'GET', path: '/logs$' });
      assert.equal(records[0].path, `/v1/runs/${target.id}/logs`);
      assert.deepEqual(records[0].query, { limit: '2', sort_by: 'timestamp:desc', fields: 'id,message,timestamp', q: "message ~ ''" });
      assert.equal(records[1].path, '/v1/runs/any/logs');
      assert.deepEqual(records[1].query, { limit: '4' });
    });

    it('createModelRun posts the body to the model path, in both call forms', async () => {
      const c = client();
      const body = { input: { prompt: 'a lighthouse', steps: 2 }, metadata: { batch: 'b-1' }, client_ref: 'create-1' };
      const run = await c.createModelRun('runflow/sdxl-turbo', body);
      assert.equal(run.client_ref, 'create-1');
      assert.deepEqual(run.input, body.input);
      assert.deepEqual(run.metadata, { batch: 'b-1' });
      assert.equal(run.status_code, 'queued');
      assert.ok(emu.getRun(run.id!));
      const again = await c.createModelRun('runflow', 'sdxl-turbo', { input: { prompt: 'x' } });
      assert.notEqual(again.id, run.id);
      const posts = emu.requests({ method: 'POST' });
      assert.deepEqual(posts.map((r) => r.path), ['/v1/models/runflow/sdxl-turbo/runs', '/v1/models/runflow/sdxl-turbo/runs']);
      assert.equal(posts[0].headers['content-type'], 'application/json');
      assert.deepEqual(posts.map((r) => r.status), [201, 201]);
    });

    it('patchRun sends the body and returns the updated run', async () => {
      const inserted = emu.insertRun({ status_code: 'running' });
      const run = await client().patchRun(inserted.id!, { output: { text: 'done' }, cost: '0.0125', nodes_completed: 1 });
      assert.equal(run.cost, '0.0125');
      assert.deepEqual(run.output, { text: 'done' });
      assert.equal(emu.getRun(inserted.id!)?.nodes_completed, 1);
      const [record] = emu.requests({ method: 'PATCH' });
      assert.equal(record.path, `/v1/runs/${inserted.id}`);
    });

    it('filters built with filters.ts find hostile client_refs exactly', async () => {
      const refs = ["it's", 'back\\slash', "\\'", "'; DROP TABLE runs; --", 'ünïcødé ✓', 'a"b', 'x) or (1 = 1'];
      const ids = refs.map((ref) => emu.insertRun({ status_code: 'succeeded', client_ref: ref }).id);
      const c = client();
      for (const [i, ref] of refs.entries()) {
        const page = await c.searchRuns({ q: eq('client_ref', ref).text, limit: 10 });
        assert.deepEqual(page.items.map((r) => r.id), [ids[i]], ref);
      }
      const combined = await c.searchRuns({ q: combineQuery("client_ref ~ 'slash'", statusIn(['succeeded', 'failed'])), limit: 10 });
      assert.deepEqual(combined.items.map((r) => r.id), [ids[1]]);
    });
  });

  describe('errors', () => {
    it('401 → AuthenticationError', async () => {
      const e = await rejection(client({ getToken: async () => UNKNOWN_TOKEN }).searchRuns());
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.status, 401);
      assert.equal(e.kind, 'auth');
      assert.match(String(e.requestId), /^req_/);
      assert.ok(e.serverMessage);
      assert.equal(emu.requests().length, 1, 'not retried');
    });

    it('403 → PermissionError for an organisation the token cannot see', async () => {
      const e = await rejection(client({ getToken: async () => DEMO_ONLY_TOKEN, organizationId: 'org_other' }).searchRuns());
      assert.ok(e instanceof PermissionError);
      assert.equal(e.status, 403);
      assert.match(String(e.serverMessage), /org_other/);
    });

    it('404 → NotFoundError', async () => {
      const e = await rejection(client().getRun('00000000-0000-4000-8000-000000000000'));
      assert.ok(e instanceof NotFoundError);
      assert.equal(e.status, 404);
      assert.equal(e.path, '/v1/runs/00000000-0000-4000-8000-000000000000');
    });

    it('422 → ValidationError with details, for queries and bodies', async () => {
      const e = await rejection(client().searchRuns({ limit: 501 }));
      assert.ok(e instanceof ValidationError);
      assert.equal(e.status, 422);
      assert.deepEqual(e.details.map((d) => d.loc), [['query', 'limit']]);
      assert.equal(e.details[0].type, 'less_than_equal');
      const body = await rejection(client().createModelRun('runflow/sdxl-turbo', { input: { steps: 'many' } }));
      assert.ok(body instanceof ValidationError);
      assert.deepEqual(body.details.map((d) => d.loc.join('.')).sort(), ['body.input.prompt', 'body.input.steps']);
      assert.equal(emu.requests({ method: 'POST' }).length, 1);
    });

    it('429 → RateLimitedError with retryAfterMs', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 429, retryAfter: '7', count: 1 });
      const e = await rejection(client({ retry: { maxAttempts: 1 } }).searchRuns());
      assert.ok(e instanceof RateLimitedError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfterMs, 7000);
    });

    it('5xx → ServerError after the attempt budget', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 502, count: -1 });
      const e = await rejection(client().searchRuns());
      assert.ok(e instanceof ServerError);
      assert.equal(e.status, 502);
      assert.equal(emu.requests({ path: RUNS_PATH }).length, 3);
    });

    it('400 (bad q) → HttpError, not retried', async () => {
      const e = await rejection(client().searchRuns({ q: 'status_code = = 1' }));
      assert.ok(e instanceof HttpError);
      assert.equal(e.status, 400);
      assert.equal(emu.requests().length, 1);
    });

    it('closed port → NetworkError', async () => {
      const port = await closedPort();
      const e = await rejection(client({ baseUrl: `http://127.0.0.1:${port}` }).searchRuns());
      assert.ok(e instanceof NetworkError);
      assert.equal(e.code, 'ECONNREFUSED');
      assert.equal(e.requestSent, false);
    });

    it('hang → TimeoutError', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, hang: true, count: -1 });
      const e = await rejection(client({ retry: { maxAttempts: 1 } }).searchRuns({}, { timeoutMs: 150 }));
      assert.ok(e instanceof TimeoutError);
      assert.equal(e.timeoutMs, 150);
    });

    it('a body slower than the timeout → TimeoutError', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, slowBodyMs: 2000 });
      const e = await rejection(client({ retry: { maxAttempts: 1 } }).searchRuns({ limit: 50 }, { timeoutMs: 200 }));
      assert.ok(e instanceof TimeoutError);
    });

    it('malformed body → MalformedResponseError, not retried', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, malformed: true });
      const e = await rejection(client().searchRuns());
      assert.ok(e instanceof MalformedResponseError);
      assert.equal(e.status, 200);
      assert.match(String(e.requestId), /^req_/);
      assert.equal(emu.requests().length, 1);
    });
  });

  describe('retries', () => {
    it('a GET survives two 503s', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 503, count: 2 });
      const page = await client().searchRuns({ limit: 2 });
      assert.equal(page.items.length, 2);
      assert.deepEqual(emu.requests({ path: RUNS_PATH }).map((r) => r.status), [503, 503, 200]);
      assert.equal(logs.filter((l) => l.startsWith('warn') && l.includes('retrying')).length, 2);
    });

    it('a GET is retried after a dropped connection and after a timeout', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, drop: 'after', count: 1 });
      emu.addFault({ method: 'GET', path: RUNS_PATH, hang: true, count: 1 });
      const page = await client().searchRuns({ limit: 1 }, { timeoutMs: 300 });
      assert.equal(page.items.length, 1);
      assert.deepEqual(emu.requests({ path: RUNS_PATH }).map((r) => r.fault), ['drop:after', 'hang', null]);
    });

    it('a POST that meets drop:after is not re-sent, and the run exists once', async () => {
      emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
      const ref = `drop-after-${Date.now()}`;
      const e = await rejection(client({ retry: { retryPostWhenUnsent: true } }).createModelRun('runflow/sdxl-turbo', { input: { prompt: 'p' }, client_ref: ref }));
      assert.ok(e instanceof NetworkError);
      assert.notEqual(e.requestSent, false);
      assert.equal(emu.requests({ method: 'POST' }).length, 1);
      const found = await client().searchRuns({ q: eq('client_ref', ref).text });
      assert.equal(found.items.length, 1);
    });

    it('a POST is not retried on 503, 429 or a dropped connection by default', async () => {
      for (const fault of [{ status: 503 }, { status: 429, retryAfter: '0' }, { drop: 'before' as const }]) {
        emu.resetRequests();
        emu.addFault({ method: 'POST', path: '^/v1/models/', ...fault });
        const e = await rejection(client().createModelRun('runflow/sdxl-turbo', { input: { prompt: 'p' } }));
        assert.ok(e instanceof RunflowApiError, JSON.stringify(fault));
        assert.equal(emu.requests({ method: 'POST' }).length, 1, JSON.stringify(fault));
      }
    });

    it('a POST is retried on 429 only when the caller opts in', async () => {
      emu.addFault({ method: 'POST', path: '^/v1/models/', status: 429, retryAfter: '0' });
      const ref = `rate-limited-${Date.now()}`;
      const run = await client({ retry: { retryPostOnRateLimit: true } }).createModelRun('runflow/sdxl-turbo', { input: { prompt: 'p' }, client_ref: ref });
      assert.equal(run.client_ref, ref);
      assert.deepEqual(emu.requests({ method: 'POST' }).map((r) => r.status), [429, 201]);
      assert.equal((await client().searchRuns({ q: eq('client_ref', ref).text })).items.length, 1);
    });

    it('a PATCH is not retried on 5xx', async () => {
      const inserted = emu.insertRun({ status_code: 'running' });
      emu.addFault({ method: 'PATCH', path: '^/v1/runs/', status: 503 });
      const e = await rejection(client().patchRun(inserted.id!, { nodes_completed: 2 }));
      assert.ok(e instanceof ServerError);
      assert.equal(emu.requests({ method: 'PATCH' }).length, 1);
    });

    it('honours Retry-After', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 429, retryAfter: '1' });
      const page = await client().searchRuns({ limit: 1 });
      assert.equal(page.items.length, 1);
      const records = emu.requests({ path: RUNS_PATH });
      assert.deepEqual(records.map((r) => r.status), [429, 200]);
      // A lower bound only: the wait is the behaviour under test, and a loaded machine can only lengthen it.
      assert.ok(records[1].at - records[0].at >= 950, `second request after ${records[1].at - records[0].at} ms`);
    });

    it('gives up at once on a Retry-After beyond the cap', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 503, retryAfter: '120' });
      const e = await rejection(client().searchRuns());
      assert.ok(e instanceof ServerError && e.retryAfterMs === 120_000);
      assert.equal(emu.requests().length, 1);
    });
  });

  describe('cancellation', () => {
    it('an AbortSignal cancels an in-flight request', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, delayMs: 3000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const e = await rejection(client().searchRuns({}, { signal: controller.signal }));
      assert.ok(e instanceof CancelledError);
      assert.equal(e.kind, 'cancelled');
      assert.equal(emu.requests().length, 1, 'not retried');
    });

    it('an AbortSignal cancels a Retry-After wait', async () => {
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 429, retryAfter: '5' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const e = await rejection(client().searchRuns({}, { signal: controller.signal }));
      assert.ok(e instanceof CancelledError);
      assert.equal(emu.requests().length, 1);
    });

    it('an AbortSignal ends a page walk', async () => {
      const controller = new AbortController();
      let pages = 0;
      const e = await rejection(
        (async () => {
          for await (const _page of runPages(client(), { limit: 5 }, { signal: controller.signal })) {
            if (++pages === 2) controller.abort();
          }
        })(),
      );
      assert.ok(e instanceof CancelledError);
      assert.equal(emu.requests({ path: RUNS_PATH }).length, 2);
    });
  });

  describe('pagination', () => {
    it('walking all pages returns each run exactly once', async () => {
      const c = client();
      const all = await c.searchRuns({ limit: 500 });
      assert.equal(all.next, null);
      const walked = await itemsOf(runPages(c, { limit: 7 }));
      const ids = walked.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.deepEqual(ids, all.items.map((r) => r.id));
      assert.equal(emu.requests({ path: RUNS_PATH }).length, 1 + Math.ceil(all.items.length / 7));
    });

    it('walks backwards from a previous cursor', async () => {
      const c = client();
      const forward = await collect(runPages(c, { limit: 9 }));
      const last = forward[forward.length - 1];
      assert.ok(last.previous);
      const backward = await collect(runPages(c, { limit: 9 }, { direction: 'previous', startCursor: last.previous }));
      const expected = forward.slice(0, -1).reverse().map((p) => p.items.map((r) => r.id));
      assert.deepEqual(backward.map((p) => p.items.map((r) => r.id)), expected);
      const records = emu.requests({ path: RUNS_PATH }).slice(forward.length);
      assert.ok(records.every((r) => r.query.from_prev === 'true'));
    });

    it('walks the logs of a run, forwards and back', async () => {
      const target = (await client().searchRuns({ q: "has_logs = true and status_code = 'succeeded'", limit: 1 })).items[0];
      assert.ok(target, 'a run with logs');
      const c = client();
      const all = await c.searchLogs(target.id!, { limit: 500 });
      const forward = await collect(c.iterateLogPages(target.id!, { limit: 3 }));
      const walked = forward.flatMap((p) => p.items);
      assert.deepEqual(walked.map((l) => l.id), all.items.map((l) => l.id));
      assert.ok(walked.length > 3);
      const last = forward[forward.length - 1];
      assert.ok(last.previous);
      const backward = await itemsOf(c.iterateLogPages(target.id!, { limit: 3 }, { direction: 'previous', startCursor: last.previous }));
      assert.deepEqual(backward.map((l) => l.id), forward.slice(0, -1).reverse().flatMap((p) => p.items.map((l) => l.id)));
    });
  });

  describe('the token never leaks', () => {
    it('appears in no error message, stack, JSON, inspection or log line, across all error kinds', async () => {
      const port = await closedPort();
      const errors: unknown[] = [];
      const capture = async (p: Promise<unknown>) => errors.push(await rejection(p));
      const noRetry = { retry: { maxAttempts: 1 } };

      await capture(client({ getToken: async () => UNKNOWN_TOKEN }).searchRuns());
      await capture(client({ getToken: async () => DEMO_ONLY_TOKEN, organizationId: 'org_other' }).searchRuns());
      // The run id is the token itself: the 404 path and the server's message both carry it.
      await capture(client().getRun(TOKEN));
      await capture(client().searchLogs(TOKEN, { limit: 1 }));
      await capture(client().searchRuns({ limit: 0, q: `client_ref = '${TOKEN}'` }));
      await capture(client().searchRuns({ q: `client_ref = = '${TOKEN}'` }));
      await capture(client().createModelRun('runflow/sdxl-turbo', { input: { prompt: TOKEN, steps: TOKEN } as never, client_ref: TOKEN }));
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 429, retryAfter: '99' });
      await capture(client().searchRuns({ q: eq('client_ref', TOKEN).text }));
      emu.addFault({ method: 'GET', path: RUNS_PATH, status: 500, count: -1 });
      await capture(client().searchRuns({ q: eq('client_ref', TOKEN).text }));
      emu.clearFaults();
      await capture(client({ baseUrl: `http://127.0.0.1:${port}` }).searchRuns({ q: eq('client_ref', TOKEN).text }));
      emu.addFault({ method: 'GET', path: RUNS_PATH, hang: true, count: -1 });
      await capture(client(noRetry).searchRuns({ q: eq('client_ref', TOKEN).text }, { timeoutMs: 100 }));
      emu.clearFaults();
      await capture(client().searchRuns({}, { signal: AbortSignal.abort() }));
      emu.addFault({ method: 'GET', path: RUNS_PATH, malformed: true });
      await capture(client().searchRuns());
      emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
      await capture(client().createModelRun('runflow/sdxl-turbo', { input: { prompt: TOKEN }, client_ref: TOKEN }));
      await capture(client({ getToken: async () => `${TOKEN}\n` + 'x' }).searchRuns());
      await capture(client({ getToken: () => Promise.reject(new Error(TOKEN)) }).searchRuns());

      const kinds = new Set(errors.map((e) => (e as RunflowApiError).kind));
      for (const kind of ['auth', 'permission', 'not_found', 'validation', 'rate_limited', 'server', 'network', 'timeout', 'cancelled', 'malformed', 'http']) {
        assert.ok(kinds.has(kind as RunflowApiError['kind']), `covers ${kind}`);
      }
      for (const e of errors) {
        assert.ok(e instanceof RunflowApiError, String(e));
        const views = [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 5 }), String(e), JSON.stringify(Object.entries(e))];
        for (const view of views) {
          for (const secret of SECRETS) assert.ok(!view.includes(secret), `${e.name} leaks a token: ${view}`);
        }
      }
      assert.ok(logs.length > 10);
      for (const line of logs) {
        for (const secret of SECRETS) assert.ok(!line.includes(secret), `log leaks a token: ${line}`);
        assert.ok(!/authorization|bearer/i.test(line), line);
      }
    });
  });
});
