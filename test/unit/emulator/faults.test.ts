import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { call, qs, sleep, TOKEN } from './helpers';

const runsWithRef = async (emu: Emulator, ref: string) =>
  (await call(emu, `/v1/runs${qs({ q: `client_ref = '${ref}'` })}`)).body.items as Array<{ id: string }>;

describe('emulator faults', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, runCount: 40 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it('answers an injected status with Retry-After, for count requests only', async () => {
    emu.addFault({ path: '^/v1/runs$', status: 429, retryAfter: '7', count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await call(emu, '/v1/runs');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(typeof res.body.detail, 'string');
      assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
    }
    assert.equal((await call(emu, '/v1/runs')).status, 200);
    emu.addFault({ path: '^/v1/runs$', status: 429 });
    assert.equal((await call(emu, '/v1/runs')).headers.get('retry-after'), '1', '429 defaults to Retry-After: 1');
    emu.addFault({ path: '^/v1/runs$', status: 503 });
    const unavailable = await call(emu, '/v1/runs');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), null);
  });

  it('matches on method and path, and -1 means until cleared', async () => {
    emu.addFault({ method: 'post', path: '^/v1/models/', status: 500, count: -1 });
    assert.equal((await call(emu, '/v1/runs')).status, 200);
    for (let i = 0; i < 3; i++) {
      assert.equal((await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'x' } } })).status, 500);
    }
    emu.clearFaults();
    assert.equal((await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'x' } } })).status, 201);
  });

  it('delays a request', async () => {
    emu.addFault({ path: '^/v1/runs$', delayMs: 250 });
    const t = Date.now();
    assert.equal((await call(emu, '/v1/runs?limit=1')).status, 200);
    assert.ok(Date.now() - t >= 240);
  });

  it('drop before: the connection dies and nothing is created', async () => {
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'before' });
    await assert.rejects(call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'x' }, client_ref: 'dropped-before' } }), TypeError);
    assert.deepEqual(await runsWithRef(emu, 'dropped-before'), []);
    const [record] = emu.requests({ method: 'POST' });
    assert.equal(record.fault, 'drop:before');
    assert.equal(record.status, null);
  });

  it('drop after: the connection dies but the run WAS created', async () => {
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after' });
    await assert.rejects(call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'x' }, client_ref: 'dropped-after' } }), TypeError);
    const created = await runsWithRef(emu, 'dropped-after');
    assert.equal(created.length, 1);
    assert.equal(emu.requests({ method: 'POST' })[0].fault, 'drop:after');
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    emu.addFault({ path: '^/v1/runs$', malformed: true });
    const res = await fetch(`${emu.url}/v1/runs`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    await assert.rejects(res.json(), SyntaxError);
  });

  it('slow body: the real body arrives in pieces over the given time', async () => {
    emu.addFault({ path: '^/v1/runs$', slowBodyMs: 300 });
    const t = Date.now();
    const res = await fetch(`${emu.url}/v1/runs?limit=5`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const headersAt = Date.now();
    const body = (await res.json()) as { items: unknown[] };
    assert.ok(Date.now() - headersAt >= 200, 'the body keeps coming after the headers');
    assert.ok(Date.now() - t >= 280, 'the body takes its time');
    assert.equal(body.items.length, 5);
  });

  it('hang: no answer until the client gives up, and the emulator stays healthy', async () => {
    emu.addFault({ path: '^/v1/runs$', hang: true });
    await assert.rejects(call(emu, '/v1/runs', { signal: AbortSignal.timeout(200) }), (e: Error) => e.name === 'TimeoutError' || e.name === 'AbortError');
    const [record] = emu.requests();
    assert.equal(record.fault, 'hang');
    assert.equal(record.status, null);
    assert.equal((await call(emu, '/v1/runs?limit=1')).status, 200);
  });

  it('close() ends hanging and slow requests and their timers', async () => {
    const other = await startEmulator({ runCount: 3 });
    other.addFault({ path: '^/v1/runs$', hang: true });
    other.addFault({ path: '^/v1/runs/', delayMs: 60_000 });
    const outcome = (p: Promise<unknown>) => p.then(() => 'answered', () => 'failed');
    const hanging = outcome(fetch(`${other.url}/v1/runs`, { headers: { Authorization: `Bearer ${TOKEN}` } }));
    const delayed = outcome(fetch(`${other.url}/v1/runs/x`, { headers: { Authorization: `Bearer ${TOKEN}` } }));
    await sleep(50);
    await other.close();
    assert.equal(await hanging, 'failed');
    assert.equal(await delayed, 'failed');
  });

  it('combines a delay with a status', async () => {
    emu.addFault({ path: '^/v1/runs$', delayMs: 100, status: 502 });
    const t = Date.now();
    assert.equal((await call(emu, '/v1/runs')).status, 502);
    assert.ok(Date.now() - t >= 90);
    assert.equal(emu.requests()[0].fault, 'delay:100+status:502');
  });

  it('rejects invalid fault specs', () => {
    assert.throws(() => emu.addFault({ path: '(' }), /regular expression/);
    assert.throws(() => emu.addFault({ path: '.', status: 42 }), /status/);
    assert.throws(() => emu.addFault({ path: '.', count: 0 }), /count/);
  });
});

