import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { call, qs, sleep, waitFor } from './helpers';

const COST = /^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/;
const TERMINAL = ['succeeded', 'failed', 'cancelled', 'partial_succeeded'];

async function create(emu: Emulator, model: string, body: unknown = { input: { prompt: 'a red fox' } }) {
  return call(emu, `/v1/models/${model}/runs`, { method: 'POST', body });
}

async function untilTerminal(emu: Emulator, id: string, timeoutMs = 4000) {
  return waitFor(async () => {
    const res = await call(emu, `/v1/runs/${id}?embed=node_runs`);
    return TERMINAL.includes(res.body.status_code) ? res.body : null;
  }, timeoutMs);
}

describe('emulator POST /v1/models/{owner}/{slug}/runs and the run lifecycle', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, speed: 200 });
  });
  after(() => emu.close());

  it('creates a queued api run that echoes client_ref, metadata and callback_url', async () => {
    const res = await create(emu, 'runflow/sdxl-turbo', {
      input: { prompt: 'a red fox', steps: 4 },
      metadata: { batch: 'b-42', note: '<script>alert(1)</script>' },
      callback_url: 'https://hooks.example.com/x',
      client_ref: 'ticket-1',
    });
    assert.equal(res.status, 201);
    const run = res.body;
    assert.match(run.id, /^[0-9a-f-]{36}$/);
    assert.equal(run.status_code, 'queued');
    assert.equal(run.source_code, 'api');
    assert.equal(run.target_type, 'model');
    assert.equal(run.org_id, 'org_demo');
    assert.deepEqual(run.input, { prompt: 'a red fox', steps: 4 });
    assert.deepEqual(run.metadata, { batch: 'b-42', note: '<script>alert(1)</script>' });
    assert.equal(run.callback_url, 'https://hooks.example.com/x');
    assert.equal(run.client_ref, 'ticket-1');
    assert.equal(run.request_id, res.headers.get('x-request-id'));
    assert.equal(run.started_at, null);
    assert.equal(run.completed_at, null);
    const listed = await call(emu, `/v1/runs${qs({ q: 'client_ref = "ticket-1"' })}`);
    assert.deepEqual(listed.body.items.map((r: { id: string }) => r.id), [run.id]);
  });

  it('treats client_ref as a label, not an idempotency key', async () => {
    const body = { input: { prompt: 'twice' }, client_ref: 'same-ref' };
    const a = await create(emu, 'runflow/sdxl-turbo', body);
    const b = await create(emu, 'runflow/sdxl-turbo', body);
    assert.notEqual(a.body.id, b.body.id);
    const listed = await call(emu, `/v1/runs${qs({ q: 'client_ref = "same-ref"' })}`);
    assert.equal(listed.body.items.length, 2);
  });

  it('runs sdxl-turbo through every status to succeeded with image outputs served by the emulator', async () => {
    const slow = await startEmulator({ speed: 15, runCount: 0 });
    try {
      const { body: created } = await create(slow, 'runflow/sdxl-turbo');
      const seen: string[] = [];
      const done = await waitFor(async () => {
        const r = (await call(slow, `/v1/runs/${created.id}`)).body;
        if (seen[seen.length - 1] !== r.status_code) seen.push(r.status_code);
        return TERMINAL.includes(r.status_code) ? r : null;
      }, 5000, 5);
      // Polling sees the statuses it happens to catch (a short one can pass between two polls on a busy
      // machine): in order, from queued to succeeded. That every step happened is told by the run's log.
      const order = ['queued', 'dispatching', 'running', 'succeeded'];
      assert.equal(seen[seen.length - 1], 'succeeded');
      assert.deepEqual(seen, order.filter((s) => seen.includes(s)), `statuses seen in order: ${seen.join(' → ')}`);
      assert.equal(done.nodes_completed, done.nodes_total);
      assert.ok(done.started_at && done.completed_at && done.started_at <= done.completed_at);
      assert.equal(done.duration_ms, Date.parse(done.completed_at) - Date.parse(done.started_at));
      assert.match(done.cost, COST);
      assert.ok(done.cost_breakdown);
      assert.equal(done.failure_code, null);
      assert.ok(done.output.images.length > 0);
      const png = await fetch(done.output.images[0].url);
      assert.equal(png.status, 200);
      assert.equal(png.headers.get('content-type'), 'image/png');
      const bytes = Buffer.from(await png.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const logs = (await call(slow, `/v1/runs/${created.id}/logs?limit=500`)).body.items;
      assert.ok(logs.length > 5);
      assert.equal(logs[0].message, 'Run queued for runflow/sdxl-turbo');
      assert.ok(logs.some((l: { message: string }) => l.message === 'Dispatching to worker pool'), 'it was dispatched');
      assert.ok(logs.some((l: { message: string }) => /^Started on worker /.test(l.message)), 'it ran');
      assert.match(logs[logs.length - 1].message, /^Run succeeded/);
    } finally {
      await slow.close();
    }
  });

  it('ends broken-upscaler failed at execution with CUDA_OOM', async () => {
    const { body } = await create(emu, 'runflow/broken-upscaler', { input: {} });
    const run = await untilTerminal(emu, body.id);
    assert.equal(run.status_code, 'failed');
    assert.equal(run.failure_stage_code, 'execution');
    assert.equal(run.failure_code, 'CUDA_OOM');
    assert.match(run.failure_message, /out of memory/);
    assert.ok(run.nodes_completed < run.nodes_total);
    const states = run.node_runs.map((n: { state_code: string }) => n.state_code);
    assert.ok(states.includes('failed'));
    assert.ok(run.node_runs.find((n: { state_code: string }) => n.state_code === 'failed').error_message);
  });

  it('ends flaky-pipeline partial_succeeded and slow-llm succeeded with many logs', async () => {
    const flaky = (await create(emu, 'runflow/flaky-pipeline')).body;
    const llm = (await create(emu, 'runflow/slow-llm', { input: { prompt: 'tell me a story' } })).body;
    const [f, l] = await Promise.all([untilTerminal(emu, flaky.id), untilTerminal(emu, llm.id)]);
    assert.equal(f.status_code, 'partial_succeeded');
    assert.ok(f.output.images.length > 0 && f.output.errors.length > 0);
    assert.equal(l.status_code, 'succeeded');
    const logs = (await call(emu, `/v1/runs/${llm.id}/logs?limit=500`)).body.items;
    assert.ok(logs.length > 100, `slow-llm wrote ${logs.length} lines`);
  });

  describe('create validation', () => {
    const cases: Array<[string, unknown, Array<string | number>]> = [
      ['missing input', { metadata: {} }, ['body', 'input']],
      ['input not an object', { input: ['a'] }, ['body', 'input']],
      ['input null', { input: null }, ['body', 'input']],
      ['client_ref over 255 chars', { input: { prompt: 'x' }, client_ref: 'r'.repeat(256) }, ['body', 'client_ref']],
      ['callback_url not http(s)', { input: { prompt: 'x' }, callback_url: 'ftp://example.com/hook' }, ['body', 'callback_url']],
      ['callback_url javascript:', { input: { prompt: 'x' }, callback_url: 'javascript:alert(1)' }, ['body', 'callback_url']],
      ['callback_url not a URL', { input: { prompt: 'x' }, callback_url: 'not a url' }, ['body', 'callback_url']],
      ['metadata not an object', { input: { prompt: 'x' }, metadata: 'x' }, ['body', 'metadata']],
      ['a required model input missing', { input: { steps: 4 } }, ['body', 'input', 'prompt']],
      ['a model input of the wrong type', { input: { prompt: 'x', steps: 'four' } }, ['body', 'input', 'steps']],
      ['body not an object', [1, 2], ['body']],
    ];
    for (const [name, body, loc] of cases) {
      it(`422 for ${name}`, async () => {
        const res = await create(emu, 'runflow/sdxl-turbo', body);
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.deepEqual(res.body.detail[0].loc, loc);
      });
    }

    it('accepts client_ref of exactly 255 chars and a null callback_url', async () => {
      const res = await create(emu, 'runflow/sdxl-turbo', { input: { prompt: 'x' }, client_ref: 'r'.repeat(255), callback_url: null });
      assert.equal(res.status, 201);
    });

    it('422 for bad JSON and an empty body', async () => {
      const bad = await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', raw: '{"input": {' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.detail[0].type, 'json_invalid');
      assert.equal(bad.body.detail[0].loc[0], 'body');
      const empty = await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', raw: '' });
      assert.equal(empty.status, 422);
    });

    it('404 for an unknown model, 401 without a token', async () => {
      const res = await create(emu, 'runflow/nope');
      assert.equal(res.status, 404);
      assert.match(res.body.detail, /runflow\/nope/);
      const anon = await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', token: null, body: { input: {} } });
      assert.equal(anon.status, 401);
    });
  });

  describe('PATCH /v1/runs/{id}', () => {
    it('cancels an active run: timers stop and completed_at is set', async () => {
      const slow = await startEmulator({ speed: 20, runCount: 0 });
      try {
        const { body } = await create(slow, 'runflow/slow-llm', { input: { prompt: 'long' } });
        await waitFor(async () => (await call(slow, `/v1/runs/${body.id}`)).body.status_code === 'running', 3000);
        const res = await call(slow, `/v1/runs/${body.id}`, { method: 'PATCH', body: { status_code: 'cancelled' } });
        assert.equal(res.status, 200);
        assert.equal(res.body.status_code, 'cancelled');
        assert.ok(res.body.completed_at);
        assert.equal(typeof res.body.duration_ms, 'number');
        const logCount = (await call(slow, `/v1/runs/${body.id}/logs?limit=500`)).body.items.length;
        await sleep(300);
        const after = await call(slow, `/v1/runs/${body.id}?embed=node_runs`);
        assert.equal(after.body.status_code, 'cancelled');
        assert.ok(after.body.node_runs.every((n: { state_code: string }) => n.state_code !== 'running' && n.state_code !== 'pending'));
        assert.equal((await call(slow, `/v1/runs/${body.id}/logs?limit=500`)).body.items.length, logCount, 'no logs after cancel');
      } finally {
        await slow.close();
      }
    });

    it('cancels a static seeded active run too', async () => {
      const queued = emu.insertRun({ status_code: 'queued' });
      const res = await call(emu, `/v1/runs/${queued.id}`, { method: 'PATCH', body: { status_code: 'cancelled' } });
      assert.equal(res.body.status_code, 'cancelled');
      assert.equal(emu.getRun(queued.id)?.status_code, 'cancelled');
    });

    it('updates the documented fields', async () => {
      const run = emu.insertRun({ status_code: 'running' });
      const res = await call(emu, `/v1/runs/${run.id}`, {
        method: 'PATCH',
        body: { output: { text: 'hi' }, duration_ms: 1200, cost: 0.5, nodes_total: 4, nodes_completed: 2, started_at: '2024-01-02T03:04:05Z', updated_at: '2024-01-02T03:04:06Z' },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.output, { text: 'hi' });
      assert.equal(res.body.duration_ms, 1200);
      assert.equal(res.body.cost, '0.5');
      assert.equal(res.body.nodes_completed, 2);
      assert.equal(res.body.started_at, '2024-01-02T03:04:05.000Z');
      const text = await call(emu, `/v1/runs/${run.id}`, { method: 'PATCH', body: { cost: '0.0125' } });
      assert.equal(text.body.cost, '0.0125');
    });

    it('answers 409 when changing the status of a finished run, and allows repeating it', async () => {
      const run = emu.insertRun({ status_code: 'succeeded' });
      const res = await call(emu, `/v1/runs/${run.id}`, { method: 'PATCH', body: { status_code: 'cancelled' } });
      assert.equal(res.status, 409);
      assert.match(res.body.detail, /succeeded/);
      const same = await call(emu, `/v1/runs/${run.id}`, { method: 'PATCH', body: { status_code: 'succeeded' } });
      assert.equal(same.status, 200);
    });

    it('answers 422 for invalid fields and 404 for unknown or foreign runs', async () => {
      const run = emu.insertRun({ status_code: 'running' });
      for (const [body, field] of [
        [{ status_code: 'exploded' }, 'status_code'],
        [{ duration_ms: 1.5 }, 'duration_ms'],
        [{ nodes_completed: -1 }, 'nodes_completed'],
        [{ cost: 'cheap' }, 'cost'],
        [{ completed_at: 'yesterday' }, 'completed_at'],
        [{ output: [1] }, 'output'],
      ] as const) {
        const res = await call(emu, `/v1/runs/${run.id}`, { method: 'PATCH', body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.deepEqual(res.body.detail[0].loc, ['body', field]);
      }
      assert.equal((await call(emu, '/v1/runs/nope', { method: 'PATCH', body: {} })).status, 404);
      const foreign = emu.insertRun({ status_code: 'running', org_id: 'org_other' });
      assert.equal((await call(emu, `/v1/runs/${foreign.id}`, { method: 'PATCH', body: { status_code: 'cancelled' } })).status, 404);
    });
  });
});
