import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import { Disposable } from '../core/disposable';
import { realTimers, type Timers } from '../core/pollScheduler';
import { shortId } from '../core/runModel';
import type { Log } from '../log';
import type { LogReader } from '../runs/logReader';
import type { RunsPoller } from '../runs/runsPoller';
import type { RunStore } from '../runs/runStore';
import { claimScratchFolder } from '../runs/scratchFolder';
import { PANEL_VIEW_TYPE, RunPanel, type LineTarget, type PanelServices } from './runPanel';

const LOG_SCHEME = 'runflow-log';

/**
 * The open run panels: one per run id (opening it again reveals it), restored after a window reload,
 * plus the read-only documents that show whole logs.
 */
export class RunPanels extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly panels = new Map<string, RunPanel>();
  private readonly logs = new Map<string, LogReader>();
  private readonly services: PanelServices;

  constructor(context: vscode.ExtensionContext, connection: ClientFactory, store: RunStore, poller: RunsPoller, log: Log, timers: Timers = realTimers) {
    super();
    const scratch = claimScratchFolder(vscode.Uri.joinPath(context.globalStorageUri, 'logs').fsPath);
    const scratchDir = scratch.path;
    this.services = {
      extensionUri: context.extensionUri,
      connection,
      store,
      poller,
      log,
      timers,
      state: context.globalState,
      scratchDir,
      openLogDocument: (runId, reader) => this.openLogDocument(runId, reader),
    };
    this._register(scratch);
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const runId = (state as { runId?: unknown } | undefined)?.runId;
          if (typeof runId !== 'string' || !runId || this.panels.has(runId)) {
            panel.dispose();
            return;
          }
          this.attach(panel, runId);
        },
      }),
    );
    this._register(vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this));
  }

  get openRunIds(): string[] {
    return [...this.panels.keys()];
  }

  panel(runId: string): RunPanel | undefined {
    return this.panels.get(runId);
  }

  /** `beside`: next to the editor, which keeps the focus (a run launched from the file being edited). */
  open(runId: string, focus?: 'logs', beside = false): RunPanel {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.reveal(focus);
      return existing;
    }
    const column = beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, `Run ${shortId(runId)}`, column, {
      enableScripts: true,
      // The page's own log search answers Ctrl+F (it searches the whole log, not the few rows drawn); VS Code's
      // find widget would take the key, and the focus, from it.
      enableFindWidget: false,
    });
    return this.attach(panel, runId, focus);
  }

  /**
   * Opens (or reveals) the run's panel on one log line found elsewhere: its search box holds
   * `match.query` and the line is scrolled into view as the current match, once the whole log is read.
   * Asked again for an open panel, it moves to the new line.
   */
  openAtMatch(runId: string, match: LineTarget): RunPanel {
    const panel = this.open(runId, 'logs');
    panel.showMatch(match);
    return panel;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const reader = this.logs.get(uri.query);
    return reader ? [...reader.plainText()].join('') : 'This log is no longer open. Open the run again to read it.';
  }

  override dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    super.dispose();
  }

  private attach(panel: vscode.WebviewPanel, runId: string, focus?: 'logs'): RunPanel {
    const runPanel = new RunPanel(panel, runId, this.services, focus);
    this.panels.set(runId, runPanel);
    runPanel.onDidClose(() => {
      this.panels.delete(runId);
      this.logs.delete(runId);
    });
    return runPanel;
  }

  private async openLogDocument(runId: string, reader: LogReader): Promise<void> {
    if (!reader.fullyRead) await reader.start();
    this.logs.set(runId, reader);
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/run-${shortId(runId)}.log`, query: runId });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}
export type { LineTarget } from './runPanel';
