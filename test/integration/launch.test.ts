import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import type { LaunchResult } from '../../src/launch/launcher';
import { evaluate, hasBrowser, saveScreenshot } from './support/driver';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { typeIntoQuickInput } from './support/quickInput';
import { workspaceFolder, writeWorkspaceFile } from './support/workspaceFiles';
import { waitFor } from './support/wait';

const MODEL = 'runflow/sdxl-turbo';

const folder = () => workspaceFolder('launch');
const writeFile = (name: string, content: unknown) => writeWorkspaceFile('launch', name, content);

function launch(...args: unknown[]): Thenable<LaunchResult[]> {
  return vscode.commands.executeCommand<LaunchResult[]>('runflow.runFromFile', ...args);
}

function runflowDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Runflow');
}

function posts(emu: Emulator): number {
  return emu.requests({ method: 'POST', path: '^/v1/models/' }).length;
}

describe('Launch from file', function () {
  this.timeout(120_000);
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

  it('launches the editor text once, shows the run in the view and its panel, with a CodeLens to it', async () => {
    const uri = await writeFile('cat.runflow.json', { model: MODEL, input: { prompt: 'a cat' }, metadata: { batch: 'cats' } });
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('the Run CodeLens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found?.some((l) => l.command?.title.includes(`Run on ${MODEL}`)) ? found : undefined;
    });
    assert.equal(lenses.length, 1, 'no last run yet');

    // Unsaved edits are what gets launched.
    const at = doc.getText().indexOf('a cat');
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'a cat'.length)), 'a cat in a hat'));
    assert.ok(doc.isDirty);

    emu.resetRequests();
    const [result] = await launch(uri);
    assert.equal(result.kind, 'launched', JSON.stringify(result));
    if (result.kind !== 'launched') return;
    assert.equal(posts(emu), 1, 'exactly one create');
    const run = result.run;
    assert.deepEqual(run.input, { prompt: 'a cat in a hat' });
    assert.deepEqual(run.metadata, { batch: 'cats' });
    assert.match(run.client_ref ?? '', /^cat-[0-9a-z]+-[0-9a-z]{6}$/, 'the client_ref traces the file');
    assert.equal(emu.getRun(run.id!)?.client_ref, run.client_ref);

    await waitFor('the run in the Runs view', () => api.view.tree.nodeFor(run.id!));
    // The selection comes back from the workbench after the reveal, not with the run in the tree.
    await waitFor('the launched run selected in the Runs view', () => api.view.treeView.selection.some((n) => 'runId' in n && n.runId === run.id), 10_000);
    assert.ok(api.view.treeView.selection.some((n) => 'runId' in n && n.runId === run.id), 'revealed and selected');
    await waitFor('its detail panel', () => api.panels.openRunIds.includes(run.id!));

    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const after = await waitFor('the last-run CodeLens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found?.find((l) => l.command?.title.includes('Last run'));
    });
    assert.equal(after.command?.command, 'runflow.openRun');
    assert.deepEqual(after.command?.arguments, [run.id]);
    if (hasBrowser()) {
      await waitFor('both CodeLenses (Run on, Last run) drawn in the editor', () =>
        evaluate<boolean>(
          'workbench',
          `(() => { const lenses = [...document.querySelectorAll('.codelens-decoration')].map(e => e.textContent); return lenses.some(t => t.includes('Run on ${MODEL}')) && lenses.some(t => t.includes('Last run')); })()`,
        ),
      );
      await saveScreenshot('launch-codelens');
    }
  });

  it('refuses invalid JSON and each invalid field with a diagnostic, sending nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['syntax.runflow.json', '{\n  "model": "runflow/sdxl-turbo",\n  "input": { "prompt": "x", }\n}\n', /JSON syntax error at line 3/],
      ['input.runflow.json', JSON.stringify({ model: MODEL, input: ['a cat'] }), /"input" must be a JSON object/],
      ['ref.runflow.json', JSON.stringify({ model: MODEL, input: { prompt: 'x' }, client_ref: 'r'.repeat(256) }), /at most 255/],
      ['callback.runflow.json', JSON.stringify({ model: MODEL, input: { prompt: 'x' }, callback_url: 'file:///etc/passwd' }), /http:\/\/ or https:\/\//],
      ['model.runflow.json', JSON.stringify({ model: 'sdxl turbo', input: { prompt: 'x' } }), /owner\/slug/],
      ['required.runflow.json', JSON.stringify({ model: MODEL, input: { steps: 4 } }), /requires the input "prompt"/],
      ['type.runflow.json', JSON.stringify({ model: MODEL, input: { prompt: 'x', steps: 'four' } }), /"steps" .* must be an integer/],
    ];
    emu.resetRequests();
    for (const [name, text, message] of cases) {
      const uri = await writeFile(name, text);
      const [result] = await launch(uri);
      assert.equal(result.kind, 'refused', `${name}: ${JSON.stringify(result)}`);
      assert.match((result as { message: string }).message, message, name);
      const diagnostics = runflowDiagnostics(uri);
      assert.ok(diagnostics.some((d) => message.test(d.message) && d.severity === vscode.DiagnosticSeverity.Error), `${name}: ${diagnostics.map((d) => d.message).join(' | ')}`);
    }
    assert.equal(posts(emu), 0, 'nothing was sent');

    if (hasBrowser()) {
      const uri = vscode.Uri.joinPath(folder(), 'callback.runflow.json');
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await waitFor('the diagnostic in the Problems panel', () =>
        evaluate<boolean>('workbench', `(document.querySelector('.markers-panel')?.textContent ?? '').includes('callback_url')`),
      );
      await saveScreenshot('launch-diagnostic');
      await vscode.commands.executeCommand('workbench.action.closePanel');
    }

    // Fixing the file clears its diagnostics as it is typed.
    const fixed = vscode.Uri.joinPath(folder(), 'input.runflow.json');
    const doc = await vscode.workspace.openTextDocument(fixed);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), JSON.stringify({ model: MODEL, input: { prompt: 'a cat' } })));
    await waitFor('the diagnostics to clear', () => runflowDiagnostics(fixed).length === 0);
  });

  it("suggests the model's declared inputs inside \"input\", required first", async () => {
    const uri = await writeFile('suggest.runflow.json', `{\n  "model": "${MODEL}",\n  "input": {\n    "steps": 2,\n    \n  }\n}\n`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const position = new vscode.Position(4, 4);
    const labels = await waitFor('input suggestions', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
      const ours = list.items.filter((i) => typeof i.detail === 'string' && i.detail.includes(MODEL));
      return ours.length ? ours.sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => (typeof i.label === 'string' ? i.label : i.label.label)) : undefined;
    });
    assert.equal(labels[0], 'prompt', 'the required input comes first');
    assert.ok(labels.includes('seed') && labels.includes('width'));
    assert.ok(!labels.includes('steps'), 'inputs already there are not suggested again');
  });

  it('launches three files at once into three runs', async () => {
    const uris = await Promise.all(['one', 'two', 'three'].map((n) => writeFile(`batch-${n}.runflow.json`, { model: MODEL, input: { prompt: `batch ${n}` } })));
    emu.resetRequests();
    const results = await launch(uris[0], uris);
    assert.deepEqual(results.map((r) => r.kind), ['launched', 'launched', 'launched'], JSON.stringify(results));
    assert.equal(posts(emu), 3);
    const refs = results.map((r) => (r.kind === 'launched' ? r.run.client_ref : ''));
    for (const n of ['one', 'two', 'three']) assert.ok(refs.some((ref) => ref?.startsWith(`batch-${n}-`)), `a run traces batch-${n}`);
    for (const r of results) if (r.kind === 'launched') await waitFor('each run in the view', () => api.view.tree.nodeFor(r.run.id!));
  });

  it('adopts the run when the connection drops after the create was committed, creating exactly one', async () => {
    const uri = await writeFile('dropped.runflow.json', { model: MODEL, input: { prompt: 'lost and found' } });
    emu.resetRequests();
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'after', count: 1 });
    const [result] = await launch(uri);
    assert.equal(result.kind, 'launched', JSON.stringify(result));
    assert.ok(result.kind === 'launched' && result.adopted, 'found by its client_ref, not sent again');
    assert.equal(posts(emu), 1, 'the create was sent once');
    const clientRef = result.kind === 'launched' ? result.run.client_ref : undefined;
    const page = await api.connection.client.searchRuns({ limit: 500, sort_by: 'created_at:desc' });
    assert.equal(page.items.filter((r) => r.client_ref === clientRef).length, 1, 'exactly one run carries the client_ref');
  });

  it('offers a launch again only when the create provably did not happen', async () => {
    const uri = await writeFile('refused-connection.runflow.json', { model: MODEL, input: { prompt: 'try again' } });
    emu.resetRequests();
    emu.addFault({ method: 'POST', path: '^/v1/models/', drop: 'before', count: 1 });
    const [result] = await launch(uri);
    assert.equal(result.kind, 'failed', JSON.stringify(result));
    assert.ok(result.kind === 'failed' && result.retryable);
    assert.match((result as { message: string }).message, /Nothing was created/);
    assert.equal(posts(emu), 1, 'sent once, never re-sent by itself');
  });

  it('runs a plain JSON file on a picked model and remembers the choice', async function () {
    if (!hasBrowser()) this.skip();
    const uri = await writeFile('dog.json', { prompt: 'a dog' });
    emu.resetRequests();
    const pending = launch(uri);
    await typeIntoQuickInput(MODEL);
    const [first] = await pending;
    assert.equal(first.kind, 'launched', JSON.stringify(first));
    assert.deepEqual(first.kind === 'launched' ? first.run.input : undefined, { prompt: 'a dog' });
    assert.equal(api.launchState.modelFor(uri), MODEL);

    // The second launch asks nothing: it would hang on the quick pick otherwise.
    const [second] = await launch(uri);
    assert.equal(second.kind, 'launched');
    assert.equal(posts(emu), 2);
    const created = emu.requests({ method: 'POST', path: '^/v1/models/' }).map((r) => r.path);
    assert.ok(created.every((p) => p.startsWith('/v1/models/runflow/sdxl-turbo/runs')), created.join(', '));
  });
});
