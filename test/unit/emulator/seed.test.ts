import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { call, qs } from './helpers';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '"><svg onload=alert(1)>'];

async function dump(emu: Emulator, org?: string): Promise<string> {
  const res = await call(emu, '/v1/runs?limit=500&embed=node_runs,current_evaluation_summary,logs', { org });
  return res.text.split(emu.url).join('{url}');
}

describe('emulator seed data', () => {
  let emu: Emulator;
  // The seed is inspected through many optional fields.
  let runs: Array<Record<string, any>>;
  before(async () => {
    emu = await startEmulator({ port: 0, now: () => NOW });
    runs = [
      ...(await call(emu, '/v1/runs?limit=500&embed=node_runs,current_evaluation_summary')).body.items,
      ...(await call(emu, '/v1/runs?limit=500&embed=node_runs,current_evaluation_summary', { org: 'org_other' })).body.items,
    ];
  });
  after(() => emu.close());

  it('is deterministic for a seed and differs across seeds', async () => {
    const twin = await startEmulator({ now: () => NOW });
    const other = await startEmulator({ now: () => NOW, seed: 2 });
    try {
      assert.equal(await dump(twin), await dump(emu));
      assert.equal(await dump(twin, 'org_other'), await dump(emu, 'org_other'));
      assert.notEqual(await dump(other), await dump(emu));
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('seeds 300 runs across two organisations, timestamped from the clock', () => {
    assert.equal(runs.length, 300);
    const other = runs.filter((r) => r.org_id === 'org_other').length;
    assert.ok(other > 10 && other < 100);
    for (const r of runs) if (r.created_at) assert.ok(Date.parse(r.created_at) <= NOW);
  });

  it('covers every status, target type and source, with static active runs', () => {
    const values = (k: string) => new Set(runs.map((r) => r[k]));
    for (const s of ['queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'partial_succeeded']) assert.ok(values('status_code').has(s), s);
    for (const t of ['model', 'flow', 'comfyui']) assert.ok(values('target_type').has(t), t);
    for (const s of ['playground', 'api', 'flow-node', null]) assert.ok(values('source_code').has(s), String(s));
    for (const s of ['dispatch', 'execution', 'callback', 'reconciliation']) assert.ok(values('failure_stage_code').has(s), s);
    const running = runs.filter((r) => r.status_code === 'running');
    assert.ok(running.length >= 3);
    assert.ok(running.some((r) => r.node_runs.some((n: { state_code: string }) => n.state_code === 'running')));
  });

  it('has nulls wherever the reference allows them', () => {
    const nullSomewhere = (k: string) => runs.some((r) => r[k] === null);
    for (const k of ['cost', 'duration_ms', 'started_at', 'completed_at', 'client_ref', 'metadata', 'input', 'links', 'has_logs', 'nodes_total', 'failure_message', 'target_version']) {
      assert.ok(nullSomewhere(k), k);
    }
    const blank = runs.find((r) => r.status_code === null);
    assert.ok(blank, 'a run whose every field but the id is null');
    for (const [k, v] of Object.entries(blank)) if (!['id', 'node_runs', 'current_evaluation_summary'].includes(k)) assert.equal(v, null, k);
    assert.ok(runs.every((r) => r.cost === null || /^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/.test(r.cost)));
  });

  it('mixes hostile, unicode, ANSI and very long strings into data and logs', async () => {
    const text = JSON.stringify(runs);
    for (const h of HOSTILE) assert.ok(text.includes(JSON.stringify(h).slice(1, -1)), h);
    assert.ok(runs.some((r) => HOSTILE.some((h) => String(r.failure_message).includes(h))), 'in a failure message');
    assert.ok(runs.some((r) => r.metadata && HOSTILE.includes(r.metadata.note)), 'in metadata');
    assert.ok(runs.some((r) => r.output && HOSTILE.includes(r.output.caption)), 'in outputs');
    const logs = async (q: string) => (await call(emu, `/v1/runs/any/logs${qs({ q, limit: 50 })}`)).body.items as Array<{ message: string }>;
    for (const h of HOSTILE) assert.ok((await logs(`message ~ ${JSON.stringify(h)}`)).length > 0, `log with ${h}`);
    assert.ok((await logs('message ~ "\\u001b["')).length > 0, 'ANSI escapes');
    assert.ok((await logs('message ~ "مرحبا"')).length > 0, 'RTL text');
    assert.ok((await logs('message ~ "👩‍👩‍👧‍👦"')).length > 0, 'emoji ZWJ sequences');
    assert.ok((await logs('message ~ "dtype=torch"')).some((l) => l.message.length > 5000), 'lines over 5,000 characters');
  });

  it('serves seeded image outputs as real PNGs without auth', async () => {
    const withImage = runs.find((r) => r.output?.images?.length > 0);
    const res = await fetch(withImage?.output.images[0].url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal((await fetch(`${emu.url}/files/..%2Fetc%2Fpasswd`)).status, 404);
  });

  it('declares the catalogue', () => {
    const slugs = emu.modelSlugs();
    for (const s of ['runflow/sdxl-turbo', 'runflow/broken-upscaler', 'runflow/slow-llm', 'runflow/flaky-pipeline', 'runflow/log-storm']) assert.ok(slugs.includes(s), s);
  });

  it('holds a million-line log without materialising it', async () => {
    const big = await startEmulator({ runCount: 5, bigLogLines: 1_000_000 });
    try {
      const heapBefore = process.memoryUsage().heapUsed;
      const last = (await call(big, `/v1/runs/${big.bigLogRunId}/logs?limit=500&sort_by=timestamp:desc`)).body;
      assert.match(last.items[0].message, /done: 1000000 lines/);
      const mid = (await call(big, `/v1/runs/${big.bigLogRunId}/logs${qs({ limit: 500, sort_by: 'timestamp:desc', pq: last.next })}`)).body;
      assert.equal(mid.items.length, 500);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 50 * 1024 * 1024);
    } finally {
      await big.close();
    }
  });
});
