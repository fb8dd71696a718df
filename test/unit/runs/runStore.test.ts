import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunflowClient } from '../../../src/api/client';
import { isTerminalStatus } from '../../../src/core/runModel';
import type { Run } from '../../../src/api/types';
import { RunStore } from '../../../src/runs/runStore';
import { createRunOnce, makeClientRef } from '../../../src/runs/createRun';
import type { Emulator } from '../../emulator';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'store-test-token';

describe('RunStore against the emulator', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { speed: 50 });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  it('loads the first page, then refreshes the loaded window with one request', async () => {
    const store = new RunStore(() => client, 20);
    const first = await store.refresh();
    assert.equal(first.kind, 'ok');
    assert.equal(store.size, 20);
    await store.loadMore();
    assert.equal(store.size, 40);
    emu.resetRequests();
    const running = store.all().find((r) => r.status_code !== 'succeeded')!;
    emu.updateRun(running.id!, { status_code: 'succeeded' });
    const changes: string[][] = [];
    store.onDidChange((c) => changes.push(c.changed));
    const outcome = await store.refresh();
    assert.deepEqual(outcome.kind, 'ok');
    assert.equal(emu.requests().length, 1, 'one request refreshes all 40 runs');
    assert.equal(store.size, 40);
    assert.equal(store.get(running.id!)?.status_code, 'succeeded');
    assert.deepEqual(changes, [[running.id]], 'only the run that changed is reported');
  });

  it('keeps every run exactly once while new runs arrive, and drops runs that leave the filter', async () => {
    const store = new RunStore(() => client, 10);
    store.setFilter({ statuses: ['running'] });
    await store.refresh();
    const ids = store.all().map((r) => r.id!);
    assert.ok(ids.length > 0);
    emu.insertRun({ status_code: 'running', created_at: new Date().toISOString() });
    emu.updateRun(ids[0], { status_code: 'failed' });
    await store.refresh();
    assert.ok(!store.get(ids[0]), 'a run that no longer matches is dropped');
    assert.equal(new Set(store.all().map((r) => r.id)).size, store.size);
    assert.ok(store.all().every((r) => r.status_code === 'running'));
  });

  it('shows seeded runs as not yet refreshed; the first refresh drops those it no longer lists and merges the rest', async () => {
    const live = new RunStore(() => client, 10);
    await live.refresh();
    const page = live.firstPage();
    assert.equal(page.length, 10);
    const gone = { id: 'kept-but-gone', status_code: 'running', created_at: page[0].created_at } as Run;
    const seeded = [gone, ...page.slice(0, 5).map((r) => ({ ...r, tag_from_before: 'kept' }) as Run)];

    const store = new RunStore(() => client, 10);
    const savedAt = Date.now() - 3 * 3_600_000;
    store.seed(seeded, savedAt);
    assert.equal(store.staleSince, savedAt);
    assert.equal(store.size, 6);
    assert.equal(store.activeCount, 0, 'kept runs are not counted as active');
    let refreshed = 0;
    store.onDidRefresh(() => refreshed++);
    await store.refresh();
    assert.equal(refreshed, 1);
    assert.equal(store.staleSince, undefined);
    assert.equal(store.get(gone.id!), undefined, 'a kept run the newest page no longer lists leaves');
    assert.equal(store.size, 10, 'a first page, as a first load');
    assert.equal((store.get(page[0].id!) as Run & { tag_from_before?: string }).tag_from_before, 'kept', 'merged into what was shown');
  });

  it('keeps seeded runs, still stale, when the first refresh fails, and forgets them when the token is refused', async () => {
    const store = new RunStore(() => client, 10);
    store.seed([{ id: 'kept-1', status_code: 'succeeded', created_at: new Date().toISOString() } as Run], 1_000);
    emu.addFault({ path: '^/v1/runs$', status: 503 });
    await store.refresh();
    assert.equal(store.state.kind, 'unreachable');
    assert.equal(store.staleSince, 1_000);
    assert.equal(store.size, 1);
    emu.addFault({ path: '^/v1/runs$', status: 401 });
    await store.refresh();
    assert.equal(store.size, 0);
    assert.equal(store.staleSince, undefined);
  });

  it('reports a 401 as not retryable and a 429 with its wait', async () => {
    const store = new RunStore(() => client, 10);
    emu.addFault({ path: '^/v1/runs$', status: 429, retryAfter: '7' });
    const limited = await store.refresh();
    assert.deepEqual(limited, { kind: 'rate_limited', retryAfterMs: 7000 });
    assert.equal(store.state.kind, 'rate_limited');
    emu.addFault({ path: '^/v1/runs$', status: 401 });
    const denied = await store.refresh();
    assert.deepEqual(denied, { kind: 'error', retryable: false });
    assert.equal(store.state.kind, 'unauthorized');
  });

  it('announces a watched run that finishes', async () => {
    const store = new RunStore(() => client, 10);
    const run = emu.insertRun({ status_code: 'running', created_at: new Date().toISOString() });
    await store.refresh();
    store.watch(run.id!);
    const finished: string[] = [];
    store.onDidFinish((r) => finished.push(r.id!));
    emu.updateRun(run.id!, { status_code: 'failed', failure_message: 'boom' });
    await store.refresh();
    assert.deepEqual(finished, [run.id]);
  });
});

