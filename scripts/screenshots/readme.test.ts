/**
 * The README's pictures, taken from the running extension against the emulator: each `it` sets up one
 * scene and saves test-results/screenshots/readme-<name>.png, which scripts/screenshots.ts copies to
 * docs/images/<name>.png. Run with `npm run screenshots`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Emulator } from '../../test/emulator';
import type { TestApi } from '../../src/extension';
import { evaluate, hasBrowser, press, saveScreenshot } from '../../test/integration/support/driver';
import { showRunsView, signedIn, startFixture, stopFixture } from '../../test/integration/support/fixture';
import { currentLine } from '../../test/integration/support/panelLog';
import { paneRows, setPaneExpanded } from '../../test/integration/support/runsPane';
import { waitFor, waitUntil } from '../../test/integration/support/wait';

const ROOT = process.env.RUNFLOW_TEST_ROOT ?? path.resolve(__dirname, '..', '..', '..');

function panelOf(runId: string) {
  return { selector: `#app[data-ready="true"][data-run-id="${runId}"]` };
}

async function cleanSlate(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('notifications.clearAll');
  await showRunsView();
}

/** Creates a model run through the API, as the extension's own launch does, and waits for it to finish. */
async function finishedRun(api: TestApi, emu: Emulator, model: string, input: Record<string, unknown>): Promise<string> {
  const [owner, slug] = model.split('/');
  const run = await api.connection.client.createModelRun(owner, slug, { input, client_ref: `readme-${slug}` });
  await waitFor(`the ${model} run to finish`, () => ['succeeded', 'failed', 'partial_succeeded'].includes(String(emu.getRun(run.id!)?.status_code)), 90_000);
  await api.view.refresh();
  await waitFor('the run in the view', () => api.store.get(run.id!)?.status_code === emu.getRun(run.id!)?.status_code, 20_000);
  return run.id!;
}

