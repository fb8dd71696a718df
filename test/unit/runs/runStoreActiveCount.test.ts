import { strict as assert } from 'node:assert';
import type { RunflowClient } from '../../../src/api/client';
import { isActiveStatus } from '../../../src/core/runModel';
import { RunStore, type StoreChange } from '../../../src/runs/runStore';
import type { Emulator } from '../../emulator';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'count-test-token';
const PAGE = 20;

describe('RunStore: the count of active runs, whatever the filter', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { speed: 1 });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  /** Active runs among the newest page, asked of the emulator without any filter. */
  async function activeInNewestPage(): Promise<number> {
    const page = await client.searchRuns({ sort_by: 'created_at:desc', limit: PAGE });
    emu.resetRequests();
    return page.items.filter((r) => isActiveStatus(r.status_code)).length;
  }

  /** Makes sure the newest page holds active runs and runs of other statuses. */
  function seedActive(): void {
    const now = Date.now();
    for (let i = 0; i < 3; i++) emu.insertRun({ status_code: 'running', created_at: new Date(now - i * 1000).toISOString() });
    emu.insertRun({ status_code: 'queued', created_at: new Date(now - 5_000).toISOString() });
    emu.insertRun({ status_code: 'failed', created_at: new Date(now - 6_000).toISOString() });
  }

  it('counts the loaded runs with no filter, with no request of its own', async () => {
    seedActive();
    const expected = await activeInNewestPage();
    const store = new RunStore(() => client, PAGE);
    assert.equal(store.countsActiveApart, false);
    await store.refresh();
    assert.equal(emu.requests().length, 1, 'one request per refresh');
    assert.equal(store.activeCount, expected);
    assert.equal(store.activeCount, store.activeRuns().length);
    assert.equal(await store.refreshActiveCount(), undefined, 'nothing to count apart');
    assert.equal(emu.requests().length, 1);
  });

  it('counts apart with one light request while a filter sent to the server narrows the refresh', async () => {
    seedActive();
    const expected = await activeInNewestPage();
    assert.ok(expected >= 4);
    const store = new RunStore(() => client, PAGE);
    store.setFilter({ statuses: ['failed'] });
    assert.equal(store.countsActiveApart, true);
    const counts: number[] = [];
    store.onDidChangeActiveCount((n) => counts.push(n));
    await store.refresh();
    assert.ok(store.size > 0 && store.all().every((r) => r.status_code === 'failed'));
    assert.equal(store.activeRuns().length, 0, 'no active run passes the filter');
    assert.equal(await store.refreshActiveCount(), expected);
    assert.equal(store.activeCount, expected);
    assert.deepEqual(counts, [expected]);
    const [filtered, count] = emu.requests({ method: 'GET', path: '^/v1/runs$' });
    assert.match(filtered.query.q ?? '', /failed/);
    assert.equal(count.query.q, undefined, 'the count sends no q');
    assert.equal(count.query.embed, undefined, 'nor embeds');
    assert.equal(count.query.fields, 'id,status_code', 'only the fields the count reads');
    assert.equal(count.query.limit, String(PAGE));
    assert.equal(count.query.sort_by, 'created_at:desc');

    // A run that finishes outside the filter lowers the count at the next poll.
    const running = (await client.searchRuns({ sort_by: 'created_at:desc', limit: PAGE })).items.find((r) => r.status_code === 'running')!;
    emu.updateRun(running.id!, { status_code: 'succeeded', completed_at: new Date().toISOString() });
    await store.refresh();
    assert.equal(await store.refreshActiveCount(), expected - 1);
  });

  it('counts from the whole answer when the filter is checked here only: no request more', async () => {
    seedActive();
    const expected = await activeInNewestPage();
    for (const filter of [{ statuses: ['failed'], local: true }, { target: 'no-such-target-anywhere' }]) {
      const store = new RunStore(() => client, PAGE);
      store.setFilter(filter);
      assert.equal(store.countsActiveApart, false, JSON.stringify(filter));
      emu.resetRequests();
      const outcome = await store.refresh();
      assert.equal(emu.requests().length, 1, `one request for ${JSON.stringify(filter)}`);
      assert.equal(emu.requests()[0].query.q, undefined);
      assert.equal(store.activeRuns().length, 0);
      assert.equal(store.activeCount, expected, JSON.stringify(filter));
      assert.ok(outcome.kind === 'ok' && outcome.active, 'active runs outside the filter keep the active pace');
    }
  });

  it('keeps the count across a change of filter until the next answer, and forgets it with the server', async () => {
    seedActive();
    const expected = await activeInNewestPage();
    const store = new RunStore(() => client, PAGE);
    await store.refresh();
    assert.equal(store.activeCount, expected);
    store.setFilter({ statuses: ['failed'] });
    assert.equal(store.size, 0);
    assert.equal(store.activeCount, expected, 'no "no active runs" while the filtered runs load');
    store.setFilter({});
    assert.equal(store.activeCount, expected);
    store.reset();
    assert.equal(store.activeCount, 0, 'another server or token: nothing known');
  });

  it('marks the runs "Load more" brings, and versions a run only when its data changes', async () => {
    const store = new RunStore(() => client, PAGE);
    await store.refresh();
    const id = store.all()[0].id!;
    const version = store.versionOf(id);
    assert.ok(version !== undefined);
    await store.refresh();
    assert.equal(store.versionOf(id), version, 'the same data keeps its version');
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    await store.loadMore();
    assert.ok(changes.some((c) => c.appended && c.changed.length > 0), 'older runs are marked as appended');
    emu.updateRun(id, { status_code: 'cancelled' });
    changes.length = 0;
    await store.refresh();
    assert.ok(changes.every((c) => !c.appended));
    assert.ok((store.versionOf(id) ?? 0) > version!);
  });
});
