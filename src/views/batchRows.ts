import * as vscode from 'vscode';
import type { Run } from '../api/types';
import { batchOutcome, describeBatchProgress, type BatchOutcome } from '../core/batchSummary';
import { isEmptyFilter, type RunFilter } from '../core/runFilter';
import { formatAgo, isTerminalStatus, shortId, statusLabel, statusOf } from '../core/runModel';
import { singleLine } from '../core/sanitize';
import { spokenText } from '../core/spokenText';
import type { BatchRecord, BatchState } from '../runs/batchState';
import type { RunStore } from '../runs/runStore';
import type { UnloadedRuns } from '../runs/unloadedRuns';
import { BatchesNode, BatchNode, BatchRunNode, InfoNode, type RunsTreeNode } from './runNodes';
import { runItem } from './runTreeItems';

/** Batches older than this leave the view (they stay in workspace state for their CodeLens and retry). */
export const BATCH_SHOWN_MS = 24 * 60 * 60 * 1000;
/** At most this many batches are listed, newest first. */
const MAX_SHOWN = 10;

const OUTCOME_ICONS: Record<BatchOutcome, { codicon: string; color?: string }> = {
  active: { codicon: 'sync~spin', color: 'charts.blue' },
  problems: { codicon: 'warning', color: 'list.warningForeground' },
  succeeded: { codicon: 'check-all', color: 'testing.iconPassed' },
  stopped: { codicon: 'circle-slash' },
  unsettled: { codicon: 'question' },
};

/** What a batch's row says, from its record and the runs the store has. */
export interface BatchView {
  batch: BatchRecord;
  /** Its launched entries' runs that the store has loaded. */
  runs: Run[];
  launched: number;
  notLoaded: number;
}

/**
 * The Runs view's batches: the "Batches" group above the status groups, each batch's row (file, progress
 * k/N, counts by status, cost so far) and its runs. One rule says when the group shows (`shown`), and the
 * reveal of a batch that is not shown says why from the same rule (`whyHidden`).
 */
export class BatchRows {
  readonly root = new BatchesNode();
  private readonly nodes = new Map<string, BatchNode>();
  private readonly runNodes = new Map<string, BatchRunNode>();

  constructor(
    private readonly batches: BatchState,
    private readonly store: RunStore,
    /** Reads an expanded batch's runs the list has not loaded, each once. */
    private readonly unloaded: UnloadedRuns,
    /** Redraws a batch's row and runs once a run read by id arrives. */
    private readonly redraw: (node: RunsTreeNode | undefined) => void,
  ) {}

  /** The batches the view lists: the current server's, of the last day, and none while a filter is set (the view then lists what the filter matches). */
  shown(filter: RunFilter, now = Date.now()): BatchRecord[] {
    if (!isEmptyFilter(filter)) return [];
    return this.batches
      .all()
      .filter((b) => now - b.createdAt < BATCH_SHOWN_MS)
      .slice(0, MAX_SHOWN);
  }

  /** Why `batchId` is not in the view, or undefined when it is. */
  whyHidden(batchId: string, filter: RunFilter, now = Date.now()): 'filtered' | 'old' | 'gone' | undefined {
    if (this.shown(filter, now).some((b) => b.id === batchId)) return undefined;
    const batch = this.batches.all().find((b) => b.id === batchId);
    if (!batch) return 'gone';
    if (!isEmptyFilter(filter)) return 'filtered';
    return 'old';
  }

  /** Whether `id` names a kept batch (an info row's parent may be a run or a batch). */
  isBatch(id: string): boolean {
    return this.batches.get(id) !== undefined;
  }

  batchNode(batchId: string): BatchNode {
    let node = this.nodes.get(batchId);
    if (!node) this.nodes.set(batchId, (node = new BatchNode(batchId)));
    return node;
  }

  /** The batch whose rows show `runId`, if any is listed. */
  batchOf(runId: string, filter: RunFilter): BatchNode | undefined {
    const batch = this.shown(filter).find((b) => b.entries.some((e) => e.runId === runId));
    return batch ? this.batchNode(batch.id) : undefined;
  }

  view(batch: BatchRecord): BatchView {
    const ids = batch.entries.flatMap((e) => (e.state === 'launched' && e.runId ? [e.runId] : []));
    const runs = ids.flatMap((id) => {
      const run = this.store.get(id);
      return run ? [run] : [];
    });
    return { batch, runs, launched: ids.length, notLoaded: ids.length - runs.length };
  }

