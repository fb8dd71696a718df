import { strict as assert } from 'node:assert';
import { MAX_RANGE } from '../../../src/shared/protocol';
import { missingRanges, RangeRequester, wantedWindow } from '../../../src/webview/logRanges';

describe('log ranges to request', () => {
  it('widens the screen by the prefetch margin, aligned, within the list', () => {
    assert.deepEqual(wantedWindow(1_000, 1_050, 100_000, 200, 256), { start: 768, end: 1_280 });
    assert.deepEqual(wantedWindow(0, 40, 30, 200, 256), { start: 0, end: 30 });
    assert.deepEqual(wantedWindow(99_990, 100_000, 100_000, 200, 256), { start: 99_584, end: 100_000 });
    assert.deepEqual(wantedWindow(0, 0, 100, 10, 10), { start: 0, end: 0 });
    assert.deepEqual(wantedWindow(0, 10, 0, 10, 10), { start: 0, end: 0 });
  });

  it('asks only for what is neither loaded nor pending, screen first, in bounded ranges', () => {
    const loaded = new Set<number>();
    for (let p = 100; p < 200; p++) loaded.add(p);
    const ranges = missingRanges({ start: 0, end: 5_000 }, (p) => loaded.has(p), [{ start: 300, end: 400 }], MAX_RANGE, 250);
    for (const r of ranges) assert.ok(r.end - r.start <= MAX_RANGE && r.end > r.start);
    const covered = new Set<number>();
    for (const r of ranges) for (let p = r.start; p < r.end; p++) covered.add(p);
    assert.equal(covered.has(150), false, 'loaded lines are not asked for');
    assert.equal(covered.has(350), false, 'pending lines are not asked for again');
    assert.equal(covered.has(0) && covered.has(250) && covered.has(4_999), true);
    assert.deepEqual(ranges[0], { start: 200, end: 300 }, 'the range with the focus comes first');
  });

  it('includes the last position of the window', () => {
    assert.deepEqual(missingRanges({ start: 10, end: 11 }, () => false, [], 100), [{ start: 10, end: 11 }]);
    assert.deepEqual(missingRanges({ start: 0, end: 3 }, (p) => p !== 2, [], 100), [{ start: 2, end: 3 }]);
  });

  it('caps requests in flight, forgets answered and timed-out ones, and ignores unknown answers', () => {
    let id = 0;
    const r = new RangeRequester({ maxRange: 500, maxInFlight: 2, timeoutMs: 1_000 }, () => ++id);
    const first = r.plan({ start: 0, end: 2_000 }, () => false, 0, 0);
    assert.deepEqual(first.map((x) => [x.start, x.end]), [[0, 500], [500, 1_000]]);
    assert.deepEqual(r.plan({ start: 0, end: 2_000 }, () => false, 10), [], 'no free slot');
    assert.equal(r.settle(1)?.start, 0);
    assert.equal(r.settle(1), undefined, 'a second answer is unknown');
    const next = r.plan({ start: 0, end: 2_000 }, (p) => p < 500, 20, 0);
    assert.deepEqual(next.map((x) => [x.start, x.end]), [[1_000, 1_500]]);
    const later = r.plan({ start: 0, end: 2_000 }, (p) => p < 500, 5_000, 0);
    assert.equal(later.length, 2, 'timed-out requests free their slots');
    r.reset();
    assert.equal(r.inFlight.length, 0);
    assert.equal(r.settle(later[0].requestId), undefined);
  });
});
