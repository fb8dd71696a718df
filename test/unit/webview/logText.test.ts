import { strict as assert } from 'node:assert';
import { parseSearchText, type TextMatcher } from '../../../src/core/searchText';

import { capSegments, lineText, MAX_CHARS_NO_WRAP, MAX_SEGMENTS, splitAtMarks } from '../../../src/webview/logText';

function matcher(query: string): TextMatcher {
  const parsed = parseSearchText(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.matcher;
}

const E = '\u001b';

describe('log line text', () => {
  it('turns ANSI colours into styled segments and keeps markup as text', () => {
    const t = lineText(`${E}[31m<b>red</b>${E}[0m plain`, { wrap: false });
    assert.deepEqual(t.segments, [{ text: '<b>red</b>', style: { fg: 1 } }, { text: ' plain' }]);
    assert.equal(t.hiddenChars, 0);
  });

  it('marks search matches across style boundaries', () => {
    const t = lineText(`ab${E}[32mcd${E}[0mef`, { wrap: false, matcher: matcher('bcde') });
    assert.deepEqual(t.segments, [
      { text: 'a' },
      { text: 'b', mark: true },
      { text: 'cd', style: { fg: 2 }, mark: true },
      { text: 'e', mark: true },
      { text: 'f' },
    ]);
  });

  it('cuts very long lines when not wrapping, and says how much is hidden', () => {
    const long = 'x'.repeat(20_000);
    const t = lineText(long, { wrap: false });
    assert.equal(t.shownLength, MAX_CHARS_NO_WRAP);
    assert.equal(t.hiddenChars, 20_000 - MAX_CHARS_NO_WRAP);
    const wrapped = lineText(long, { wrap: true });
    assert.equal(wrapped.hiddenChars, 0);
  });

  it('bounds the number of segments per line', () => {
    const busy = Array.from({ length: 500 }, (_, i) => `${E}[3${i % 8}m${i % 10}`).join('');
    const t = lineText(busy, { wrap: false });
    assert.equal(t.segments.length, MAX_SEGMENTS);
    assert.equal(t.segments.map((s) => s.text).join('').length, 500);
    assert.equal(t.segments[MAX_SEGMENTS - 1].style, undefined);
  });

  it('splitAtMarks and capSegments handle the edges', () => {
    assert.deepEqual(splitAtMarks([{ text: 'abc' }], [{ start: 0, end: 3 }]), [{ text: 'abc', mark: true }]);
    assert.deepEqual(splitAtMarks([{ text: 'abc' }], []), [{ text: 'abc' }]);
    assert.deepEqual(capSegments([{ text: 'a' }, { text: 'b' }], 5), [{ text: 'a' }, { text: 'b' }]);
  });
});
