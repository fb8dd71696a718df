import { strict as assert } from 'node:assert';
import { ansi256ToHex, applySgr, parseAnsi, parseAnsiLimited, stripAnsi } from '../../../src/core/ansi';

const E = '\u001b';

describe('ANSI parser', () => {
  it('keeps plain text as one span, and empty text as none', () => {
    assert.deepEqual(parseAnsi('hello world'), [{ text: 'hello world' }]);
    assert.deepEqual(parseAnsi(''), []);
  });

  it('reads basic, bright, 256-colour and truecolor foregrounds and backgrounds', () => {
    assert.deepEqual(parseAnsi(`${E}[31mred${E}[0m`), [{ text: 'red', fg: 1 }]);
    assert.deepEqual(parseAnsi(`${E}[97mwhite${E}[m`), [{ text: 'white', fg: 15 }]);
    assert.deepEqual(parseAnsi(`${E}[44;30mx`), [{ text: 'x', fg: 0, bg: 4 }]);
    assert.deepEqual(parseAnsi(`${E}[103mx`), [{ text: 'x', bg: 11 }]);
    assert.deepEqual(parseAnsi(`${E}[38;5;208mo${E}[48;5;17mb`), [{ text: 'o', fg: 208 }, { text: 'b', fg: 208, bg: 17 }]);
    assert.deepEqual(parseAnsi(`${E}[38;2;120;200;255mt`), [{ text: 't', fg: '#78c8ff' }]);
    assert.deepEqual(parseAnsi(`${E}[48;2;0;0;0mt`), [{ text: 't', bg: '#000000' }]);
  });

  it('reads the colon forms of extended colours', () => {
    assert.deepEqual(parseAnsi(`${E}[38:5:196mx`), [{ text: 'x', fg: 196 }]);
    assert.deepEqual(parseAnsi(`${E}[38:2::255:0:16mx`), [{ text: 'x', fg: '#ff0010' }]);
    assert.deepEqual(parseAnsi(`${E}[38:2:255:0:16mx`), [{ text: 'x', fg: '#ff0010' }]);
  });

  it('ignores out-of-range colours without losing the following codes', () => {
    assert.deepEqual(parseAnsi(`${E}[38;5;300;1mx`), [{ text: 'x', bold: true }]);
    assert.deepEqual(parseAnsi(`${E}[38;2;999;0;0;4mx`), [{ text: 'x', underline: true }]);
  });

  it('tracks bold, dim, italic, underline, inverse and their resets', () => {
    const spans = parseAnsi(`${E}[1;2;3;4mA${E}[22mB${E}[23;24mC${E}[7mD${E}[27mE`);
    assert.deepEqual(spans, [
      { text: 'A', bold: true, dim: true, italic: true, underline: true },
      { text: 'B', italic: true, underline: true },
      { text: 'C' },
      { text: 'D', inverse: true },
      { text: 'E' },
    ]);
  });

  it('resets colours with 0, 39 and 49, and an empty SGR', () => {
    assert.deepEqual(parseAnsi(`${E}[31;42ma${E}[39mb${E}[49mc`), [{ text: 'a', fg: 1, bg: 2 }, { text: 'b', bg: 2 }, { text: 'c' }]);
    assert.deepEqual(parseAnsi(`${E}[1;31ma${E}[mb`), [{ text: 'a', fg: 1, bold: true }, { text: 'b' }]);
  });

  it('merges neighbouring text of the same style', () => {
    assert.deepEqual(parseAnsi(`${E}[31ma${E}[31mb${E}[0m${E}[0mc`), [{ text: 'ab', fg: 1 }, { text: 'c' }]);
  });

  it('strips cursor moves, erases, OSC 8 hyperlinks, titles and other controls', () => {
    assert.equal(stripAnsi(`${E}[2K${E}[1Gdownloading ${E}]8;;https://example.com${E}\\link${E}]8;;${E}\\ done`), 'downloading link done');
    assert.equal(stripAnsi(`${E}]0;window title\u0007text`), 'text');
    assert.equal(stripAnsi(`a${E}(Bb${E}7c${E}8d${E}=e`), 'abcde');
    assert.equal(stripAnsi(`\r 45%|████▌| 9/20\u0008\u0007`), ' 45%|████▌| 9/20');
    assert.equal(stripAnsi(`x${E}[?25ly${E}[10;20Hz`), 'xyz');
    assert.equal(stripAnsi(`x\u009b31my\u009d0;t\u0007z`), 'xyz');
    assert.equal(stripAnsi('tab\tand\nnewline'), 'tab\tand\nnewline');
  });

  it('does not interpret anything else: markup stays text', () => {
    assert.deepEqual(parseAnsi(`${E}[31m<script>alert(1)</script>`), [{ text: '<script>alert(1)</script>', fg: 1 }]);
  });

  it('survives truncated and malformed sequences', () => {
    assert.equal(stripAnsi(`abc${E}[31`), 'abc');
    assert.equal(stripAnsi(`abc${E}`), 'abc');
    assert.equal(stripAnsi(`abc${E}]8;;http://x`), 'abc');
    assert.equal(stripAnsi(`a${E}[1;\u0001mb`), 'amb');
  });

  it('stops after maxChars visible characters without splitting surrogate pairs', () => {
    const r = parseAnsiLimited(`${E}[32m${'x'.repeat(5000)}${E}[0m`, 2000);
    assert.equal(r.truncated, true);
    assert.equal(r.spans[0].text.length, 2000);
    assert.equal(r.spans[0].fg, 2);
    const exact = parseAnsiLimited(`${E}[32mabc${E}[0m`, 3);
    assert.equal(exact.truncated, false);
    const emoji = parseAnsiLimited('a😀b', 2);
    assert.deepEqual(emoji.spans, [{ text: 'a' }]);
    assert.equal(emoji.truncated, true);
    assert.equal(parseAnsiLimited('plain', 3).spans[0].text, 'pla');
  });

  it('parses a long line of 5,000 colour changes into 5,000 spans, each with its colour', () => {
    // How fast is for the benchmarks; here, that nothing is lost or merged on a long line.
    const line = Array.from({ length: 5000 }, (_, i) => `${E}[3${i % 8}m${i}`).join('');
    const spans = parseAnsi(line);
    assert.equal(spans.length, 5000);
    assert.deepEqual(
      spans.map((s) => s.text),
      Array.from({ length: 5000 }, (_, i) => String(i)),
    );
    assert.deepEqual(spans.slice(0, 2).map((s) => s.fg), [parseAnsi(`${E}[30mx`)[0].fg, parseAnsi(`${E}[31mx`)[0].fg]);
    assert.notDeepEqual(spans[0].fg, spans[1].fg);
  });

  it('maps the 256-colour palette', () => {
    assert.equal(ansi256ToHex(16), '#000000');
    assert.equal(ansi256ToHex(196), '#ff0000');
    assert.equal(ansi256ToHex(231), '#ffffff');
    assert.equal(ansi256ToHex(232), '#080808');
    assert.equal(ansi256ToHex(255), '#eeeeee');
    assert.equal(ansi256ToHex(1), '#cd0000');
  });

  it('applySgr leaves the input style alone', () => {
    const before = { fg: 1 };
    const after = applySgr(before, '0');
    assert.deepEqual(before, { fg: 1 });
    assert.deepEqual(after, {});
  });
});
