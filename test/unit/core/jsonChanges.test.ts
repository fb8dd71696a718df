import { strict as assert } from 'node:assert';
import { describeChanges, jsonChanges, keyPath, shortValue } from '../../../src/core/jsonChanges';

describe('changed paths between two JSON values', () => {
  it('names each changed leaf by its path, with the values before and after', () => {
    const found = jsonChanges({ prompt: 'a cat', seed: 42, steps: 4 }, { steps: 8, prompt: 'a cat', seed: 7 });
    assert.deepEqual(
      found.changes.map((c) => c.path),
      ['seed', 'steps'],
    );
    assert.equal(describeChanges(found), 'seed 42 → 7, steps 4 → 8');
  });

  it('walks into objects and arrays: a.b[2], and says what was added and removed', () => {
    const found = jsonChanges({ a: { b: [1, 2, 3] }, lora: 'x', 'odd key': 1 }, { a: { b: [1, 2, 4, 5] }, mask: 'm.png', 'odd key': 2 });
    assert.deepEqual(
      found.changes.map((c) => `${c.kind} ${c.path}`),
      ['changed a.b[2]', 'added a.b[3]', 'removed lora', 'added mask', 'changed ["odd key"]'],
    );
    assert.equal(describeChanges(found), 'a.b[2] 3 → 4, a.b[3] added (5), lora removed (was "x"), mask added ("m.png"), ["odd key"] 1 → 2');
  });

  it('finds nothing when only the key order differs, and treats a missing value as null', () => {
    assert.equal(jsonChanges({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }).changes.length, 0);
    assert.equal(jsonChanges(undefined, null).changes.length, 0);
  });

  it('tells a type change as one change of the whole value', () => {
    assert.equal(describeChanges(jsonChanges({ size: [512, 512] }, { size: '512x512' })), 'size […2 items] → "512x512"');
  });

  it('stops at the limit and says there are more', () => {
    const a = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${String(i).padStart(3, '0')}`, i]));
    const b = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${String(i).padStart(3, '0')}`, i + 1]));
    const found = jsonChanges(a, b, 10);
    assert.equal(found.changes.length, 10);
    assert.equal(found.more, true);
    assert.match(describeChanges(found, 2), /, and more$/);
  });

  it('keeps values short and on one line', () => {
    assert.equal(shortValue('line one\nline two '.repeat(10), 20).length, 20);
    assert.equal(shortValue({ a: 1 }), '{…1 key}');
    assert.equal(keyPath('', 'seed'), 'seed');
    assert.equal(keyPath('a', '0x'), 'a["0x"]');
  });
});
