import * as vscode from 'vscode';
import type { NodeRun } from '../api/types';
import { Disposable } from '../core/disposable';
import { canFilterLocally, isEmptyFilter } from '../core/runFilter';
import { totalOf } from '../core/costTotals';
import { groupByStatus, runDescription, statusOf } from '../core/runModel';
import { Commands } from '../constants';
import type { Log } from '../log';
import type { RunStore, StoreChange } from '../runs/runStore';
import type { BatchState } from '../runs/batchState';
import { UnloadedRuns } from '../runs/unloadedRuns';
import { BatchRows } from './batchRows';
import { ActionNode, FilterNode, GroupNode, InfoNode, LoadMoreNode, NodeRunNode, RunNode, type RunsTreeNode } from './runNodes';
import { RunOrder } from './runOrder';
import { actionItem, EXPANDED_GROUPS, filterItem, goneRunItem, groupItem, groupSignature, infoItem, loadMoreItem, nodeRunItem, runItem } from './runTreeItems';
import { errorMessage } from '../core/errorMessage';

export { ActionNode, BatchesNode, BatchNode, BatchRunNode, FilterNode, GroupNode, InfoNode, LoadMoreNode, NodeRunNode, RunNode, type RunsTreeNode } from './runNodes';

/**
 * With a filter the server refused, the view's message names it and these rows offer the ways on. They are
 * rows, not welcome content: VS Code hides welcome content while a view shows a message.
 */
const REFUSED_FILTER_ACTIONS = {
  local: new ActionNode(Commands.filterLocally, 'Filter the loaded runs locally', 'filter'),
  edit: new ActionNode(Commands.filter, 'Edit the filter…', 'edit'),
  clear: new ActionNode(Commands.clearFilter, 'Clear the filter', 'clear-all'),
};

/**
 * The longest wait for VS Code to ask again for the runs of a group it was told to redraw (see
 * rowsSettling): a group it never asks for (collapsed meanwhile) is not waited for beyond this.
 */
const ROWS_SETTLE_MAX_MS = 5_000;

/**
 * The Runs view: runs grouped by status. Node objects are kept per run and group, so a store change
 * redraws only the nodes it touched, and only when what they show differs. Rows hold still under the
 * pointer: each run keeps its place in its group while others change (see RunOrder).
 */