describe('createRunOnce', function () {
  this.timeout(20_000);
  // The client's own retries, as the extension has them: the create must still go out once.
  const suite = useEmulator(TOKEN, { speed: 50 }, { timeoutMs: 2_000, retry: {} });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  it('adopts the run when the connection drops after the create was committed, sending the POST once', async () => {
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
    const clientRef = makeClientRef('prompt.runflow.json');
    const outcome = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'a cat' }, client_ref: clientRef });
    assert.equal(outcome.kind, 'adopted');
    assert.equal(emu.requests({ method: 'POST' }).length, 1);
    if (outcome.kind === 'adopted') assert.equal(outcome.run.client_ref, clientRef);
    const lookups = emu.requests({ method: 'GET' });
    assert.ok(lookups.length >= 1 && lookups.every((r) => r.query.q === undefined), 'the look-up scans the newest runs, without q');
  });

  it('never adopts an older run that reused the same client_ref', async () => {
    const clientRef = 'cats-from-file';
    const older = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'first' }, client_ref: clientRef });
    assert.equal(older.kind, 'created');
    const olderId = older.kind === 'created' ? older.run.id! : '';

    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'before' });
    const lost = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'second' }, client_ref: clientRef }, { existingIds: new Set([olderId]) });
    assert.equal(lost.kind, 'not_created');

    emu.clearFaults();
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
    const kept = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'third' }, client_ref: clientRef }, { existingIds: new Set([olderId]) });
    assert.equal(kept.kind, 'adopted');
    if (kept.kind === 'adopted') assert.notEqual(kept.run.id, olderId);
  });

  it('says not created when the connection dropped before anything was committed', async () => {
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'before' });
    const outcome = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'a dog' }, client_ref: makeClientRef('x') });
    assert.equal(outcome.kind, 'not_created');
    assert.equal(emu.requests({ method: 'POST' }).length, 1);
  });

  it('passes a 422 through as not created, without a look-up', async () => {
    emu.resetRequests();
    const outcome = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'x' }, client_ref: 'y'.repeat(256) } as never);
    assert.equal(outcome.kind, 'not_created');
    assert.equal(emu.requests({ method: 'GET' }).length, 0);
  });

  it('makes client refs that trace the file and fit in 255 characters', () => {
    const ref = makeClientRef(`${'very-long-name'.repeat(40)}.runflow.json`, 0, () => 0.5);
    assert.ok(ref.length <= 255);
    assert.match(makeClientRef('my prompt.runflow.json', 0, () => 0.5), /^my-prompt.runflow.json-0-[0-9a-z]{6}$/);
  });
});

