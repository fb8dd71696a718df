import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import { LIST_CACHE_VERSION, listCacheKey, RunListCache, SAVED_AT_REFRESH_MS, type ListCacheKey } from '../../../src/runs/listCache';
import { MemoryMemento } from '../support/memoryStorage';

const URL_A = 'https://api.runflow.example';
const KEY_A: ListCacheKey = { baseUrl: URL_A, organizationId: undefined, filter: {} };
const T0 = Date.parse('2026-11-30T12:00:00Z');

function runs(n: number, extra: Partial<Run> = {}): Run[] {
  return Array.from({ length: n }, (_, i) => ({ id: `run-${i}`, status_code: 'succeeded', created_at: new Date(T0 - i * 60_000).toISOString(), ...extra }) as Run);
}

/** A memento that counts its writes, to prove an unchanged list is not written again. */
class CountingMemento extends MemoryMemento {
  writes = 0;
  override async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    await super.update(key, value);
  }
}

describe('RunListCache', () => {
  it('reads back what it saved, also from a new instance over the same storage (the next start)', async () => {
    const memento = new MemoryMemento();
    assert.equal(await new RunListCache(memento).save(KEY_A, runs(3), T0), true);
    const read = new RunListCache(memento).read(KEY_A);
    assert.deepEqual(read, { runs: runs(3), savedAt: T0 });
  });

  it('keeps each run as its row needs it: no output or metadata, embedded targets cut to their names', async () => {
    const memento = new MemoryMemento();
    const graph = { nodes: Array.from({ length: 500 }, (_, i) => ({ id: i, type: 'KSampler' })) };
    const heavy = {
      ...runs(1)[0],
      input: { prompt: 'a cat' },
      output: { images: ['x'.repeat(10_000)] },
      metadata: { notes: 'y'.repeat(10_000) },
      comfyui_workflow: { id: 'wf_1', name: 'Upscale', slug: 'me/upscale', workflow: graph },
      model: null,
    } as unknown as Run;
    await new RunListCache(memento).save(KEY_A, [heavy], T0);
    const [kept] = new RunListCache(memento).read(KEY_A)!.runs as unknown as Record<string, unknown>[];
    assert.deepEqual(kept, { ...runs(1)[0], input: { prompt: 'a cat' }, comfyui_workflow: { id: 'wf_1', name: 'Upscale', slug: 'me/upscale' }, model: null });
    assert.ok(JSON.stringify(memento.get(memento.keys()[0])).length < 1_000);
  });

  it('keys by normalized base URL, organisation and filter, the filter in any field order', async () => {
    const memento = new MemoryMemento();
    const cache = new RunListCache(memento);
    await cache.save(KEY_A, runs(2), T0);
    assert.ok(cache.read({ ...KEY_A, baseUrl: `${URL_A}/` }), 'a trailing slash names the same server');
    assert.equal(cache.read({ ...KEY_A, baseUrl: 'https://other.example' }), undefined, 'another server');
    assert.equal(cache.read({ ...KEY_A, organizationId: 'org_other' }), undefined, 'another organisation');
    assert.equal(cache.read({ ...KEY_A, filter: { statuses: ['failed'] } }), undefined, 'another filter');
    assert.equal(
      listCacheKey({ ...KEY_A, filter: { statuses: ['running', 'failed'], target: 'sdxl' } }),
      listCacheKey({ ...KEY_A, filter: { target: 'sdxl', statuses: ['failed', 'running'], query: '' } }),
    );
    assert.equal(listCacheKey({ ...KEY_A, organizationId: ' ' }), listCacheKey(KEY_A), 'a blank organisation is none');
  });

  it('keeps nothing of the token: the stored text holds only the server, organisation, filter and runs', async () => {
    const memento = new MemoryMemento();
    await new RunListCache(memento).save({ ...KEY_A, organizationId: 'org_demo' }, runs(2), T0);
    const [key] = memento.keys();
    assert.deepEqual(JSON.parse(key.slice(key.indexOf(':') + 1)), [URL_A, 'org_demo', {}]);
    assert.deepEqual(Object.keys(memento.get<object>(key)!).sort(), ['runs', 'savedAt', 'version']);
  });

  it('drops an entry of another version or shape instead of reading it', async () => {
    const memento = new MemoryMemento();
    const key = listCacheKey(KEY_A);
    await memento.update(key, { version: LIST_CACHE_VERSION + 1, savedAt: T0, runs: runs(2) });
    assert.equal(new RunListCache(memento).read(KEY_A), undefined);
    assert.deepEqual(memento.keys(), [], 'the mismatched entry is gone');
    await memento.update(key, { version: LIST_CACHE_VERSION, savedAt: 'yesterday', runs: runs(2) });
    assert.equal(new RunListCache(memento).read(KEY_A), undefined);
    assert.deepEqual(memento.keys(), []);
  });

  it('writes an unchanged list again only once its time is SAVED_AT_REFRESH_MS old', async () => {
    const memento = new CountingMemento();
    const cache = new RunListCache(memento);
    assert.equal(await cache.save(KEY_A, runs(5), T0), true);
    const writes = memento.writes;
    for (let i = 1; i <= 10; i++) assert.equal(await cache.save(KEY_A, runs(5), T0 + i * 5_000), false, `poll ${i} of an unchanged list`);
    assert.equal(memento.writes, writes, 'no write for an unchanged list');
    assert.equal(await new RunListCache(memento).save(KEY_A, runs(5), T0 + 10_000), false, 'a new window compares with what is stored');
    assert.equal(await cache.save(KEY_A, runs(5, { status_code: 'failed' }), T0 + 60_000), true, 'a changed list is written');
    assert.equal(await cache.save(KEY_A, runs(5, { status_code: 'failed' }), T0 + 60_000 + SAVED_AT_REFRESH_MS), true, 'the time is brought up to date');
    assert.equal(cache.read(KEY_A)?.savedAt, T0 + 60_000 + SAVED_AT_REFRESH_MS);
  });

  it('trims the oldest runs until the entry fits its size cap, and keeps none when even one does not fit', async () => {
    const memento = new MemoryMemento();
    const cache = new RunListCache(memento, { maxEntryBytes: 4_000, maxEntries: 4 });
    const heavy = runs(50, { error_message: 'x'.repeat(200) } as Partial<Run>);
    await cache.save(KEY_A, heavy, T0);
    const kept = cache.read(KEY_A)!.runs;
    assert.ok(kept.length > 0 && kept.length < 50, `${kept.length} runs kept`);
    assert.deepEqual(kept, heavy.slice(0, kept.length), 'the newest runs, in order');
    assert.ok([...memento.stored.values()][0].length <= 4_000);
    await cache.save(KEY_A, runs(1, { error_message: 'x'.repeat(5_000) } as Partial<Run>), T0 + 1);
    assert.equal(cache.read(KEY_A), undefined);
    assert.deepEqual(memento.keys(), []);
  });

  it('keeps only the most recently saved entries', async () => {
    const memento = new MemoryMemento();
    const cache = new RunListCache(memento, { maxEntryBytes: 256 * 1024, maxEntries: 2 });
    const key = (target: string): ListCacheKey => ({ ...KEY_A, filter: { target } });
    await cache.save(key('a'), runs(1), T0);
    await cache.save(key('b'), runs(1), T0 + 1);
    await cache.save(key('c'), runs(1), T0 + 2);
    assert.equal(memento.keys().length, 2);
    assert.equal(cache.read(key('a')), undefined, 'the oldest went');
    assert.ok(cache.read(key('b')) && cache.read(key('c')));
    await memento.update('runflow.somethingElse', 1);
    await cache.save(key('a'), runs(1), T0 + 3);
    assert.equal(cache.read(key('b')), undefined);
    assert.equal(memento.get('runflow.somethingElse'), 1, 'keys that are not the cache are left alone');
  });

  it('clears every entry of a server, whatever the organisation and filter, and no other server', async () => {
    const memento = new MemoryMemento();
    const cache = new RunListCache(memento);
    await cache.save(KEY_A, runs(1), T0);
    await cache.save({ ...KEY_A, organizationId: 'org_other', filter: { statuses: ['failed'] } }, runs(1), T0 + 1);
    await cache.save({ ...KEY_A, baseUrl: 'http://127.0.0.1:4010' }, runs(1), T0 + 2);
    await cache.clearBaseUrl(`${URL_A}/`);
    assert.equal(cache.read(KEY_A), undefined);
    assert.equal(memento.keys().length, 1);
    assert.ok(cache.read({ ...KEY_A, baseUrl: 'http://127.0.0.1:4010' }));
    assert.equal(await cache.save(KEY_A, runs(1), T0 + 3), true, 'after a clear the same list is written again');
  });
});
