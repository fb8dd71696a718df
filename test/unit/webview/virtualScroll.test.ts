import { strict as assert } from 'node:assert';
import { bottomPosition, isAtBottom, isScaled, layoutRows, MAX_SCROLL_PX, positionFromScrollTop, scrollMapping, scrollTopForPosition } from '../../../src/webview/virtualScroll';

describe('virtual scroll geometry', () => {
  it('with fixed rows, maps scrollTop to lines one to one', () => {
    const pBottom = bottomPosition(1_000, 400, () => 20);
    assert.equal(pBottom, 980);
    const m = scrollMapping(pBottom, 20, 400);
    assert.equal(m.space, 20_000);
    assert.equal(isScaled(m), false);
    assert.equal(positionFromScrollTop(2_010, m), 100.5);
    assert.equal(scrollTopForPosition(100.5, m), 2_010);
    assert.equal(isAtBottom(m.space - 400, m), true);
    assert.equal(isAtBottom(m.space - 500, m), false);
  });

  it('does not scroll when everything fits', () => {
    const pBottom = bottomPosition(5, 400, () => 20);
    assert.equal(pBottom, 0);
    const m = scrollMapping(pBottom, 20, 400);
    assert.equal(m.space, 400);
    assert.equal(positionFromScrollTop(100, m), 0);
    assert.equal(isAtBottom(0, m), true);
  });

  it('scales a million lines into a bounded scroll area and maps both ends exactly', () => {
    const total = 1_000_000;
    const pBottom = bottomPosition(total, 800, () => 18);
    const m = scrollMapping(pBottom, 18, 800);
    assert.equal(m.space, MAX_SCROLL_PX);
    assert.equal(isScaled(m), true);
    assert.equal(positionFromScrollTop(0, m), 0);
    assert.ok(Math.abs(positionFromScrollTop(m.space - 800, m) - pBottom) < 1e-6);
    const mid = scrollTopForPosition(500_000, m);
    assert.ok(Math.abs(positionFromScrollTop(mid, m) - 500_000) < 1e-6);
  });

  it('with wrapped rows, the bottom position accounts for tall last lines', () => {
    const heights = (p: number) => (p >= 8 ? 100 : 20);
    // Lines 8 and 9 are 100 px each; a 150 px viewport shows line 9 and half of line 8.
    assert.equal(bottomPosition(10, 150, heights), 8.5);
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
