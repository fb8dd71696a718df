/**
 * Runflow: Export Run… — the run and its whole log as one JSON file. The log comes from the run's panel
 * when it has read all of it (no request for it), else it is paged from the server with progress and a
 * Cancel. The file is chosen in a save dialog, or given as a second argument (tests, other extensions).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import type { TokenStore } from '../auth/tokenStore';
import { organizationId } from '../config';
import { runTarget, shortId } from '../core/runModel';
import { notificationText } from '../core/sanitize';
import type { Log } from '../log';
import { ExportCancelledError, exportFileName, exportRun, type RunExportResult } from '../runs/runExport';
import type { RunActions, RunArg } from '../runs/runActions';
import type { RunPanels } from './runPanels';

export interface ExportRunServices {
  connection: ClientFactory;
  tokens: TokenStore;
  actions: RunActions;
  panels: RunPanels;
  log: Log;
}

export async function exportRunCommand(services: ExportRunServices, arg: RunArg, target?: unknown): Promise<RunExportResult | undefined> {
  const { connection, tokens, actions, panels, log } = services;
  const run = await actions.resolve(arg);
  if (!run?.id) return undefined;
  const runId = run.id;
  const uri = toUri(target) ?? (await askTarget(runId, exportFileName(runId, runTarget(run))));
  if (!uri) return undefined;
  // The document is streamed with Node's fs: a target elsewhere (a remote or virtual file system) is written
  // here first and copied over once complete.
  const local = uri.scheme === 'file' ? uri.fsPath : path.join(os.tmpdir(), `runflow-export-${process.pid}-${Date.now()}.json`);
  const short = shortId(runId);
  let result: RunExportResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Runflow: exporting run ${short}`, cancellable: true },
      async (progress, cancel) => {
        const abort = new AbortController();
        const listener = cancel.onCancellationRequested(() => abort.abort());
        try {
          return await exportRun({
            api: connection.client,
            runId,
            target: local,
            server: connection.baseUrl,
            organization: organizationId(),
            secret: await tokens.get(connection.baseUrl),
            heldLog: await panels.panel(runId)?.reader.sentLines(),
            signal: abort.signal,
            onProgress: (lines) => progress.report({ message: `${lines.toLocaleString('en-US')} log lines` }),
          });
        } finally {
          listener.dispose();
        }
      },
    );
    if (uri.scheme !== 'file') await vscode.workspace.fs.copy(vscode.Uri.file(local), uri, { overwrite: true });
  } catch (err) {
    if (err instanceof ExportCancelledError) {
      log.info(`Export of run ${runId} cancelled`);
      void vscode.window.showInformationMessage(`Runflow: the export of run ${short} was cancelled; the partial file was deleted.`);
      return undefined;
    }
    throw err;
  } finally {
    if (uri.scheme !== 'file') fs.rmSync(local, { force: true });
  }
  const where = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  log.info(`Exported run ${runId} to ${where}: ${result.lines} log lines from the ${result.source}${result.complete ? '' : ` (incomplete: ${result.stoppedBecause ?? result.note})`}`);
  const summary = `Runflow: exported run ${short}: ${result.lines.toLocaleString('en-US')} log lines.`;
  const shown = result.complete
    ? vscode.window.showInformationMessage(summary, 'Open', 'Reveal')
    : vscode.window.showWarningMessage(`${summary} The log is incomplete: ${notificationText(result.note ?? '', 160)}`, 'Open', 'Reveal');
  void shown.then((choice) => {
    if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
    if (choice === 'Reveal') void vscode.commands.executeCommand(uri.scheme === 'file' ? 'revealFileInOS' : 'revealInExplorer', uri);
  });
  return result;
}

function toUri(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  if (typeof target === 'string' && path.isAbsolute(target)) return vscode.Uri.file(target);
  return undefined;
}

async function askTarget(runId: string, fileName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  return vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, fileName),
    filters: { 'Runflow run export': ['json'] },
    title: `Export Run ${shortId(runId)}`,
  });
}
