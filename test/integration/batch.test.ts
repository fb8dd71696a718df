import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { Run } from '../../src/api/types';
import type { TestApi } from '../../src/extension';
import type { LaunchResult } from '../../src/launch/launcher';
import type { BatchRecord } from '../../src/runs/batchState';
import type { BatchNode } from '../../src/views/runNodes';
import { evaluate, hasBrowser, press, saveScreenshot } from './support/driver';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { notificationsText, runsViewRows } from './support/runsPane';
import { workspaceFolder, writeWorkspaceFile } from './support/workspaceFiles';
import { waitFor } from './support/wait';

const MODEL = 'runflow/sdxl-turbo';
const CREATES = '^/v1/models/';
type BatchLaunchResult = Extract<LaunchResult, { kind: 'batch' }>;

const folder = () => workspaceFolder('batches');
const writeFile = (name: string, content: unknown) => writeWorkspaceFile('batches', name, content);

function jsonLines(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ prompt: `${tag} ${i + 1}`, seed: i + 1 })).join('\n') + '\n';
}

function posts(emu: Emulator): number {
  return emu.requests({ method: 'POST', path: CREATES }).length;
}

/** The quick input's title and rows as the user sees them, once its title reads like `title`. */
async function quickInput(title: RegExp): Promise<string> {
  return waitFor(`the quick input titled ${title}`, () =>
    evaluate<string | undefined>(
      'workbench',
      `(() => {
        const w = document.querySelector('.quick-input-widget');
        if (!w || w.style.display === 'none') return undefined;
        const t = w.querySelector('.quick-input-title')?.textContent ?? '';
        return ${title}.test(t) ? t + '\\n' + [...w.querySelectorAll('.monaco-list-row')].map(r => r.innerText).join('\\n') : undefined;
      })()`,
    ),
  );
}

/** Runs the file's launch and answers its preview (and its confirmation, when asked) with Enter. */
async function launchBatch(uri: vscode.Uri, options: { confirm?: boolean; screenshot?: string; whileSending?: () => Promise<void> } = {}): Promise<{ result: BatchLaunchResult; preview: string }> {
  const launched = vscode.commands.executeCommand<LaunchResult[]>('runflow.runFromFile', uri);
  const preview = await quickInput(/^Runflow: launch /);
  if (options.screenshot) await saveScreenshot(options.screenshot);
  await press('Enter');
  if (options.confirm) {
    await quickInput(/Launch them all\?/);
    await press('Enter');
  }
  await options.whileSending?.();
  const [result] = await launched;
  assert.equal(result?.kind, 'batch', JSON.stringify(result));
  return { result: result as BatchLaunchResult, preview };
}

/** The newest runs as the API lists them (the emulator's own answer), those of `batchId` only. */
async function serverRunsOf(api: TestApi, batchId: string): Promise<Run[]> {
  const page = await api.connection.client.searchRuns({ limit: 200, sort_by: 'created_at:desc' });
  return page.items.filter((r) => typeof r.client_ref === 'string' && r.client_ref.includes(`-${batchId}-`));
}

function batch(api: TestApi, id: string): BatchRecord {
  const b = api.batches.get(id);
  assert.ok(b, `batch ${id} is kept`);
  return b;
}

/** An exact decimal sum, digit for digit, without the extension's own code. */
function exactSum(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.split('.')[1] ?? '').length));
  const total = values.reduce((sum, v) => {
    const [i, f = ''] = v.split('.');
    return sum + BigInt(i + f.padEnd(scale, '0'));
  }, 0n);
  const digits = total.toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '') : digits;
  return text;
}

