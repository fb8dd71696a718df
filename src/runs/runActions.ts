import * as vscode from 'vscode';
import { parseModelRef } from '../api/client';
import type { Run } from '../api/types';
import type { ClientFactory } from '../auth/clientFactory';
import { confirmBefore, organizationId } from '../config';
import { curlForGetRun } from '../core/curl';
import { isActiveStatus, runTarget, shortId, STATUS_ORDER, statusLabel, statusOf } from '../core/runModel';
import { isEmptyFilter, type RunFilter } from '../core/runFilter';
import { notificationText, singleLine } from '../core/sanitize';
import { Commands } from '../constants';
import type { Log } from '../log';
import { cancelRun } from './cancelRun';
import { createRunOnce, makeClientRef, RERUN_ORIGIN_PREFIX, type CreateOutcome } from './createRun';
import type { ModelRefs } from './modelRefs';
import type { RevealRequests } from './revealRequests';
import type { RunStore } from './runStore';

/**
 * A command's run argument: anything that names a run by `runId` (a tree row from a context menu), a run
 * id (notifications, panels), or nothing (palette).
 */
export type RunArg = { runId: string } | string | undefined;

export function runIdOf(arg: RunArg): string | undefined {
  if (typeof arg === 'string') return arg;
  // VS Code hands over whatever row the menu was opened on: checked, not trusted to match the type.
  if (arg && typeof arg === 'object' && typeof (arg as { runId?: unknown }).runId === 'string') return arg.runId;
  return undefined;
}

/** The actions on one run, shared by the tree, the detail panel and notifications. */
export class RunActions {
  constructor(
    private readonly store: RunStore,
    private readonly connection: ClientFactory,
    private readonly reveals: RevealRequests,
    private readonly modelRefs: ModelRefs,
    private readonly log: Log,
  ) {}

  /** The run from the cache, else from the API; with no argument, the user picks from the loaded runs. */
  async resolve(arg: RunArg): Promise<Run | undefined> {
    const id = runIdOf(arg) ?? (await this.pickRunId('Runflow: pick a run'));
    if (!id) return undefined;
    return this.store.get(id) ?? (await this.store.reload(id));
  }

