import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { LaunchResult } from '../../src/launch/launcher';
import type { GroupNode, RunNode } from '../../src/views/runsTree';
import type { Emulator, NodeRun } from '../emulator';
import { evaluate, hasBrowser, saveScreenshot, type FrameTarget } from './support/driver';
import { emulatorStrictMode } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { typeIntoQuickInput } from './support/quickInput';
import { waitFor, waitUntil } from './support/wait';

const MODEL = 'runflow/sdxl-turbo';
const YEARS_AGO = new Date(Date.now() - 2 * 365 * 24 * 3600_000).toISOString();

function panelOf(runId: string): FrameTarget {
  return { selector: `#app[data-ready="true"][data-run-id="${runId}"]` };
}

function folder(): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('the tests need a workspace folder');
  return vscode.Uri.joinPath(root, 'polish');
}

async function writeFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/** Rows of the Runs view as drawn: label, the row's accessible name, and the classes of its icon. */
function viewRows(): Promise<{ label: string; aria: string; icon: string }[]> {
  return evaluate('workbench', `(() => {
    const pane = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs'));
    return [...(pane?.querySelectorAll('.monaco-list-row') ?? [])].map(r => ({
      label: r.querySelector('.label-name')?.textContent ?? r.textContent ?? '',
      aria: r.getAttribute('aria-label') ?? '',
      icon: r.querySelector('.custom-view-tree-node-item-icon')?.className ?? '(no icon element)',
    }));
  })()`);
}

