import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closingTagsEscaped, readPanelAssets } from '../../../src/panels/panelAssets';

describe('panel assets inlined in the page', () => {
  it('escapes what would end a script element early, keeping what the code means', () => {
    const code = 'const a = "</script><script>alert(1)</SCRIPT>"; const b = /<\\/script>/; // <!-- x';
    const out = closingTagsEscaped(code, 'script');
    assert.doesNotMatch(out, /<\/script/i);
    assert.doesNotMatch(out, /<!--/);
    // The escaped source still evaluates to the same strings.
    const value = (src: string) => new Function(`${src.replace(/\/\/.*$/, '')}; return [a, b.source];`)() as string[];
    assert.deepEqual(value(out), value(code));
  });

  it('escapes a closing style tag in a stylesheet, and only that', () => {
    const css = '.a::after { content: "</style><script>x()</script>"; } .b { color: red; }';
    const out = closingTagsEscaped(css, 'style');
    assert.doesNotMatch(out, /<\/style/i);
    assert.ok(out.includes('<script>'), 'a stylesheet may hold other tags as text');
  });

  it('reads the script and stylesheet once, and answers undefined when they are missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-assets-'));
    try {
      assert.equal(readPanelAssets(path.join(dir, 'missing')), undefined);
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.mkdirSync(path.join(dir, 'media'));
      fs.writeFileSync(path.join(dir, 'dist', 'webview.js'), 'go("</script>")');
      fs.writeFileSync(path.join(dir, 'media', 'panel.css'), 'body{}');
      const assets = readPanelAssets(dir);
      assert.deepEqual(assets, { script: 'go("<\\/script>")', style: 'body{}' });
      fs.writeFileSync(path.join(dir, 'dist', 'webview.js'), 'changed()');
      assert.equal(readPanelAssets(dir), assets, 'read once per extension folder');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
