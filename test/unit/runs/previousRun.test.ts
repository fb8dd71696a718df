import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import { makeClientRef, clientRefOrigin } from '../../../src/runs/createRun';
import { findPreviousRun, lineageOf } from '../../../src/runs/previousRun';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'tok-previous-run-41d0';
const HOUR = 3_600_000;

describe('the run before a run', () => {
  const suite = useEmulator(TOKEN, { runCount: 300 });
  const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

  function insert(fields: Partial<Run>): Run {
    return suite.emu.insertRun({ status_code: 'succeeded', ...fields } as Parameters<typeof suite.emu.insertRun>[0]) as Run;
  }

  it('reads the file a client_ref was made from, and tells runs launched again apart', () => {
    assert.equal(clientRefOrigin(makeClientRef('sdxl-turbo')), 'sdxl-turbo');
    assert.equal(clientRefOrigin('order-1234'), undefined);
    assert.deepEqual(lineageOf({ client_ref: makeClientRef('portrait'), model_id: 'm' }, false), { kind: 'launchFile', origin: 'portrait' });
    assert.deepEqual(lineageOf({ client_ref: makeClientRef('rerun-1a2b3c4d'), target_type: 'model', model_id: 'm' }, false), { kind: 'target', target: 'model', id: 'm' });
    assert.deepEqual(lineageOf({ client_ref: 'my-own-ref', model_id: 'm' }, true), { kind: 'clientRef', clientRef: 'my-own-ref' });
    assert.deepEqual(lineageOf({ client_ref: 'my-own-ref', flow_id: 'f' }, false), { kind: 'target', target: 'flow', id: 'f' });
    assert.equal(lineageOf({}, false), undefined);
  });

  it('finds the newest earlier run of the same target deep in the listing, comparing times as instants', async () => {
    // Older than every seeded run: the walk goes through pages of them first.
    const older = insert({ target_type: 'model', model_id: 'prev-model', created_at: at(400 * 24 * HOUR) });
    // Half a second later than `older`, written at -02:00: as text it sorts before `older`, as an instant after.
    const later = new Date(Date.parse(older.created_at!) + 500 - 2 * HOUR).toISOString().replace('Z', '-02:00');
    assert.ok(later < older.created_at!);
    const previous = insert({ target_type: 'model', model_id: 'prev-model', created_at: later });
    const run = insert({ target_type: 'model', model_id: 'prev-model', created_at: at(0) });
    suite.emu.resetRequests();
    const found = await findPreviousRun(suite.client, run, { loaded: [], loadedComplete: false, fromLaunchFile: false, pageSize: 50 });
    assert.equal(found.kind, 'found');
    assert.equal(found.kind === 'found' && found.run.id, previous.id);
    const requests = suite.emu.requests({ method: 'GET', path: '/v1/runs' });
    assert.ok(requests.length >= 6, `pages read: ${requests.length}`);
    for (const r of requests) assert.equal(r.query.q, undefined, JSON.stringify(r.query));
  });

  it('answers from the loaded runs without a request when nothing filters them', async () => {
    const ref = makeClientRef('portrait');
    const previous = insert({ model_id: 'm', client_ref: makeClientRef('portrait'), created_at: at(2 * HOUR) });
    const other = insert({ model_id: 'm', client_ref: makeClientRef('landscape'), created_at: at(HOUR) });
    const run = insert({ model_id: 'm', client_ref: ref, created_at: at(0) });
    suite.emu.resetRequests();
    const found = await findPreviousRun(suite.client, run, { loaded: [run, other, previous], loadedComplete: true, fromLaunchFile: false });
    assert.equal(found.kind === 'found' && found.run.id, previous.id);
    assert.equal(suite.emu.requests().length, 0);
  });

  it('says when none is found within the budget, and how far it looked', async () => {
    const run = insert({ model_id: 'a-model-run-once', created_at: at(0) });
    const found = await findPreviousRun(suite.client, run, { loaded: [], loadedComplete: false, fromLaunchFile: false, pageSize: 20, maxPages: 3 });
    assert.deepEqual(found.kind === 'none' && [found.reason, found.pages, found.runsRead], ['max_pages', 3, 60]);
    const all = await findPreviousRun(suite.client, run, { loaded: [], loadedComplete: false, fromLaunchFile: false, pageSize: 500 });
    // Every run the token sees, read to the listing's end.
    const listed = (await suite.client.searchRuns({ limit: 500 })).items.length;
    assert.deepEqual(all.kind === 'none' && [all.reason, all.runsRead], ['end', listed]);
  });

  it('stops on a server that repeats its cursor', async () => {
    const run = insert({ model_id: 'a-model-run-once', created_at: at(0) });
    const page = { items: [{ id: 'x', model_id: 'other', created_at: at(HOUR) }], next: 'same' };
    let asked = 0;
    const api = { searchRuns: async () => (asked++, page) } as unknown as Parameters<typeof findPreviousRun>[0];
    const found = await findPreviousRun(api, run, { loaded: [], loadedComplete: false, fromLaunchFile: false });
    assert.deepEqual(found.kind === 'none' && [found.reason, asked], ['repeated_cursor', 2]);
  });
});
