import { strict as assert } from 'node:assert';
import { errorCountLabel, matchAtOrAfter, matchCountLabel, matchIndexOf, stepMatch } from '../../../src/webview/searchModel';

describe('log search model', () => {
  it('finds the line a panel was opened on among the matches, and only that line', () => {
    const matches = [3, 40, 41, 99_000];
    assert.equal(matchIndexOf(matches, 41), 2);
    assert.equal(matchIndexOf(matches, 99_000), 3);
    assert.equal(matchIndexOf(matches, 42), -1, 'never the next match instead');
    assert.equal(matchIndexOf(matches, -1), -1);
    assert.equal(matchIndexOf([], 0), -1);
  });

  it('counts the errors and says which one is current', () => {
    assert.equal(errorCountLabel(-1, 0, false), '');
    assert.equal(errorCountLabel(-1, 1, false), '1 error');
    assert.equal(errorCountLabel(-1, 7, false), '7 errors');
    assert.equal(errorCountLabel(1, 7, false), 'Error 2 of 7');
    assert.equal(errorCountLabel(0, 100_000, true), 'Error 1 of 100,000+');
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
