import { strict as assert } from 'node:assert';
import { MAX_MATCH_CHARS, parseSearchText } from '../../../src/core/searchText';

function matcher(query: string) {
  const parsed = parseSearchText(query);
  assert.ok(parsed.ok, `parses ${query}`);
  return parsed.matcher;
}

describe('search text', () => {
  it('finds plain text case-insensitively, with its ranges, and offers it to the server', () => {
    const m = matcher('CUDA out');
    assert.equal(m.isRegex, false);
    assert.equal(m.plain, 'CUDA out');
    assert.deepEqual(m.find('RuntimeError: cuda OUT of memory; CUDA out again'), [
      { start: 14, end: 22 },
      { start: 34, end: 42 },
    ]);
    assert.ok(!m.test('nothing here'));
  });

  it('takes regex characters in plain text literally', () => {
    const m = matcher('a.b(');
    assert.ok(m.test('x a.b( y'));
    assert.ok(!m.test('axb('));
  });

  it('reads /pattern/flags as a regular expression, which the server is not asked to narrow by', () => {
    const m = matcher('/out of (memory|time)/i');
    assert.equal(m.isRegex, true);
    assert.equal(m.plain, undefined);
    assert.ok(m.test('CUDA OUT OF MEMORY'));
    assert.ok(!m.test('out of disk'));
    assert.ok(!matcher('/Error/').test('error'), 'a regex without i is case-sensitive');
  });

  it('refuses an empty query, an invalid pattern and unknown flags with a message', () => {
    for (const q of ['', '   ', '/(/', '/a/g', '/a/x']) {
      const parsed = parseSearchText(q);
      assert.equal(parsed.ok, false, q);
      assert.ok(!parsed.ok && parsed.error.length > 0);
    }
  });

  it('skips empty matches and looks only at the first part of a huge line', () => {
    assert.deepEqual(matcher('/x*/').find('abc'), []);
    const long = `${'a'.repeat(MAX_MATCH_CHARS)}needle`;
    assert.ok(!matcher('needle').test(long));
  });
});