describe('RunStore assumes only what the reference states', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { speed: 50, tokens: { [`noeval-${TOKEN}`]: '*' } });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  it('refreshes with limit, sort_by and the cursor only: no q of its own', async () => {
    const store = new RunStore(() => client, 20);
    await store.refresh();
    await store.loadMore();
    // Down to the oldest loaded run that is not finished (the seed has active runs among the newest).
    const loaded = store.all();
    const deepest = loaded.map((r) => isTerminalStatus(r.status_code)).lastIndexOf(false);
    assert.ok(deepest >= 0 && deepest < loaded.length - 1, 'the seed puts finished runs below the last active one');
    await store.refresh();
    const lists = emu.requests({ method: 'GET' }).filter((r) => r.path === '/v1/runs');
    assert.equal(lists.length, 3);
    for (const r of lists) {
      assert.equal(r.query.q, undefined, `no q in ${JSON.stringify(r.query)}`);
      assert.equal(r.query.sort_by, 'created_at:desc');
    }
    assert.equal(lists[2].query.limit, String(20 + deepest + 1), 'the refresh asks for the runs that may still change plus room for new runs');
    assert.equal(store.size, 40, 'older runs the refresh brings along are left to Load more');
  });

  it('puts only the filter the user chose into q, and checks it on the answer as well', async () => {
    const store = new RunStore(() => client, 20);
    store.setFilter({ statuses: ['failed'], target: 'sdxl' });
    await store.refresh();
    const [request] = emu.requests({ method: 'GET' });
    assert.equal(request.query.q, "status_code = 'failed'", 'the target is matched locally, never sent');
    assert.ok(store.all().every((r) => r.status_code === 'failed'));
  });

  it('says which filter the server refused (400), without calling it unreachable', async () => {
    const store = new RunStore(() => client, 20);
    store.setFilter({ statuses: ['failed'] });
    emu.addFault({ path: '^/v1/runs$', status: 400 });
    const outcome = await store.refresh();
    assert.deepEqual(outcome, { kind: 'error', retryable: false });
    assert.equal(store.state.kind, 'bad_filter');
    if (store.state.kind === 'bad_filter') assert.equal(store.state.filter, 'Failed');

    store.setFilter({ statuses: ['failed'], local: true });
    await store.refresh();
    assert.equal(store.state.kind, 'ready');
    assert.equal(emu.requests({ method: 'GET' }).at(-1)!.query.q, undefined, 'a local filter sends nothing');
    assert.ok(store.size > 0 && store.all().every((r) => r.status_code === 'failed'));
  });

  it('treats a missing token as signed out, not as a refused token, and asks nothing', async () => {
    const signedOut = new RunflowClient({ baseUrl: emu.url, getToken: () => undefined, retry: { maxAttempts: 1 } });
    const store = new RunStore(() => signedOut, 20);
    const outcome = await store.refresh();
    assert.deepEqual(outcome, { kind: 'error', retryable: false });
    assert.equal(store.state.kind, 'idle');
    assert.equal(emu.requests().length, 0);
  });

  it('asks for the evaluation summary, and drops it for good after a 403 for that server and token', async () => {
    const store = new RunStore(() => client, 10, () => 'server-a');
    await store.refresh();
    assert.match(emu.requests().at(-1)!.query.embed, /current_evaluation_summary/);

    const noEval = new RunflowClient({ baseUrl: emu.url, getToken: () => `noeval-${TOKEN}`, retry: { maxAttempts: 1 } });
    const limited = new RunStore(() => noEval, 10, () => 'server-b');
    emu.resetRequests();
    assert.equal((await limited.refresh()).kind, 'ok');
    assert.ok(limited.size > 0);
    assert.deepEqual(
      emu.requests().map((r) => [r.status, /current_evaluation_summary/.test(r.query.embed ?? '')]),
      [
        [403, true],
        [200, false],
      ],
    );
    limited.reset();
    emu.resetRequests();
    await limited.refresh();
    await limited.refresh();
    assert.deepEqual(emu.requests().map((r) => r.status), [200, 200], 'the refusal is remembered');
  });

  it('keeps what a narrower answer leaves out when it merges', async () => {
    const store = new RunStore(() => client, 10);
    await store.refresh();
    const run = store.all()[0];
    const full = await store.reload(run.id!);
    assert.ok(full?.client_ref !== undefined || full?.model !== undefined);
    store.upsert({ id: run.id, status_code: null, client_ref: null, model: null } as never);
    assert.equal(store.get(run.id!)?.status_code, run.status_code);
    assert.deepEqual(store.get(run.id!)?.model, full?.model);
  });

  it('keeps watching a run in a status nobody knows, and announces it when it reaches a final one', async () => {
    const store = new RunStore(() => client, 10);
    const run = emu.insertRun({ status_code: 'timed_out' as never, created_at: new Date().toISOString() });
    const first = await store.refresh();
    assert.ok(first.kind === 'ok' && first.watching, 'a run in an unknown status keeps the view polling');
    store.watch(run.id!);
    const finished: string[] = [];
    store.onDidFinish((r) => finished.push(r.id!));
    emu.updateRun(run.id!, { status_code: 'failed' });
    await store.refresh();
    assert.deepEqual(finished, [run.id]);
  });
});

