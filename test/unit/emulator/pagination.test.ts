import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { call, qs } from './helpers';

interface Page {
  items: Array<{ id: string }>;
  first: string | null;
  next: string | null;
  previous: string | null;
}

async function page(emu: Emulator, params: Record<string, string | number | boolean | undefined>): Promise<Page> {
  const res = await call(emu, `/v1/runs${qs(params)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Page;
}

describe('emulator pagination', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, speed: 50 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it('walks next to the end and previous back to the start, each run exactly once, while runs keep arriving', async () => {
    const before = (await page(emu, { limit: 500 })).items.map((r) => r.id);
    const limit = 17;
    const forward: string[] = [];
    let p = await page(emu, { limit });
    assert.equal(p.previous, null, 'no previous on the first page');
    assert.ok(p.first);
    let pages = 1;
    for (;;) {
      forward.push(...p.items.map((r) => r.id));
      // New runs land at the top (newest), in the middle (backdated), and through the API.
      emu.insertRun({ status_code: 'running', created_at: new Date().toISOString() });
      emu.insertRun({ status_code: 'succeeded', created_at: new Date(Date.now() - pages * 3600_000).toISOString() });
      await call(emu, '/v1/models/runflow/sdxl-turbo/runs', { method: 'POST', body: { input: { prompt: 'concurrent' } } });
      if (!p.next) break;
      p = await page(emu, { limit, pq: p.next });
      pages++;
    }
    assert.equal(new Set(forward).size, forward.length, 'no run twice going forward');
    for (const id of before) assert.ok(forward.includes(id), `run ${id} was skipped`);
    assert.ok(pages >= Math.ceil(before.length / limit));

    const backward: string[] = [...p.items.map((r) => r.id)];
    let back = p;
    while (back.previous) {
      back = await page(emu, { limit, pq: back.previous, from_prev: true });
      assert.ok(back.items.length > 0 && back.items.length <= limit);
      assert.ok(back.next, 'a page reached backwards has a next');
      backward.unshift(...back.items.map((r) => r.id));
      emu.insertRun({ status_code: 'queued', created_at: new Date(Date.now() - 7 * 3600_000).toISOString() });
    }
    assert.equal(new Set(backward).size, backward.length, 'no run twice going back');
    for (const id of before) assert.ok(backward.includes(id), `run ${id} was skipped going back`);
  });

  it('cuts pages identically whichever field sorts them, nulls included', async () => {
    for (const sort of ['duration_ms:asc', 'cost:desc', 'status_code:asc', 'completed_at:desc', 'client_ref:asc', 'feedback_is_positive:desc']) {
      const all = (await page(emu, { limit: 500, sort_by: sort })).items.map((r) => r.id);
      const walked: string[] = [];
      let p = await page(emu, { limit: 23, sort_by: sort });
      walked.push(...p.items.map((r) => r.id));
      while (p.next) {
        p = await page(emu, { limit: 23, sort_by: sort, pq: p.next });
        walked.push(...p.items.map((r) => r.id));
      }
      assert.deepEqual(walked, all, sort);
    }
  });

  it('pages a filtered listing and stops with next = null', async () => {
    const q = 'status_code = "failed"';
    const all = (await page(emu, { limit: 500, q })).items.map((r) => r.id);
    assert.ok(all.length > 10);
    const first = await page(emu, { limit: 10, q });
    assert.deepEqual(first.items.map((r) => r.id), all.slice(0, 10));
    let p = first;
    const walked = [...p.items.map((r) => r.id)];
    while (p.next) {
      p = await page(emu, { limit: 10, q, pq: p.next });
      walked.push(...p.items.map((r) => r.id));
    }
    assert.deepEqual(walked, all);
    assert.equal(p.next, null);
    assert.ok(p.previous);
    const viaFirst = await page(emu, { limit: 10, q, pq: first.first as string });
    assert.deepEqual(viaFirst.items, first.items, 'the first cursor leads to the first page');
  });

  it('rejects foreign, mismatched and misdirected cursors', async () => {
    const p1 = await page(emu, { limit: 5 });
    const p2 = await page(emu, { limit: 5, pq: p1.next as string });
    const garbage = await call(emu, '/v1/runs?pq=not-a-cursor!');
    assert.equal(garbage.status, 422);
    assert.deepEqual(garbage.body.detail[0].loc, ['query', 'pq']);
    const wrongSort = await call(emu, `/v1/runs${qs({ pq: p1.next as string, sort_by: 'cost:asc' })}`);
    assert.equal(wrongSort.status, 422);
    assert.match(wrongSort.body.detail[0].msg, /created_at:desc/);
    const prevWithoutFlag = await call(emu, `/v1/runs${qs({ pq: p2.previous as string })}`);
    assert.equal(prevWithoutFlag.status, 422);
    assert.deepEqual(prevWithoutFlag.body.detail[0].loc, ['query', 'from_prev']);
    const nextWithFlag = await call(emu, `/v1/runs${qs({ pq: p1.next as string, from_prev: true })}`);
    assert.equal(nextWithFlag.status, 422);
    const badBool = await call(emu, '/v1/runs?from_prev=perhaps');
    assert.equal(badBool.status, 422);
    assert.deepEqual(badBool.body.detail[0].loc, ['query', 'from_prev']);
  });
});
