/**
 * Whatever a server answers, over a real socket, through the real client, the run store, the run model
 * and the log reader: a clear error or a degraded display, never a throw, a rejection that escapes, or a
 * token in an error or a log line.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { RunflowClient } from '../../../src/api/client';
import { RunflowApiError } from '../../../src/api/errors';
import type { Run } from '../../../src/api/types';
import { formatCost } from '../../../src/core/cost';
import { LogBuffer } from '../../../src/runs/logBuffer';
import {
  formatProgress,
  groupByStatus,
  runDescription,
  runDurationMs,
  runTarget,
  statusIcon,
  statusLabel,
  statusOf,
  statusToken,
  STATUS_ORDER,
} from '../../../src/core/runModel';
import { LogReader } from '../../../src/runs/logReader';
import { RunStore } from '../../../src/runs/runStore';
import { collectMediaUrls } from '../../../src/webview/mediaUrls';
import { logsPageBody, runBody, runsPageBody } from '../support/arbitraries';
import { record } from '../support/ledger';
import { RUNS, SEED } from './runs';

const TOKEN = 'rf-prop-token-5b1e0c2d9a7f';

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

describe('API response bodies (fast-check, real sockets)', function () {
  let server: http.Server;
  let answer: Answer = { status: 200, body: '{}' };
  let client: RunflowClient;
  const logged: string[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-prop-'));

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    client = new RunflowClient({
      baseUrl: `http://127.0.0.1:${port}`,
      getToken: () => TOKEN,
      retry: { maxAttempts: 1 },
      timeoutMs: 10_000,
      log: (level, message) => logged.push(`${level} ${message}`),
    });
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** Everything the view and the tree compute from a run, as they compute it. */
  function display(run: Run): void {
    const target = runTarget(run);
    assert.equal(typeof target.label, 'string');
    assert.ok(target.label.length > 0);
    const label = statusLabel(statusOf(run));
    assert.doesNotMatch(label, /[\n\r[\]]/, 'a status label is one line without link syntax');
    assert.ok(label.length <= 41);
    assert.ok(STATUS_ORDER.includes(statusToken(statusOf(run))) || statusToken(statusOf(run)) === 'other');
    assert.equal(typeof statusIcon(statusOf(run)).codicon, 'string');
    assert.equal(typeof runDescription(run, Date.now()), 'string');
    const d = runDurationMs(run, Date.now());
    assert.ok(d === undefined || (Number.isFinite(d) && d >= 0));
    const p = formatProgress(run);
    assert.ok(p === undefined || typeof p === 'string');
    // As the tree's tooltip does: whatever the server put there.
    if (run.cost) assert.equal(typeof formatCost(run.cost), 'string');
    for (const n of Array.isArray(run.node_runs) ? run.node_runs : []) if (n && typeof n === 'object' && n.cost) assert.equal(typeof formatCost(n.cost), 'string');
    for (const m of collectMediaUrls(run.output)) assert.match(m.url, /^https?:\/\//i, 'only web URLs are offered as media');
  }

  it('GET /v1/runs: the store refreshes or reports, and everything it holds can be shown', async () => {
    let pages = 0;
    let errors = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(runsPageBody, { minLength: 1, maxLength: 3 }), async (bodies) => {
        const store = new RunStore(() => client, 50);
        for (const body of bodies) {
          answer = { status: 200, body: JSON.stringify(body) ?? 'null' };
          const outcome = await store.refresh();
          assert.ok(['ok', 'error'].includes(outcome.kind), `outcome ${JSON.stringify(outcome)}`);
          if (outcome.kind === 'ok') pages++;
          else {
            errors++;
            assert.equal(store.state.kind, 'unreachable', 'a body that is not a page is reported');
          }
        }
        const all = store.all();
        assert.equal(new Set(all.map((r) => r.id)).size, all.length, 'each run once');
        assert.ok(all.every((r) => typeof r.id === 'string' && r.id !== ''), 'only runs with an id are kept');
        const grouped = [...groupByStatus(all).values()].reduce((n, g) => n + g.length, 0);
        assert.equal(grouped, all.length, 'every run is in exactly one group');
        all.forEach(display);
        runs += all.length;
        store.dispose();
      }),
      { numRuns: RUNS, seed: SEED },
    );
    record({
      area: 'Fuzzing',
      attack: 'GET /v1/runs bodies',
      tried: `${RUNS} sequences of 1–3 generated bodies (missing fields, wrong types, nulls, unknown statuses, 1e308, 120k-character strings, 60-deep nesting, non-objects) served over a socket to the real client and run store (seed ${SEED})`,
      observed: `${pages} pages taken, ${errors} bodies reported as unreadable (store state "unreachable"), ${runs} runs kept, each once, each grouped and displayable (label, status label, icon, description, duration, progress, cost, media); nothing threw`,
    });
  });

  it('GET /v1/runs/{id}: a run or a typed error, and node runs filtered to objects', async () => {
    let typed = 0;
    await fc.assert(
      fc.asyncProperty(runBody, async (body) => {
        answer = { status: 200, body: JSON.stringify(body) ?? 'null' };
        const store = new RunStore(() => client, 50);
        try {
          const run = await client.getRun('r1', { embed: ['node_runs'] });
          store.upsert(run);
          if (typeof run.id === 'string' && run.id) display(store.get(run.id)!);
          const nodes = await store.fetchNodeRuns('r1');
          assert.ok(nodes.every((n) => n && typeof n === 'object'));
        } catch (err) {
          assert.ok(err instanceof RunflowApiError, `a typed error, not ${String(err)}`);
          assert.equal(err.kind, 'malformed');
          typed++;
        }
        store.dispose();
      }),
      { numRuns: RUNS, seed: SEED },
    );
    record({
      area: 'Fuzzing',
      attack: 'GET /v1/runs/{id} bodies',
      tried: `${RUNS} generated bodies through client.getRun, store.upsert and fetchNodeRuns`,
      observed: `objects accepted and displayable, ${typed} non-objects refused as MalformedResponseError; nothing else thrown`,
    });
  });

  it('GET /v1/runs/{id}/logs: the log reader reads or reports, and its lines are text', async () => {
    let read = 0;
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(logsPageBody, async (body) => {
        answer = { status: 200, body: JSON.stringify(body) ?? 'null' };
        const reader = new LogReader(() => client, 'r1', () => new LogBuffer(path.join(scratch, `log-${Math.random()}.ndjson`)), false);
        await reader.start();
        const status = reader.status();
        if (status.error) reported++;
        else read++;
        assert.ok(Number.isInteger(status.total) && status.total >= 0);
        for (const line of reader.lines(0, status.total)) {
          assert.equal(typeof line.message, 'string');
          assert.equal(typeof line.level, 'string');
        }
        await reader.search('a');
        reader.dispose();
      }),
      { numRuns: RUNS, seed: SEED },
    );
    record({
      area: 'Fuzzing',
      attack: 'GET /v1/runs/{id}/logs bodies',
      tried: `${RUNS} generated log pages through the LogReader (scratch file buffer) and its search`,
      observed: `${read} read, ${reported} reported as an error in the log status; every line held is text; nothing threw`,
    });
  });

  it('errors and log lines never carry the token, however the server echoes it', async () => {
    const echo = fc.constantFrom(TOKEN, `Bearer ${TOKEN}`, `Authorization: Bearer ${TOKEN}`, `token=${TOKEN}&x=1`, `"${TOKEN}"`, `[${TOKEN}](command:x)`, `\n${TOKEN}\n`);
    const body = fc.oneof(
      echo.map((e) => JSON.stringify({ detail: `bad ${e}` })),
      echo.map((e) => JSON.stringify({ detail: [{ loc: ['header', e], msg: `got ${e}`, type: 'x' }] })),
      echo.map((e) => JSON.stringify({ error: { message: e }, request_id: e })),
      echo.map((e) => `plain text ${e}`),
      echo.map((e) => `<html>${e}</html>`),
    );
    const status = fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 502, 503);
    await fc.assert(
      fc.asyncProperty(status, body, echo, async (code, text, headerEcho) => {
        logged.length = 0;
        answer = { status: code, body: text, headers: { 'x-request-id': headerEcho.replace(/\n/g, ' '), 'retry-after': '0' } };
        try {
          await client.searchRuns({ limit: 1 });
          assert.fail('an error status must reject');
        } catch (err) {
          assert.ok(err instanceof RunflowApiError);
          const shown = `${err.message} ${JSON.stringify(err)} ${err.serverMessage ?? ''} ${err.requestId ?? ''}`;
          assert.ok(!shown.includes(TOKEN), `the token in an error: ${shown}`);
          assert.doesNotMatch(err.message, /\]\(/, 'no link syntax in an error message');
        }
        for (const line of logged) assert.ok(!line.includes(TOKEN), `the token in a log line: ${line}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    record({
      area: 'Token',
      attack: 'A server echoing the token (client level)',
      tried: `${RUNS} error answers (10 statuses) echoing the token raw, as Bearer, in a query, in JSON details, as a markdown link, in HTML and in X-Request-Id`,
      observed: 'every error message, toJSON, server message, request id and client log line free of the token, and no link syntax in messages',
    });
  });
});
