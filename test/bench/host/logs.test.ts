/**
 * Logs of 10,000, 100,000 and 1,000,000 lines: how soon the newest lines are on screen, the webview's
 * DOM and the renderer's JS heap, then the whole log read; scrolling the 100,000- and 1,000,000-line logs; and, in the
 * same VS Code, the same log opened as one text document in VS Code's editor.
 */
import * as vscode from 'vscode';
import { saveScreenshot } from '../../integration/support/driver';
import type { TestApi } from '../../../src/extension';
import { LOG_SIZES, round, type LaunchFigures } from '../shared';
import { emulator } from './support/emulators';
import { addEditorSample, EditorLogs, closePanel, openBareWebview, openPanelAtNewest, waitForWholeLog, type EditorFigures } from './support/logs';
import { heapMb, panelDomNodes, requireBrowser } from './support/page';
import { recordFigures, repetitions } from './support/results';
import { closeAllPanels, connectTo } from './support/runflow';
import { measureScrolling } from './support/scroll';

type LogFigures = NonNullable<LaunchFigures['logs']>[string];

/** Scrollbar drags, first line to last, per log size scrolled: the target holds for every one of them. */
const SCROLL_SWEEPS = 5;

describe('logs', function () {
  this.timeout(900_000);
  let api: TestApi;

  before(() => requireBrowser());
  after(async () => {
    if (api) closeAllPanels(api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the first run panel of a fresh VS Code', async () => {
    const emu = emulator('log10k');
    await emu.reset();
    api = await connectTo(emu, { autoRefresh: false });
    closeAllPanels(api);
    const runId = (await emu.health()).bigLogRunId!;
    const opened = await openPanelAtNewest(api, runId, LOG_SIZES.log10k);
    await closePanel(api, runId);
    recordFigures((f) => {
      f.firstPanel = { readyMs: opened.readyMs, newestMs: opened.newestMs };
    });
    console.log(`first panel: ${JSON.stringify(opened)}`);
  });

  it('opens a bare webview panel for comparison', async () => {
    const times: number[] = [];
    for (let rep = 0; rep < repetitions(3); rep++) times.push(await openBareWebview());
    recordFigures((f) => {
      f.bareWebviewMs = times;
    });
    console.log(`bare webview: ${JSON.stringify(times)}`);
  });

  for (const role of ['log10k', 'log100k', 'log1m'] as const) {
    const lines = LOG_SIZES[role];
    const label = lines.toLocaleString('en-US');

    it(`opens a ${label}-line log in the panel`, async () => {
      const emu = emulator(role);
      await emu.reset();
      api = await connectTo(emu, { autoRefresh: false });
      closeAllPanels(api);
      const runId = (await emu.health()).bigLogRunId!;
      // A million lines take a while to read through the API: one opening is measured, not several.
      const reps = role === 'log1m' ? 1 : repetitions(3);
      const figures: LogFigures = { lines, readyMs: [], newestMs: [], domAtNewest: [], heapBeforeMb: [], heapAtNewestMb: [] };
      for (let rep = 0; rep < reps; rep++) {
        await emu.resetRequests();
        const t0 = Date.now();
        const opened = await openPanelAtNewest(api, runId, lines);
        figures.readyMs.push(opened.readyMs);
        figures.newestMs.push(opened.newestMs);
        figures.domAtNewest.push(opened.domAtNewest);
        figures.heapBeforeMb.push(round(opened.heapBeforeMb));
        figures.heapAtNewestMb.push(round(opened.heapAtNewestMb));
        console.log(`panel start, ${label} lines: ${JSON.stringify(opened.startup)}`);
        if (rep === 0) {
          await waitForWholeLog(api, runId, lines, 280_000);
          figures.fullReadMs = Date.now() - t0;
          figures.readRequests = (await emu.requests({ path: `^/v1/runs/${runId}/logs$` })).length;
          figures.domAfterRead = await panelDomNodes(runId);
          figures.heapAfterReadMb = round(await heapMb(runId));
          await saveScreenshot(`bench-panel-${role}`);
          if (role !== 'log10k') {
            const frames = await measureScrolling(runId, SCROLL_SWEEPS);
            const scroll: NonNullable<LaunchFigures['scroll']>[string] = { lines, idle: [frames.idle], drag: frames.drag, wheel: [frames.wheel] };
            recordFigures((f) => {
              f.scroll ??= {};
              f.scroll[role] = scroll;
            });
            console.log(`scrolling ${label} lines: ${JSON.stringify(scroll)}`);
          }
        }
        await closePanel(api, runId);
      }
      recordFigures((f) => {
        f.logs ??= {};
        f.logs[role] = figures;
      });
      console.log(`panel, ${label} lines: ${JSON.stringify(figures)}`);
    });

    if (role === 'log1m') continue;

    it(`opens the same ${label}-line log in VS Code's editor`, async () => {
      const emu = emulator(role);
      api = await connectTo(emu, { autoRefresh: false });
      closeAllPanels(api);
      const runId = (await emu.health()).bigLogRunId!;
      const editorLogs = new EditorLogs(api);
      const figures: EditorFigures = { lines, fetchMs: [], newestMs: [], heapBeforeMb: [], heapAfterMb: [], dom: [] };
      try {
        for (let rep = 0; rep < repetitions(3); rep++) {
          const opened = await editorLogs.open(runId, lines, 240_000);
          addEditorSample(figures, opened);
          if (rep === 0) await saveScreenshot(`bench-editor-${role}`);
          await editorLogs.closeEditors();
        }
      } finally {
        editorLogs.dispose();
      }
      recordFigures((f) => {
        f.editor ??= {};
        f.editor[role] = figures;
      });
      console.log(`editor, ${label} lines: ${JSON.stringify(figures)}`);
    });
  }
});