describe('RunStore against a server whose cursor repeats', function () {
  this.timeout(10_000);
  let server: http.Server;
  let url: string;
  let requests = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      requests++;
      const cursor = new URL(req.url!, 'http://x').searchParams.get('pq');
      const base = cursor ? 2 : 0;
      const items = [0, 1].map((i) => ({ id: `run-${base + i}`, status_code: 'succeeded', created_at: new Date(Date.UTC(2026, 0, 10 - base - i)).toISOString() }));
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ items, first: null, previous: null, next: 'same-cursor' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lets "Load more" go away when the cursor repeats', async () => {
    const c = new RunflowClient({ baseUrl: url, getToken: () => TOKEN, retry: { maxAttempts: 1 } });
    const store = new RunStore(() => c, 2);
    await store.refresh();
    assert.ok(store.hasMore);
    requests = 0;
    await store.loadMore();
    assert.equal(requests, 1);
    assert.equal(store.size, 4);
    assert.ok(!store.hasMore, 'the cursor it was handed again is not followed');
    await store.loadMore();
    assert.equal(requests, 1, 'no request once Load more is gone');
  });
});

describe('RunStore and createRunOnce against the strict emulator (only what the reference promises)', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { speed: 50, strict: 'refuse-q' }, { timeoutMs: 2_000 });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  it('loads, refreshes and loads more without q, dropping the refused evaluation embed once', async () => {
    const store = new RunStore(() => client, 50, () => 'strict');
    assert.equal((await store.refresh()).kind, 'ok');
    await store.loadMore();
    const outcome = await store.refresh();
    assert.equal(outcome.kind, 'ok');
    assert.equal(store.size, 100);
    assert.deepEqual(
      emu.requests().map((r) => r.status),
      [403, 200, 200, 200],
      'one refusal of the evaluation embed, then every request answered',
    );
  });

  it('keeps runs in statuses outside the seven, in groups of their own, watched at the idle pace', async () => {
    const store = new RunStore(() => client, 500);
    const outcome = await store.refresh();
    const statuses = new Set(store.all().map((r) => r.status_code));
    for (const odd of ['timed_out', 'paused', 'RUNNING', '']) assert.ok(statuses.has(odd), `a run with status ${JSON.stringify(odd)} is kept`);
    assert.ok(outcome.kind === 'ok' && outcome.watching);
  });

  it('adopts a launch whose connection dropped after commit, found without q, and sends it once', async () => {
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
    const clientRef = makeClientRef('strict.runflow.json');
    const outcome = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'a cat' }, client_ref: clientRef });
    assert.equal(outcome.kind, 'adopted');
    assert.equal(emu.requests({ method: 'POST' }).length, 1);
  });

  it('says which filter the server refused, and filters the loaded runs locally on request', async () => {
    const store = new RunStore(() => client, 100);
    store.setFilter({ statuses: ['failed'] });
    await store.refresh();
    assert.equal(store.state.kind, 'bad_filter');
    store.setFilter({ statuses: ['failed'], local: true });
    await store.refresh();
    assert.equal(store.state.kind, 'ready');
    assert.ok(store.size > 0 && store.all().every((r) => r.status_code === 'failed'));
  });
});