describe('Polish: wording and the panel', function () {
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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of api.panels.openRunIds) api.panels.panel(id)?.dispose();
    emu.clearFaults();
  });
  after(async () => stopFixture(emu, api));

  it('draws the page skeleton from the HTML shell, before any run data, under the strict CSP', async function () {
    // Older than the loaded window, so the store does not have it and the panel waits for its own GET.
    const run = emu.insertRun({ status_code: 'succeeded', created_at: YEARS_AGO, started_at: YEARS_AGO, completed_at: YEARS_AGO });
    emu.addFault({ method: 'GET', path: `^/v1/runs/${run.id}$`, delayMs: 6_000, count: 3 });
    api.panels.open(run.id!);
    const html = api.panels.panel(run.id!)!.panel.webview.html;
    // The page's main landmark holds it (the panel's one <main>).
    const app = /<main id="app"[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
    assert.match(app, /data-testid="skeleton"/, 'the shell itself holds the skeleton');
    // Before the bundle (the head's one-line handshake script draws nothing and waits for no stylesheet).
    const bundle = html.indexOf('id="runflow-panel-script"');
    assert.ok(bundle > 0 && html.indexOf('data-testid="skeleton"') < bundle, 'before the script');
    // The bundle and the panel's stylesheet come with the page, each under the nonce; only the icon font's stylesheet is fetched, after them.
    assert.match(html, /<script nonce="[^"]+" id="runflow-panel-script">[^<]/);
    assert.match(html, /<style nonce="[^"]+">[^<]/);
    assert.ok(html.indexOf('codicon.css') > bundle, 'the icon stylesheet after the script');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(app, /style=|<script/i, 'no inline style or script in the skeleton');
    if (!hasBrowser()) return;
    const frame = { selector: '[data-testid="skeleton"]' };
    const shown = await waitFor('the skeleton drawn with its styles', () =>
      evaluate<{ blocks: number; height: number; text: string } | null>(
        frame,
        `(() => { const s = document.querySelector('[data-testid="skeleton"]'); const b = [...s.querySelectorAll('.skeleton-block')]; const tall = b.filter(x => x.getBoundingClientRect().height > 0 && getComputedStyle(x).backgroundColor !== 'rgba(0, 0, 0, 0)'); return tall.length ? { blocks: tall.length, height: s.getBoundingClientRect().height, text: s.innerText } : null; })()`,
      ),
    );
    assert.ok(shown.blocks >= 6 && shown.height > 60, JSON.stringify(shown));
    assert.match(shown.text, /Loading the run/);
    await saveScreenshot('polish-panel-skeleton');
    await waitFor('the run in place of the skeleton', () =>
      evaluate<boolean>(panelOf(run.id!), `!document.querySelector('[data-testid="skeleton"]') && (document.querySelector('[data-testid="status"]')?.innerText ?? '').includes('Succeeded')`),
    30_000);
  });

  it('says "No output" and does not follow the log of a finished run, unless asked', async function () {
    if (!hasBrowser()) this.skip();
    const run = emu.insertRun({ status_code: 'succeeded', output: null, has_logs: true });
    emu.appendLogs(run.id!, Array.from({ length: 300 }, (_, i) => ({ level_code: i % 50 === 7 ? 'error' : 'info', message: `line ${i + 1}` })));
    await api.store.refresh();
    api.panels.open(run.id!);
    const frame = panelOf(run.id!);
    const state = await waitUntil(
      'the finished run with its log',
      () =>
        evaluate<{ output: string; follow: string | null; last: number; total: number; levels: string[] }>(
          frame,
          `(() => {
            const rows = [...document.querySelectorAll('[data-testid="log-row"]:not(.pending)')].map(r => Number(r.getAttribute('data-index')));
            return {
              output: document.querySelector('[data-section="output"] .empty-state')?.innerText ?? '',
              follow: document.querySelector('[data-testid="follow"]')?.getAttribute('aria-pressed'),
              last: rows.length ? Math.max(...rows) : -1,
              total: Number(document.querySelector('[data-testid="log-viewport"]')?.getAttribute('data-total') ?? 0),
              levels: [...document.querySelectorAll('[data-testid="level-select"] option')].map(o => o.textContent),
            };
          })()`,
        ),
      (s) => s.total === 300 && s.last === 299 && s.levels.length > 1,
      30_000,
    );
    assert.equal(state.output, 'No output');
    assert.equal(state.follow, 'false', 'Follow is off for a finished run');
    assert.equal(state.last, 299, 'the log still opens on its newest lines');
    assert.ok(state.levels.some((l) => /^ERROR \(6\)$/.test(l)), `the level filter names levels as the log does: ${state.levels.join(' | ')}`);
    assert.ok(!state.levels.some((l) => /^error/.test(l)));
    await evaluate(frame, `(() => { document.querySelector('[data-section="logs"]').scrollIntoView(); return true; })()`);
    await saveScreenshot('polish-finished-run-no-follow');
    await evaluate(frame, `(() => { document.querySelector('[data-testid="follow"]').click(); return true; })()`);
    await waitFor('Follow turned on by the user', () => evaluate<boolean>(frame, `document.querySelector('[data-testid="follow"]')?.getAttribute('aria-pressed') === 'true'`));
  });

  it('follows an active run, says "No output yet", and stops following once it has finished', async function () {
    if (!hasBrowser()) this.skip();
    const now = new Date().toISOString();
    const run = emu.insertRun({ status_code: 'running', created_at: now, started_at: now, output: null, has_logs: true });
    emu.appendLogs(run.id!, [{ level_code: 'info', message: 'step 1' }]);
    await api.store.refresh();
    api.panels.open(run.id!);
    const frame = panelOf(run.id!);
    const read = () =>
      evaluate<{ output: string; follow: string | null; status: string }>(
        frame,
        `({ output: document.querySelector('[data-section="output"] .empty-state')?.innerText ?? '', follow: document.querySelector('[data-testid="follow"]')?.getAttribute('aria-pressed'), status: document.querySelector('[data-testid="status"]')?.innerText ?? '' })`,
      );
    const active = await waitUntil('the active run', read, (s) => /Running/.test(s.status), 30_000);
    assert.equal(active.output, 'No output yet');
    assert.equal(active.follow, 'true', 'Follow is on while the run is active');
    emu.updateRun(run.id!, { status_code: 'succeeded', completed_at: new Date().toISOString(), output: null });
    const done = await waitUntil('the run finished and Follow off', read, (s) => /Succeeded/.test(s.status) && s.follow === 'false', 60_000);
    assert.equal(done.output, 'No output');
  });

  it('shows the cost breakdown as a table, with the same cost formatter as the tree', async function () {
    if (!hasBrowser()) this.skip();
    const run = emu.insertRun({
      status_code: 'succeeded',
      cost: '0.0125',
      cost_breakdown: { currency: 'USD', gpu_seconds: '3.2', items: [{ label: 'gpu', amount: '0.0120' }, { label: 'storage', amount: '0.0005' }, { label: 'odd', amount: { per: 'hour' } }] },
    });
    await api.store.refresh();
    api.panels.open(run.id!);
    const rows = await waitFor('the cost breakdown table', () =>
      evaluate<string[][] | null>(
        panelOf(run.id!),
        `(() => { const t = document.querySelector('[data-testid="cost-breakdown"]'); return t ? [...t.querySelectorAll('tr')].map(r => [...r.children].map(c => c.innerText.trim())) : null; })()`,
      ),
    30_000);
    assert.deepEqual(rows, [
      ['Part', 'Quantity', 'Cost'],
      ['gpu_seconds', '3.2', '—'],
      ['gpu', '—', '$0.012'],
      ['storage', '—', '$0.0005'],
      ['odd', '{"label":"odd","amount":{"per":"hour"}}'],
    ]);
    const text = await evaluate<string>(panelOf(run.id!), `document.querySelector('[data-section="header"]').innerText`);
    assert.doesNotMatch(text, /items:\s*\[/, 'not the raw JSON of the breakdown');
    await evaluate(panelOf(run.id!), `(() => { document.querySelector('[data-testid="cost-breakdown"]').scrollIntoView({ block: 'center' }); return true; })()`);
    await saveScreenshot('polish-cost-breakdown');
  });

  it("names node runs from the run's flow in the tree and the panel, draws a skipped node alike in both, and says why a model run shows ids", async () => {
    const page = await api.connection.client.searchRuns({ limit: 100, sort_by: 'created_at:desc', embed: ['flow'] });
    const flowRun = page.items.find((r) => r.target_type === 'flow' && Array.isArray(r.flow?.nodes) && r.flow!.nodes!.length >= 2);
    assert.ok(flowRun?.flow_id, 'a flow run with its flow');
    const nodes = flowRun.flow!.nodes!;
    const now = new Date().toISOString();
    const run = emu.insertRun({
      status_code: 'failed',
      flow_id: flowRun.flow_id,
      created_at: now,
      started_at: now,
      completed_at: now,
      failure_message: 'node failed',
      nodes_total: 2,
      nodes_completed: 1,
      node_runs: [
        { id: 'polish-n0', node_id: nodes[0].id!, state_code: 'failed', error_message: 'boom' },
        { id: 'polish-n1', node_id: nodes[1].id!, state_code: 'skipped' },
      ] as unknown as NodeRun[],
    });
    await api.store.refresh();
    const node = await waitFor('the flow run in the tree', () => api.view.tree.nodeFor(run.id!));
    const children = await api.view.tree.getChildren(node);
    const items = children.map((c) => api.view.tree.getTreeItem(c));
    const expected = nodes.slice(0, 2).map((n) => n.label ?? n.slug);
    assert.deepEqual(items.map((i) => i.label), expected, 'the tree names the nodes');
    assert.equal((items[1].iconPath as vscode.ThemeIcon).id, 'circle-slash', 'a skipped node in the tree');

    // The tooltip's times: local time and how long ago, not the server's ISO text.
    const tooltip = (api.view.tree.getTreeItem(node).tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /\*\*Created:\*\* \w{3} \d{1,2}, \d{4}, \d{2}:\d{2}:\d{2}.* · (just now|\d+ min ago)/);
    assert.doesNotMatch(tooltip, /\d{4}-\d{2}-\d{2}T\d{2}/, 'no raw ISO time');

    const model = emu.insertRun({ status_code: 'succeeded', node_runs: [{ id: 'polish-m0', node_id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', state_code: 'succeeded' }] as unknown as NodeRun[] });
    await api.store.refresh();
    if (!hasBrowser()) return;
    api.panels.open(run.id!);
    const shown = await waitFor('the named node runs in the panel', () =>
      evaluate<{ names: string[]; skippedIcon: string; note: string | null } | null>(
        panelOf(run.id!),
        `(() => { const rows = [...document.querySelectorAll('[data-testid="node-run"]')]; if (rows.length < 2) return null; return { names: [...document.querySelectorAll('[data-testid="node-name"]')].map(n => n.innerText), skippedIcon: rows[1].querySelector('.status-icon').className, note: document.querySelector('[data-testid="node-naming-note"]')?.innerText ?? null }; })()`,
      ),
    30_000);
    assert.deepEqual(shown.names, expected, 'the panel names the nodes as the tree does');
    assert.match(shown.skippedIcon, /codicon-circle-slash/, 'a skipped node in the panel, as in the tree');
    assert.equal(shown.note, null);
    await evaluate(panelOf(run.id!), `(() => { document.querySelector('[data-section="nodes"]').scrollIntoView(); return true; })()`);
    await saveScreenshot('polish-node-names');
    api.panels.open(model.id!);
    const note = await waitFor('the note on a model run', () =>
      evaluate<string | null>(panelOf(model.id!), `document.querySelector('[data-testid="node-naming-note"]')?.innerText ?? null`),
    30_000);
    assert.match(note, /does not name a model's nodes/);
  });

  it('gives every run of a filtered Failed list its status icon', async function () {
    await api.view.setFilter({ statuses: ['failed'] });
    if (emulatorStrictMode() === 'refuse-q') {
      await waitFor('the refused filter', () => api.store.state.kind === 'bad_filter', 20_000);
      await vscode.commands.executeCommand('runflow.filterLocally');
    }
    try {
      await waitFor('the failed runs', () => api.store.state.kind === 'ready' && api.store.size > 0 && api.store.all().every((r) => r.status_code === 'failed'), 20_000);
      const group = (await api.view.tree.getChildren()).find((n): n is GroupNode => n.kind === 'group' && n.status === 'failed');
      assert.ok(group, 'the Failed group');
      for (const child of await api.view.tree.getChildren(group)) {
        const item = api.view.tree.getTreeItem(child);
        assert.equal((item.iconPath as vscode.ThemeIcon | undefined)?.id, 'error', `${(child as RunNode).runId}: ${JSON.stringify(item.iconPath)}`);
      }
      // A row VS Code redraws just as its run leaves the list (runs outside the filter come and go as
      // panels and launches bring them in) was drawn without any icon.
      const gone = api.view.tree.getTreeItem({ kind: 'run', runId: '00000000-dead-4000-8000-000000000000', status: 'failed' } as RunNode);
      assert.equal((gone.iconPath as vscode.ThemeIcon | undefined)?.id, 'error', 'a row whose run just left the list keeps its status icon');
      assert.equal(gone.label, '00000000');
      if (!hasBrowser()) return;
      // Let a few polls go by: rows redrawn while the list refreshes must keep their icon too.
      await new Promise((r) => setTimeout(r, 5_000));
      const rows = await waitFor('run rows on screen', async () => {
        const r = await viewRows();
        return r.filter((x) => /, Failed,/.test(x.aria)).length >= 3 ? r : undefined;
      }, 20_000);
      const runRows = rows.filter((r) => /, Failed,/.test(r.aria));
      const missing = runRows.filter((r) => !/codicon-error/.test(r.icon));
      await saveScreenshot('polish-failed-filter-icons');
      assert.deepEqual(missing, [], `rows without the failed icon: ${JSON.stringify(missing)}`);
    } finally {
      await vscode.commands.executeCommand('runflow.clearFilter');
      await waitFor('the unfiltered runs', () => api.store.state.kind === 'ready' && api.store.all().some((r) => r.status_code !== 'failed'), 20_000);
    }
  });

  it('offers "Fix N problems" instead of "Run on" while the file has errors, without repeating VS Code\'s JSON errors', async () => {
    const uri = await writeFile('broken.runflow.json', `{\n  "model": "${MODEL}",\n  "input": { "prompt": "a lighthouse", }\n}\n`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor("VS Code's own JSON syntax error", () => vscode.languages.getDiagnostics(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source !== 'Runflow'), 30_000);
    const fix = await waitFor('the Fix lens', async () => (await lenses(uri)).find((l) => /Fix \d+ problems?/.test(l.command?.title ?? '')), 15_000);
    assert.ok(!(await lenses(uri)).some((l) => /Run on/.test(l.command?.title ?? '')), 'no Run on a file with errors');
    const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.match(fix.command!.title, new RegExp(`Fix ${errors.length} problems?`));

    emu.resetRequests();
    const [result] = await vscode.commands.executeCommand<LaunchResult[]>('runflow.runFromFile', uri);
    assert.equal(result.kind, 'refused', JSON.stringify(result));
    const message = (result as { message: string }).message;
    assert.match(message, /^polish\/broken\.runflow\.json was not launched: JSON syntax error at line 3, column \d+: /);
    assert.equal(message.match(/JSON syntax error/g)?.length, 1, `one clear message: ${message}`);
    assert.equal(emu.requests({ method: 'POST' }).length, 0);
    await new Promise((r) => setTimeout(r, 800));
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Runflow');
    assert.deepEqual(ours.map((d) => d.message), [], "no second diagnostic for VS Code's own syntax error");

    if (hasBrowser()) {
      await waitFor('the Fix lens drawn', () =>
        evaluate<boolean>('workbench', `[...document.querySelectorAll('.codelens-decoration')].some(e => /Fix \\d+ problems?/.test(e.textContent))`),
      );
      await saveScreenshot('polish-codelens-fix');
    }
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    await waitFor('the cursor on the first problem', () => vscode.window.activeTextEditor?.selection.active.line === errors.sort((a, b) => a.range.start.compareTo(b.range.start))[0].range.start.line);

    // Fixed, the file offers its launch again.
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), `{\n  "model": "${MODEL}",\n  "input": { "prompt": "a lighthouse" }\n}\n`));
    await waitFor('the Run lens back', async () => (await lenses(uri)).some((l) => l.command?.title.includes(`Run on ${MODEL}`)), 15_000);
  });

  it('writes a new launch file before saying so, and opens it as a normal tab', async function () {
    if (!hasBrowser()) this.skip();
    // A launch teaches the catalogue a model, so the new file is filled in without asking for one.
    const seed = await writeFile('seed.runflow.json', JSON.stringify({ model: MODEL, input: { prompt: 'seed' } }));
    const [seeded] = await vscode.commands.executeCommand<LaunchResult[]>('runflow.runFromFile', seed);
    assert.equal(seeded.kind, 'launched', JSON.stringify(seeded));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of api.panels.openRunIds) api.panels.panel(id)?.dispose();

    const pending = vscode.commands.executeCommand<vscode.Uri | undefined>('runflow.newLaunchFile', folder());
    const prompt = await waitFor('the name prompt', () =>
      evaluate<string | null>('workbench', `(() => { const w = document.querySelector('.quick-input-widget:not([style*="display: none"])'); return w ? (w.querySelector('.quick-input-message')?.textContent ?? '') : null; })()`),
    );
    assert.doesNotMatch(prompt, /Created/i, `the prompt does not say it exists yet: ${prompt}`);
    assert.match(prompt, /to be written in \S*polish\b/);
    const target = vscode.Uri.joinPath(folder(), 'polish-new.runflow.json');
    await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    await evaluate('workbench', `(() => { const i = document.querySelector('.quick-input-widget input'); i.select(); return true; })()`);
    await typeIntoQuickInput('polish-new');
    const uri = await pending;
    assert.equal(uri?.toString(), target.toString());
    const stat = await vscode.workspace.fs.stat(target);
    assert.ok(stat.size > 0, 'written');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputText && tab.input.uri.toString() === target.toString(), 'the new file is the active tab');
    assert.equal(tab.isPreview, false, 'a normal tab, not a preview');
    const text = (await vscode.workspace.openTextDocument(target)).getText();
    assert.match(text, new RegExp(`"model": "${MODEL}"`));
    await saveScreenshot('polish-new-launch-file');
  });

  it('asks "Cancel Run" or "Keep Running" before cancelling, and keeping it sends nothing', async function () {
    const now = new Date().toISOString();
    const run = emu.insertRun({ status_code: 'running', created_at: now, started_at: now });
    await api.store.refresh();
    emu.resetRequests();
    let answered = false;
    const pending = Promise.resolve(vscode.commands.executeCommand('runflow.cancelRun', run.id)).finally(() => (answered = true));
    if (hasBrowser()) {
      // The test workbench may answer modal dialogs by itself; where it shows them, read the buttons.
      const buttons = await waitFor(
        'the confirmation, or its answer',
        async () => {
          const b = await evaluate<string[]>('workbench', `[...document.querySelectorAll('.monaco-dialog-box .dialog-buttons .monaco-button')].map(b => b.textContent.trim())`);
          return b.length ? b : answered ? [] : undefined;
        },
        10_000,
      );
      if (buttons.length) {
        assert.deepEqual([...buttons].sort(), ['Cancel Run', 'Keep Running']);
        await saveScreenshot('polish-cancel-dialog');
        await evaluate('workbench', `(() => { [...document.querySelectorAll('.monaco-dialog-box .dialog-buttons .monaco-button')].find(b => b.textContent.trim() === 'Keep Running').click(); return true; })()`);
      } else {
        console.log('[polish] the test workbench answered the modal dialog itself; its buttons could not be read');
      }
    }
    await pending;
    assert.equal(emu.requests({ method: 'PATCH' }).length, 0, 'kept running: nothing sent');
    assert.equal(emu.getRun(run.id!)?.status_code, 'running');
  });

  it('lists Sign In only while signed out, and one way to show the Runs view, in the Command Palette', async function () {
    if (!hasBrowser()) this.skip();
    const palette = async (query: string): Promise<string[]> => {
      await vscode.commands.executeCommand('workbench.action.quickOpen', `>${query}`);
      await waitFor(`the palette for "${query}"`, () =>
        evaluate<boolean>('workbench', `document.querySelector('.quick-input-widget:not([style*="display: none"]) input')?.value === ${JSON.stringify(`>${query}`)}`),
      );
      // The list settles a moment after the text.
      await new Promise((r) => setTimeout(r, 1_000));
      const labels = await evaluate<string[]>('workbench', `[...document.querySelectorAll('.quick-input-widget .monaco-list-row')].map(r => r.getAttribute('aria-label') ?? r.textContent ?? '')`);
      // Closed by command, not Escape: a hover left open over the tree would take the Escape instead. The next
      // palette opens only once this one is gone.
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await waitFor('the palette closed', () => evaluate<boolean>('workbench', `!document.querySelector('.quick-input-widget:not([style*="display: none"]) input')`));
      return labels;
    };
    const signIn = await palette('Runflow: Sign');
    assert.ok(signIn.some((l) => /Runflow: Sign Out/.test(l)), signIn.join(' | '));
    assert.ok(!signIn.some((l) => /Runflow: Sign In/.test(l)), `Sign In is not offered while signed in: ${signIn.join(' | ')}`);
    const runs = await palette('Runs View');
    assert.ok(runs.some((l) => /Focus on Runs View/.test(l)), runs.join(' | '));
    const show = await palette('Runflow: Show Runs');
    assert.ok(!show.some((l) => /Runflow: Show Runs/.test(l)), `one way to show the view: ${show.join(' | ')}`);
  });
});
