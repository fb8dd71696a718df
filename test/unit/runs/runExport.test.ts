/**
 * The run export against the emulator over a real socket: the document it writes (parsed back), its log
 * paged from the server or taken from a log reader that has read it, the budget, cancelling, and the
 * token, which no value the server sends can carry into the file.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunflowClient } from '../../../src/api/client';
import type { RunLog } from '../../../src/api/types';
import { LogBuffer } from '../../../src/runs/logBuffer';
import { LogReader } from '../../../src/runs/logReader';
import { EXPORT_FORMAT, ExportCancelledError, exportFileName, exportRun, SecretInExportError } from '../../../src/runs/runExport';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'tok-run-export-0001';

interface ExportDocument {
  format: string;
  version: number;
  exportedAt: string;
  server: string;
  organization: string | null;
  run: Record<string, unknown>;
  logs: { source: string; lines: RunLog[]; count: number; complete: boolean; stoppedBecause?: string; note?: string };
}

async function serverLines(client: RunflowClient, runId: string): Promise<RunLog[]> {
  const lines: RunLog[] = [];
  for await (const page of client.iterateLogPages(runId, { sort_by: 'timestamp:asc', limit: 500 })) lines.push(...page.items);
  return lines;
}

describe('Run export', function () {
  this.timeout(30_000);
  const suite = useEmulator(TOKEN, { runCount: 5, bigLogLines: 0 });
  let dir: string;
  let files = 0;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-export-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const target = () => path.join(dir, `run-${++files}.runflow-run.json`);
  const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as ExportDocument;

  function runWithLog(count: number, extra: { message: string; level_code?: string }[] = []): string {
    const run = suite.emu.insertRun({ status_code: 'succeeded', created_at: new Date().toISOString(), metadata: { experiment: 'export' } });
    suite.emu.appendLogs(run.id!, [...Array.from({ length: count }, (_, i) => ({ level_code: i % 7 ? 'info' : 'warning', message: `line ${i + 1} of ${count}` })), ...extra]);
    return run.id!;
  }

  function request(runId: string, file: string) {
    return { api: suite.client, runId, target: file, server: suite.emu.url, secret: TOKEN };
  }

  it('pages the log from the server oldest first without q, every line as sent, and the run with its embeds', async () => {
    const runId = runWithLog(1_234);
    const file = target();
    suite.emu.resetRequests();
    const progress: number[] = [];
    const result = await exportRun({ ...request(runId, file), now: () => new Date('2026-11-30T12:00:00Z'), onProgress: (n) => progress.push(n) });
    const logRequests = suite.emu.requests({ method: 'GET', path: '/logs$' });
    assert.equal(logRequests.length, 3);
    assert.ok(logRequests.every((r) => r.query.sort_by === 'timestamp:asc' && r.query.limit === '500' && !('q' in r.query)));
    const runRequest = suite.emu.requests({ method: 'GET', path: `^/v1/runs/${runId}$` });
    assert.equal(runRequest.length, 1);
    assert.deepEqual(String(runRequest[0].query.embed).split(',').sort(), ['comfyui_workflow', 'flow', 'model', 'node_runs']);
    const doc = read(file);
    assert.equal(doc.format, EXPORT_FORMAT);
    assert.equal(doc.version, 1);
    assert.equal(doc.exportedAt, '2026-11-30T12:00:00.000Z');
    assert.equal(doc.server, suite.emu.url);
    assert.equal(doc.organization, null);
    assert.equal(doc.run.id, runId);
    assert.deepEqual(doc.run.metadata, { experiment: 'export' });
    assert.ok(Array.isArray(doc.run.node_runs), 'node runs embedded');
    assert.deepEqual(doc.logs.lines, await serverLines(suite.client, runId), 'every line as the server sends it, in order');
    assert.deepEqual({ source: doc.logs.source, count: doc.logs.count, complete: doc.logs.complete }, { source: 'server', count: 1_234, complete: true });
    assert.equal(doc.logs.stoppedBecause, undefined);
    assert.deepEqual(progress, [500, 1_000, 1_234]);
    assert.deepEqual({ lines: result.lines, complete: result.complete, source: result.source }, { lines: 1_234, complete: true, source: 'server' });
    assert.deepEqual(fs.readdirSync(dir), [path.basename(file)], 'no temporary file left beside it');
  });

  it('takes the log a reader has read, asking the server for the run only, with the same lines', async () => {
    const runId = runWithLog(2_345);
    const reader = new LogReader(() => suite.client, runId, () => new LogBuffer(path.join(dir, 'scratch.ndjson')), false);
    try {
      assert.equal(await reader.sentLines(), undefined, 'nothing to take before the whole log is read');
      assert.equal(await reader.start(), true);
      suite.emu.resetRequests();
      const file = target();
      const result = await exportRun({ ...request(runId, file), heldLog: await reader.sentLines() });
      assert.equal(suite.emu.requests({ method: 'GET', path: '/logs$' }).length, 0, 'the log is not asked for again');
      const doc = read(file);
      assert.equal(doc.logs.source, 'panel');
      assert.equal(doc.logs.count, 2_345);
      assert.deepEqual(doc.logs.lines, await serverLines(suite.client, runId));
      assert.equal(result.source, 'panel');
    } finally {
      reader.dispose();
    }
  });

  it('says when the budget stopped the walk, and why', async () => {
    const runId = runWithLog(1_234);
    const file = target();
    const result = await exportRun({ ...request(runId, file), maxPages: 2 });
    const doc = read(file);
    assert.deepEqual({ count: doc.logs.count, complete: doc.logs.complete, stoppedBecause: doc.logs.stoppedBecause }, { count: 1_000, complete: false, stoppedBecause: 'max_pages' });
    assert.match(doc.logs.note ?? '', /1,000 lines/);
    assert.equal(doc.logs.lines.length, 1_000);
    assert.equal(result.complete, false);
  });

  it('never writes the token, wherever a server puts it, and leaves the other values as sent', async () => {
    const echo = `Authorization: Bearer ${TOKEN}`;
    const run = suite.emu.insertRun({ status_code: 'failed', created_at: new Date().toISOString(), failure_message: echo, metadata: { [TOKEN]: `"${TOKEN}"`, note: 'Token limit reached' } });
    suite.emu.appendLogs(run.id!, [{ message: 'before' }, { level_code: 'error', message: `request ${echo} refused` }, { message: 'Token limit reached' }]);
    const file = target();
    await exportRun(request(run.id!, file));
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes(TOKEN), 'no token anywhere in the file');
    const doc = read(file);
    assert.equal(doc.run.failure_message, 'Authorization: Bearer [redacted]');
    assert.deepEqual(doc.run.metadata, { '[redacted]': '"[redacted]"', note: 'Token limit reached' });
    assert.deepEqual(doc.logs.lines.map((l) => l.message), ['before', 'request Authorization: Bearer [redacted] refused', 'Token limit reached']);
  });

  it('refuses to write a document that would hold the secret, and leaves nothing behind', async () => {
    const runId = runWithLog(10);
    const file = target();
    // The secret is a key the exporter itself writes, not a value it could replace: only the last check can stop it.
    await assert.rejects(exportRun({ ...request(runId, file), secret: 'exportedAt' }), SecretInExportError);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('on cancel deletes the partial file and keeps what was under the name', async () => {
    const runId = runWithLog(1_500);
    const file = target();
    fs.writeFileSync(file, 'kept');
    const abort = new AbortController();
    const cancelled = exportRun({ ...request(runId, file), signal: abort.signal, onProgress: () => abort.abort() });
    await assert.rejects(cancelled, ExportCancelledError);
    assert.deepEqual(fs.readdirSync(dir), [path.basename(file)]);
    assert.equal(fs.readFileSync(file, 'utf8'), 'kept');
  });

  it('names the file after the target and the short id', () => {
    assert.equal(exportFileName('3c90c3cc-0d44-4b50-8888-8dd25736052a', { slug: 'runflow/sdxl-turbo', label: 'SDXL Turbo' }), 'runflow-sdxl-turbo-3c90c3cc.runflow-run.json');
    assert.equal(exportFileName('abc', { label: '../../etc' }), 'etc-abc.runflow-run.json');
    assert.equal(exportFileName('r/1', { label: '' }), 'run-r1.runflow-run.json');
  });
});
