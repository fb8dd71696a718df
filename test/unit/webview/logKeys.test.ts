import { strict as assert } from 'node:assert';
import { isLineKey, linePlace, movedLine } from '../../../src/webview/logKeys';

describe('log keys', () => {
  it('knows the keys that move the focused line, and no others', () => {
    for (const key of ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']) assert.ok(isLineKey(key), key);
    for (const key of ['ArrowLeft', 'Enter', 'Tab', 'a', 'F3']) assert.ok(!isLineKey(key), key);
  });

  it('moves by one line, a screen less one line, or to either end, and stays in the list', () => {
    assert.equal(movedLine('ArrowDown', 10, 0, 100, 20), 11);
    assert.equal(movedLine('ArrowUp', 10, 0, 100, 20), 9);
    assert.equal(movedLine('PageDown', 10, 0, 100, 20), 29);
    assert.equal(movedLine('PageUp', 30, 0, 100, 20), 11);
    assert.equal(movedLine('PageUp', 5, 0, 100, 20), 0);
    assert.equal(movedLine('PageDown', 95, 0, 100, 20), 99);
    assert.equal(movedLine('ArrowUp', 0, 0, 100, 20), 0);
    assert.equal(movedLine('ArrowDown', 99, 0, 100, 20), 99);
    assert.equal(movedLine('Home', 50, 0, 100, 20), 0);
    assert.equal(movedLine('End', 50, 0, 100_000, 20), 99_999);
  });

  it('lands the first press on the line in view, and a page is at least one line', () => {
    assert.equal(movedLine('ArrowDown', -1, 40, 100, 20), 40);
    assert.equal(movedLine('PageUp', -1, 40, 100, 20), 40);
    assert.equal(movedLine('ArrowDown', 120, 40, 100, 20), 40, 'a line beyond a list that shrank starts over');
    assert.equal(movedLine('PageDown', 10, 0, 100, 1), 11);
    assert.equal(movedLine('PageDown', 10, 0, 100, 0.5), 11);
  });

  it('has nowhere to go in an empty list', () => {
    for (const key of ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'] as const) assert.equal(movedLine(key, 3, 0, 0, 20), -1);
  });

  it('says the line and the count as a reader hears them', () => {
    assert.equal(linePlace(8_071, 100_000), 'Line 8,072 of 100,000');
    assert.equal(linePlace(0, 1), 'Line 1 of 1');
  });
});
