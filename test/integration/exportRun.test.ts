import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { CursorTrail } from '../../src/api/pagination';
import type { Page, RunLog } from '../../src/api/types';
import type { RunExportResult } from '../../src/runs/runExport';
import { evaluate, hasBrowser, saveScreenshot } from './support/driver';
import { emulatorModeName } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture, TOKEN } from './support/fixture';
import { panelOf } from './support/panelLog';
import { waitFor } from './support/wait';

const LINES = 3_000;

interface ExportDocument {
  format: string;
  run: { id?: string };
  logs: { source: string; lines: RunLog[]; count: number; complete: boolean };
}

describe(`Export run (${emulatorModeName()})`, function () {
  this.timeout(180_000);
  let emu: Emulator;
  let api: TestApi;
  let dir: string;

  before(async () => {
    ({ emu, api } = await startFixture());
    await showRunsView();
    await signedIn(api, emu);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-export-run-'));
  });
  after(async () => {
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    await stopFixture(emu, api);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A finished run with a log of LINES lines, some of them what a display would change (colours, bidi controls, quotes). */
  function runWithLog(): string {
    const run = emu.insertRun({ status_code: 'succeeded', created_at: new Date().toISOString(), has_logs: true });
    emu.appendLogs(
      run.id!,
      Array.from({ length: LINES }, (_, i) => {
        const n = i + 1;
        if (n % 500 === 0) return { level_code: 'WARNING', message: `\u001b[33mline ${n}\u001b[0m "quoted" \u202eevil\u202c` };
        return { level_code: n % 100 === 0 ? 'error' : 'info', message: `line ${n} of ${LINES}` };
      }),
    );
    return run.id!;
  }

  /** The run's log as the emulator serves it, oldest first, read here with plain requests. */
  async function emulatorLines(runId: string): Promise<RunLog[]> {
    const lines: RunLog[] = [];
    const trail = new CursorTrail('next', 100);
    let cursor: string | undefined;
    for (;;) {
      const url = new URL(`${emu.url}/v1/runs/${runId}/logs`);
      url.searchParams.set('sort_by', 'timestamp:asc');
      url.searchParams.set('limit', '500');
      if (cursor) url.searchParams.set('pq', cursor);
      const page = (await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Page<RunLog>;
      lines.push(...page.items);
      const step = trail.follow(page);
      if ('stop' in step) {
        assert.equal(step.stop, 'end', 'the emulator served the whole log');
        return lines;
      }
      cursor = step.cursor;
    }
  }

  async function exportTo(runId: string, name: string): Promise<{ result: RunExportResult; text: string; doc: ExportDocument }> {
    const file = path.join(dir, name);
    const result = (await vscode.commands.executeCommand('runflow.exportRun', runId, vscode.Uri.file(file))) as RunExportResult | undefined;
    assert.ok(result, 'the command reports the export');
    const text = fs.readFileSync(file, 'utf8');
    return { result, text, doc: JSON.parse(text) as ExportDocument };
  }

  function assertWhole(text: string, doc: ExportDocument, runId: string, expected: RunLog[]): void {
    assert.equal(text.includes(TOKEN), false, 'the token occurs nowhere in the file');
    assert.equal(doc.format, 'runflow-run-export');
    assert.equal(doc.run.id, runId);
    assert.equal(expected.length, LINES);
    assert.equal(doc.logs.count, LINES);
    assert.equal(doc.logs.complete, true);
    assert.deepEqual(doc.logs.lines, expected, 'every line, in order, as the emulator serves it');
  }

  it('from a panel that has read the log: every line, in order, no token, and the log not asked for again', async () => {
    const runId = runWithLog();
    api.panels.open(runId);
    await waitFor('the whole log read by the panel', () => api.panels.panel(runId)?.logFullyRead, 60_000);
    if (hasBrowser()) {
      const button = await waitFor('the Export button in the panel toolbar', () =>
        evaluate<string | null>(panelOf(runId), `(() => { const b = document.querySelector('[data-testid="actions"] [data-action="exportRun"]'); b?.scrollIntoView({ block: 'center' }); return b && !b.disabled ? b.innerText : null; })()`),
      30_000);
      assert.match(button, /Export/);
      // The picture shows the toolbar's icons: their font comes after the page has loaded.
      await waitFor('the icon font', () => evaluate<boolean>(panelOf(runId), `[...document.fonts].some((f) => f.family.replace(/"/g, '') === 'codicon' && f.status === 'loaded')`), 15_000);
      await saveScreenshot('export-run-panel-toolbar');
    }
    emu.resetRequests();
    const { result, text, doc } = await exportTo(runId, 'from-panel.runflow-run.json');
    assert.equal(emu.requests({ method: 'GET', path: '/logs$' }).length, 0, 'the log came from the panel');
    assert.equal(doc.logs.source, 'panel');
    assert.equal(result.lines, LINES);
    assertWhole(text, doc, runId, await emulatorLines(runId));
  });

  it('for a run no panel has read: paged from the server oldest first, without q, every line, no token', async () => {
    const runId = runWithLog();
    assert.equal(api.panels.panel(runId), undefined);
    emu.resetRequests();
    const { text, doc } = await exportTo(runId, 'paged.runflow-run.json');
    const pages = emu.requests({ method: 'GET', path: `^/v1/runs/${runId}/logs$` });
    assert.equal(pages.length, LINES / 500, 'one request a page of 500');
    assert.ok(pages.every((r) => r.status === 200 && r.query.sort_by === 'timestamp:asc' && !('q' in r.query)), 'oldest first, never a q');
    assert.equal(doc.logs.source, 'server');
    assertWhole(text, doc, runId, await emulatorLines(runId));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => !f.endsWith('.runflow-run.json')), [], 'no temporary file left behind');
  });
});