describe('RunStore: runs learnt outside the list, while filtered', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { speed: 50 });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  it('lists a run learnt elsewhere only when the filter lets it in, and still announces its finish', async () => {
    const store = new RunStore(() => client, 10);
    store.setFilter({ statuses: ['failed'] });
    await store.refresh();
    assert.ok(store.size > 0 && store.all().every((r) => r.status_code === 'failed'));
    const finished: string[] = [];
    store.onDidFinish((r) => finished.push(r.id!));

    // A launch while filtered to Failed: known, not listed.
    const launched = emu.insertRun({ status_code: 'queued', created_at: new Date().toISOString() });
    store.watch(launched.id!);
    store.upsert((await client.getRun(launched.id!)) as never);
    assert.equal(store.get(launched.id!), undefined, 'a queued run stays out of a Failed list');
    assert.ok(store.all().every((r) => r.status_code === 'failed'));

    // It fails: now it passes the filter, is listed, and its finish is announced once.
    emu.updateRun(launched.id!, { status_code: 'failed', completed_at: new Date().toISOString() });
    store.upsert((await client.getRun(launched.id!)) as never);
    assert.equal(store.get(launched.id!)?.status_code, 'failed');
    assert.deepEqual(finished, [launched.id]);

    // A listed run that a panel learns has left the filter leaves the list.
    const other = store.all().find((r) => r.id !== launched.id)!;
    store.upsert({ ...other, status_code: 'succeeded' });
    assert.equal(store.get(other.id!), undefined);
  });

  it('announces the finish of a watched run the filter hides', async () => {
    const store = new RunStore(() => client, 10);
    store.setFilter({ statuses: ['failed'] });
    await store.refresh();
    const finished: string[] = [];
    store.onDidFinish((r) => finished.push(r.id!));
    const launched = emu.insertRun({ status_code: 'running', created_at: new Date().toISOString(), client_ref: 'hidden-launch-1' });
    store.watch(launched.id!);
    store.upsert((await client.getRun(launched.id!)) as never);
    emu.updateRun(launched.id!, { status_code: 'succeeded', completed_at: new Date().toISOString() });
    store.upsert((await client.getRun(launched.id!)) as never);
    assert.equal(store.get(launched.id!), undefined, 'never listed under Failed');
    assert.deepEqual(finished, [launched.id]);
    // A panel's reload of it answers what the store made of every answer, not the last one alone.
    emu.updateRun(launched.id!, { client_ref: null });
    const reloaded = await store.reload(launched.id!);
    assert.equal(reloaded?.status_code, 'succeeded');
    assert.equal(reloaded?.client_ref, 'hidden-launch-1', 'a null in a later answer erases nothing');
  });

  it('lets in a run learnt elsewhere only as the server lists it when the filter has a raw q', async () => {
    const store = new RunStore(() => client, 10);
    store.setFilter({ query: 'source_code:"api"' });
    await store.refresh();
    const launched = emu.insertRun({ status_code: 'queued', created_at: new Date().toISOString() });
    store.upsert((await client.getRun(launched.id!)) as never);
    assert.equal(store.get(launched.id!), undefined, 'the extension cannot tell whether it matches');
  });
});