  /** A run picked from the loaded runs (other than `except`), by its id; undefined when the user backs out. */
  async pickRunId(title: string, except?: string): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(
      this.store
        .all()
        .filter((r) => r.id && r.id !== except)
        .map((r) => ({ label: runTarget(r).label, description: statusLabel(r.status_code ?? 'unknown'), detail: r.id ?? '', id: r.id! })),
      { title, matchOnDetail: true },
    );
    return picked?.id;
  }

  async copyId(arg: RunArg): Promise<void> {
    const run = await this.resolve(arg);
    if (!run?.id) return;
    await vscode.env.clipboard.writeText(run.id);
    vscode.window.setStatusBarMessage(`Runflow: copied run id ${shortId(run.id)}`, 3000);
  }

  async copyCurl(arg: RunArg): Promise<void> {
    const run = await this.resolve(arg);
    if (!run?.id) return;
    await vscode.env.clipboard.writeText(curlForGetRun(this.connection.baseUrl, run.id, organizationId()));
    vscode.window.setStatusBarMessage('Runflow: copied a curl command (set RUNFLOW_TOKEN in your shell)', 4000);
  }

  /** The run's input as a launch file (model + input), ready to edit and run again. */
  async openInput(arg: RunArg): Promise<void> {
    const run = await this.resolve(arg);
    if (!run) return;
    const model = this.modelRefs.guess(run) ?? runTarget(run).slug ?? runTarget(run).label;
    const content = JSON.stringify({ model, input: run.input ?? {}, ...(run.metadata ? { metadata: run.metadata } : {}) }, null, 2);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${content}\n` });
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  async rerun(arg: RunArg): Promise<Run | undefined> {
    const run = await this.resolve(arg);
    if (!run) return undefined;
    if (runTarget(run).kind !== 'model') {
      void vscode.window.showWarningMessage('Runflow: only model runs can be launched again from VS Code.');
      return undefined;
    }
    const ref = await this.modelRefs.resolve(run);
    if (!ref) return undefined;
    if (confirmBefore('rerun')) {
      const ok = await vscode.window.showInformationMessage(
        `Run ${ref} again with the same input?`,
        { modal: true, detail: 'This creates a new run, billed like any other.' },
        'Run Again',
      );
      if (ok !== 'Run Again') return undefined;
    }
    const { owner, slug } = parseModelRef(ref);
    const clientRef = makeClientRef(`${RERUN_ORIGIN_PREFIX}${shortId(run.id ?? 'run')}`);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Runflow: launching ${ref}…` },
      () =>
        createRunOnce(this.connection.client, owner, slug, {
          input: run.input ?? {},
          ...(run.metadata ? { metadata: run.metadata } : {}),
          client_ref: clientRef,
        }),
    );
    return this.handleCreate(outcome, ref, run.model_id);
  }

  /**
   * What every launch does with its outcome: into the view, watched, revealed, and the user told which
   * happened. `origin` names where the launch came from (a file); `quiet` leaves the telling to the caller
   * (a batch of files ends with one summary).
   */
  async handleCreate(
    outcome: CreateOutcome,
    ref: string,
    modelId?: string | null,
    /** `reveal: false`: a batch's runs are shown by its node, not each revealed in turn. */
    options: { origin?: string; quiet?: boolean; reveal?: boolean } = {},
  ): Promise<Run | undefined> {
    const from = options.origin ? ` from ${notificationText(options.origin, 80)}` : '';
    switch (outcome.kind) {
      case 'created':
      case 'adopted': {
        const run = outcome.run;
        this.modelRefs.remember(run.model_id ?? modelId, ref);
        this.store.upsert(run);
        if (run.id) {
          this.store.watch(run.id);
          if (options.reveal !== false) await this.reveals.reveal(run.id);
        }
        this.log.info(`Launched ${ref}${options.origin ? ` from ${options.origin}` : ''}: run ${run.id} (${outcome.kind})`);
        if (options.quiet) return run;
        const note = outcome.kind === 'adopted' ? ' The connection dropped after sending; the run was found by its client_ref and not sent again.' : '';
        void vscode.window.showInformationMessage(`Runflow: launched ${notificationText(ref)}${from}.${note}`, 'Open').then((c) => {
          if (c && run.id) void vscode.commands.executeCommand(Commands.openRun, run.id);
        });
        return run;
      }
      case 'not_created':
        this.log.warn(`Launch of ${ref}${from} did not happen: ${outcome.cause.message}`);
        if (!options.quiet) {
          void vscode.window.showErrorMessage(`Runflow: ${notificationText(ref)}${from} was not launched: ${notificationText(outcome.cause.message, 200)}. Nothing was created.`);
        }
        return undefined;
      case 'unknown':
        this.log.warn(`Launch of ${ref}${from} may or may not have happened: ${outcome.cause.message}`);
        if (!options.quiet) {
          void vscode.window.showWarningMessage(
            `Runflow: the launch of ${notificationText(ref)}${from} may have reached the server (${notificationText(outcome.cause.message, 120)}), and it could not be checked. Look for it in the Runs view before launching again.`,
          );
        }
        return undefined;
    }
  }

  async cancel(arg: RunArg): Promise<void> {
    const run = await this.resolve(arg);
    if (!run?.id) return;
    if (!isActiveStatus(run.status_code)) {
      void vscode.window.showInformationMessage(`Runflow: this run is ${statusLabel(run.status_code ?? 'unknown').toLowerCase()}; only active runs can be cancelled.`);
      return;
    }
    const name = notificationText(runTarget(run).label, 60);
    if (confirmBefore('cancelRun')) {
      // The dialog's own "Cancel" beside "Cancel Run" reads as either; the close button says what it keeps.
      const cancelRunItem: vscode.MessageItem = { title: 'Cancel Run' };
      const keepRunning: vscode.MessageItem = { title: 'Keep Running', isCloseAffordance: true };
      const choice = await vscode.window.showWarningMessage(`Cancel the ${name} run ${shortId(run.id)}?`, { modal: true }, cancelRunItem, keepRunning);
      if (choice !== cancelRunItem) return;
    }
    const outcome = await cancelRun(this.connection.client, this.store, run.id);
    if (outcome.kind === 'confirmed') {
      this.log.info(`Cancelled run ${run.id}`);
      vscode.window.setStatusBarMessage(`Runflow: cancelled ${shortId(run.id)}`, 4000);
      return;
    }
    this.log.warn(`Cancel of run ${run.id}: the server did not confirm it (answered status ${JSON.stringify(singleLine(outcome.answer.status_code ?? null, 40))})`);
    const now = outcome.run ? ` It is ${statusLabel(statusOf(outcome.run)).toLowerCase()}.` : '';
    void vscode.window.showWarningMessage(`Runflow: the server did not confirm the cancellation of the ${name} run ${shortId(run.id)}.${notificationText(now, 80)} The view keeps watching it.`);
  }
}