describe('Batches from one file', function () {
  this.timeout(180_000);
  let emu: Emulator;
  let api: TestApi;

  before(async () => {
    ({ emu, api } = await startFixture());
    await showRunsView();
    await signedIn(api, emu);
    await vscode.workspace.fs.createDirectory(folder());
  });
  afterEach(async () => {
    // The notification centre opened to read a notice stays shut for the suites after this one.
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    emu.clearFaults();
  });
  after(async () => stopFixture(emu, api));

  it('a 3 × 2 matrix: previewed, then exactly 6 runs with the right inputs, watched as one node whose counts and cost match the server', async () => {
    // Notices of runs other suites launched in this window are not this batch's: those runs are over, their notices cleared.
    await waitFor('no watched run still active', () => api.store.activeRuns().every((r) => !api.store.isWatched(r.id!)), 60_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    const uri = await writeFile('grid.runflow.json', { model: MODEL, input: { prompt: 'a fox in the snow' }, matrix: { seed: [1, 2, 3], steps: [4, 8] } });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the Run 6 CodeLens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return lenses?.some((l) => l.command?.title === `$(play) Run 6 on ${MODEL}`);
    });

    emu.resetRequests();
    const { result, preview } = await launchBatch(uri, { screenshot: hasBrowser() ? 'batch-preview' : undefined });
    assert.match(preview, /Launch 6 runs/);
    assert.match(preview, /Cost: /);
    assert.match(preview, /#1 seed=1, steps=4/);
    assert.equal(result.results.length, 6);
    assert.ok(result.results.every((r) => r.state === 'launched' && !r.adopted), JSON.stringify(result.results));
    assert.equal(posts(emu), 6, 'exactly six creates');

    const runs = await serverRunsOf(api, result.batchId);
    assert.equal(runs.length, 6, 'six runs on the server');
    const inputs = runs.map((r) => JSON.stringify(r.input)).sort();
    const expected = [1, 2, 3].flatMap((seed) => [4, 8].map((steps) => JSON.stringify({ prompt: 'a fox in the snow', seed, steps }))).sort();
    assert.deepEqual(inputs, expected, 'the cross product, merged over the shared input');
    for (const r of runs) {
      const meta = r.metadata as { batch?: string; index?: number };
      assert.equal(meta.batch, result.batchId);
      assert.equal(r.client_ref, `grid-${result.batchId}-${meta.index}`);
    }

    // The batch node, once every run is over on the server: its counts and cost are the server's.
    await waitFor('the six runs over on the server', () => runs.every((r) => ['succeeded', 'failed', 'cancelled', 'partial_succeeded'].includes(emu.getRun(r.id!)?.status_code ?? '')), 60_000);
    const final = runs.map((r) => emu.getRun(r.id!)!);
    const counts = new Map<string, number>();
    for (const r of final) counts.set(r.status_code!, (counts.get(r.status_code!) ?? 0) + 1);
    const costs = final.map((r) => r.cost).filter((c): c is string => typeof c === 'string');
    const node = api.view.tree.batchRows!.batchNode(result.batchId) as BatchNode;
    const description = await waitFor('the batch row at 6/6', () => {
      const d = String(api.view.tree.getTreeItem(node).description ?? '');
      return d.startsWith('6/6') ? d : undefined;
    }, 60_000);
    for (const status of ['succeeded', 'failed', 'cancelled']) {
      const n = counts.get(status);
      if (n) assert.match(description, new RegExp(`\\b${n} ${status}\\b`), `${status} count in "${description}"`);
    }
    const sum = exactSum(costs);
    assert.ok(costs.length > 0 && description.includes(`$${sum}`), `the cost ${sum} in "${description}"`);

    assert.equal(await vscode.commands.executeCommand('runflow.showBatch', result.batchId), true, 'the batch is shown');
    if (hasBrowser()) {
      let seen: string[] = [];
      const rows = await waitFor('the batch and its six runs on screen', async () => {
        const labels = (seen = await runsViewRows());
        return labels.some((l) => l.startsWith('Batch batches/grid.runflow.json, 6/6')) && labels.filter((l) => /^seed=\d, steps=\d/.test(l)).length === 6 ? labels : undefined;
      }).catch((err: Error) => {
        throw new Error(`${err.message}; rows: ${seen.slice(0, 10).join(' | ')}`);
      });
      assert.ok(rows.some((l) => l.startsWith('Batches, 1')), rows.join('\n'));
      await saveScreenshot('batch-node');
      await vscode.commands.executeCommand('notifications.showList');
      const notices = await waitFor('the one finish notice', async () => {
        const text = await notificationsText();
        return text.includes('batch batches/grid.runflow.json finished') ? text : undefined;
      });
      assert.equal(notices.split('batch batches/grid.runflow.json finished').length - 1, 1, 'one notice for the batch');
      const perRun = notices.split('\n').filter((l) => /(succeeded|failed)\.$/.test(l.trim()) && !l.includes('batch batches/grid.runflow.json'));
      assert.deepEqual(perRun, [], 'no notice per run');
    }
  });

  it('a JSONL file of 25 lines: asked to confirm, then exactly 25 runs', async () => {
    const uri = await writeFile('prompts.runflow.jsonl', jsonLines(25, 'a lighthouse'));
    await api.launchState.setModelFor(uri, MODEL);
    emu.resetRequests();
    const { result, preview } = await launchBatch(uri, { confirm: true });
    assert.match(preview, /Launch 25 runs/);
    assert.match(preview, /and 20 more/);
    assert.equal(result.results.filter((r) => r.state === 'launched').length, 25);
    assert.equal(posts(emu), 25);
    const runs = await serverRunsOf(api, result.batchId);
    assert.equal(runs.length, 25);
    assert.deepEqual(runs.map((r) => (r.input as { prompt: string }).prompt).sort(), Array.from({ length: 25 }, (_, i) => `a lighthouse ${i + 1}`).sort());
  });

  it('with the connection dropped after the create on 2 of 25, still exactly 25 runs, 2 of them adopted', async () => {
    const uri = await writeFile('dropped.runflow.jsonl', jsonLines(25, 'a harbour'));
    await api.launchState.setModelFor(uri, MODEL);
    emu.resetRequests();
    emu.addFault({ method: 'POST', path: CREATES, drop: 'after', count: 2 });
    const { result } = await launchBatch(uri, { confirm: true });
    assert.equal(result.results.filter((r) => r.state === 'launched').length, 25, JSON.stringify(result.results.filter((r) => r.state !== 'launched')));
    assert.equal(result.results.filter((r) => r.adopted).length, 2, 'two adopted');
    assert.equal(posts(emu), 25, 'no create sent twice');
    const runs = await serverRunsOf(api, result.batchId);
    assert.equal(runs.length, 25, 'exactly 25 runs');
    assert.equal(new Set(runs.map((r) => r.client_ref)).size, 25, 'one run per entry');
  });

  it('cancelling mid-way marks no unsent entry as sent, and Retry sends only the missing entries', async () => {
    const uri = await writeFile('slow.runflow.jsonl', jsonLines(20, 'a mountain'));
    await api.launchState.setModelFor(uri, MODEL);
    emu.resetRequests();
    // Each create takes a while, so that Cancel lands mid-way.
    emu.addFault({ method: 'POST', path: CREATES, delayMs: 400, count: -1 });
    let batchId = '';
    const { result } = await launchBatch(uri, {
      confirm: true,
      whileSending: async () => {
        const sending = await waitFor('a batch being sent with 4 launched', () => {
          const b = api.batches.all().find((x) => x.label.endsWith('slow.runflow.jsonl'));
          return b && b.entries.filter((e) => e.state === 'launched').length >= 4 ? b : undefined;
        }, 30_000);
        batchId = sending.id;
        await vscode.commands.executeCommand('notifications.showList');
        await waitFor('the Cancel of the progress notification', () =>
          evaluate<boolean>(
            'workbench',
            `(() => {
              const row = [...document.querySelectorAll('.notifications-list-container .monaco-list-row')].find(r => r.innerText.includes('slow.runflow.jsonl'));
              const cancel = row && [...row.querySelectorAll('.monaco-button, a.action-label')].find(b => (b.textContent ?? '').trim() === 'Cancel' || b.getAttribute('aria-label') === 'Cancel');
              if (!cancel) return false;
              cancel.click();
              return true;
            })()`,
          ),
        );
      },
    });
    assert.equal(result.batchId, batchId);
    const kept = batch(api, batchId);
    const launched = kept.entries.filter((e) => e.state === 'launched');
    const pending = kept.entries.filter((e) => e.state === 'pending');
    assert.ok(pending.length > 0, 'some entries were not sent');
    assert.equal(launched.length + pending.length, 20, JSON.stringify(kept.entries.map((e) => e.state)));
    assert.equal(posts(emu), launched.length, 'every create sent is an entry marked launched');
    const runs = await serverRunsOf(api, batchId);
    assert.deepEqual(runs.map((r) => r.client_ref).sort(), launched.map((e) => `slow-${batchId}-${e.index}`).sort(), 'the server has exactly the launched entries');

    emu.clearFaults();
    emu.resetRequests();
    const retried = await vscode.commands.executeCommand<{ kind: string; results: { state: string }[] }>('runflow.retryBatch', batchId);
    assert.equal(retried?.kind, 'batch');
    assert.equal(posts(emu), pending.length, 'only the missing entries are sent');
    const after = await serverRunsOf(api, batchId);
    assert.equal(after.length, 20);
    assert.equal(new Set(after.map((r) => r.client_ref)).size, 20, 'one run per entry');
    assert.ok(batch(api, batchId).entries.every((e) => e.state === 'launched'));
  });

  it('a batch with one invalid entry is refused before any request, with the entry underlined', async () => {
    const text = `${JSON.stringify({ model: MODEL, input: { prompt: 'a bird' }, inputs: [{ seed: 1 }, 'seed 2', { seed: 3 }] }, null, 2)}\n`;
    const uri = await writeFile('broken.runflow.json', text);
    emu.resetRequests();
    const [result] = await vscode.commands.executeCommand<LaunchResult[]>('runflow.runFromFile', uri);
    assert.equal(result.kind, 'refused', JSON.stringify(result));
    assert.equal(posts(emu), 0, 'nothing sent');
    const diagnostics = await waitFor('the problem on the entry', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Runflow' && d.severity === vscode.DiagnosticSeverity.Error);
      return found.length ? found : undefined;
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(diagnostics.some((d) => doc.getText(d.range) === '"seed 2"'), diagnostics.map((d) => `${doc.getText(d.range)}: ${d.message}`).join('\n'));
  });
});
