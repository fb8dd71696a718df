/**
 * Activation, next to a trivial extension (test/bench/trivial-extension) activated in the same VS Code.
 *
 * Each extension's view is opened as a user would (its activity-bar icon) while activate() is called.
 * The trivial one is done when its items are drawn. Runflow starts signed out in a fresh profile (its
 * token lives in SecretStorage, which cannot be filled before it activates), so its time to a populated
 * view is taken in two parts of the same run: activate() itself, then the token arriving → every group
 * drawn, which is the same reload activate() starts for a signed-in user.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extensionUnderTest } from '../../integration/support/extension';
import { waitFor } from '../../integration/support/wait';
import { BenchEnv } from '../shared';
import { benchToken, emulator, type EmulatorControl } from './support/emulators';
import { requireBrowser, startRecording, timeToPicture } from './support/page';
import { recordFigures } from './support/results';
import { baseSettings } from './support/runflow';
import { expectedRows } from './support/runsPane';
import { RUNS_SIGNATURE, showsRows } from './support/runsSignature';
import { measureTrivial } from './support/trivial';

async function measureRunflow(emu: EmulatorControl) {
  const ext = extensionUnderTest();
  assert.equal(ext.isActive, false, 'Runflow is not active yet');
  const t0 = Date.now();
  void vscode.commands.executeCommand('workbench.view.extension.runflow');
  const api = await ext.activate();
  const activateMs = Date.now() - t0;
  assert.ok(api, 'activate() returns the test API in test mode');
  await waitFor('the signed-out state', () => api.view.state === 'signedOut' && api.view.treeView.visible);
  // The picture the load starts from: the signed-out view, drawn and no longer changing.
  const before = await startRecording(RUNS_SIGNATURE);
  await before.settled(400);
  await before.stop();

  await emu.resetRequests();
  const recording = await startRecording(RUNS_SIGNATURE);
  let storeFilledAt = NaN;
  const listener = api.store.onDidChange(() => {
    if (Number.isNaN(storeFilledAt) && api.store.size > 0) storeFilledAt = Date.now();
  });
  const t1 = Date.now();
  await api.tokens.store(emu.url, benchToken());
  await waitFor('the runs', () => api.store.state.kind === 'ready' && api.store.size > 0, 60_000);
  listener.dispose();
  const expected = await expectedRows(api);
  const shown = await timeToPicture(recording, t1, (sig) => showsRows(sig, expected.rows));
  assert.ok(shown.matched, `the view lays out ${expected.rows} rows: ${shown.sig}`);
  const requests = await emu.requests({ path: '^/v1/' });
  return {
    activateMs,
    signedInLoadMs: shown.t - t1,
    loadRequests: requests.length,
    runsDrawn: api.store.size,
    requestSentMs: requests.length ? requests[0].at - t1 : NaN,
    storeFilledMs: storeFilledAt - t1,
  };
}

describe('activation', function () {
  this.timeout(180_000);

  it('activates and fills its view, next to a trivial extension in the same VS Code', async () => {
    requireBrowser();
    const emu = emulator('activation');
    await emu.reset();
    // Set before activation, as a user's settings would be.
    await baseSettings({ apiBaseUrl: emu.url, autoRefresh: false });
    const order = process.env[BenchEnv.order] === 'runflow-first' ? 'runflow-first' : 'trivial-first';
    let trivial: Awaited<ReturnType<typeof measureTrivial>> | undefined;
    let runflow: Awaited<ReturnType<typeof measureRunflow>> | undefined;
    if (order === 'trivial-first') {
      trivial = await measureTrivial();
      runflow = await measureRunflow(emu);
    } else {
      runflow = await measureRunflow(emu);
      trivial = await measureTrivial();
    }
    recordFigures((f) => {
      f.vscodeVersion = vscode.version;
      f.extensionHostNode = process.version;
      f.windowFocused = vscode.window.state.focused;
      f.activation = { order, trivial: trivial!, runflow: runflow! };
    });
    console.log(`activation (${order}): trivial ${JSON.stringify(trivial)}, runflow ${JSON.stringify(runflow)}`);
  });
});
