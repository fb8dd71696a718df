import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import type { StoreChange } from '../../../src/runs/runStore';
import { RunOrder } from '../../../src/views/runOrder';

function run(id: string, status: string, minute: number): Run {
  return { id, status_code: status, created_at: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString() };
}

function change(changed: string[], removed: string[] = [], appended = false): StoreChange {
  return { changed, removed, groups: [], structure: false, ...(appended ? { appended } : {}) };
}

describe('RunOrder', () => {
  it('lists a group newest first the first time, then keeps each run in its place', () => {
    const runs = new Map([run('a', 'running', 1), run('b', 'running', 2), run('c', 'running', 3)].map((r) => [r.id!, r]));
    const order = new RunOrder();
    const members = () => [...runs.values()].filter((r) => r.status_code === 'running').sort((x, y) => y.created_at!.localeCompare(x.created_at!));
    assert.deepEqual(order.groupRunIds('running', members()), ['c', 'b', 'a']);
    // b changes (same group): it stays where it is.
    runs.set('b', { ...runs.get('b')!, nodes_completed: 3 });
    order.place(change(['b']), (id) => runs.get(id), false);
    assert.deepEqual(order.groupRunIds('running', members()), ['c', 'b', 'a']);
  });

  it('puts a run new to a group on top, older runs from Load more at the bottom, and forgets a run that left', () => {
    const runs = new Map([run('a', 'running', 1), run('b', 'running', 2)].map((r) => [r.id!, r]));
    const forgotten: string[] = [];
    const order = new RunOrder((status, id) => forgotten.push(`${status}/${id}`));
    const members = () => [...runs.values()].filter((r) => r.status_code === 'running').sort((x, y) => y.created_at!.localeCompare(x.created_at!));
    order.groupRunIds('running', members());
    runs.set('x', run('x', 'running', 0));
    order.place(change(['x']), (id) => runs.get(id), false);
    assert.deepEqual(order.groupRunIds('running', members()), ['x', 'b', 'a'], 'an arrival goes on top, whatever its age');
    runs.set('old', run('old', 'running', -5));
    order.place(change(['old'], [], true), (id) => runs.get(id), false);
    assert.deepEqual(order.groupRunIds('running', members()), ['x', 'b', 'a', 'old']);
    runs.set('b', { ...runs.get('b')!, status_code: 'succeeded' });
    order.place(change(['b']), (id) => runs.get(id), false);
    assert.deepEqual(order.groupRunIds('running', members()), ['x', 'a', 'old']);
    assert.deepEqual(forgotten, ['running/b']);
    order.place(change([], ['a', 'b', 'x', 'old']), () => undefined, true);
    assert.deepEqual(order.groupRunIds('running', []), []);
  });
});
