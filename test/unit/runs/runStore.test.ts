import { strict as assert } from 'node:assert';
import { RunflowClient } from '../../../src/api/client';
import { RunStore } from '../../../src/runs/runStore';
import { createRunOnce, makeClientRef } from '../../../src/runs/createRun';
import { startEmulator, type Emulator } from '../../emulator';

const TOKEN = 'store-test-token';

describe('RunStore against the emulator', function () {
  this.timeout(20_000);
  let emu: Emulator;
  let client: RunflowClient;

  before(async () => {
    emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, speed: 50 });
    client = new RunflowClient({ baseUrl: emu.url, getToken: () => TOKEN, retry: { maxAttempts: 1 } });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

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
  let emu: Emulator;
  let client: RunflowClient;
  before(async () => {
    emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, speed: 50 });
    client = new RunflowClient({ baseUrl: emu.url, getToken: () => TOKEN, timeoutMs: 2_000 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it('adopts the run when the connection drops after the create was committed, sending the POST once', async () => {
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
    const clientRef = makeClientRef('prompt.runflow.json');
    const outcome = await createRunOnce(client, 'runflow', 'sdxl-turbo', { input: { prompt: 'a cat' }, client_ref: clientRef });
    assert.equal(outcome.kind, 'adopted');
    assert.equal(emu.requests({ method: 'POST' }).length, 1);
    if (outcome.kind === 'adopted') assert.equal(outcome.run.client_ref, clientRef);
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