export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly groups = new Map<string, GroupNode>();
  private readonly runNodes = new Map<string, RunNode>();
  private readonly loadMore = new LoadMoreNode();
  private readonly filterRow = new FilterNode();
  private readonly order = new RunOrder((status, runId) => this.forgetRow(`${status}\u0000${runId}`));
  /** What each group row shows of its runs (count and cost total), or will once VS Code has redrawn it, by status. */
  private readonly groupsDrawn = new Map<string, string>();
  /** What each run row shows, or will once VS Code has redrawn it (see rowSignature), by row key. */
  private readonly drawn = new Map<string, string>();
  /**
   * Expanded groups VS Code was told to redraw and has not asked for again, with when: until it asks,
   * it cannot name their rows.
   */
  private readonly redrawing = new Map<string, number>();
  /** Groups whose expanded state the user changed, and to what. */
  private readonly expandedByUser = new Map<string, boolean>();
  /** The root shows the refused-filter actions. */
  private showingActions = false;
  /** Node runs fetched on expand, kept until the run changes. */
  private readonly nodeRuns = new Map<string, { fingerprint: string; nodes: NodeRun[] }>();

  /** The batches' rows, when the view shows batches. */
  readonly batchRows: BatchRows | undefined;
  /** The batches listed when the tree was last told, to tell a new or gone one (the root changes) from a changed one. */
  private batchesListed = '';

  constructor(
    private readonly store: RunStore,
    private readonly log: Log,
    batches?: BatchState,
  ) {
    super();
    if (batches) {
      const rows = (this.batchRows = new BatchRows(batches, store, new UnloadedRuns(store), (node) => this.changed.fire(node)));
      this._register(batches.onDidChange((id) => this.onBatchChange(rows, id)));
    }
    this._register(store.onDidChange((c) => this.onStoreChange(c)));
    this._register(
      store.onDidChangeState((state) => {
        if (this.store.size === 0 && (state.kind === 'bad_filter' || this.showingActions)) this.changed.fire(undefined);
      }),
    );
  }

  /** The node for a run where it is shown now, for reveal(). */
  nodeFor(runId: string): RunNode | undefined {
    const run = this.store.get(runId);
    return run ? this.runNode(runId, statusOf(run)) : undefined;
  }

  /**
   * Whether a group or the whole tree was redrawn a moment ago. VS Code then forgets the rows under it
   * until it asks for them again, and a row selected meanwhile reads as no selection.
   */
  get rowsSettling(): boolean {
    const now = Date.now();
    for (const [status, since] of this.redrawing) if (now - since > ROWS_SETTLE_MAX_MS) this.redrawing.delete(status);
    return this.redrawing.size > 0;
  }

  /** The user expanded or collapsed a group: VS Code asks for an expanded group's runs only. */
  setExpanded(status: string, expanded: boolean): void {
    this.expandedByUser.set(status, expanded);
    if (!expanded) this.redrawing.delete(status);
  }

  /** Whether VS Code has drawn this row, so that the clock's redraws reach it. */
  isDrawn(node: RunNode): boolean {
    return this.drawn.has(rowKey(node));
  }

  /**
   * Redraws the rows whose text the clock has changed ("6 min ago", "running 4 min"); the others, every
   * row that would look the same, are left alone.
   */
  refreshClockDependent(now = Date.now()): void {
    const nodes: RunNode[] = [];
    for (const [key, shown] of this.drawn) {
      const node = this.runNodes.get(key);
      const signature = node && this.rowSignature(node, now);
      if (!node || signature === undefined || signature === shown) continue;
      // What the row will show once VS Code has redrawn it: the next tick asks nothing more of it.
      this.drawn.set(key, signature);
      nodes.push(node);
    }
    if (nodes.length) this.changed.fire(nodes);
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    if (node.kind === 'run') return this.groupNode(node.status);
    if (node.kind === 'batches') return undefined;
    if (node.kind === 'batch' || node.kind === 'batchRun') return this.batchRows?.parent(node);
    if (node.kind === 'info' && this.batchRows?.isBatch(node.parentId)) return this.batchRows.batchNode(node.parentId);
    if (node.kind === 'nodeRun' || node.kind === 'info') {
      const run = this.store.get(node.kind === 'nodeRun' ? node.runId : node.parentId);
      return run ? this.runNode(run.id!, statusOf(run)) : undefined;
    }
    return undefined;
  }

  async getChildren(node?: RunsTreeNode): Promise<RunsTreeNode[]> {
    if (!node) {
      this.showingActions = false;
      if (this.store.size === 0) {
        if (this.store.state.kind !== 'bad_filter') return [];
        this.showingActions = true;
        const filter = this.store.filter;
        const { local, edit, clear } = REFUSED_FILTER_ACTIONS;
        return !filter.local && canFilterLocally(filter) ? [local, edit, clear] : [edit, clear];
      }
      const rows: RunsTreeNode[] = isEmptyFilter(this.store.filter) ? [] : [this.filterRow];
      const batches = this.batchRows?.shown(this.store.filter) ?? [];
      this.batchesListed = batches.map((b) => b.id).join(',');
      if (batches.length) rows.push(this.batchRows!.root);
      rows.push(...[...groupByStatus(this.store.all()).keys()].map((s) => this.groupNode(s)));
      if (this.store.hasMore) rows.push(this.loadMore);
      return rows;
    }
    if (node.kind === 'group') {
      this.redrawing.delete(node.status);
      return this.groupRunIds(node.status).map((id) => this.runNode(id, node.status));
    }
    if (node.kind === 'run') return this.nodeRunChildren(node.runId);
    if ((node.kind === 'batches' || node.kind === 'batch') && this.batchRows) return this.batchRows.children(node, this.store.filter);
    return [];
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    // Discriminated by `kind`, not instanceof: nodes also arrive from other bundles (tests) and as plain objects.
    if (node.kind === 'group') return this.groupItem(node);
    if (node.kind === 'run') return this.runItem(node);
    if (node.kind === 'nodeRun') return nodeRunItem(node, this.store.get(node.runId));
    if (node.kind === 'loadMore') return loadMoreItem();
    if (node.kind === 'filter') return filterItem(this.store.filter);
    if (node.kind === 'action') return actionItem(node);
    if (node.kind === 'batches' && this.batchRows) return this.batchRows.rootItem(this.store.filter);
    if (node.kind === 'batch' && this.batchRows) return this.batchRows.batchItem(node);
    if (node.kind === 'batchRun' && this.batchRows) return this.batchRows.runItem(node);
    if (node.kind === 'info') return infoItem(node);
    return new vscode.TreeItem('');
  }

  /** The server changed: its batches, not the last one's. */
  refreshBatches(): void {
    if (this.batchRows) this.changed.fire(undefined);
  }

  /** A batch was added or changed: its row, or the root when the batches listed are not the same. */
  private onBatchChange(rows: BatchRows, batchId: string | undefined): void {
    const listed = rows.shown(this.store.filter).map((b) => b.id).join(',');
    if (batchId === undefined || listed !== this.batchesListed) {
      this.batchesListed = listed;
      this.changed.fire(undefined);
      return;
    }
    if (listed.split(',').includes(batchId)) this.changed.fire(rows.batchNode(batchId));
  }

  private isExpanded(status: string): boolean {
    return this.expandedByUser.get(status) ?? EXPANDED_GROUPS.has(status);
  }

  private groupNode(status: string): GroupNode {
    let node = this.groups.get(status);
    if (!node) this.groups.set(status, (node = new GroupNode(status)));
    return node;
  }

  private runNode(runId: string, status: string): RunNode {
    const key = rowKey({ runId, status } as RunNode);
    let node = this.runNodes.get(key);
    if (!node) this.runNodes.set(key, (node = new RunNode(runId, status)));
    return node;
  }

  private onStoreChange(change: StoreChange): void {
    for (const id of [...change.changed, ...change.removed]) this.nodeRuns.delete(id);
    for (const id of change.removed) for (const key of this.runNodes.keys()) if (key.endsWith(`\u0000${id}`)) this.forgetRow(key);
    this.order.place(change, (id) => this.store.get(id), this.store.size === 0);
    const redrawn = change.structure ? [...groupByStatus(this.store.all()).keys()] : change.groups;
    for (const status of redrawn) if (this.isExpanded(status)) this.redrawing.set(status, Date.now());
    if (change.structure) {
      this.changed.fire(undefined);
      return;
    }
    const nodes: RunsTreeNode[] = change.groups.map((s) => this.groupNode(s));
    const regrouped = new Set(change.groups);
    // A member's cost moves its group's total: the group row is redrawn, and VS Code asks for its rows with it.
    for (const status of this.groupsWithNewTotals(change.changed, regrouped)) {
      regrouped.add(status);
      nodes.push(this.groupNode(status));
      if (this.isExpanded(status)) this.redrawing.set(status, Date.now());
    }
    const now = Date.now();
    for (const id of change.changed) {
      const run = this.store.get(id);
      if (!run || regrouped.has(statusOf(run))) continue;
      const node = this.runNode(id, statusOf(run));
      const shown = this.drawn.get(rowKey(node));
      const signature = this.rowSignature(node, now);
      // A row never drawn is drawn fresh when VS Code asks for it.
      if (shown === undefined || signature === undefined || shown === signature) continue;
      this.drawn.set(rowKey(node), signature);
      nodes.push(node);
    }
    // A batch's row counts its runs by status and sums their cost: redrawn with its runs.
    if (this.batchRows) {
      const batches = new Set<RunsTreeNode>();
      for (const id of change.changed) {
        const batch = this.batchRows.batchOf(id, this.store.filter);
        if (batch) batches.add(batch);
      }
      nodes.push(...batches);
    }
    if (nodes.length) this.changed.fire(nodes);
  }

  /** The groups of `changed` runs (outside `regrouped`) whose drawn count or cost total no longer holds. */
  private groupsWithNewTotals(changed: readonly string[], regrouped: ReadonlySet<string>): string[] {
    const statuses = new Set<string>();
    for (const id of changed) {
      const run = this.store.get(id);
      if (run && !regrouped.has(statusOf(run))) statuses.add(statusOf(run));
    }
    if (statuses.size === 0) return [];
    const groups = groupByStatus(this.store.all());
    const moved: string[] = [];
    for (const status of statuses) {
      const shown = this.groupsDrawn.get(status);
      const members = groups.get(status) ?? [];
      const signature = groupSignature(members.length, totalOf(members));
      // A group never drawn is drawn fresh when VS Code asks for it.
      if (shown === undefined || shown === signature) continue;
      this.groupsDrawn.set(status, signature);
      moved.push(status);
    }
    return moved;
  }

  private forgetRow(key: string): void {
    this.runNodes.delete(key);
    this.drawn.delete(key);
  }

  private groupRunIds(status: string): string[] {
    return this.order.groupRunIds(status, this.store.all().filter((r) => statusOf(r) === status));
  }

  /** What a run row shows, in one string: its data (by version) and the clock-dependent description. */
  private rowSignature(node: RunNode, now: number): string | undefined {
    const run = this.store.get(node.runId);
    return run ? `${this.store.versionOf(node.runId) ?? ''}\n${runDescription(run, now)}` : undefined;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const members = groupByStatus(this.store.all()).get(node.status) ?? [];
    const total = totalOf(members);
    this.groupsDrawn.set(node.status, groupSignature(members.length, total));
    return groupItem(node.status, members.length, this.isExpanded(node.status), total);
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const run = this.store.get(node.runId);
    if (!run) return goneRunItem(node);
    const item = runItem(node, run, Date.now());
    if (this.runNodes.get(rowKey(node)) === node) this.drawn.set(rowKey(node), `${this.store.versionOf(node.runId) ?? ''}\n${item.description}`);
    return item;
  }

  private async nodeRunChildren(runId: string): Promise<RunsTreeNode[]> {
    const run = this.store.get(runId);
    if (!run) return [];
    const fingerprint = `${run.status_code}|${run.nodes_completed}|${run.completed_at}`;
    let cached = this.nodeRuns.get(runId);
    if (!cached || cached.fingerprint !== fingerprint) {
      try {
        const full = await this.store.fetchNodeRuns(runId);
        cached = { fingerprint, nodes: full };
        this.nodeRuns.set(runId, cached);
      } catch (err) {
        this.log.warn(`Could not load node runs of ${runId}: ${errorMessage(err)}`);
        return [new InfoNode(runId, 'Could not load node runs (see the log)', 'warning')];
      }
    }
    if (!cached.nodes.length) return [new InfoNode(runId, 'No node runs', 'info')];
    return cached.nodes.map((n, i) => new NodeRunNode(runId, i, n));
  }
}

function rowKey(node: RunNode): string {
  return `${node.status}\u0000${node.runId}`;
}
