import { strict as assert } from 'node:assert';
import type { RunflowClient } from '../../../src/api/client';
import type { Run } from '../../emulator/types';
import { RunStore } from '../../../src/runs/runStore';
import type { Emulator } from '../../emulator';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'span-test-token';
const PAGE = 20;
const LOADED = 100;

/**
 * LOADED runs one second apart, newest first, all succeeded but those `unfinished` names by position
 * (0 the newest). Answers their ids in that order.
 */
function seed(emu: Emulator, unfinished: Record<number, Partial<Run>>): string[] {
  const now = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < LOADED; i++) {
    const run = emu.insertRun({ status_code: 'succeeded', created_at: new Date(now - i * 1_000).toISOString(), ...unfinished[i] } as Partial<Run> & { status_code: string });
    ids.push(run.id!);
  }
  return ids;
}

/** The first page, then "Load more" until every seeded run is loaded; the request log starts empty after. */
async function loadAll(emu: Emulator, store: RunStore): Promise<void> {
  await store.refresh();
  while (store.size < LOADED && store.hasMore) await store.loadMore();
  emu.resetRequests();
}

/** The `limit` of every list request since the log was last emptied. */
function listLimits(emu: Emulator): number[] {
  return emu.requests({ method: 'GET', path: '^/v1/runs$' }).map((r) => Number(r.query.limit));
}

function refreshSpanSuite(name: string, strict: false | 'refuse-q'): void {
  describe(`RunStore: a refresh reaches down to the oldest run that may still change (${name})`, function () {
    this.timeout(20_000);
    const suite = useEmulator(TOKEN, { speed: 50, runCount: 0, strict });
    let emu: Emulator;
    let client: RunflowClient;
    before(() => ({ emu, client } = suite));

    it('asks for the runs down to the oldest active one plus a page, in one request', async () => {
      seed(emu, { 2: { status_code: 'running' }, 7: { status_code: 'queued' }, 33: { status_code: 'running' } });
      const store = new RunStore(() => client, PAGE);
      await loadAll(emu, store);
      assert.equal(store.size, LOADED);
      await store.refresh();
      assert.deepEqual(listLimits(emu), [PAGE + 34], 'the 34 newest runs reach the oldest active one; a page on top for new arrivals');
    });

    it('keeps a finished run beyond the span as it was, listed, and not asked for again', async () => {
      const ids = seed(emu, { 5: { status_code: 'running' } });
      const store = new RunStore(() => client, PAGE);
      await loadAll(emu, store);
      const deep = ids[80];
      const before = store.get(deep);
      emu.updateRun(deep, { metadata: { edited: 'on the server' } });
      await store.refresh();
      assert.deepEqual(listLimits(emu), [PAGE + 6]);
      assert.equal(store.size, LOADED, 'nothing older than the span leaves the list');
      assert.deepEqual(store.get(deep), before, 'a finished run beyond the span keeps the data it had');
      assert.ok(store.all().some((r) => r.id === deep));
    });

    it('still refreshes an active run deep in the list and sees its change; then asks for a page only', async () => {
      const ids = seed(emu, { 95: { status_code: 'running' } });
      const store = new RunStore(() => client, PAGE);
      await loadAll(emu, store);
      const changes: string[][] = [];
      store.onDidChange((c) => changes.push(c.changed));
      emu.updateRun(ids[95], { status_code: 'succeeded', completed_at: new Date().toISOString() });
      await store.refresh();
      assert.equal(store.get(ids[95])?.status_code, 'succeeded');
      assert.deepEqual(changes, [[ids[95]]]);
      await store.refresh();
      assert.deepEqual(listLimits(emu), [PAGE + 96, PAGE], 'once every loaded run is finished, the newest page is all a refresh asks for');
      assert.equal(store.size, LOADED);
    });

    it('counts a run in a status nobody knows, or in none, as one that may still change', async () => {
      const ids = seed(emu, { 60: { status_code: 'timed_out' as never }, 70: { status_code: null } });
      const store = new RunStore(() => client, PAGE);
      await loadAll(emu, store);
      emu.updateRun(ids[60], { status_code: 'failed' });
      emu.updateRun(ids[70], { status_code: 'cancelled' });
      await store.refresh();
      assert.equal(store.get(ids[60])?.status_code, 'failed', 'the run in an unknown status was refreshed');
      assert.equal(store.get(ids[70])?.status_code, 'cancelled', 'the run with no status was refreshed');
      await store.refresh();
      assert.deepEqual(listLimits(emu), [PAGE + 71, PAGE]);
    });

    it('reaches every loaded run while one that may still change has no readable time', async () => {
      seed(emu, { 40: { status_code: 'running', created_at: 'yesterday' } });
      const store = new RunStore(() => client, PAGE);
      await loadAll(emu, store);
      assert.equal(store.size, LOADED);
      await store.refresh();
      assert.deepEqual(listLimits(emu), [PAGE + LOADED], 'it could sit anywhere in the listing');
    });

    it('counts the runs a filter checked here passed over, and lists an active one once it passes', async () => {
      const failed = Object.fromEntries([3, 12, 25, 48].map((i) => [i, { status_code: 'failed' }]));
      const ids = seed(emu, { ...failed, 50: { status_code: 'running' } });
      const store = new RunStore(() => client, PAGE);
      store.setFilter({ statuses: ['failed'], local: true });
      await store.refresh();
      while (store.hasMore) await store.loadMore();
      assert.deepEqual(store.all().map((r) => r.id), [3, 12, 25, 48].map((i) => ids[i]));
      emu.resetRequests();
      emu.updateRun(ids[50], { status_code: 'failed' });
      await store.refresh();
      assert.deepEqual(listLimits(emu), [PAGE + 51], 'the listing holds the running run 51st, whatever the filter shows');
      assert.equal(store.get(ids[50])?.status_code, 'failed', 'the run that came to pass the filter joins the list');
      await store.refresh();
      assert.equal(listLimits(emu).at(-1), PAGE);
    });
  });
}

refreshSpanSuite('default emulator', false);
refreshSpanSuite('strict emulator', 'refuse-q');
