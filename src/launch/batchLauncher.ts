import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import { batchConcurrency, batchConfirmAbove } from '../config';
import { Commands } from '../constants';
import { estimateBatchCost, sendSummary, type CostEstimate } from '../core/batchSummary';
import type { LaunchPlan } from '../core/launchPlan';
import { errorMessage } from '../core/errorMessage';
import { isActiveStatus } from '../core/runModel';
import { notificationText, singleLine } from '../core/sanitize';
import type { Log } from '../log';
import { newBatchId, sendBatch, type EntryResult } from '../runs/batchSend';
import type { BatchRecord, BatchState } from '../runs/batchState';
import { cancelRun } from '../runs/cancelRun';
import type { RunActions } from '../runs/runActions';
import type { RunStore } from '../runs/runStore';
import type { ModelCatalog } from './modelCatalog';

/** How many entries the preview spells out. */
const PREVIEW_ENTRIES = 5;

export interface BatchTarget {
  uri: vscode.Uri;
  label: string;
}

/** A batch send's end: its id (kept in BatchState) and every entry's result; `declined` when nothing was sent. */
export type BatchLaunch = { kind: 'batch'; file: string; batchId: string; results: EntryResult[] } | { kind: 'cancelled'; file: string };

type PreviewItem = vscode.QuickPickItem & { action?: 'launch' | 'cancel' };

/**
 * Launching a file that describes many runs: a preview of what will be sent, then the creates, a few at a
 * time with progress and Cancel, each traced to the batch, then one summary that offers to retry what did
 * not launch. The batch is kept in workspace state from before the first create.
 */
export class BatchLauncher {
  /** Batches being sent now: their finish is not announced before their last create. */
  private readonly sending = new Set<string>();
  private readonly sendingEnded = new vscode.EventEmitter<string>();
  /** A batch's send (or retry) ended: its runs may all be over already. */
  readonly onDidEndSending = this.sendingEnded.event;

  constructor(
    private readonly connection: ClientFactory,
    private readonly actions: RunActions,
    private readonly store: RunStore,
    private readonly catalog: ModelCatalog,
    private readonly batches: BatchState,
    private readonly log: Log,
  ) {}

  dispose(): void {
    this.sendingEnded.dispose();
  }

  isSending(batchId: string): boolean {
    return this.sending.has(batchId);
  }

  /** Previews `plan` (checked in full before) and, when the user confirms, sends it. */
  async launch(target: BatchTarget, plan: LaunchPlan, model: string): Promise<BatchLaunch> {
    const estimate = estimateBatchCost(plan.count, this.catalog.knownPricing(model), this.catalog.recentSucceeded(model));
    if (!(await this.preview(target, plan, model, estimate))) {
      this.log.info(`Batch of ${target.label} (${plan.count} runs) not launched: declined at the preview.`);
      return { kind: 'cancelled', file: target.label };
    }
    const batch: BatchRecord = {
      id: newBatchId(),
      file: target.uri.toString(),
      label: target.label,
      model,
      createdAt: Date.now(),
      ...(plan.metadata ? { metadata: plan.metadata } : {}),
      ...(plan.callback_url ? { callback_url: plan.callback_url } : {}),
      entries: plan.entries.map((e) => ({ index: e.index, label: e.label, input: e.input, state: 'pending' })),
    };
    // Kept before the first create: a reload mid-send still knows what was asked.
    await this.batches.add(batch);
    this.log.info(`Batch ${batch.id}: ${plan.count} runs of ${model} from ${target.label}${estimate.amount ? `, ${estimate.amount} (${estimate.basis})` : ''}.`);
    return this.send(batch, batch.entries.map((e) => e.index), false);
  }

  /** Sends again the entries of `batchId` that did not launch; each is first looked for by its client_ref. */
  async retry(batchId: string): Promise<BatchLaunch | undefined> {
    const batch = this.batches.get(batchId);
    if (!batch) {
      void vscode.window.showWarningMessage('Runflow: that batch is no longer kept in this workspace.');
      return undefined;
    }
    if (this.sending.has(batchId)) {
      void vscode.window.showInformationMessage(`Runflow: ${notificationText(batch.label, 80)} is still being sent.`);
      return undefined;
    }
    const missing = batch.entries.filter((e) => e.state !== 'launched').map((e) => e.index);
    if (!missing.length) {
      void vscode.window.showInformationMessage(`Runflow: every run of ${notificationText(batch.label, 80)} was launched; nothing to retry.`);
      return undefined;
    }
    if (!(await this.connection.hasToken())) {
      void vscode.window.showWarningMessage('Runflow: sign in to launch runs.', 'Sign In').then((c) => c && vscode.commands.executeCommand(Commands.signIn));
      return undefined;
    }
    return this.send(batch, missing, true);
  }