describe('emulator request log, reset and control endpoints', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, runCount: 40 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it('records API requests with their query, headers, status and fault, but not control requests', async () => {
    await call(emu, '/v1/runs?limit=3&q=status_code%20%3D%20%22failed%22', { org: 'org_demo' });
    await call(emu, '/v1/runs/nope');
    await fetch(`${emu.url}/__emulator/health`);
    const all = emu.requests();
    assert.equal(all.length, 2);
    assert.deepEqual(all.map((r) => r.seq), [1, 2]);
    assert.deepEqual(all[0].query, { limit: '3', q: 'status_code = "failed"' });
    assert.equal(all[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(all[0].headers['x-organization-id'], 'org_demo');
    assert.equal(all[0].status, 200);
    assert.equal(all[0].fault, null);
    assert.equal(all[1].status, 404);
    assert.ok(all[0].at <= all[1].at);
    assert.equal(emu.requests({ path: '^/v1/runs/' }).length, 1);
    assert.equal(emu.requests({ method: 'post' }).length, 0);
    emu.resetRequests();
    assert.deepEqual(emu.requests(), []);
  });

  it('records the bytes of each response body as sent, and none for a response never sent', async () => {
    const res = await fetch(`${emu.url}/v1/runs?limit=7`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const received = (await res.arrayBuffer()).byteLength;
    emu.addFault({ path: '^/v1/runs$', drop: 'before' });
    await fetch(`${emu.url}/v1/runs`, { headers: { Authorization: `Bearer ${TOKEN}` } }).catch(() => undefined);
    const [answered, dropped] = emu.requests();
    assert.ok(received > 0);
    assert.equal(answered.bytes, received);
    assert.equal(dropped.bytes, null);
    const listed = (await (await fetch(`${emu.url}/__emulator/requests`)).json()) as { records: { bytes: number | null }[] };
    assert.deepEqual(listed.records.map((r) => r.bytes), [received, null], 'the control API reads the same figures');
  });

  it('reset() brings back the seeded data without faults or records', async () => {
    const before = (await call(emu, '/v1/runs?limit=500')).body.items;
    const inserted = emu.insertRun({ status_code: 'running' });
    emu.updateRun(before[0].id, { status_code: 'failed' });
    emu.addFault({ path: '.', status: 500, count: -1 });
    emu.reset();
    assert.equal(emu.getRun(inserted.id), undefined);
    assert.deepEqual(emu.requests(), []);
    const after = (await call(emu, '/v1/runs?limit=500')).body.items;
    assert.deepEqual(after, before);
  });

  it('exposes the same controls over HTTP', async () => {
    const base = `${emu.url}/__emulator`;
    const health = (await (await fetch(`${base}/health`)).json()) as { ok: boolean; models: string[] };
    assert.equal(health.ok, true);
    assert.ok(health.models.includes('runflow/sdxl-turbo'));

    const added = await fetch(`${base}/faults`, { method: 'POST', body: JSON.stringify([{ path: '^/v1/runs$', status: 418 }, { path: '^/v1/runs$', status: 503 }]) });
    assert.equal(added.status, 201);
    assert.equal((await call(emu, '/v1/runs')).status, 418);
    assert.equal((await fetch(`${base}/faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await call(emu, '/v1/runs')).status, 200);
    assert.equal((await fetch(`${base}/faults`, { method: 'POST', body: JSON.stringify({ path: '(' }) })).status, 422);

    const inserted = await fetch(`${base}/runs`, { method: 'POST', body: JSON.stringify({ status_code: 'running', client_ref: 'via-control' }) });
    assert.equal(inserted.status, 201);
    const run = (await inserted.json()) as { id: string };
    const patched = await fetch(`${base}/runs/${run.id}`, { method: 'PATCH', body: JSON.stringify({ status_code: 'failed', failure_message: 'boom' }) });
    assert.equal(((await patched.json()) as { status_code: string }).status_code, 'failed');
    const logs = await fetch(`${base}/runs/${run.id}/logs`, { method: 'POST', body: JSON.stringify([{ message: 'hello' }, { level_code: 'error', message: 'bad' }]) });
    assert.deepEqual(await logs.json(), { appended: 2 });
    const apiLogs = (await call(emu, `/v1/runs/${run.id}/logs`)).body.items;
    assert.deepEqual(apiLogs.map((l: { level_code: string; message: string }) => [l.level_code, l.message]), [['info', 'hello'], ['error', 'bad']]);
    assert.equal((await fetch(`${base}/runs/nope`, { method: 'PATCH', body: '{}' })).status, 404);

    const listed = (await (await fetch(`${base}/requests?method=GET&path=${encodeURIComponent('/logs$')}`)).json()) as { records: unknown[]; count: number };
    assert.equal(listed.count, 1);
    assert.equal(listed.records.length, 1);
    assert.equal((await fetch(`${base}/requests`, { method: 'DELETE' })).status, 200);
    assert.equal(emu.requests().length, 0);

    assert.equal((await fetch(`${base}/reset`, { method: 'POST' })).status, 200);
    assert.equal(emu.getRun(run.id), undefined);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  });

  it('inserts runs with defaults, updates and appends logs through the library API', async () => {
    const run = emu.insertRun({ status_code: 'succeeded', client_ref: 'lib' });
    assert.equal(run.org_id, 'org_demo');
    assert.ok(run.created_at && run.completed_at);
    assert.equal(run.target_type, 'model');
    const moved = emu.updateRun(run.id, { status_code: 'failed', failure_code: 'X' });
    assert.equal(moved.failure_code, 'X');
    emu.appendLogs(run.id, [{ message: 'one' }, { level_code: 'warning', message: 'two' }]);
    const logs = (await call(emu, `/v1/runs/${run.id}/logs`)).body.items;
    assert.deepEqual(logs.map((l: { message: string }) => l.message), ['one', 'two']);
    assert.equal(emu.getRun(run.id)?.has_logs, true);
    assert.throws(() => emu.updateRun('nope', {}), /nope/);
  });
});
