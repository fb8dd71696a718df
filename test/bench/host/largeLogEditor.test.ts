/**
 * The million-line log in VS Code's editor, in a VS Code of its own: handing ~75 MB of text to the
 * editor may stall or break the window, and that must not spoil the other measurements. The panel's
 * time to the newest lines is taken first in the same VS Code, for a same-run comparison.
 */
import * as vscode from 'vscode';
import { LOG_SIZES, round } from '../shared';
import { emulator } from './support/emulators';
import { addEditorSample, EditorLogs, closePanel, openPanelAtNewest, type EditorFigures } from './support/logs';
import { requireBrowser } from './support/page';
import { recordFigures } from './support/results';
import { closeAllPanels, connectTo } from './support/runflow';

describe('large log in the editor', function () {
  this.timeout(600_000);

  it('opens the 1,000,000-line log in the panel and in the editor', async () => {
    requireBrowser();
    const lines = LOG_SIZES.log1m;
    const emu = emulator('log1m');
    await emu.reset();
    const api = await connectTo(emu, { autoRefresh: false });
    closeAllPanels(api);
    const runId = (await emu.health()).bigLogRunId!;

    const opened = await openPanelAtNewest(api, runId, lines);
    await closePanel(api, runId);
    recordFigures((f) => {
      f.logs ??= {};
      f.logs.log1m = { lines, readyMs: [opened.readyMs], newestMs: [opened.newestMs], domAtNewest: [opened.domAtNewest], heapBeforeMb: [round(opened.heapBeforeMb)], heapAtNewestMb: [round(opened.heapAtNewestMb)] };
    });

    const figures: EditorFigures = { lines, fetchMs: [], newestMs: [], heapBeforeMb: [], heapAfterMb: [], dom: [] };
    const editorLogs = new EditorLogs(api);
    try {
      const inEditor = await editorLogs.open(runId, lines, 240_000);
      addEditorSample(figures, inEditor);
    } catch (err) {
      // Not being able to open it at all is the finding, not a failure of the bench.
      figures.error = err instanceof Error ? err.message : String(err);
    } finally {
      editorLogs.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    recordFigures((f) => {
      f.editor ??= {};
      f.editor.log1m = figures;
    });
    console.log(`panel, 1,000,000 lines: newest in ${opened.newestMs} ms; editor: ${JSON.stringify(figures)}`);
  });
});
