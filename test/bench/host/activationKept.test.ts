/**
 * Activation of a signed-in user's window: the Runs view drawn from the list a previous VS Code launch
 * kept, with the API answering after 300 ms, next to the trivial extension in the same launch.
 *
 * Two launches share one profile (test/bench/run.ts, LaunchOptions.profile): the first ("kept list
 * prime") signs in and lets the first page be kept; the second ("kept list activation") starts
 * with the token in SecretStorage and the list in globalState, as a user's next window does, and times
 * activate() → the kept rows drawn, and the refresh that follows.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extensionUnderTest } from '../../integration/support/extension';
import { waitFor } from '../../integration/support/wait';
import { BenchEnv } from '../shared';
import { benchToken, emulator } from './support/emulators';
import { requireBrowser, sleep, startRecording, timeToPicture } from './support/page';
import { recordFigures } from './support/results';
import { baseSettings, connectTo } from './support/runflow';
import { expectedRows } from './support/runsPane';
import { RUNS_SIGNATURE, showsRows } from './support/runsSignature';
import { measureTrivial } from './support/trivial';

/** The latency the measuring launch gives every list request. */
const LIST_LATENCY_MS = 300;
const KEPT_PREFIX = 'runflow.runsList:';

describe('kept list prime', function () {
  this.timeout(180_000);

  it('signs in and keeps the first page for the next launch', async () => {
    requireBrowser();
    const emu = emulator('activation');
    await emu.reset();
    const api = await connectTo(emu, { autoRefresh: false });
    await waitFor('the first page kept in globalState', () => api.globalState.keys().some((k) => k.startsWith(KEPT_PREFIX) && k.includes(JSON.stringify(emu.url))));
    // Another workspace opens next time: leave the Explorer on screen so nothing activates Runflow before the measurement.
    await vscode.commands.executeCommand('workbench.view.explorer');
    // The workbench writes its storage to IndexedDB on a delay: give it time before the browser closes.
    await sleep(3_000);
  });
});

describe('kept list activation', function () {
  this.timeout(180_000);

  it('draws the kept runs before the API answers, next to a trivial extension in the same VS Code', async () => {
    requireBrowser();
    const emu = emulator('activation');
    await emu.reset();
    // As the priming launch left them; the settings and token come from the profile.
    await baseSettings({ apiBaseUrl: emu.url, autoRefresh: false });
    await emu.addFault({ path: '^/v1/runs$', delayMs: LIST_LATENCY_MS, count: -1 });
    const order = process.env[BenchEnv.order] === 'runflow-first' ? 'runflow-first' : 'trivial-first';
    let trivial: Awaited<ReturnType<typeof measureTrivial>> | undefined;
    let runflow: Awaited<ReturnType<typeof measureKept>> | undefined;
    if (order === 'trivial-first') {
      trivial = await measureTrivial();
      runflow = await measureKept();
    } else {
      runflow = await measureKept();
      trivial = await measureTrivial();
    }
    await emu.clearFaults();
    recordFigures((f) => {
      f.vscodeVersion = vscode.version;
      f.extensionHostNode = process.version;
      f.keptActivation = { order, listLatencyMs: LIST_LATENCY_MS, trivial: trivial!, runflow: runflow! };
    });
    console.log(`activation with a kept list (${order}): trivial ${JSON.stringify(trivial)}, runflow ${JSON.stringify(runflow)}`);
  });
});

async function measureKept() {
  const emu = emulator('activation');
  const ext = extensionUnderTest();
  assert.equal(ext.isActive, false, 'Runflow is not active yet');
  await emu.resetRequests();
  const recording = await startRecording(RUNS_SIGNATURE);
  const t0 = Date.now();
  void vscode.commands.executeCommand('workbench.view.extension.runflow');
  const api = await ext.activate();
  const activateMs = Date.now() - t0;
  assert.ok(api, 'activate() returns the test API in test mode');
  const keptSince = api.store.staleSince;
  assert.ok(keptSince !== undefined, 'activate() drew a kept list (is the profile the priming launch left?)');
  const keptRuns = api.store.size;
  let refreshedAt = NaN;
  const listener = api.store.onDidRefresh(() => (refreshedAt = Number.isNaN(refreshedAt) ? Date.now() : refreshedAt));
  const expected = await expectedRows(api);
  const shown = await timeToPicture(recording, t0, (sig) => showsRows(sig, expected.rows));
  await waitFor('the first refresh', () => !Number.isNaN(refreshedAt), 60_000);
  listener.dispose();
  assert.ok((await api.tokens.get(emu.url)) === benchToken(), 'the token came from the profile');
  const [list] = await emu.requests({ method: 'GET', path: '^/v1/runs$' });
  return {
    activateMs,
    keptDrawnMs: shown.t - t0,
    /** The kept rows were drawn as counted from the kept list (false: the refresh changed them first). */
    keptRowsMatched: shown.matched,
    keptRuns,
    listRequestAtServerMs: list ? list.at - t0 : NaN,
    refreshedMs: refreshedAt - t0,
  };
}
