import { strict as assert } from 'node:assert';
import { LogCache } from '../../../src/webview/logCache';
import type { LogLine } from '../../../src/shared/protocol';

function lines(start: number, count: number): LogLine[] {
  return Array.from({ length: count }, (_, k) => ({ index: start + k, level: 'info', timestamp: '', message: `line ${start + k}` }));
}

describe('log cache', () => {
  it('stores and finds lines by position', () => {
    const cache = new LogCache(10, 100);
    cache.put(5, lines(5, 20));
    assert.equal(cache.size, 20);
    assert.equal(cache.get(5)?.message, 'line 5');
    assert.equal(cache.get(24)?.message, 'line 24');
    assert.equal(cache.get(25), undefined);
    assert.equal(cache.has(4), false);
  });

  it('counts a line stored twice once', () => {
    const cache = new LogCache(10, 100);
    cache.put(0, lines(0, 10));
    cache.put(5, lines(5, 10));
    assert.equal(cache.size, 15);
  });

  it('stays within its bound, dropping the chunks farthest from the focus', () => {
    const cache = new LogCache(100, 500);
    for (let start = 0; start < 100_000; start += 1_000) cache.put(start, lines(start, 1_000), 50_000);
    assert.ok(cache.size <= 500, `holds ${cache.size}`);
    assert.ok(cache.has(50_000) || cache.has(50_099), 'keeps what is near the focus');
    assert.equal(cache.has(0), false);
  });

  it('keeps the newest range when the focus is on it', () => {
    const cache = new LogCache(256, 5_000);
    cache.put(0, lines(0, 2_000), 0);
    cache.put(90_000, lines(90_000, 2_000), 91_000);
    cache.put(95_000, lines(95_000, 2_000), 96_000);
    assert.ok(cache.size <= 5_000);
    assert.ok(cache.has(96_000));
    assert.equal(cache.has(0), false);
  });

  it('forgets positions past a new, shorter total', () => {
    const cache = new LogCache(10, 100);
    cache.put(0, lines(0, 35));
    cache.truncate(12);
    assert.equal(cache.size, 12);
    assert.equal(cache.has(11), true);
    assert.equal(cache.has(12), false);
    assert.equal(cache.chunkCount, 2);
  });

  it('clears', () => {
    const cache = new LogCache(10, 100);
    cache.put(0, lines(0, 35));
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.get(0), undefined);
  });

  it('ignores nonsense starts', () => {
    const cache = new LogCache(10, 100);
    cache.put(-5, lines(0, 3));
    cache.put(1.5, lines(0, 3));
    assert.equal(cache.size, 0);
  });
});