  /**
   * Cancel Batch: the batch's active runs, after a confirmation, each through the same confirmed cancel as
   * one run; the message counts only what the server confirmed.
   */
  async cancel(batchId: string): Promise<{ confirmed: number; unconfirmed: number } | undefined> {
    const batch = this.batches.get(batchId);
    if (!batch) return undefined;
    const ids = batch.entries.flatMap((e) => (e.runId ? [e.runId] : []));
    const active = ids.filter((id) => {
      const run = this.store.get(id);
      return !!run && isActiveStatus(run.status_code);
    });
    if (!active.length) {
      void vscode.window.showInformationMessage(`Runflow: no run of ${notificationText(batch.label, 80)} is active; nothing to cancel.`);
      return { confirmed: 0, unconfirmed: 0 };
    }
    const yes: vscode.MessageItem = { title: `Cancel ${active.length} Run${active.length === 1 ? '' : 's'}` };
    const choice = await vscode.window.showWarningMessage(
      `Cancel the ${active.length} active run${active.length === 1 ? '' : 's'} of ${notificationText(batch.label, 80)}?`,
      { modal: true, detail: 'Runs that already finished are not touched.' },
      yes,
      { title: 'Keep Running', isCloseAffordance: true },
    );
    if (choice !== yes) return undefined;
    let confirmed = 0;
    let unconfirmed = 0;
    let next = 0;
    const worker = async () => {
      while (next < active.length) {
        const id = active[next++];
        try {
          const outcome = await cancelRun(this.connection.client, this.store, id);
          if (outcome.kind === 'confirmed') confirmed++;
          else unconfirmed++;
        } catch (err) {
          unconfirmed++;
          this.log.warn(`Cancel of run ${id} of batch ${batch.id} failed: ${errorMessage(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(batchConcurrency(), active.length) }, worker));
    const text = `Runflow: cancelled ${confirmed} of ${active.length} runs of ${notificationText(batch.label, 80)}${unconfirmed ? `; the server did not confirm ${unconfirmed}, and the view keeps watching them` : ''}.`;
    if (unconfirmed) void vscode.window.showWarningMessage(text);
    else void vscode.window.showInformationMessage(text);
    return { confirmed, unconfirmed };
  }

  private async send(batch: BatchRecord, indexes: readonly number[], retrying: boolean): Promise<BatchLaunch> {
    const entries = batch.entries.filter((e) => indexes.includes(e.index));
    this.sending.add(batch.id);
    let results: EntryResult[];
    try {
      results = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Runflow: ${retrying ? 'retrying' : 'launching'} ${entries.length} run${entries.length === 1 ? '' : 's'} of ${notificationText(batch.label, 80)} on ${batch.model}`,
          cancellable: true,
        },
        async (progress, token) => {
          const abort = new AbortController();
          const listener = token.onCancellationRequested(() => abort.abort());
          let done = 0;
          try {
            return await sendBatch(this.connection.client, {
              model: batch.model,
              batchId: batch.id,
              origin: originOf(batch.label),
              entries,
              metadata: batch.metadata,
              callback_url: batch.callback_url,
              concurrency: batchConcurrency(),
              signal: abort.signal,
              reconcileFirst: retrying,
              // A retry reads back to the batch's first send, however many runs came since.
              sentSince: batch.createdAt,
              onOutcome: async (result, outcome) => {
                await this.batches.record(batch.id, [result]);
                if (outcome && (outcome.kind === 'created' || outcome.kind === 'adopted')) {
                  this.catalog.learn(batch.model, outcome.run);
                  await this.actions.handleCreate(outcome, batch.model, undefined, { origin: batch.label, quiet: true, reveal: false });
                } else if (result.state === 'launched' && result.runId) {
                  // Found by its client_ref on a retry: read, so that the view shows it.
                  this.store.watch(result.runId);
                  void this.store.reload(result.runId).catch(() => undefined);
                }
                done++;
                progress.report({ increment: 100 / entries.length, message: `${done} of ${entries.length}` });
              },
            });
          } finally {
            listener.dispose();
          }
        },
      );
    } finally {
      this.sending.delete(batch.id);
      this.sendingEnded.fire(batch.id);
    }
    this.summarize(batch.id, results);
    return { kind: 'batch', file: batch.label, batchId: batch.id, results };
  }

  /** One message for the whole send, with the ways on from there. */
  private summarize(batchId: string, results: readonly EntryResult[]): void {
    const batch = this.batches.get(batchId);
    if (!batch) return;
    const states = batch.entries.map((e) => e.state);
    const notLaunched = states.filter((s) => s !== 'launched').length;
    const launched = states.length - notLaunched;
    for (const r of results) if (r.message) this.log.warn(`Batch ${batch.id} #${r.index + 1}: ${r.state}: ${r.message}`);
    const text = `Runflow: ${notificationText(batch.label, 80)} on ${batch.model}: ${sendSummary(states)}.`;
    this.log.info(text);
    if (!notLaunched) {
      void vscode.window.showInformationMessage(text, 'Show Batch').then((c) => {
        if (c) void vscode.commands.executeCommand(Commands.showBatch, batch.id);
      });
      return;
    }
    const retry = `Retry the ${notLaunched} Not Launched`;
    const cancelLaunched = launched ? [`Cancel the ${launched} Launched…`] : [];
    void vscode.window.showWarningMessage(text, retry, 'Show Batch', ...cancelLaunched).then((c) => {
      if (c === retry) void vscode.commands.executeCommand(Commands.retryBatch, batch.id);
      else if (c === 'Show Batch') void vscode.commands.executeCommand(Commands.showBatch, batch.id);
      else if (c && c === cancelLaunched[0]) void vscode.commands.executeCommand(Commands.cancelBatch, batch.id);
    });
  }

  /**
   * What will be sent, before anything is: the count, the first entries and the estimate. A batch above the
   * confirmation size asks once more, in the same picker.
   */
  private async preview(target: BatchTarget, plan: LaunchPlan, model: string, estimate: CostEstimate): Promise<boolean> {
    const n = plan.count;
    const runs = `${n} run${n === 1 ? '' : 's'}`;
    const cost = estimate.amount ? `Cost: ${estimate.amount} (${estimate.basis})` : `Cost: ${estimate.basis}`;
    const items: PreviewItem[] = [
      { label: `$(play) Launch ${runs}`, description: `on ${model}`, detail: cost, action: 'launch' },
      { label: n > PREVIEW_ENTRIES ? `The first ${PREVIEW_ENTRIES} of ${n} inputs` : `The ${n === 1 ? 'input' : `${n} inputs`}`, kind: vscode.QuickPickItemKind.Separator },
      ...plan.entries.slice(0, PREVIEW_ENTRIES).map((e) => ({
        label: `#${e.index + 1}${e.label ? ` ${singleLine(e.label, 80)}` : ''}`,
        detail: singleLine(JSON.stringify(e.input), 200),
      })),
      ...(n > PREVIEW_ENTRIES ? [{ label: `… and ${n - PREVIEW_ENTRIES} more` }] : []),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(close) Cancel', description: 'send nothing', action: 'cancel' },
    ];
    const first = await this.pick(`Runflow: launch ${target.label}: ${runs} on ${model}`, 'Enter launches; Escape sends nothing', items);
    if (first !== 'launch') return false;
    const above = batchConfirmAbove();
    if (n <= above) return true;
    const second = await this.pick(
      `Runflow: ${runs} is more than ${above}. Launch them all?`,
      `${cost}. Cancelling later stops sending; runs already created keep running.`,
      [
        { label: `$(warning) Yes, launch ${runs} on ${model}`, action: 'launch' },
        { label: '$(close) Cancel', description: 'send nothing', action: 'cancel' },
      ],
    );
    return second === 'launch';
  }

  private pick(title: string, placeholder: string, items: PreviewItem[]): Promise<PreviewItem['action'] | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<PreviewItem>();
      qp.title = title;
      qp.placeholder = placeholder;
      qp.items = items;
      qp.matchOnDetail = false;
      qp.ignoreFocusOut = true;
      let answer: PreviewItem['action'] | undefined;
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
        // An input row only informs: it neither launches nor closes the preview.
        if (!chosen?.action) return;
        answer = chosen.action;
        qp.hide();
      });
      qp.onDidHide(() => {
        qp.dispose();
        resolve(answer);
      });
      qp.show();
    });
  }
}

/** The file name a batch's client_refs start with. */
function originOf(label: string): string {
  return label.split('/').pop() ?? label;
}
