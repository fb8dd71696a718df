import { strict as assert } from 'node:assert';
import { findOccurrences, matchAtOrAfter, matchCountLabel, stepMatch } from '../../../src/webview/searchModel';

describe('log search model', () => {
  it('finds case-insensitive, non-overlapping occurrences, with regex characters taken literally', () => {
    assert.deepEqual(findOccurrences('Error: error ERROR', 'error'), [
      { start: 0, end: 5 },
      { start: 7, end: 12 },
      { start: 13, end: 18 },
    ]);
    assert.deepEqual(findOccurrences('a.b a+b (x)', 'a+b'), [{ start: 4, end: 7 }]);
    assert.deepEqual(findOccurrences('aaaa', 'aa'), [{ start: 0, end: 2 }, { start: 2, end: 4 }]);
    assert.deepEqual(findOccurrences('anything', ''), []);
    assert.equal(findOccurrences('x'.repeat(1000), 'x', 10).length, 10);
  });

  it('finds the first match at or after a position, wrapping', () => {
    const matches = [5, 10, 200];
    assert.equal(matchAtOrAfter(matches, 0), 0);
    assert.equal(matchAtOrAfter(matches, 10), 1);
    assert.equal(matchAtOrAfter(matches, 11), 2);
    assert.equal(matchAtOrAfter(matches, 201), 0);
    assert.equal(matchAtOrAfter([], 3), -1);
  });

  it('steps forward and back with wrap-around', () => {
    assert.equal(stepMatch(0, 3, 1), 1);
    assert.equal(stepMatch(2, 3, 1), 0);
    assert.equal(stepMatch(0, 3, -1), 2);
    assert.equal(stepMatch(-1, 3, 1), 0);
    assert.equal(stepMatch(-1, 3, -1), 2);
    assert.equal(stepMatch(0, 0, 1), -1);
  });

  it('labels the count', () => {
    assert.equal(matchCountLabel(-1, 0, false, false), '');
    assert.equal(matchCountLabel(-1, 0, false, true), 'No results');
    assert.equal(matchCountLabel(2, 1200, false, true), '3 of 1,200');
    assert.equal(matchCountLabel(0, 100000, true, true), '1 of 100,000+');
    assert.equal(matchCountLabel(-1, 1, false, true), '1 match');
  });
});
