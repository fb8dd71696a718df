import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import type { BatchRecord } from '../../../src/runs/batchState';
import { UnloadedRuns } from '../../../src/runs/unloadedRuns';

function batch(entries: BatchRecord['entries']): BatchRecord {
  return { id: 'b1', file: 'file:///w/a.runflow.json', label: 'a.runflow.json', model: 'o/m', createdAt: 0, entries };
}

describe('UnloadedRuns', () => {
  it('reads only launched runs the store lacks, each once, at most two at a time', async () => {
    const loaded = new Map<string, Run>([['r1', { id: 'r1' }]]);
    const reads: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const store = {
      get: (id: string) => loaded.get(id),
      reload: async (id: string) => {
        reads.push(id);
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return undefined;
      },
    };
    const unloaded = new UnloadedRuns(store);
    const b = batch([
      { index: 0, label: '', input: {}, state: 'launched', runId: 'r1' },
      { index: 1, label: '', input: {}, state: 'launched', runId: 'r2' },
      { index: 2, label: '', input: {}, state: 'pending' },
      { index: 3, label: '', input: {}, state: 'launched', runId: 'r3' },
      { index: 4, label: '', input: {}, state: 'launched', runId: 'r4' },
    ]);
    assert.equal(await unloaded.read([b]), true);
    assert.deepEqual(reads.sort(), ['r2', 'r3', 'r4']);
    assert.equal(peak, 2);
    assert.equal(await unloaded.read([b]), false, 'nothing is asked for twice');
    assert.equal(reads.length, 3);
  });
});
