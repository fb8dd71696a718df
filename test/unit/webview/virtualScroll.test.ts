import { strict as assert } from 'node:assert';
import { contentOffsetAt, isAtBottom, isScaled, layoutRows, maxScrollTop, MAX_SCROLL_PX, scrollMapping, scrollTopFor } from '../../../src/webview/virtualScroll';

describe('virtual scroll geometry', () => {
  it('maps scroll offsets one to one while the content fits the scroll range', () => {
    const m = scrollMapping(20_000, 400);
    assert.equal(m.space, 20_000);
    assert.equal(isScaled(m), false);
    assert.equal(contentOffsetAt(2_010, m), 2_010);
    assert.equal(scrollTopFor(2_010, m), 2_010);
    assert.equal(scrollTopFor(1e9, m), 19_600);
    assert.equal(isAtBottom(19_600, m), true);
    assert.equal(isAtBottom(19_500, m), false);
  });

  it('does not scroll when everything fits', () => {
    const m = scrollMapping(100, 400);
    assert.equal(maxScrollTop(m), 0);
    assert.equal(contentOffsetAt(50, m), 0);
    assert.equal(isAtBottom(0, m), true);
  });

  it('scales a million lines into a bounded scroll range and maps both ends exactly', () => {
    const content = 1_000_000 * 18;
    const m = scrollMapping(content, 800);
    assert.equal(m.space, MAX_SCROLL_PX);
    assert.equal(isScaled(m), true);
    assert.equal(contentOffsetAt(0, m), 0);
    assert.ok(Math.abs(contentOffsetAt(maxScrollTop(m), m) - (content - 800)) < 1e-3);
    const mid = scrollTopFor(9_000_000, m);
    assert.ok(Math.abs(contentOffsetAt(mid, m) - 9_000_000) < 1e-3);
    assert.equal(isAtBottom(maxScrollTop(m), m), true);
  });

  it('lays rows out around the anchor and never leaves space under the last line', () => {
    const heights = [20, 20, 20, 20, 20];
    const a = layoutRows(10, heights, 12, 0.5, 60, 1_000);
    assert.equal(a.top, -50);
    assert.equal(a.showsEnd, false);
    const end = layoutRows(95, heights, 98, 0, 100, 100);
    assert.equal(end.top, 0, 'pulled down so the last line ends at the bottom');
    assert.equal(end.showsEnd, true);
    const short = layoutRows(0, [20, 20], 0, 0, 100, 10);
    assert.equal(short.short, true);
    const fits = layoutRows(0, [20, 20], 0, 0, 100, 2);
    assert.equal(fits.top, 0, 'line 0 stays at the top when all fits');
    assert.equal(fits.showsEnd, true);
  });
});
