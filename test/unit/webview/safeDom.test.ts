import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSafeAttribute } from '../../../src/webview/dom';

const DIR = path.resolve(__dirname, '../../../src/webview');

describe('webview DOM safety', () => {
  it('never mentions an HTML sink, eval, inline handlers or script URLs, not even in comments', () => {
    // Built from parts so that this test file itself stays clean for the same grep.
    const words = ['inner' + 'HTML', 'outer' + 'HTML', 'insertAdjacent' + 'HTML', 'document\\.' + 'write', '\\beval\\s*\\(', 'new ' + 'Function', 'java' + 'script:', 'src' + 'doc', 'createContextual' + 'Fragment', 'DOM' + 'Parser', '\\bon(click|error|load)\\b'];
    const sinks = new RegExp(words.join('|'));
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(DIR, file), 'utf8');
      const hit = source.split('\n').find((l) => sinks.test(l));
      assert.equal(hit, undefined, `${file}: ${hit}`);
    }
  });

  it('puts text and shown attributes in the page only through dom.ts, which takes out bidirectional controls', () => {
    const direct = /\.(textContent|innerText|nodeValue|title|alt|placeholder)\s*=(?!=)|createTextNode|setAttribute\(\s*'(title|aria-label|aria-description|alt|placeholder)'/;
    // Their direct assignments hold only the panel's own words (empty-log messages, a select's tooltip).
    const ownWordsOnly = new Set(['dom.ts', 'logView.ts', 'logsSection.ts']);
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.ts') && !ownWordsOnly.has(f))) {
      const source = fs.readFileSync(path.join(DIR, file), 'utf8');
      const hit = source.split('\n').find((l) => direct.test(l));
      assert.equal(hit, undefined, `${file}: ${hit}`);
    }
  });

  it('allows only attributes that hold no script or URL', () => {
    for (const ok of ['class', 'title', 'aria-label', 'data-index', 'data-testid', 'role', 'tabindex']) assert.ok(isSafeAttribute(ok), ok);
    for (const bad of ['onclick', 'onerror', 'style', 'href', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href', 'data-x"><script>']) assert.ok(!isSafeAttribute(bad), bad);
  });
});
