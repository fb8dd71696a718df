import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { call, qs } from './helpers';

interface Log {
  id: string;
  run_id: string;
  level_code: string;
  message: string;
  timestamp: string;
}

const BIG = 100_000;

describe('emulator GET /v1/runs/{run_id}/logs', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, runCount: 40, bigLogLines: BIG });
  });
  after(() => emu.close());

  it('exposes the big-log run as a succeeded runflow/log-storm run', async () => {
    assert.ok(emu.bigLogRunId);
    const run = (await call(emu, `/v1/runs/${emu.bigLogRunId}?embed=model`)).body;
    assert.equal(run.status_code, 'succeeded');
    assert.equal(run.model.slug, 'log-storm');
    const found = (await call(emu, `/v1/runs${qs({ q: 'model.slug = "log-storm" and client_ref = "log-storm"' })}`)).body.items;
    assert.deepEqual(found.map((r: { id: string }) => r.id), [emu.bigLogRunId]);
  });

  it(`pages through all ${BIG} lines of the big log forward, in (timestamp, id) order`, async function () {
    this.timeout(15000);
    let count = 0;
    let last: Log | null = null;
    const ids = new Set<string>();
    let page = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs?limit=500`)).body;
    assert.equal(page.previous, null);
    let firstMessage = '';
    for (;;) {
      for (const l of page.items as Log[]) {
        if (count === 0) firstMessage = l.message;
        if (last) assert.ok(last.timestamp < l.timestamp || (last.timestamp === l.timestamp && last.id < l.id));
        ids.add(l.id);
        last = l;
        count++;
      }
      if (!page.next) break;
      page = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs${qs({ limit: 500, pq: page.next })}`)).body;
    }
    assert.equal(count, BIG);
    assert.equal(ids.size, BIG);
    assert.match(firstMessage, /starting/);
    assert.match(last?.message ?? '', /done/);

    // And back again from the end for a few pages.
    let back = page;
    for (let i = 0; i < 3; i++) {
      back = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs${qs({ limit: 500, pq: back.previous, from_prev: true })}`)).body;
      assert.equal(back.items.length, 500);
    }
    assert.match(back.items[0].message, new RegExp(`^line ${BIG - 500 * 4} of`));
  });

  it('sorts descending and filters with q', async () => {
    const desc = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs?limit=2&sort_by=timestamp:desc`)).body;
    assert.match(desc.items[0].message, /done/);
    const errors = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs${qs({ q: 'level_code = "error"', limit: 500 })}`)).body.items as Log[];
    assert.ok(errors.length > 0);
    assert.ok(errors.every((l) => l.level_code === 'error'));
    const hostile = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs${qs({ q: 'message ~ "<script>"', limit: 500 })}`)).body.items as Log[];
    assert.ok(hostile.length > 0);
    const long = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs${qs({ q: 'message ~ "dtype=torch"', limit: 5 })}`)).body.items as Log[];
    assert.ok(long.length > 0 && long[0].message.length > 5000);
    const bad = await call(emu, `/v1/runs/${emu.bigLogRunId}/logs${qs({ q: 'colour = "red"' })}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /^q: unknown field 'colour' at position 0/);
  });

  it('projects fields and rejects sorting by anything but timestamp', async () => {
    const res = (await call(emu, `/v1/runs/${emu.bigLogRunId}/logs?limit=3&fields=message`)).body;
    for (const l of res.items) assert.deepEqual(Object.keys(l).sort(), ['id', 'message']);
    const badSort = await call(emu, `/v1/runs/${emu.bigLogRunId}/logs?sort_by=message:asc`);
    assert.equal(badSort.status, 422);
    assert.equal((await call(emu, `/v1/runs/${emu.bigLogRunId}/logs?limit=501`)).status, 422);
  });

  it('answers 404 for unknown runs and for runs of another organisation', async () => {
    assert.equal((await call(emu, '/v1/runs/nope/logs')).status, 404);
    const other = (await call(emu, '/v1/runs?limit=1', { org: 'org_other' })).body.items[0];
    assert.equal((await call(emu, `/v1/runs/${other.id}/logs`)).status, 404);
    assert.equal((await call(emu, `/v1/runs/${other.id}/logs`, { org: 'org_other' })).status, 200);
  });

  it('searches every run of the organisation with run_id = any', async () => {
    const small = await startEmulator({ runCount: 60 });
    try {
      const seen = new Set<string>();
      const runs = new Set<string>();
      let prev: Log | null = null;
      let page = (await call(small, '/v1/runs/any/logs?limit=300')).body;
      for (;;) {
        for (const l of page.items as Log[]) {
          assert.ok(!seen.has(l.id));
          seen.add(l.id);
          runs.add(l.run_id);
          if (prev) assert.ok(prev.timestamp < l.timestamp || (prev.timestamp === l.timestamp && prev.id < l.id));
          prev = l;
        }
        if (!page.next) break;
        page = (await call(small, `/v1/runs/any/logs${qs({ limit: 300, pq: page.next })}`)).body;
      }
      assert.ok(runs.size > 10, 'lines from many runs');
      const orgRuns = (await call(small, '/v1/runs?limit=500&fields=id,has_logs')).body.items as Array<{ id: string }>;
      let expected = 0;
      for (const r of orgRuns) {
        const logs = (await call(small, `/v1/runs/${r.id}/logs?limit=500`)).body;
        assert.equal(logs.next, null);
        expected += logs.items.length;
      }
      assert.equal(seen.size, expected, 'every line of every run of the org, once');
      const other = (await call(small, '/v1/runs/any/logs?limit=500', { org: 'org_other' })).body.items as Log[];
      assert.ok(other.every((l) => !seen.has(l.id)));
    } finally {
      await small.close();
    }
  });
});
