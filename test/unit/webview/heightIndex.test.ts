import { strict as assert } from 'node:assert';
import { HeightIndex } from '../../../src/webview/heightIndex';

describe('row height index', () => {
  it('with no exceptions, rows are all one height', () => {
    const h = new HeightIndex(18);
    h.setTotal(1_000_000);
    assert.equal(h.contentHeight, 18_000_000);
    assert.equal(h.offsetOf(500_000), 9_000_000);
    assert.equal(h.positionAt(9_000_009), 500_000.5);
    assert.equal(h.offsetAt(500_000.5), 9_000_009);
    assert.equal(h.positionAt(-5), 0);
    assert.equal(h.positionAt(1e12), 1_000_000);
  });

  it('scrolls as little as it takes to bring a line wholly on screen', () => {
    const h = new HeightIndex(20);
    h.setTotal(1_000);
    // A screen of 10 rows showing lines 100 to 109.
    assert.equal(h.positionToShow(105, 100, 200), undefined, 'on screen already');
    assert.equal(h.positionToShow(109, 100, 200), undefined, 'the last line wholly on screen');
    assert.equal(h.positionToShow(99, 100, 200), 99, 'above: it becomes the top line');
    assert.equal(h.positionToShow(110, 100, 200), 101, 'below: it becomes the bottom line');
    assert.equal(h.positionToShow(100, 100.5, 200), 100, 'half scrolled away at the top');
    h.set(500, 100);
    assert.equal(h.positionToShow(500, 400, 200), 495, 'a tall wrapped row ends at the bottom');
  });

  it('gives a tall wrapped row its full height in the scroll range', () => {
    const h = new HeightIndex(20);
    h.setTotal(100);
    assert.equal(h.set(10, 2_000), true);
    assert.equal(h.set(10, 2_000), false, 'unchanged');
    assert.equal(h.heightOf(10), 2_000);
    assert.equal(h.contentHeight, 100 * 20 + 1_980);
    assert.equal(h.offsetOf(10), 200);
    assert.equal(h.offsetOf(11), 2_200);
    // Halfway down the tall row is still row 10.
    assert.equal(h.positionAt(1_200), 10.5);
    assert.equal(h.positionAt(2_200), 11);
  });

  it('drops exceptions set back to the default height, past the total, or trimmed', () => {
    const h = new HeightIndex(20);
    h.setTotal(100);
    h.set(5, 40);
    h.set(50, 60);
    h.set(90, 80);
    assert.equal(h.size, 3);
    h.set(5, 20);
    assert.equal(h.size, 2);
    h.setTotal(60);
    assert.equal(h.size, 1);
    assert.equal(h.contentHeight, 60 * 20 + 40);
    h.setTotal(100);
    h.set(0, 30);
    h.set(99, 30);
    h.trim(95, 1);
    assert.equal(h.has(99), true);
    assert.equal(h.has(0), false);
    assert.equal(h.set(100, 50), false, 'past the end');
  });

  it('finds positions by binary search consistently with offsets', () => {
    const h = new HeightIndex(18);
    h.setTotal(10_000);
    for (let p = 0; p < 10_000; p += 37) h.set(p, 18 * (1 + (p % 5)));
    for (const p of [0, 1, 36, 37, 38, 5_000, 9_999]) {
      assert.equal(h.positionAt(h.offsetOf(p)), p);
      assert.ok(Math.abs(h.positionAt(h.offsetAt(p + 0.25)) - (p + 0.25)) < 1e-9);
    }
  });

  it('reset forgets everything and takes a new row height', () => {
    const h = new HeightIndex(18);
    h.setTotal(10);
    h.set(3, 90);
    h.reset(20);
    h.setTotal(10);
    assert.equal(h.size, 0);
    assert.equal(h.contentHeight, 200);
  });
});
