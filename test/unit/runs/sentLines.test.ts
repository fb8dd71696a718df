/** The scratch file of a log's lines as sent: what a snapshot holds while lines keep coming, and after the file is gone. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SentLines } from '../../../src/runs/sentLines';

describe('SentLines', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-sent-lines-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const all = (chunks: Iterable<string[]>) => [...chunks].flat();

  it('reads back every line in order, chunk by chunk as appended, multi-byte text included, and keeps them compressed', async () => {
    const file = path.join(dir, 'a.sent');
    const lines = new SentLines(file);
    const texts = Array.from({ length: 3_000 }, (_, i) => JSON.stringify({ id: `line-${i}`, level_code: 'info', message: `é→ step ${i} of 3000 ${'x'.repeat(i % 37)}` }));
    for (let i = 0; i < texts.length; i += 500) lines.append(texts.slice(i, i + 500));
    const snapshot = (await lines.snapshot())!;
    assert.equal(snapshot.count, 3_000);
    const chunks = [...snapshot.chunks()];
    assert.equal(chunks.length, 6);
    assert.deepEqual(chunks.flat(), texts);
    const plain = Buffer.byteLength(texts.join('\n'));
    assert.ok(fs.statSync(file).size < plain / 3, `compressed: ${fs.statSync(file).size} bytes for ${plain}`);
    snapshot.close();
    lines.dispose();
  });

  it('holds only the lines there when it was taken, and reads after the file was removed', async () => {
    const lines = new SentLines(path.join(dir, 'b.sent'));
    lines.append(['{"n":1}', '{"n":2}']);
    const taking = lines.snapshot();
    // Appended while the snapshot waits for the chunks before it to be written.
    lines.append(['{"n":3}']);
    const snapshot = (await taking)!;
    lines.append(['{"n":4}']);
    lines.dispose();
    assert.equal(fs.existsSync(path.join(dir, 'b.sent')), false, 'the file is removed with the log');
    assert.deepEqual(all(snapshot.chunks()), ['{"n":1}', '{"n":2}']);
    snapshot.close();
    assert.equal(await lines.snapshot(), undefined, 'nothing to take once disposed');
  });
});