  children(node: BatchesNode | BatchNode, filter: RunFilter): RunsTreeNode[] {
    if (node.kind === 'batches') return this.shown(filter).map((b) => this.batchNode(b.id));
    const batch = this.batches.get(node.batchId);
    if (!batch) return [];
    void this.unloaded.read([batch]).then((read) => read && this.redraw(this.batchNode(batch.id)));
    const rows: RunsTreeNode[] = [];
    for (const e of batch.entries) {
      if (e.state !== 'launched' || !e.runId) continue;
      if (this.store.get(e.runId)) rows.push(this.runNode(batch.id, e.runId));
    }
    const { notLoaded } = this.view(batch);
    if (notLoaded) rows.push(new InfoNode(batch.id, `${notLoaded} run${notLoaded === 1 ? '' : 's'} loading…`, 'loading~spin'));
    const notLaunched = batch.entries.filter((e) => e.state !== 'launched').length;
    if (notLaunched) rows.push(new InfoNode(batch.id, `${notLaunched} not launched: Retry from this batch's menu`, 'circle-slash'));
    return rows;
  }

  parent(node: BatchNode | BatchRunNode): RunsTreeNode | undefined {
    return node.kind === 'batch' ? this.root : this.batchNode(node.batchId);
  }

  rootItem(filter: RunFilter): vscode.TreeItem {
    const count = this.shown(filter).length;
    const item = new vscode.TreeItem('Batches', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'batches';
    item.description = String(count);
    item.iconPath = new vscode.ThemeIcon('layers');
    item.contextValue = 'batches';
    item.tooltip = 'Batches launched from one file in the last day, newest first';
    item.accessibilityInformation = { label: `Batches, ${count} launched in the last day` };
    return item;
  }

  batchItem(node: BatchNode, now = Date.now()): vscode.TreeItem {
    const batch = this.batches.get(node.batchId);
    if (!batch) {
      const gone = new vscode.TreeItem('Batch no longer kept', vscode.TreeItemCollapsibleState.None);
      gone.id = `batch:${node.batchId}`;
      return gone;
    }
    const view = this.view(batch);
    const text = describeBatch(view);
    const item = new vscode.TreeItem(singleLine(batch.label.split('/').pop() ?? batch.label, 80), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `batch:${batch.id}`;
    item.description = text;
    const outcome = view.notLoaded ? 'unsettled' : batchOutcome(batch.entries.length, view.runs);
    const icon = OUTCOME_ICONS[outcome];
    item.iconPath = new vscode.ThemeIcon(icon.codicon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const notLaunched = batch.entries.length - view.launched;
    const active = view.runs.some((r) => !isTerminalStatus(statusOf(r)));
    item.contextValue = ['batch', active ? 'batchActive' : '', notLaunched ? 'batchRetry' : ''].filter(Boolean).join(' ');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendText(`${batch.label}\n\n${batch.model} · batch ${batch.id} · ${formatAgo(new Date(batch.createdAt).toISOString(), now)}\n\n${text}`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `Batch ${singleLine(batch.label, 80)}, ${spokenText(text)}` };
    return item;
  }

  runItem(node: BatchRunNode, now = Date.now()): vscode.TreeItem {
    const run = this.store.get(node.runId);
    const item = run ? runItem({ kind: 'run', runId: node.runId, status: statusOf(run) }, run, now) : new vscode.TreeItem(node.runId);
    item.id = `batchRun:${node.batchId}:${node.runId}`;
    const entry = this.batches.get(node.batchId)?.entries.find((e) => e.runId === node.runId);
    if (entry?.label) {
      // The entry's own values tell a batch's runs apart; the model is the batch's.
      item.label = singleLine(entry.label, 80);
      if (run) item.accessibilityInformation = { label: `${singleLine(entry.label, 80)}, ${statusLabel(statusOf(run))}, ${spokenText(String(item.description))}, run ${shortId(node.runId)}` };
    }
    // Its node runs are in its status group's row; here it is one line of the batch.
    item.collapsibleState = vscode.TreeItemCollapsibleState.None;
    return item;
  }

  private runNode(batchId: string, runId: string): BatchRunNode {
    const key = `${batchId}\u0000${runId}`;
    let node = this.runNodes.get(key);
    if (!node) this.runNodes.set(key, (node = new BatchRunNode(batchId, runId)));
    return node;
  }

}

/** A batch's row text, from what the view knows of it (see describeBatchProgress). */
export function describeBatch(view: BatchView): string {
  return describeBatchProgress(view.batch.entries.length, view.launched, view.runs);
}
