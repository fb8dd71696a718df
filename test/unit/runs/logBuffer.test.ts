/**
 * The log buffer's answers to the panel: search (the shared rule of searchText.ts, on text without ANSI
 * codes), where a line found elsewhere is, the error lines and a node's first line, each in the positions
 * of the list as shown (level filter applied). Real scratch files, as the extension uses them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunLog } from '../../../src/api/types';
import { LogBuffer, type LogRecord } from '../../../src/runs/logBuffer';
import { toRecord } from '../../../src/runs/logRecord';

const E = '\u001b';

describe('LogBuffer', () => {
  let scratch: string;
  let files = 0;
  const buffers: LogBuffer[] = [];

  function buffer(records: LogRecord[]): LogBuffer {
    const b = new LogBuffer(path.join(scratch, `buffer-${++files}.ndjson`));
    buffers.push(b);
    b.append(records);
    return b;
  }

  const line = (level: string, message: string, timestamp = '2026-11-30T10:00:00Z', node?: string): LogRecord => ({ level, timestamp, message, ...(node ? { node } : {}) });

  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-log-buffer-'));
  });
  after(() => {
    for (const b of buffers) b.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  describe('search', () => {
    it('finds plain text case-insensitively across colour codes, and a /regex/', async () => {
      const b = buffer([
        line('info', `loading ${E}[31mCU${E}[0mDA kernels`),
        line('error', 'CUDA out of memory (tried 2.00 GiB)'),
        line('info', 'step 3/10'),
        line('info', 'cuda'),
      ]);
      assert.deepEqual((await b.search('cuda')).matches, [0, 1, 3], 'a colour code in the middle of a word does not hide it');
      assert.deepEqual((await b.search('/^cuda\\b/i')).matches, [1, 3]);
      assert.deepEqual((await b.search('/tried \\d+\\.\\d+ GiB/')).matches, [1]);
      assert.deepEqual((await b.search('/step \\d+/10/')).matches, [2], 'a slash inside the pattern');
      assert.deepEqual((await b.search('[31m')).matches, [], 'the codes themselves are not text');
      assert.deepEqual((await b.search('a.b')).matches, [], 'plain text is not a pattern');
    });

    it('finds nothing for a query that does not parse, or an empty one', async () => {
      const b = buffer([line('info', 'anything')]);
      assert.deepEqual(await b.search('/(unclosed/'), { matches: [], truncated: false });
      assert.deepEqual(await b.search('/x/g'), { matches: [], truncated: false });
      assert.deepEqual(await b.search(''), { matches: [], truncated: false });
    });

    it('answers in the positions of the list as shown, and says when it stopped at the limit', async () => {
      const b = buffer([line('info', 'a match'), line('error', 'a match'), line('info', 'none'), line('error', 'a match'), line('error', 'none')]);
      b.setLevel('error');
      assert.deepEqual((await b.search('match')).matches, [0, 1]);
      b.setLevel('');
      assert.deepEqual(await b.search('match', 2), { matches: [0, 1], truncated: true });
    });
  });

  describe('locate', () => {
    const log = [
      line('info', 'epoch 1 loss=0.5', '2026-11-30T10:00:00Z'),
      line('error', `${E}[31mepoch 2 loss=nan${E}[0m`, '2026-11-30T10:00:05Z'),
      line('info', 'epoch 3 loss=0.4', '2026-11-30T10:00:10Z'),
      line('error', 'epoch 4 loss=nan', '2026-11-30T10:00:15Z'),
      line('error', 'epoch 4 loss=nan', '2026-11-30T10:00:20Z'),
    ];

    it('finds the line with the same instant and text, however the time is spelled and with or without colour codes', async () => {
      const b = buffer(log);
      assert.equal(await b.locate('nan', { timestamp: '2026-11-30T10:00:20.000+00:00', message: 'epoch 4 loss=nan' }), 4, 'the second of two equal texts, by its time');
      assert.equal(await b.locate('/loss=nan/', { timestamp: '2026-11-30T11:00:05+01:00', message: 'epoch 2 loss=nan' }), 1, 'the text stored with colour codes');
      assert.equal(await b.locate('nan', { timestamp: '2026-11-30T10:00:05Z', message: `${E}[31mepoch 2 loss=nan${E}[0m` }), 1, 'the text sent with them');
    });

    it('takes the first match at or after the instant when no line equals it, else the first match', async () => {
      const b = buffer(log);
      assert.equal(await b.locate('nan', { timestamp: '2026-11-30T10:00:06Z', message: 'changed since' }), 3);
      assert.equal(await b.locate('nan', { timestamp: '2026-11-30T12:00:00Z', message: 'changed since' }), 1);
      assert.equal(await b.locate('nan', { timestamp: 'not a time', message: 'changed since' }), 1);
      assert.equal(await b.locate('nothing like it', { timestamp: '2026-11-30T10:00:05Z', message: 'epoch 2 loss=nan' }), -1);
    });

    it('answers in the positions of the list as shown', async () => {
      const b = buffer(log);
      b.setLevel('error');
      assert.equal(await b.locate('nan', { timestamp: '2026-11-30T10:00:15Z', message: 'epoch 4 loss=nan' }), 1);
    });
  });

  describe('positionsAtLeast', () => {
    it('lists the lines at error severity or worse, whatever the code is called', () => {
      const b = buffer([line('info', 'a'), line('error', 'b'), line('warning', 'c'), line('fatal', 'd'), line('CRITICAL', 'e'), line('err', 'f'), line('debug', 'g'), line('', 'h')]);
      assert.deepEqual(b.positionsAtLeast('error'), { positions: [1, 3, 4, 5], truncated: false });
      assert.deepEqual(b.positionsAtLeast('warning').positions, [1, 2, 3, 4, 5]);
      assert.deepEqual(b.positionsAtLeast('error', 2), { positions: [1, 3], truncated: true });
    });

    it('honours the level filter', () => {
      const b = buffer([line('info', 'a'), line('error', 'b'), line('info', 'c'), line('error', 'd')]);
      b.setLevel('error');
      assert.deepEqual(b.positionsAtLeast('error').positions, [0, 1]);
      b.setLevel('info');
      assert.deepEqual(b.positionsAtLeast('error').positions, []);
    });

    it('keeps up with lines appended after the question was first asked', () => {
      const b = buffer([line('info', 'a')]);
      assert.deepEqual(b.positionsAtLeast('error').positions, []);
      b.append([line('error', 'late')]);
      assert.deepEqual(b.positionsAtLeast('error').positions, [1]);
    });
  });

  describe('firstPositionOfNode', () => {
    it('finds the first line naming the node by any of its names, in the list as shown', () => {
      const b = buffer([
        line('info', 'start'),
        line('info', 'loading', undefined, 'node-a'),
        line('info', 'upscaling', undefined, 'upscale'),
        line('error', 'upscale failed', undefined, 'upscale'),
      ]);
      assert.equal(b.firstPositionOfNode(['node-a']), 1);
      assert.equal(b.firstPositionOfNode(['id-of-upscale', 'upscale']), 2);
      assert.equal(b.firstPositionOfNode(['elsewhere']), -1);
      b.setLevel('error');
      assert.equal(b.firstPositionOfNode(['upscale']), 0);
      assert.equal(b.firstPositionOfNode(['node-a']), -1, 'its lines are filtered out');
    });

    it('keeps the node of each of a million lines', () => {
      const b = buffer([]);
      const batch: LogRecord[] = [];
      for (let i = 0; i < 1_000_000; i++) batch.push(line('info', 'x', '', i === 999_999 ? 'last-node' : `node-${i % 300}`));
      b.append(batch);
      assert.equal(b.firstPositionOfNode(['last-node']), 999_999);
      assert.equal(b.firstPositionOfNode(['node-7']), 7);
    });
  });

  describe('what the reader keeps of a line', () => {
    const at = (meta: unknown): RunLog => ({ id: '1', level_code: 'info', message: 'm', timestamp: '2026-11-30T10:00:00Z', meta } as RunLog);

    it('takes the node from meta.node_id, else meta.node, only when a string', () => {
      assert.equal(toRecord(at({ node_id: 'n-1', node: 'upscale' })).node, 'n-1');
      assert.equal(toRecord(at({ node: 'upscale' })).node, 'upscale');
      assert.equal(toRecord(at({ node_id: 42, node: 'upscale' })).node, 'upscale');
      assert.equal(toRecord(at({ node: { id: 'x' } })).node, undefined);
      assert.equal(toRecord(at({ nodeId: 'n-1' })).node, undefined, 'nothing else in meta is assumed');
      assert.equal(toRecord(at(null)).node, undefined);
      assert.equal(toRecord(at(['n-1'])).node, undefined);
      assert.equal(toRecord(at({ node: 'x'.repeat(201) })).node, undefined, 'too long to be a name');
      assert.equal(toRecord(at({ node: 'up\u202Escale' })).node, 'upscale', 'without bidirectional controls');
    });
  });
});
