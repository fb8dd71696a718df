/**
 * The Runs view: from a full load (clearing a filter, which reloads the first page) to every group
 * drawn, and a refresh of what is on screen, for 50 and 500 runs a page, with the emulator answering at
 * once and with 100 ms added to every request (which shows what each round trip costs).
 *
 * Each load starts from a filtered view, so the screen before and after differ and the time the final
 * picture first appeared can be read off the recording.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/extension';
import { waitFor } from '../../integration/support/wait';
import type { LaunchFigures } from '../shared';
import { emulator } from './support/emulators';
import { saveScreenshot } from '../../integration/support/driver';
import { requireBrowser, startRecording, timeToPicture } from './support/page';
import { recordFigures, repetitions } from './support/results';
import { closeAllPanels, connectTo, setSetting, showRunsView } from './support/runflow';
import { expectedRows } from './support/runsPane';
import { RUNS_SIGNATURE, showsRows } from './support/runsSignature';

type RunsFigures = NonNullable<LaunchFigures['runsView']>[string];

describe('runs view', function () {
  this.timeout(600_000);
  const emu = emulator('runs');
  let api: TestApi;

  before(async () => {
    requireBrowser();
    await emu.reset();
    // No automatic refresh: every request counted here is one the measured action made.
    api = await connectTo(emu, { pageSize: 50, autoRefresh: false });
    closeAllPanels(api);
    await showRunsView();
    await waitFor('the Runs view to be visible', () => api.view.treeView.visible);
  });

  after(async () => {
    await emu.clearFaults();
    await api?.view.setFilter({});
  });

  for (const pageSize of [50, 500]) {
    for (const latencyMs of [0, 100]) {
      it(`loads and refreshes ${pageSize} runs a page, ${latencyMs} ms latency`, async () => {
        await emu.clearFaults();
        if (api.store.size !== pageSize) {
          await setSetting('runs.pageSize', pageSize);
          await waitFor(`${pageSize} runs loaded`, () => api.store.state.kind === 'ready' && api.store.size === pageSize, 60_000);
        }
        if (latencyMs) await emu.addFault({ path: '^/v1/', delayMs: latencyMs, count: -1 });
        const figures: RunsFigures = { runs: 0, groups: 0, rowsChecked: true, loadMs: [], loadRequests: [], refreshMs: [], refreshRequests: [] };

        for (let rep = 0; rep < repetitions(3); rep++) {
          await api.view.setFilter({ statuses: ['cancelled'] });
          const before = await startRecording(RUNS_SIGNATURE);
          await before.settled(400);
          await before.stop();

          const recording = await startRecording(RUNS_SIGNATURE);
          await emu.resetRequests();
          const t0 = Date.now();
          await vscode.commands.executeCommand('runflow.clearFilter');
          assert.equal(api.store.size, pageSize, 'the first page is loaded');
          const expected = await expectedRows(api);
          const shown = await timeToPicture(recording, t0, (sig) => showsRows(sig, expected.rows));
          figures.rowsChecked &&= shown.matched;
          figures.runs = api.store.size;
          figures.groups = expected.groups;
          figures.loadMs.push(shown.t - t0);
          figures.loadRequests.push((await emu.requests({ path: '^/v1/' })).length);

          await emu.resetRequests();
          const r0 = Date.now();
          await vscode.commands.executeCommand('runflow.refresh');
          figures.refreshMs.push(Date.now() - r0);
          figures.refreshRequests.push((await emu.requests({ path: '^/v1/' })).length);
        }
        await emu.clearFaults();
        await saveScreenshot(`bench-runs-view-${pageSize}`);
        recordFigures((f) => {
          f.runsView ??= {};
          f.runsView[`page${pageSize}-latency${latencyMs}`] = figures;
        });
        console.log(`runs view ${pageSize}/page, ${latencyMs} ms: ${JSON.stringify(figures)}`);
      });
    }
  }
});
