import { strict as assert } from 'node:assert';
import { canonicalJson, formatBytes, sortKeysDeep, utf8Length } from '../../../src/core/canonicalJson';

describe('canonical JSON text', () => {
  it('sorts keys at every depth, so that key order is no difference', () => {
    const a = canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, 1_000_000).text;
    const b = canonicalJson({ a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 }, 1_000_000).text;
    assert.equal(a, b);
    assert.equal(a, '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}');
  });

  it('keeps arrays in their order and a key named __proto__ as a key', () => {
    const sorted = sortKeysDeep(JSON.parse('{"__proto__": {"x": 1}, "list": [3, 1, 2]}')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(sorted), ['__proto__', 'list']);
    assert.deepEqual(sorted.list, [3, 1, 2]);
    assert.equal(Object.getPrototypeOf(sorted), Object.prototype);
  });

  it('prints what JSON.stringify prints of the value with sorted keys', () => {
    const value = { z: [1, [], {}, [{ b: 'é', a: null }]], a: { '': true, 'k"q': -0.5, n: { y: [2, 1] } }, m: 'line\nbreak' };
    assert.equal(canonicalJson(value, 1_000_000).text, JSON.stringify(sortKeysDeep(value), null, 2));
  });

  it('shows the start of a very long string with its length and a fingerprint, so that two such strings still differ', () => {
    const image = `data:image/png;base64,${'A'.repeat(2_000_000)}`;
    const { text, cut } = canonicalJson({ image }, 100_000);
    assert.equal(cut, undefined);
    assert.match(text, /^\{\n {2}"image": "data:image\/png;base64,A{9978}…" ⟨2,000,022 characters, #[0-9a-f]{8}⟩\n\}$/);
    assert.notEqual(canonicalJson({ image: `${image}B` }, 100_000).text.slice(-12), text.slice(-12));
  });

  it('cuts a line longer than the cap inside it rather than show nothing of it', () => {
    const { text, cut } = canonicalJson({ image: `data:${'A'.repeat(2_000_000)}` }, 100_000, Infinity);
    assert.ok(cut);
    assert.ok(text.startsWith('{\n  "image": "data:AAAA'));
    assert.match(text, /\n… cut at 100 KB of 2 MB$/);
  });

  it('reads a missing value as null', () => {
    assert.equal(canonicalJson(undefined, 100).text, 'null');
  });

  it('cuts a long text at a whole line within the cap and says how much of how much it shows', () => {
    const big = { items: Array.from({ length: 100_000 }, (_, i) => ({ i, text: 'x'.repeat(80) })) };
    const { text, cut } = canonicalJson(big, 1_000_000);
    assert.ok(cut, 'cut');
    assert.ok(cut.shownBytes <= 1_000_000 && cut.shownBytes > 990_000, String(cut.shownBytes));
    assert.equal(cut.totalBytes, utf8Length(JSON.stringify(big, null, 2)));
    const lines = text.split('\n');
    assert.match(lines[lines.length - 1], /^… cut at 99\d(\.\d)? KB of 1\d\.\d MB$/);
    // The line before the note is whole: the cut falls at a line's end.
    assert.match(lines[lines.length - 2], /^\s+("i": \d+,|"text": "x+"|\},?|\{)$/);
  });

  it('cuts at a number of lines too, at a line\'s end', () => {
    const { text, cut } = canonicalJson({ list: Array.from({ length: 1_000 }, (_, i) => i) }, 1_000_000, 10_000, 100);
    const lines = text.split('\n');
    assert.equal(lines.length, 101);
    assert.equal(lines[99], '    97,');
    assert.equal(cut?.shownBytes, Buffer.byteLength(lines.slice(0, 100).join('\n')));
    assert.equal(lines[100], '… cut at 787 bytes of 8.9 KB');
  });

  it('counts the cap in UTF-8 bytes', () => {
    const { cut } = canonicalJson({ s: Array.from({ length: 2_000 }, () => 'é€😀') }, 10_000);
    assert.ok(cut && cut.shownBytes <= 10_000);
    assert.equal(utf8Length('é€😀'), 2 + 3 + 4);
  });

  it('names sizes in bytes, KB and MB', () => {
    assert.equal(formatBytes(900), '900 bytes');
    assert.equal(formatBytes(512_000), '512 KB');
    assert.equal(formatBytes(10_400_000), '10.4 MB');
    assert.equal(formatBytes(1_000_000), '1 MB');
  });
});
