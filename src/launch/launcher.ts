import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseModelRef } from '../api/client';
import type { ValidationError } from '../api/errors';
import type { Run } from '../api/types';
import type { ClientFactory } from '../auth/clientFactory';
import { batchMaxRuns, launchOpensPanel } from '../config';
import { Commands } from '../constants';
import { LAUNCH_FILE_SUFFIX, locateApiField, summarizeProblems, type LaunchProblem, type LaunchSpec } from '../core/launchFile';
import { checkPlanInputs, isLaunchLinesFileName, LAUNCH_LINES_SUFFIX, parseLaunchPlan, type LaunchPlan } from '../core/launchPlan';
import { errorMessage } from '../core/errorMessage';
import { syntaxProblems } from '../core/jsonSyntax';
import { notificationText } from '../core/sanitize';
import type { Log } from '../log';
import { createRunOnce, makeClientRef, runsWithClientRef, type CreateOutcome } from '../runs/createRun';
import type { RunActions } from '../runs/runActions';
import type { BatchLauncher, BatchLaunch } from './batchLauncher';
import type { LaunchDiagnostics } from './launchDiagnostics';
import type { LaunchState } from './launchState';
import type { ModelCatalog } from './modelCatalog';
import { pickModel } from './modelPicker';

/** Launches of several files run this many at a time: quick, without a burst the API would throttle. */
const MAX_PARALLEL = 3;

export type LaunchResult =
  | { kind: 'launched'; file: string; run: Run; adopted: boolean }
  /** Refused before sending (the file is invalid) or by the server (422): nothing was created. */
  | { kind: 'refused'; file: string; message: string }
  /** Not created, for a reason other than the file: offered again when retrying can help. */
  | { kind: 'failed'; file: string; message: string; retryable: boolean }
  /** Sent, and whether it was created could not be checked. */
  | { kind: 'unknown'; file: string; message: string }
  | { kind: 'cancelled'; file: string }
  /** A file that describes many runs: sent as one batch (see BatchLauncher). */
  | BatchLaunch;

interface Target {
  uri: vscode.Uri;
  label: string;
}

interface Prepared extends Target {
  text: string;
  plan: LaunchPlan;
  /** The one run a single-run file asks for. */
  spec: LaunchSpec;
  ref: string;
}

/**
 * Runflow: Run Model from File. Each file is read as the editor has it (saved or not), checked in full before
 * anything is sent, launched with a client_ref that traces the run back to it, and never sent twice.
 */
export class Launcher {
  constructor(
    private readonly connection: ClientFactory,
    private readonly actions: RunActions,
    private readonly catalog: ModelCatalog,
    private readonly state: LaunchState,
    private readonly diagnostics: LaunchDiagnostics,
    private readonly batches: BatchLauncher,
    private readonly log: Log,
  ) {}

