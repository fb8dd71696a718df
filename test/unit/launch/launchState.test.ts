import { strict as assert } from 'node:assert';
import { LaunchState } from '../../../src/launch/launchState';
import { MemoryMemento } from '../support/memoryStorage';

const file = (name: string) => ({ toString: () => `file:///work/${name}` });

describe('LaunchState', () => {
  it('remembers the last run and the picked model of each file across a window reload', async () => {
    const memento = new MemoryMemento();
    const before = new LaunchState(memento);
    await before.setLastRun(file('a.runflow.json'), { runId: 'run-1', model: 'runflow/sdxl-turbo', at: 1_700_000_000_000 });
    await before.setModelFor(file('input.json'), 'runflow/flux');
    before.dispose();

    const after = new LaunchState(memento);
    assert.deepEqual(after.lastRun(file('a.runflow.json')), { runId: 'run-1', model: 'runflow/sdxl-turbo', at: 1_700_000_000_000 });
    assert.equal(after.modelFor(file('input.json')), 'runflow/flux');
    assert.equal(after.lastRun(file('input.json')), undefined);
    assert.equal(after.modelFor(file('a.runflow.json')), undefined);
  });

  it('replaces a file\'s last run and tells the CodeLens to redraw', async () => {
    const state = new LaunchState(new MemoryMemento());
    let changes = 0;
    state.onDidChange(() => changes++);
    await state.setLastRun(file('a.runflow.json'), { runId: 'run-1', model: 'o/m', at: 1 });
    await state.setLastRun(file('a.runflow.json'), { runId: 'run-2', model: 'o/m', at: 2 });
    assert.equal(state.lastRun(file('a.runflow.json'))?.runId, 'run-2');
    assert.equal(changes, 2);
  });

  it('keeps the 500 files launched most lately', async () => {
    const memento = new MemoryMemento();
    const state = new LaunchState(memento);
    for (let i = 0; i < 501; i++) await state.setModelFor(file(`f${i}.json`), 'o/m');
    // Launched again: it becomes the newest, so the next one over the limit pushes out f2, not f1.
    await state.setModelFor(file('f1.json'), 'o/other');
    await state.setModelFor(file('f501.json'), 'o/m');
    const reloaded = new LaunchState(memento);
    assert.equal(reloaded.modelFor(file('f0.json')), undefined);
    assert.equal(reloaded.modelFor(file('f2.json')), undefined);
    assert.equal(reloaded.modelFor(file('f1.json')), 'o/other');
    assert.equal(reloaded.modelFor(file('f501.json')), 'o/m');
    assert.equal(Object.keys(memento.get<Record<string, string>>('runflow.launch.fileModels') ?? {}).length, 500);
  });
});
