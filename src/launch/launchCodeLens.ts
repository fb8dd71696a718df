import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isModelRef } from '../core/launchFile';
import { formatAgo, shortId, statusIcon, statusLabel, statusOf } from '../core/runModel';
import type { RunStore } from '../runs/runStore';
import type { LaunchState } from './launchState';

/** Status changes arrive in bursts (one refresh updates many runs); lenses redraw at most this often. */
const REDRAW_MS = 500;

/**
 * Above a launch file: "Run on owner/slug", and the last run this file started with its status, which opens it.
 */
export class LaunchCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  static readonly selector: vscode.DocumentSelector = [{ language: 'json', pattern: '**/*.runflow.json' }, { language: 'jsonc', pattern: '**/*.runflow.json' }];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private redraw: ReturnType<typeof setTimeout> | undefined;
  /** Last runs fetched once because the Runs view has not loaded them. */
  private readonly fetched = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly state: LaunchState,
  ) {
    this.disposables.push(this.changed, store.onDidChange(() => this.scheduleRedraw()), state.onDidChange(() => this.scheduleRedraw()));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const root = parseTree(doc.getText());
    const modelNode = root && findNodeAtLocation(root, ['model']);
    const model = typeof modelNode?.value === 'string' && isModelRef(modelNode.value.trim()) ? modelNode.value.trim() : undefined;
    const anchor = modelNode?.parent ?? root;
    const range = doc.lineAt(anchor ? doc.positionAt(anchor.offset).line : 0).range;
    const lenses = [
      new vscode.CodeLens(range, {
        title: model ? `$(play) Run on ${model}` : '$(play) Run… (pick a model)',
        tooltip: 'Runflow: launch this file as it is in the editor',
        command: Commands.runFromFile,
        arguments: [doc.uri],
      }),
    ];
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

  dispose(): void {
    clearTimeout(this.redraw);
    for (const d of this.disposables) d.dispose();
  }

  private scheduleRedraw(): void {
    if (this.redraw) return;
    this.redraw = setTimeout(() => {
      this.redraw = undefined;
      this.changed.fire();
    }, REDRAW_MS);
  }
}