  /** The command: `uri` from the editor title, CodeLens or explorer, `uris` from a multiple selection. */
  async run(uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<LaunchResult[]> {
    const targets = await this.targets(uri, uris);
    if (!targets.length) return [];
    if (!(await this.connection.hasToken())) {
      void vscode.window.showWarningMessage('Runflow: sign in to launch runs.', 'Sign In').then((c) => c && vscode.commands.executeCommand(Commands.signIn));
      return [];
    }
    return targets.length === 1 ? [await this.launchOne(targets[0])] : this.launchMany(targets);
  }

  private async launchOne(target: Target): Promise<LaunchResult> {
    const prepared = await this.prepare(target);
    if ('kind' in prepared) {
      this.tell(prepared);
      return prepared;
    }
    if (prepared.plan.form !== 'single') return this.launchBatch(prepared);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Runflow: launching ${prepared.label} on ${prepared.ref}…` },
      () => this.send(prepared, false),
    );
    if (result.kind === 'launched' && result.run.id && launchOpensPanel()) {
      await vscode.commands.executeCommand(Commands.openRun, result.run.id, { beside: true });
    }
    if (result.kind !== 'launched') this.tell(result, prepared.uri);
    return result;
  }

  private async launchMany(targets: Target[]): Promise<LaunchResult[]> {
    // Questions first (a model for files that name none), one at a time; then the launches, in parallel.
    const results: LaunchResult[] = [];
    const ready: Prepared[] = [];
    const batches: Prepared[] = [];
    for (const t of targets) {
      const p = await this.prepare(t);
      if ('kind' in p) results.push(p);
      else if (p.plan.form !== 'single') batches.push(p);
      else ready.push(p);
    }
    // A batch has its own preview, progress and summary: one after the other, after the single files.
    const afterSingles = async () => {
      for (const b of batches) results.push(await this.launchBatch(b));
    };
    if (!ready.length) {
      await afterSingles();
      return results;
    }
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Runflow: launching ${ready.length} file${ready.length === 1 ? '' : 's'}`, cancellable: true },
      async (progress, token) => {
        let next = 0;
        let done = 0;
        const worker = async () => {
          while (next < ready.length) {
            const p = ready[next++];
            if (token.isCancellationRequested) {
              results.push({ kind: 'cancelled', file: p.label });
              continue;
            }
            results.push(await this.send(p, true));
            done++;
            progress.report({ increment: 100 / ready.length, message: `${done} of ${ready.length}: ${p.label}` });
          }
        };
        await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL, ready.length) }, worker));
      },
    );
    this.summarize(results);
    await afterSingles();
    return results;
  }

  private async launchBatch(p: Prepared): Promise<LaunchResult> {
    const result = await this.batches.launch(p, p.plan, p.ref);
    // Its CodeLens shows the batch (BatchState), not one of its runs.
    if (result.kind === 'batch') this.diagnostics.clear(p.uri);
    return result;
  }

  /** Reads and checks a file; a result when it must not be sent. */
  private async prepare(target: Target): Promise<Prepared | LaunchResult> {
    let text: string;
    try {
      text = await this.readText(target.uri);
    } catch (err) {
      return { kind: 'refused', file: target.label, message: `${target.label} could not be read: ${errorMessage(err)}` };
    }
    const parsed = parseLaunchPlan(text, target.uri.path, { maxRuns: batchMaxRuns() });
    if (!parsed.plan) return this.refuse(target, text, parsed.problems);
    const plan = parsed.plan;

    let ref = plan.model ?? this.state.modelFor(target.uri);
    if (!ref) {
      ref = await pickModel(this.catalog, target.label);
      if (!ref) return { kind: 'cancelled', file: target.label };
      await this.state.setModelFor(target.uri, ref);
    }
    const declared = await this.catalog.inputsFor(ref);
    if (declared) {
      const problems = checkPlanInputs(text, plan, declared, ref);
      if (problems.length) return this.refuse(target, text, problems);
    }
    return { ...target, text, plan, spec: singleSpec(plan), ref };
  }

  private refuse(target: Target, text: string, problems: LaunchProblem[]): LaunchResult {
    this.diagnostics.showRefused(target.uri, text, problems);
    // One broken comma makes the parser report several errors; the first is the one to fix.
    // JSON Lines is not one JSON document: its line problems are told as they are.
    const syntax = isLaunchLinesFileName(target.uri.path) ? [] : syntaxProblems(text, problems);
    const message = syntax.length
      ? `${summarizeProblems(target.label, text, syntax.slice(0, 1))}${syntax.length > 1 ? ` (and ${syntax.length - 1} more syntax error${syntax.length > 2 ? 's' : ''} after it)` : ''}.`
      : summarizeProblems(target.label, text, problems);
    this.log.warn(message);
    return { kind: 'refused', file: target.label, message };
  }

  private async send(p: Prepared, quiet: boolean): Promise<LaunchResult> {
    const { owner, slug } = parseModelRef(p.ref);
    const clientRef = p.spec.client_ref ?? makeClientRef(baseName(p.uri));
    let existingIds: Set<string> | undefined;
    if (p.spec.client_ref) {
      // The file's own client_ref may already be on earlier runs; those must never be taken for this launch.
      try {
        existingIds = new Set((await runsWithClientRef(this.connection.client, clientRef)).map((r) => r.id!));
      } catch (err) {
        return { kind: 'failed', file: p.label, message: `${p.label} was not launched: ${describe(err)}. Nothing was sent.`, retryable: true };
      }
    }
    const body = {
      input: p.spec.input,
      ...(p.spec.metadata ? { metadata: p.spec.metadata } : {}),
      ...(p.spec.callback_url ? { callback_url: p.spec.callback_url } : {}),
      client_ref: clientRef,
    };
    const outcome = await createRunOnce(this.connection.client, owner, slug, body, { existingIds });
    return this.settle(p, outcome, quiet, clientRef);
  }

  private async settle(p: Prepared, outcome: CreateOutcome, quiet: boolean, clientRef: string): Promise<LaunchResult> {
    // Failures are told by the launcher, with what the file can do about them.
    const succeeded = outcome.kind === 'created' || outcome.kind === 'adopted';
    const run = await this.actions.handleCreate(outcome, p.ref, undefined, { origin: p.label, quiet: quiet || !succeeded });
    switch (outcome.kind) {
      case 'created':
      case 'adopted':
        this.diagnostics.clear(p.uri);
        this.catalog.learn(p.ref, outcome.run);
        if (run?.id) await this.state.setLastRun(p.uri, { runId: run.id, model: p.ref, at: Date.now() });
        return { kind: 'launched', file: p.label, run: outcome.run, adopted: outcome.kind === 'adopted' };
      case 'not_created': {
        const cause = outcome.cause;
        if (cause.kind === 'validation') {
          const details = (cause as ValidationError).details ?? [];
          const problems: LaunchProblem[] = details.map((d) => ({
            ...locateApiField(p.text, p.spec.kind, d.loc),
            message: `${d.loc.filter((l) => l !== 'body').join('.')}: ${d.msg}`,
            severity: 'error',
          }));
          if (problems.length) this.diagnostics.showRefused(p.uri, p.text, problems, true);
          const what = problems.length ? problems.slice(0, 3).map((x) => x.message).join('; ') : cause.message;
          return { kind: 'refused', file: p.label, message: `${p.label} was not launched: the API refused it (${what}). Nothing was created.` };
        }
        const retryable = !['auth', 'permission', 'not_found', 'http'].includes(cause.kind);
        return { kind: 'failed', file: p.label, message: `${p.label} was not launched: ${describe(cause)}. Nothing was created.`, retryable };
      }
      case 'unknown':
        return {
          kind: 'unknown',
          file: p.label,
          message: `The launch of ${p.label} may have reached the server (${describe(outcome.cause)}) and could not be checked. Look for client_ref ${clientRef} in the Runs view before launching again.`,
        };
    }
  }

  /** One file's result that the user has not been told yet. */
  private tell(result: LaunchResult, uri?: vscode.Uri): void {
    switch (result.kind) {
      case 'refused':
        void vscode.window.showErrorMessage(`Runflow: ${notificationText(result.message, 400)}`, 'Show Problems').then((c) => {
          if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
        break;
      case 'failed':
        void vscode.window.showErrorMessage(`Runflow: ${notificationText(result.message, 300)}`, ...(result.retryable && uri ? ['Launch Again'] : [])).then((c) => {
          if (c && uri) void vscode.commands.executeCommand(Commands.runFromFile, uri);
        });
        break;
      case 'unknown':
        void vscode.window.showWarningMessage(`Runflow: ${notificationText(result.message, 400)}`);
        break;
      default:
        break;
    }
  }

  private summarize(results: LaunchResult[]): void {
    const launched = results.filter((r) => r.kind === 'launched').length;
    const problems = results.filter((r) => r.kind === 'refused' || r.kind === 'failed' || r.kind === 'unknown');
    const cancelled = results.filter((r) => r.kind === 'cancelled').length;
    const parts = [`launched ${launched} of ${results.length} files`];
    if (problems.length) parts.push(`not launched: ${problems.map((r) => r.file).join(', ')}`);
    if (cancelled) parts.push(`${cancelled} cancelled`);
    const text = `Runflow: ${notificationText(parts.join('; '), 400)}.`;
    for (const r of problems) if ('message' in r) this.log.warn(r.message);
    if (problems.length) {
      void vscode.window.showWarningMessage(text, 'Show Problems', 'Show Log').then((c) => {
        if (c === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        if (c === 'Show Log') this.log.show(true);
      });
    } else {
      void vscode.window.showInformationMessage(text);
    }
  }

  private async targets(uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<Target[]> {
    const picked = uris && uris.length > 1 ? uris : uri instanceof vscode.Uri ? [uri] : [];
    if (!picked.length) {
      const chosen = this.editorFile() ?? (await this.pickLaunchFile());
      if (!chosen) return [];
      picked.push(chosen);
    }
    const targets: Target[] = [];
    for (const u of picked) {
      const stat = u.scheme === 'untitled' ? undefined : await Promise.resolve(vscode.workspace.fs.stat(u)).catch(() => undefined);
      if (stat && stat.type & vscode.FileType.Directory) continue;
      targets.push({ uri: u, label: u.scheme === 'untitled' ? u.path : vscode.workspace.asRelativePath(u, false) });
    }
    return targets;
  }

  /** The JSON file being edited: the active editor's, else a visible one (the palette may be over a webview). */
  private editorFile(): vscode.Uri | undefined {
    const isJson = (e: vscode.TextEditor | undefined) =>
      !!e && (e.document.languageId === 'json' || e.document.languageId === 'jsonc' || e.document.uri.path.endsWith('.json') || e.document.uri.path.toLowerCase().endsWith(LAUNCH_LINES_SUFFIX));
    const active = vscode.window.activeTextEditor;
    if (isJson(active)) return active!.document.uri;
    return vscode.window.visibleTextEditors.find(isJson)?.document.uri;
  }

  /** No JSON file in sight: offer the workspace's launch files. */
  private async pickLaunchFile(): Promise<vscode.Uri | undefined> {
    const files = await vscode.workspace.findFiles(`**/*{${LAUNCH_FILE_SUFFIX},${LAUNCH_LINES_SUFFIX}}`, '**/node_modules/**', 200);
    if (!files.length) {
      const choice = await vscode.window.showInformationMessage(
        'Runflow: no launch file to run. Open a JSON input file, or create a launch file (*.runflow.json).',
        'New Launch File',
      );
      if (choice) void vscode.commands.executeCommand(Commands.newLaunchFile);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      files
        .map((uri) => ({ label: path.posix.basename(uri.path), description: vscode.workspace.asRelativePath(uri, true), uri }))
        .sort((a, b) => a.description.localeCompare(b.description)),
      { title: 'Runflow: run which launch file?', matchOnDescription: true },
    );
    return picked?.uri;
  }

  /** What the editor shows when the file is open (saved or not), else what is on disk. */
  private async readText(uri: vscode.Uri): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    const bytes = await vscode.workspace.fs.readFile(uri);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  }
}

/** The run a single-run plan asks for, as the single launch sends it. */
function singleSpec(plan: LaunchPlan): LaunchSpec {
  return {
    kind: plan.kind === 'launch' ? 'launch' : 'input',
    ...(plan.model ? { model: plan.model } : {}),
    input: plan.entries[0]?.input ?? {},
    ...(plan.metadata ? { metadata: plan.metadata } : {}),
    ...(plan.callback_url ? { callback_url: plan.callback_url } : {}),
    ...(plan.client_ref ? { client_ref: plan.client_ref } : {}),
  };
}

/** The file name without `.runflow.json` or `.json`, for client refs. */
function baseName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path).replace(/\.runflow\.json$/i, '').replace(/\.json$/i, '');
}

function describe(err: unknown): string {
  const message = errorMessage(err);
  return message.replace(/\.$/, '');
}
