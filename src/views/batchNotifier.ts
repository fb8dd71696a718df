import * as vscode from 'vscode';
import type { Run } from '../api/types';
import { notifyOnFinish } from '../config';
import { batchFinished, describeCounts, statusCounts } from '../core/batchSummary';
import { Disposable } from '../core/disposable';
import { isFailureStatus, shortId, statusOf } from '../core/runModel';
import { notificationText, singleLine } from '../core/sanitize';
import { Commands } from '../constants';
import type { BatchRecord, BatchState } from '../runs/batchState';
import type { RunStore } from '../runs/runStore';
import type { UnloadedRuns } from '../runs/unloadedRuns';
import { BATCH_SHOWN_MS } from './batchRows';


/**
 * One notice when a whole batch has finished, with its counts and the way to its failed runs, instead of
 * one per run. Runs of a batch the list has not loaded (a long batch, after a reload) are read by id once,
 * after which the list's refresh keeps them current.
 */
export class BatchNotifier extends Disposable {
  constructor(
    private readonly store: RunStore,
    private readonly batches: BatchState,
    /** Reads runs of unfinished batches the list has not loaded, each once. */
    private readonly unloaded: UnloadedRuns,
    private readonly isSending: (batchId: string) => boolean,
    sendingEnded: vscode.Event<string>,
  ) {
    super();
    this._register(sendingEnded(() => this.check()));
    this._register(store.onDidChange(() => this.check()));
    this._register(store.onDidRefresh(() => void this.unloaded.read(this.pending(), () => this.isDisposed)));
    this._register(batches.onDidChange(() => this.check()));
  }

  /** The runs of a batch the store has, and whether every launched entry's run is among them. */
  private runsOf(batch: BatchRecord): { runs: Run[]; complete: boolean } {
    const ids = batch.entries.flatMap((e) => (e.state === 'launched' && e.runId ? [e.runId] : []));
    const runs = ids.flatMap((id) => {
      const r = this.store.get(id);
      return r ? [r] : [];
    });
    return { runs, complete: runs.length === ids.length };
  }

  private pending(): BatchRecord[] {
    const now = Date.now();
    return this.batches.all().filter((b) => !b.announced && now - b.createdAt < BATCH_SHOWN_MS && !this.isSending(b.id));
  }

  private check(): void {
    for (const batch of this.pending()) {
      const { runs, complete } = this.runsOf(batch);
      if (!complete || !batchFinished(runs)) continue;
      void this.batches.markAnnounced(batch.id);
      this.announce(batch, runs);
    }
  }

  private announce(batch: BatchRecord, runs: Run[]): void {
    if (notifyOnFinish() === 'off') return;
    const failed = runs.filter((r) => isFailureStatus(statusOf(r)));
    const notLaunched = batch.entries.length - runs.length;
    const text = `Runflow: batch ${notificationText(batch.label, 80)} finished: ${describeCounts(statusCounts(runs))}${notLaunched ? `; ${notLaunched} not launched` : ''}.`;
    const actions = [...(failed.length ? ['Show Failed'] : []), 'Show Batch'];
    const show = failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text, ...actions).then((choice) => {
      if (choice === 'Show Failed') void showFailed(failed, batch);
      if (choice === 'Show Batch') void vscode.commands.executeCommand(Commands.showBatch, batch.id);
    });
  }
}

/** The failed runs of a batch: the one opened, or several to pick from. */
export async function showFailed(failed: readonly Run[], batch: Pick<BatchRecord, 'label' | 'entries'>): Promise<void> {
  if (failed.length === 1 && failed[0].id) {
    await vscode.commands.executeCommand(Commands.openRun, failed[0].id);
    return;
  }
  const items = failed.flatMap((r) => {
    if (!r.id) return [];
    const entry = batch.entries.find((e) => e.runId === r.id);
    return [{ label: `#${(entry?.index ?? 0) + 1} ${singleLine(entry?.label ?? '', 80)}`.trim(), description: shortId(r.id), detail: r.failure_message ? singleLine(r.failure_message, 200) : undefined, runId: r.id }];
  });
  const picked = await vscode.window.showQuickPick(items, { title: `Runflow: failed runs of ${singleLine(batch.label, 80)}`, matchOnDetail: true });
  if (picked) await vscode.commands.executeCommand(Commands.openRun, picked.runId);
}