describe('README screenshots', function () {
  this.timeout(240_000);
  let emu: Emulator;
  let api: TestApi;

  before(async function () {
    if (!hasBrowser()) this.skip();
    ({ emu, api } = await startFixture({ bigLogLines: 100_000, speed: 20 }));
    await showRunsView();
    await signedIn(api, emu);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopFixture(emu, api);
  });

  it('runs-view: the Runs view and a succeeded run’s panel', async () => {
    const id = await finishedRun(api, emu, 'runflow/sdxl-turbo', { prompt: 'a lighthouse on a cliff at dusk, watercolour', steps: 4, seed: 42 });
    await cleanSlate();
    api.panels.open(id);
    await waitFor('the panel with its node runs', () =>
      evaluate<boolean>(panelOf(id), `/Succeeded/.test(document.querySelector('[data-testid="status"]')?.innerText ?? '') && document.querySelectorAll('[data-testid="node-run"]').length > 0`),
    60_000);
    // The picture is of the Runs view too: its runs, not only its group rows, must be drawn.
    await waitFor('run rows drawn in the Runs view', () =>
      evaluate<boolean>('workbench', `(() => { const p = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs')); return !!p && !!p.querySelector('.pane-body .monaco-list-row[aria-level="2"]'); })()`),
    30_000);
    await saveScreenshot('readme-runs-view');
  });

  it('failed-run: a failed run opens on its failure', async () => {
    const id = await finishedRun(api, emu, 'runflow/broken-upscaler', { scale: 4 });
    await cleanSlate();
    api.panels.open(id);
    await waitFor('the failure block', () =>
      evaluate<boolean>(panelOf(id), `!!document.querySelector('[data-testid="failure-message"]')?.innerText && document.querySelectorAll('[data-testid="node-run"]').length > 0`),
    60_000);
    await saveScreenshot('readme-failed-run');
  });

  it('log-view: a 100,000-line log, searched', async () => {
    const id = emu.bigLogRunId!;
    await cleanSlate();
    api.panels.open(id, 'logs');
    const frame = panelOf(id);
    await waitFor('the whole log read', async () => api.panels.panel(id)?.logFullyRead, 120_000);
    await evaluate(frame, `(() => { const i = document.querySelector('[data-testid="search-input"]'); i.focus(); i.value = 'VRAM'; i.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`);
    await waitFor('search matches', () =>
      evaluate<boolean>(frame, `/\\d/.test(document.querySelector('[data-testid="search-count"]')?.textContent ?? '')`),
    60_000);
    const countBefore = await evaluate<string>(frame, `document.querySelector('[data-testid="search-count"]')?.textContent ?? ''`);
    await evaluate(frame, `(() => { document.querySelector('[data-testid="search-next"]').click(); return true; })()`);
    // The next match scrolls into view with its rows as placeholders until their lines arrive.
    await waitFor('the next match drawn and highlighted, no row still loading', () =>
      evaluate<boolean>(frame, `(() => {
        const count = document.querySelector('[data-testid="search-count"]')?.textContent ?? '';
        const v = document.querySelector('[data-testid="log-viewport"]');
        const row = v?.querySelector('[data-testid="log-row"].current-match:not(.pending)');
        return count !== ${JSON.stringify(countBefore)} && !!row?.querySelector('mark') && !v.querySelector('[data-testid="log-row"].pending');
      })()`),
    30_000);
    await saveScreenshot('readme-log-view');
  });

  it('log-search: matches across runs, and the panel opened on one', async () => {
    await cleanSlate();
    await setPaneExpanded('Runs', false);
    try {
      await vscode.commands.executeCommand('runflow.searchLogs', { text: 'CUDA out of memory', level: 'error', range: 'all' });
      await waitUntil('match rows drawn', () => paneRows('Log Matches'), (r) => r.filter((l) => /out of memory/i.test(l)).length >= 3, 30_000);
      const group = api.logMatches.results!.groups.groups()[0];
      await vscode.commands.executeCommand('runflow.searchLogs.openMatch', { runId: group.runId, index: 0 });
      await waitUntil('the panel on the line', () => currentLine(group.runId!), (c) => c.onScreen && /out of memory/i.test(c.text), 60_000);
      await saveScreenshot('readme-log-search');
    } finally {
      await setPaneExpanded('Runs', true);
    }
  });

  it('show-spend: what the last 7 days of runs cost, per model and per day', async () => {
    await cleanSlate();
    const panel = (await vscode.commands.executeCommand('runflow.showSpend', '7d')) as { walk?: { done: Promise<unknown> }; dispose(): void };
    try {
      await panel.walk?.done;
      await waitFor('the totals on the page', () =>
        evaluate<boolean>({ selector: 'body[data-runflow-view="spend"] #app[data-state="done"]' }, `document.querySelectorAll('[data-testid="model-row"]').length > 0`),
      30_000);
      await saveScreenshot('readme-show-spend');
    } finally {
      panel.dispose();
    }
  });

  it('launch-file: a launch file with its CodeLens, after a run from it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('no workspace folder');
    const name = 'sdxl-turbo.runflow.json';
    const file = path.join(folder, name);
    fs.copyFileSync(path.join(ROOT, 'scripts', 'demo-workspace', name), file);
    await cleanSlate();
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    await waitFor('a "Run on …" CodeLens from the extension', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return lenses?.some((l) => l.command?.title.includes('Run on'));
    }, 60_000);
    // Launched as a user does, from the CodeLens's command; the panel stays closed so the file shows.
    const settings = vscode.workspace.getConfiguration('runflow');
    await settings.update('launch.openPanel', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('runflow.runFromFile', editor.document.uri);
      await waitFor('the "Last run" CodeLens of the finished run', () =>
        evaluate<boolean>('workbench', `[...document.querySelectorAll('.codelens-decoration')].some(e => /Last run: Succeeded/.test(e.textContent))`),
      90_000);
    } finally {
      await settings.update('launch.openPanel', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('notifications.clearAll');
    await press('Escape');
    await waitFor('no notification toast on screen', () =>
      evaluate<boolean>('workbench', `![...document.querySelectorAll('.notifications-toasts .notification-toast')].some(t => t.offsetParent !== null)`),
    10_000);
    await saveScreenshot('readme-launch-file');
  });

  it('compare-runs: two runs of one model, compared in the diff editor', async () => {
    const first = await finishedRun(api, emu, 'runflow/sdxl-turbo', { prompt: 'a lighthouse on a cliff at dusk, watercolour', steps: 4, seed: 42 });
    const second = await finishedRun(api, emu, 'runflow/sdxl-turbo', { prompt: 'a lighthouse on a cliff at dusk, watercolour', steps: 8, seed: 7 });
    await cleanSlate();
    const nodes = [api.view.tree.nodeFor(first)!, api.view.tree.nodeFor(second)!];
    // As the Runs view's context menu calls it with both rows selected.
    await vscode.commands.executeCommand('runflow.compareRuns', nodes[1], nodes);
    await waitFor('the diff drawn with its summary and a changed input line', () =>
      evaluate<boolean>('workbench', `(() => {
        const d = document.querySelector('.monaco-diff-editor');
        // The editor draws spaces as no-break spaces.
        const text = (d?.querySelector('.editor.modified .view-lines')?.textContent ?? '').replace(/\\u00a0/g, ' ');
        return text.includes('only the input differs') && !!d.querySelector('.char-insert, .line-insert');
      })()`),
    30_000);
    await saveScreenshot('readme-compare-runs');
  });

  it('batch-preview and batch-node: a 3 × 2 matrix previewed, then watched as one row', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('no workspace folder');
    const name = 'sweep.runflow.json';
    const file = path.join(folder, name);
    fs.copyFileSync(path.join(ROOT, 'scripts', 'demo-workspace', name), file);
    // Succeeded runs of the model give the preview its estimate.
    await finishedRun(api, emu, 'runflow/sdxl-turbo', { prompt: 'a lighthouse on a cliff at dusk, watercolour', steps: 4, seed: 42 });
    await cleanSlate();
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    await waitFor('the "Run 6 on …" CodeLens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return lenses?.some((l) => l.command?.title.includes('Run 6 on'));
    }, 60_000);
    const launched = vscode.commands.executeCommand('runflow.runFromFile', editor.document.uri);
    await waitFor('the preview', () =>
      evaluate<boolean>('workbench', `[...document.querySelectorAll('.quick-input-widget .monaco-list-row')].some(r => r.innerText.includes('Launch 6 runs'))`),
    30_000);
    await saveScreenshot('readme-batch-preview');
    await press('Enter');
    const [result] = (await launched) as { kind: string; batchId?: string }[];
    if (result?.kind !== 'batch' || !result.batchId) throw new Error(`the batch was not launched: ${JSON.stringify(result)}`);
    const batchId = result.batchId;
    await waitFor('the batch row at 6/6', () => String(api.view.tree.getTreeItem(api.view.tree.batchRows!.batchNode(batchId)).description ?? '').startsWith('6/6'), 120_000);
    await vscode.commands.executeCommand('runflow.showBatch', batchId);
    await waitFor('the batch and its six runs on screen', async () => (await paneRows('Runs')).filter((l) => /^seed=\d, steps=\d/.test(l)).length === 6, 30_000);
    await waitFor('the CodeLens of the finished batch', () =>
      evaluate<boolean>('workbench', `[...document.querySelectorAll('.codelens-decoration')].some(e => /Last batch: 6\\/6/.test(e.textContent))`),
    30_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    await waitFor('the batch row with its counts', async () => (await paneRows('Runs')).some((l) => l.startsWith('Batch sweep.runflow.json, 6/6, 6 succeeded')), 10_000);
    await saveScreenshot('readme-batch-node');
  });
});
