import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { Disposable, toDisposable } from '../core/disposable';
import { batchOutcome, describeBatchProgress } from '../core/batchSummary';
import { isLaunchFileName, isModelRef } from '../core/launchFile';
import { countPlannedRuns, isLaunchLinesFileName } from '../core/launchPlan';
import type { BatchRecord, BatchState } from '../runs/batchState';
import { singleLine } from '../core/sanitize';
import { formatAgo, shortId, statusIcon, statusLabel, statusOf } from '../core/runModel';
import type { RunStore } from '../runs/runStore';
import type { LaunchState } from './launchState';

/** Status changes arrive in bursts (one refresh updates many runs); lenses redraw at most this often. */
const REDRAW_MS = 500;

/**
 * Above a launch file: "Run on owner/slug" (or, while the file has errors, "Fix N problems", which goes to
 * the first), and the last run this file started with its status, which opens it.
 */
export class LaunchCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  static readonly selector: vscode.DocumentSelector = [
    { language: 'json', pattern: '**/*.runflow.json' },
    { language: 'jsonc', pattern: '**/*.runflow.json' },
    // JSON Lines: whatever language VS Code gives the file.
    { pattern: '**/*.runflow.jsonl' },
  ];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private redraw: ReturnType<typeof setTimeout> | undefined;
  /** Last runs fetched once because the Runs view has not loaded them. */
  private readonly fetched = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly state: LaunchState,
    private readonly batches: BatchState,
  ) {
    super();
    this._register(toDisposable(() => clearTimeout(this.redraw)));
    this._register(this.changed);
    this._register(store.onDidChange(() => this.scheduleRedraw()));
    this._register(state.onDidChange(() => this.scheduleRedraw()));
    this._register(batches.onDidChange(() => this.scheduleRedraw()));
    this._register(
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => isLaunchFileName(u.path) || isLaunchLinesFileName(u.path))) this.scheduleRedraw();
      }),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    // What Problems shows as errors for this file: VS Code's JSON syntax errors and the launch checks alike.
    const errors = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
      .sort((a, b) => a.range.start.compareTo(b.range.start));
    const text = doc.getText();
    const lines = isLaunchLinesFileName(doc.uri.path);
    const root = lines ? undefined : parseTree(text);
    const modelNode = root && findNodeAtLocation(root, ['model']);
    const named = typeof modelNode?.value === 'string' && isModelRef(modelNode.value.trim()) ? modelNode.value.trim() : undefined;
    // A JSON Lines file names no model: the one picked for it before.
    const model = named ?? (lines ? this.state.modelFor(doc.uri) : undefined);
    const anchor = modelNode?.parent ?? root;
    const range = doc.lineAt(anchor ? doc.positionAt(anchor.offset).line : 0).range;
    const count = countPlannedRuns(text, doc.uri.path);
    const lenses = [new vscode.CodeLens(range, errors.length ? fixCommand(doc.uri, errors) : runCommand(doc.uri, model, count))];
    const batch = this.batches.lastFor(doc.uri.toString());
    if (batch) {
      lenses.push(...batchLenses(range, batch, this.store));
      return lenses;
    }
    const last = this.state.lastRun(doc.uri);
    if (last) {
      const run = this.store.get(last.runId);
      if (!run && !this.fetched.has(last.runId)) {
        this.fetched.add(last.runId);
        void this.store.reload(last.runId).then(
          () => this.scheduleRedraw(),
          () => undefined,
        );
      }
      const status = run ? statusOf(run) : undefined;
      const when = formatAgo(run?.created_at ?? new Date(last.at).toISOString(), Date.now());
      lenses.push(
        new vscode.CodeLens(range, {
          title: status
            ? `$(${statusIcon(status).codicon}) Last run: ${statusLabel(status)} · ${when}`
            : `$(history) Last run ${shortId(last.runId)} · ${when}`,
          tooltip: `Open run ${last.runId}`,
          command: Commands.openRun,
          arguments: [last.runId],
        }),
      );
    }
    return lenses;
  }

  private scheduleRedraw(): void {
    if (this.redraw) return;
    this.redraw = setTimeout(() => {
      this.redraw = undefined;
      this.changed.fire();
    }, REDRAW_MS);
  }
}

function runCommand(uri: vscode.Uri, model: string | undefined, count: number | undefined): vscode.Command {
  const what = count !== undefined && count !== 1 ? `Run ${count}` : 'Run';
  return {
    title: model ? `$(play) ${what} on ${model}` : `$(play) ${what}… (pick a model)`,
    tooltip: 'Runflow: launch this file as it is in the editor',
    command: Commands.runFromFile,
    arguments: [uri],
  };
}

/** The file's last batch: its progress, which shows it in the Runs view, and Retry while entries did not launch. */
function batchLenses(range: vscode.Range, batch: BatchRecord, store: RunStore): vscode.CodeLens[] {
  const launched = batch.entries.filter((e) => e.state === 'launched' && e.runId);
  const runs = launched.flatMap((e) => {
    const run = store.get(e.runId!);
    return run ? [run] : [];
  });
  const outcome = launched.length > runs.length ? 'unsettled' : batchOutcome(batch.entries.length, runs);
  const icon = { active: 'sync~spin', problems: 'warning', succeeded: 'check-all', stopped: 'circle-slash', unsettled: 'history' }[outcome];
  const lenses = [
    new vscode.CodeLens(range, {
      title: `$(${icon}) Last batch: ${describeBatchProgress(batch.entries.length, launched.length, runs)}`,
      tooltip: `Show batch ${batch.id} in the Runs view`,
      command: Commands.showBatch,
      arguments: [batch.id],
    }),
  ];
  const missing = batch.entries.length - launched.length;
  if (missing) {
    lenses.push(
      new vscode.CodeLens(range, {
        title: `$(refresh) Retry the ${missing} not launched`,
        tooltip: 'Sends only the entries that did not launch; each is first looked for by its client_ref',
        command: Commands.retryBatch,
        arguments: [batch.id],
      }),
    );
  }
  return lenses;
}

/** A launch would be refused: the way on is to the first error, not a click that only says so. */
function fixCommand(uri: vscode.Uri, errors: readonly vscode.Diagnostic[]): vscode.Command {
  const n = errors.length;
  const first = errors[0];
  const options: vscode.TextDocumentShowOptions = { selection: new vscode.Range(first.range.start, first.range.start), preview: false };
  return {
    title: `$(error) Fix ${n} problem${n === 1 ? '' : 's'}`,
    tooltip: `Go to the first problem (line ${first.range.start.line + 1}): ${singleLine(first.message, 200)}`,
    command: 'vscode.open',
    arguments: [uri, options],
  };
}
