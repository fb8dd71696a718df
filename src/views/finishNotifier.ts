import * as vscode from 'vscode';
import type { Run } from '../api/types';
import { notifyOnFinish } from '../config';
import { Disposable } from '../core/disposable';
import { isFailureStatus, runTarget, statusLabel, statusOf } from '../core/runModel';
import { notificationText } from '../core/sanitize';
import { Commands } from '../constants';
import type { RunStore } from '../runs/runStore';

/** Tells the user when a run this window launched or opened finishes, with the ways on from there. */
export class FinishNotifier extends Disposable {
  constructor(
    store: RunStore,
    /** Runs of a batch are told once, with their batch (BatchNotifier). */
    private readonly inBatch: (runId: string) => boolean = () => false,
  ) {
    super();
    this._register(store.onDidFinish((run) => this.announce(run)));
  }

  private announce(run: Run): void {
    if (notifyOnFinish() === 'off' || !run.id || this.inBatch(run.id)) return;
    const status = statusOf(run);
    const failed = isFailureStatus(status);
    const name = notificationText(runTarget(run).label, 60);
    const text = `Runflow: ${name} ${statusLabel(status).toLowerCase()}${failed && run.failure_message ? `: ${notificationText(run.failure_message, 140)}` : '.'}`;
    // Only model runs can be launched again from here (see RunActions.rerun).
    const actions = ['Open', 'Show Logs', ...(runTarget(run).kind === 'model' && run.input ? ['Run Again'] : [])];
    const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text, ...actions).then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand(Commands.openRun, run.id);
      if (choice === 'Show Logs') void vscode.commands.executeCommand(Commands.openRun, run.id, { focus: 'logs' });
      if (choice === 'Run Again') void vscode.commands.executeCommand(Commands.rerun, run.id);
    });
  }
}
