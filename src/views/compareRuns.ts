import * as vscode from 'vscode';
import type { Run } from '../api/types';
import type { ClientFactory } from '../auth/clientFactory';
import { Disposable } from '../core/disposable';
import { isEmptyFilter } from '../core/runFilter';
import { compareRuns, type RunComparison } from '../core/runComparison';
import { runTarget, shortId } from '../core/runModel';
import { notificationText, singleLine } from '../core/sanitize';
import { compareTimestamps } from '../core/time';
import type { Log } from '../log';
import { describeLineage, findPreviousRun, PREVIOUS_RUN_MAX_PAGES, PREVIOUS_RUN_PAGE_SIZE } from '../runs/previousRun';
import { RUN_EMBED } from '../runs/runsPoller';
import type { RunStore } from '../runs/runStore';

export const COMPARE_SCHEME = 'runflow-compare';

/** What a comparison opened: the two documents of the diff editor and what they say. */
export interface OpenedComparison {
  left: vscode.Uri;
  right: vscode.Uri;
  comparison: RunComparison;
}

/** How the comparer learns which run ids the user means, where the command did not say. */
export interface RunChooser {
  /** The run picked from the loaded runs, other than `except`; undefined when the user backs out. */
  pick(title: string, except?: string): Promise<string | undefined>;
  /** Whether this workspace launched the run from a launch file. */
  launchedFromFile(runId: string): boolean;
}

/**
 * Compares two runs in VS Code's own diff editor: one read-only document per run, the run's summary,
 * input, output, metadata and node runs in sections (see src/core/runComparison.ts). One diff of whole
 * runs rather than a diff per part: every difference is in one scroll, the unchanged parts fold away, and
 * nothing has to be picked before anything is seen. Each document lives while it is open.
 */
export class RunComparer extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly documents = new Map<string, string>();
  private opened = 0;

  constructor(
    private readonly store: RunStore,
    private readonly connection: ClientFactory,
    private readonly chooser: RunChooser,
    private readonly log: Log,
  ) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, this));
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === COMPARE_SCHEME) this.documents.delete(doc.uri.toString());
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? 'This comparison is no longer held: compare the runs again (Runflow: Compare Runs).\n';
  }

  /**
   * Compare Runs: the two runs selected in the Runs view (a context menu passes the row and the
   * selection), or runs picked one after the other.
   */
  async compareSelected(node?: unknown, nodes?: unknown): Promise<OpenedComparison | undefined> {
    const ids = [...new Set([node, ...(Array.isArray(nodes) ? nodes : [])].map(runIdOfNode).filter((id): id is string => !!id))];
    if (ids.length > 2) {
      void vscode.window.showInformationMessage(`Runflow: select two runs to compare (${ids.length} are selected).`);
      return undefined;
    }
    const first = ids[0] ?? (await this.chooser.pick('Runflow: compare runs — pick the first run'));
    if (!first) return undefined;
    const second = ids[1] ?? (await this.chooser.pick(`Runflow: compare run ${shortId(first)} with…`, first));
    if (!second) return undefined;
    const [a, b] = await this.fetch([first, second]);
    // The earlier run on the left, as a diff reads from old to new.
    const [left, right] = compareTimestamps(a.created_at, b.created_at) <= 0 ? [a, b] : [b, a];
    return this.open(left, right);
  }

  /** Compare with Previous Run: the run against the run before it (see src/runs/previousRun.ts). */
  async compareWithPrevious(runId: string | undefined): Promise<OpenedComparison | undefined> {
    const id = runId ?? (await this.chooser.pick('Runflow: compare a run with the run before it'));
    if (!id) return undefined;
    const [run] = await this.fetch([id]);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Runflow: looking for the run before ${shortId(id)}…` },
      () =>
        findPreviousRun(this.connection.client, run, {
          loaded: this.store.all(),
          loadedComplete: isEmptyFilter(this.store.filter),
          fromLaunchFile: this.chooser.launchedFromFile(id),
        }),
    );
    switch (result.kind) {
      case 'cannot':
        void vscode.window.showInformationMessage(`Runflow: run ${shortId(id)} has no previous run to find: ${result.why}.`);
        return undefined;
      case 'none': {
        const within =
          result.reason === 'end'
            ? `among all ${result.runsRead.toLocaleString('en-US')} runs`
            : `in the newest ${result.runsRead.toLocaleString('en-US')} runs (${result.pages} pages, the most one search reads is ${PREVIOUS_RUN_MAX_PAGES} of ${PREVIOUS_RUN_PAGE_SIZE})`;
        const message = `Runflow: no earlier run ${describeLineage(result.lineage)} than ${shortId(id)} ${within}.`;
        this.log.info(message);
        void vscode.window.showInformationMessage(notificationText(message, 300));
        return undefined;
      }
      case 'found': {
        this.log.info(`The run before ${id} ${describeLineage(result.lineage)}: ${result.run.id} (${result.pages} pages read)`);
        const [previous] = await this.fetch([result.run.id!]);
        return this.open(previous, run);
      }
    }
  }

  /** Each run by id with its node runs and its target (for node names), merged into the store. */
  private async fetch(ids: string[]): Promise<Run[]> {
    return Promise.all(
      ids.map(async (id) => {
        const run = await this.store.reload(id, { embed: RUN_EMBED });
        if (!run) throw new Error(`the server answered about another run than ${id}`);
        return run;
      }),
    );
  }

  private async open(left: Run, right: Run): Promise<OpenedComparison> {
    const comparison = compareRuns(left, right, Date.now());
    const n = ++this.opened;
    const leftUri = this.documentUri(n, left);
    const rightUri = this.documentUri(n, right);
    this.documents.set(leftUri.toString(), comparison.left);
    this.documents.set(rightUri.toString(), comparison.right);
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `Runflow: ${comparison.title}`, { preview: false });
    vscode.window.setStatusBarMessage(`Runflow: ${notificationText(comparison.summary[0], 200)}`, 10_000);
    return { left: leftUri, right: rightUri, comparison };
  }

  /** "runflow-compare:/3/run a1b2c3d4 sdxl-turbo": a name for the tab's tooltip, unique per comparison. */
  private documentUri(n: number, run: Run): vscode.Uri {
    const name = `run ${shortId(typeof run.id === 'string' ? run.id : 'unknown')} ${singleLine(runTarget(run).label, 40)}`.replace(/[/\\?#%]/g, '-');
    return vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${n}/${name}` });
  }
}

function runIdOfNode(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as { kind?: unknown; runId?: unknown };
  return n.kind === 'run' && typeof n.runId === 'string' && n.runId ? n.runId : undefined;
}