/** Runflow: Filter Runs — narrow by status, target, source, evaluation, or a q expression. */
export async function pickFilter(current: RunFilter): Promise<RunFilter | undefined> {
  type Choice = vscode.QuickPickItem & { key: keyof RunFilter | 'clear' };
  const choices: Choice[] = [
    { key: 'statuses', label: '$(filter) Status…', description: current.statuses?.join(', ') },
    { key: 'target', label: '$(symbol-class) Target…', description: current.target },
    { key: 'source', label: '$(plug) Source…', description: current.source },
    { key: 'evaluationStatus', label: '$(beaker) Evaluation…', description: current.evaluationStatus },
    { key: 'evaluationIssueCategory', label: '$(bug) Evaluation issue category…', description: current.evaluationIssueCategory },
    { key: 'evaluationIssueSubcategory', label: '$(bug) Evaluation issue subcategory…', description: current.evaluationIssueSubcategory },
    { key: 'query', label: '$(code) q expression…', description: current.query },
    ...(isEmptyFilter(current) ? [] : [{ key: 'clear' as const, label: '$(clear-all) Clear filter' }]),
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: 'Runflow: filter runs by' });
  if (!choice) return undefined;
  // A filter the user edits is sent to the server again, even if an earlier one was filtered locally.
  const { local: _local, ...base } = current;
  void _local;
  current = base;
  switch (choice.key) {
    case 'clear':
      return {};
    case 'statuses': {
      const picked = await vscode.window.showQuickPick(
        STATUS_ORDER.map((s) => ({ label: statusLabel(s), status: s, picked: current.statuses?.includes(s) })),
        { title: 'Runflow: show runs with status', canPickMany: true },
      );
      return picked ? { ...current, statuses: picked.map((p) => p.status) } : undefined;
    }
    case 'target': {
      const text = await vscode.window.showInputBox({ title: 'Runflow: target contains', value: current.target, prompt: 'Part of the model, flow or workflow slug' });
      return text === undefined ? undefined : { ...current, target: text.trim() || undefined };
    }
    case 'source': {
      const picked = await vscode.window.showQuickPick(['api', 'playground', 'flow-node', 'Any'], { title: 'Runflow: runs from' });
      return picked === undefined ? undefined : { ...current, source: picked === 'Any' ? undefined : picked };
    }
    case 'evaluationStatus': {
      const picked = await vscode.window.showQuickPick(['passed', 'failed', 'not_evaluated', 'Any'], { title: 'Runflow: evaluation' });
      return picked === undefined ? undefined : { ...current, evaluationStatus: picked === 'Any' ? undefined : (picked as RunFilter['evaluationStatus']) };
    }
    case 'evaluationIssueCategory':
    case 'evaluationIssueSubcategory': {
      const key = choice.key;
      const text = await vscode.window.showInputBox({
        title: key === 'evaluationIssueCategory' ? 'Runflow: evaluation issue category' : 'Runflow: evaluation issue subcategory',
        value: current[key],
        prompt: 'Runs whose current evaluation has an issue of this category; empty for any',
      });
      return text === undefined ? undefined : { ...current, [key]: text.trim() || undefined };
    }
    case 'query': {
      const text = await vscode.window.showInputBox({
        title: 'Runflow: q expression',
        value: current.query,
        prompt: "Sent to the API as written, e.g. status_code in ('failed','cancelled') and created_at >= '2026-11-01T00:00:00Z'",
      });
      return text === undefined ? undefined : { ...current, query: text.trim() || undefined };
    }
  }
}
