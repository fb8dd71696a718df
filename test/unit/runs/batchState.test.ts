import * as assert from 'node:assert/strict';
import type { EntryResult } from '../../../src/runs/batchSend';
import { BatchState, type BatchRecord } from '../../../src/runs/batchState';
import { MemoryMemento } from '../support/memoryStorage';

function batch(id: string, createdAt: number, more: Partial<BatchRecord> = {}): BatchRecord {
  return {
    id,
    file: 'file:///work/lighthouse.runflow.json',
    label: 'lighthouse.runflow.json',
    model: 'runflow/sdxl-turbo',
    createdAt,
    entries: [0, 1, 2].map((index) => ({ index, label: `seed=${index + 1}`, input: { prompt: 'a lighthouse', seed: index + 1 }, state: 'pending' })),
    ...more,
  };
}

describe('BatchState', () => {
  let memento: MemoryMemento;
  let server: string;
  let state: BatchState;
  beforeEach(() => {
    memento = new MemoryMemento();
    server = 'https://api.runflow.io#org_demo';
    state = new BatchState(memento, () => server);
  });
  afterEach(() => state.dispose());

  it('shows only the current server’s batches, newest first, and finds any by id', async () => {
    await state.add(batch('a', 1, { file: 'file:///one' }));
    await state.add(batch('b', 2, { file: 'file:///one' }));
    await state.record('a', [{ index: 0, state: 'launched', runId: 'run-a0' }]);
    server = 'http://127.0.0.1:4010#org_other';
    await state.add(batch('c', 3, { file: 'file:///one' }));
    await state.record('c', [{ index: 0, state: 'launched', runId: 'run-c0' }]);

    assert.deepEqual(
      state.all().map((b) => b.id),
      ['c'],
    );
    assert.equal(state.lastFor('file:///one')?.id, 'c');
    assert.equal(state.batchOfRun('run-a0'), undefined, 'a run of another server’s batch is not claimed');
    assert.equal(state.batchOfRun('run-c0')?.id, 'c');
    assert.equal(state.get('a')?.server, 'https://api.runflow.io#org_demo', 'any batch by id, whatever its server');

    server = 'https://api.runflow.io#org_demo';
    assert.deepEqual(
      state.all().map((b) => b.id),
      ['b', 'a'],
    );
    assert.equal(state.lastFor('file:///one')?.id, 'b');
    assert.equal(state.lastFor('file:///other'), undefined);
    assert.equal(state.batchOfRun('run-a0')?.id, 'a');
  });

  it('shows batches kept before batches named their server on every server', async () => {
    const old = batch('old', 1);
    await memento.update('runflow.batches', [old]);
    const reloaded = new BatchState(memento, () => server);
    assert.deepEqual(
      reloaded.all().map((b) => b.id),
      ['old'],
    );
    reloaded.dispose();
  });

  it('never lets a later result mark a launched entry otherwise', async () => {
    await state.add(batch('a', 1));
    await state.record('a', [{ index: 0, state: 'launched', runId: 'run-0' }]);
    await state.record('a', [
      { index: 0, state: 'failed', message: 'the network went away' },
      { index: 1, state: 'unknown', message: 'may have been created' },
    ]);
    await state.record('a', [{ index: 0, state: 'pending' }]);
    const entries = state.get('a')!.entries;
    assert.deepEqual(
      [entries[0].state, entries[0].runId, entries[0].message],
      ['launched', 'run-0', undefined],
    );
    assert.equal(entries[1].state, 'unknown');

    // A retry that finds the unknown one created adopts it; a launched one may be launched again (adopted).
    await state.record('a', [
      { index: 1, state: 'launched', runId: 'run-1', adopted: true },
      { index: 0, state: 'launched', runId: 'run-0', adopted: true },
    ]);
    assert.deepEqual(
      state.get('a')!.entries.map((e) => [e.state, e.runId, e.adopted]),
      [
        ['launched', 'run-0', true],
        ['launched', 'run-1', true],
        ['pending', undefined, undefined],
      ],
    );
  });

  it('loses no update when results of one batch are recorded at once', async () => {
    await state.add(batch('a', 1, { entries: Array.from({ length: 30 }, (_, index) => ({ index, label: `${index}`, input: {}, state: 'pending' as const })) }));
    await state.add(batch('b', 2));
    const results: EntryResult[] = Array.from({ length: 30 }, (_, index) => ({ index, state: 'launched', runId: `run-${index}` }));
    await Promise.all([...results.map((r) => state.record('a', [r])), state.record('b', [{ index: 2, state: 'refused', message: 'no' }]), state.markAnnounced('b')]);

    for (const view of [state, new BatchState(memento, () => server)]) {
      assert.deepEqual(
        view.get('a')!.entries.map((e) => e.runId),
        results.map((r) => r.runId),
      );
      assert.equal(view.get('b')!.entries[2].state, 'refused');
      assert.equal(view.get('b')!.announced, true);
    }
  });

  it('keeps the 20 newest batches', async () => {
    for (let i = 0; i < 25; i++) await state.add(batch(`b${i}`, 1_000 + i));
    const ids = state.all().map((b) => b.id);
    assert.equal(ids.length, 20);
    assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => `b${24 - i}`));
    assert.equal(state.get('b4'), undefined);
    assert.equal(memento.get<BatchRecord[]>('runflow.batches')?.length, 20);
    // Adding a batch again replaces it rather than keeping two.
    await state.add(batch('b24', 1_024, { label: 'again' }));
    assert.equal(state.all().length, 20);
    assert.equal(state.get('b24')?.label, 'again');
  });

  it('reads back after a reload what it wrote, and drops what is not a batch', async () => {
    await state.add(batch('a', 1, { metadata: { project: 'coast' }, callback_url: 'https://example.com/hook' }));
    await state.record('a', [
      { index: 0, state: 'launched', runId: 'run-0' },
      { index: 1, state: 'refused', message: 'steps: Input should be a valid integer' },
    ]);
    await state.markAnnounced('a');
    const before = state.get('a');

    const stored = memento.get<unknown[]>('runflow.batches')!;
    await memento.update('runflow.batches', [...stored, { id: 'broken' }, 'text', null]);
    const reloaded = new BatchState(memento, () => server);
    // As the state database keeps it: JSON, where a field left undefined is no field at all.
    assert.deepEqual(reloaded.get('a'), JSON.parse(JSON.stringify(before)));
    assert.deepEqual(
      reloaded.all().map((b) => b.id),
      ['a'],
    );
    assert.equal(reloaded.batchOfRun('run-0')?.id, 'a');
    reloaded.dispose();

    await memento.update('runflow.batches', { not: 'a list' });
    const odd = new BatchState(memento, () => server);
    assert.deepEqual(odd.all(), []);
    odd.dispose();
  });

  it('does not change a record it was given, nor one a caller holds, and says which batch changed', async () => {
    const given = batch('a', 1);
    const changed: (string | undefined)[] = [];
    state.onDidChange((id) => changed.push(id));
    await state.add(given);
    const held = state.get('a')!;
    await state.record('a', [{ index: 0, state: 'launched', runId: 'run-0' }]);
    assert.equal(given.entries[0].state, 'pending');
    assert.equal(held.entries[0].state, 'pending');
    assert.equal(state.get('a')!.entries[0].state, 'launched');
    await state.record('missing', [{ index: 0, state: 'launched', runId: 'x' }]);
    assert.deepEqual(changed, ['a', 'a']);
  });
});
