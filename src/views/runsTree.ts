import * as vscode from 'vscode';
import type { NodeRun, Run } from '../api/types';
import { describeCost, type CostDisplay } from '../core/cost';
import {
  compareRunsNewestFirst,
  describeDuration,
  evaluationText,
  groupByStatus,
  isActiveStatus,
  isFailureStatus,
  runDescription,
  runDuration,
  runEvaluation,
  runProgress,
  markedText,
  runTarget,
  shortId,
  statusIcon,
  statusLabel,
  statusOf,
  statusToken,
} from '../core/runModel';
import { nodeNamesOf, nodeNamingNote, nodeRunLabel } from '../core/nodeNames';
import { nodeRunState } from '../core/nodeRunState';
import { singleLine } from '../core/sanitize';
import { timeWithAgo } from '../core/timeText';
import { canFilterLocally, describeFilter, isEmptyFilter } from '../core/runFilter';
import { Commands } from '../constants';
import type { Log } from '../log';
import type { RunStore, StoreChange } from '../runs/runStore';

export class GroupNode {
  readonly kind = 'group' as const;
  constructor(readonly status: string) {}
}
export class RunNode {
  readonly kind = 'run' as const;
  constructor(
    readonly runId: string,
    readonly status: string,
  ) {}
}
export class NodeRunNode {
  readonly kind = 'nodeRun' as const;
  constructor(
    readonly runId: string,
    readonly index: number,
    readonly nodeRun: NodeRun,
  ) {}
}
export class LoadMoreNode {
  readonly kind = 'loadMore' as const;
}
export class InfoNode {
  readonly kind = 'info' as const;
  constructor(
    readonly parentId: string,
    readonly label: string,
    readonly icon: string,
  ) {}
}
/** A row that runs a command: what the user can do when the view has nothing else to show. */
export class ActionNode {
  readonly kind = 'action' as const;
  constructor(
    readonly command: string,
    readonly label: string,
    readonly icon: string,
  ) {}
}
/**
 * The first row while a filter is set, naming it; a click clears it. With one view in its container VS Code
 * shows no view description, so the row is where the filter can be seen.
 */
export class FilterNode {
  readonly kind = 'filter' as const;
}
export type RunsTreeNode = GroupNode | RunNode | NodeRunNode | LoadMoreNode | InfoNode | ActionNode | FilterNode;

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
 * How long after VS Code is told to redraw a group (or the whole tree) it may take to ask for that group's
 * runs again: until then, it cannot name a row of it (see rowsSettling).
 */
const ROWS_SETTLE_MS = 1_500;

/** Groups that start expanded: what needs attention. */
const EXPANDED_GROUPS = new Set(['running', 'dispatching', 'queued', 'failed', 'partial_succeeded']);

/**
 * The Runs view: runs grouped by status. Node objects are kept per run and group, so a store change
 * redraws only the nodes it touched, and only when what they show differs. Rows hold still under the
 * pointer: each run keeps its place in its group while others change (see placeRuns).
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly groups = new Map<string, GroupNode>();
  private readonly runNodes = new Map<string, RunNode>();
  private readonly loadMore = new LoadMoreNode();
  private readonly filterRow = new FilterNode();
  /** Per group, the ids of its runs in their order on screen, once the group has been listed. */
  private readonly order = new Map<string, string[]>();
  /** The group whose order holds each run. */
  private readonly placedIn = new Map<string, string>();
  /** What each run row shows, or will once VS Code has redrawn it (see rowSignature), by row key. */
  private readonly drawn = new Map<string, string>();
  /** Until when rows may be unknown to VS Code after a group or the whole tree was redrawn. */
  private rowsSettleUntil = 0;
  /** The root shows the refused-filter actions. */
  private showingActions = false;
  /** Node runs fetched on expand, kept until the run changes. */
  private readonly nodeRuns = new Map<string, { fingerprint: string; nodes: NodeRun[] }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: RunStore,
    private readonly log: Log,
  ) {
    this.subscriptions.push(
      this.changed,
      store.onDidChange((c) => this.onStoreChange(c)),
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
    return Date.now() < this.rowsSettleUntil;
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
      rows.push(...[...groupByStatus(this.store.all()).keys()].map((s) => this.groupNode(s)));
      if (this.store.hasMore) rows.push(this.loadMore);
      return rows;
    }
    if (node.kind === 'group') return this.groupRunIds(node.status).map((id) => this.runNode(id, node.status));
    if (node.kind === 'run') return this.nodeRunChildren(node.runId);
    return [];
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    // Discriminated by `kind`, not instanceof: nodes also arrive from other bundles (tests) and as plain objects.
    if (node.kind === 'group') return this.groupItem(node);
    if (node.kind === 'run') return this.runItem(node);
    if (node.kind === 'nodeRun') return nodeRunItem(node, this.store.get(node.runId));
    if (node.kind === 'loadMore') {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.id = 'load-more';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: Commands.loadMore, title: 'Load more' };
      item.tooltip = 'Load the next page of older runs';
      item.contextValue = 'loadMore';
      return item;
    }
    if (node.kind === 'filter') return this.filterItem();
    if (node.kind === 'action') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = `action:${node.command}`;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.command = { command: node.command, title: node.label };
      item.contextValue = 'action';
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `info:${node.parentId}:${node.label}`;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
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
    this.placeRuns(change);
    if (change.structure || change.groups.length) this.rowsSettleUntil = Date.now() + ROWS_SETTLE_MS;
    if (change.structure) {
      this.changed.fire(undefined);
      return;
    }
    const nodes: RunsTreeNode[] = change.groups.map((s) => this.groupNode(s));
    const regrouped = new Set(change.groups);
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
    if (nodes.length) this.changed.fire(nodes);
  }

  /**
   * Keeps each listed group's order: a run that leaves a group leaves its order, a run new to a group goes
   * on top of it (newest first among several), and older runs that "Load more" brings go at the bottom.
   * A group not listed yet is ordered newest first when it is (groupRunIds).
   */
  private placeRuns(change: StoreChange): void {
    if (this.store.size === 0) {
      this.order.clear();
      this.placedIn.clear();
      return;
    }
    for (const id of change.removed) this.unplace(id);
    const arrivals = new Map<string, Run[]>();
    for (const id of change.changed) {
      const run = this.store.get(id);
      if (!run) continue;
      const status = statusOf(run);
      if (this.placedIn.get(id) === status) continue;
      this.unplace(id);
      if (!this.order.has(status)) continue;
      let list = arrivals.get(status);
      if (!list) arrivals.set(status, (list = []));
      list.push(run);
    }
    for (const [status, runs] of arrivals) {
      const ids = runs.sort(compareRunsNewestFirst).map((r) => r.id!);
      const order = this.order.get(status)!;
      if (change.appended) order.push(...ids);
      else order.unshift(...ids);
      for (const id of ids) this.placedIn.set(id, status);
    }
  }

  private unplace(id: string): void {
    const status = this.placedIn.get(id);
    if (status === undefined) return;
    this.placedIn.delete(id);
    const order = this.order.get(status);
    const at = order?.indexOf(id) ?? -1;
    if (order && at >= 0) order.splice(at, 1);
    this.forgetRow(`${status}\u0000${id}`);
  }

  private forgetRow(key: string): void {
    this.runNodes.delete(key);
    this.drawn.delete(key);
  }

  /**
   * The ids of a group's runs in their order on screen: newest first the first time the group is listed,
   * then as placeRuns keeps it. Runs the order has not seen (none, normally) go on top.
   */
  private groupRunIds(status: string): string[] {
    const members = this.store.all().filter((r) => statusOf(r) === status);
    let order = this.order.get(status);
    if (!order) this.order.set(status, (order = []));
    const inGroup = new Set(members.map((r) => r.id!));
    const kept = order.filter((id) => inGroup.has(id));
    const placed = new Set(kept);
    const unseen = members.filter((r) => !placed.has(r.id!)).map((r) => r.id!);
    if (unseen.length || kept.length !== order.length) {
      order.splice(0, order.length, ...unseen, ...kept);
      for (const id of unseen) this.placedIn.set(id, status);
    }
    return [...order];
  }

  /** What a run row shows, in one string: its data (by version) and the clock-dependent description. */
  private rowSignature(node: RunNode, now: number): string | undefined {
    const run = this.store.get(node.runId);
    return run ? `${this.store.versionOf(node.runId) ?? ''}\n${runDescription(run, now)}` : undefined;
  }

  private filterItem(): vscode.TreeItem {
    const text = describeFilter(this.store.filter);
    const item = new vscode.TreeItem(`Filtered: ${singleLine(text, 100)}`, vscode.TreeItemCollapsibleState.None);
    item.id = 'filter';
    item.description = 'click to clear';
    item.iconPath = new vscode.ThemeIcon('filter-filled');
    item.tooltip = `Only runs that match “${singleLine(text, 300)}” are listed; the status bar still counts all your active runs. Click to clear the filter; Filter Runs… in the title bar changes it.`;
    item.command = { command: Commands.clearFilter, title: 'Clear Filter' };
    item.contextValue = 'filter';
    item.accessibilityInformation = { label: `Filtered: ${singleLine(text, 300)}. Activate to clear the filter.` };
    return item;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const count = groupByStatus(this.store.all()).get(node.status)?.length ?? 0;
    const item = new vscode.TreeItem(
      statusLabel(node.status),
      EXPANDED_GROUPS.has(node.status) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `group:${node.status}`;
    item.description = String(count);
    const icon = statusIcon(node.status);
    item.iconPath = new vscode.ThemeIcon(icon.codicon.replace('~spin', ''), new vscode.ThemeColor(icon.color));
    item.tooltip = `${count} ${statusLabel(node.status).toLowerCase()} run${count === 1 ? '' : 's'} loaded`;
    item.accessibilityInformation = { label: `${statusLabel(node.status)}, ${count} run${count === 1 ? '' : 's'}` };
    item.contextValue = `group ${statusToken(node.status)}`;
    return item;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const run = this.store.get(node.runId);
    if (!run) return goneRunItem(node);
    const now = Date.now();
    const target = runTarget(run);
    const hasNodeRuns = run.has_node_runs !== false && (run.nodes_total ?? 1) !== 0;
    const item = new vscode.TreeItem(
      singleLine(target.label, 80),
      hasNodeRuns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    // Stable for as long as the row exists; a run that changes status is a new row in another group.
    item.id = `run:${node.status}:${node.runId}`;
    item.description = runDescription(run, now);
    if (this.runNodes.get(rowKey(node)) === node) this.drawn.set(rowKey(node), `${this.store.versionOf(node.runId) ?? ''}\n${item.description}`);
    const icon = statusIcon(node.status);
    item.iconPath = new vscode.ThemeIcon(icon.codicon, new vscode.ThemeColor(icon.color));
    item.tooltip = runTooltip(run, now);
    const tags = ['run', statusToken(node.status), isActiveStatus(run.status_code) ? 'active' : 'inactive'];
    if (target.kind === 'model') tags.push('model');
    if (run.input && typeof run.input === 'object') tags.push('hasInput');
    item.contextValue = tags.join(' ');
    // No arguments, on purpose: VS Code keeps a command's arguments only while the row it was drawn for
    // lives, and a click that lands as the row is redrawn would run a command VS Code has already
    // forgotten ("Actual command not found"). Without arguments the click runs runflow.openRun itself,
    // after the tree has told the extension which row it selected (see RunsView.selectedRunId).
    item.command = { command: Commands.openRun, title: 'Open Run' };
    // The short id tells apart rows that read the same (the same model, at the same time).
    item.accessibilityInformation = { label: `${singleLine(target.label, 80)}, ${statusLabel(node.status)}, ${item.description}, run ${shortId(node.runId)}` };
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
        this.log.warn(`Could not load node runs of ${runId}: ${err instanceof Error ? err.message : String(err)}`);
        return [new InfoNode(runId, 'Could not load node runs (see the log)', 'warning')];
      }
    }
    if (!cached.nodes.length) return [new InfoNode(runId, 'No node runs', 'info')];
    return cached.nodes.map((n, i) => new NodeRunNode(runId, i, n));
  }
}

/**
 * A row VS Code asks for just after its run left the list (a refresh removed it while the row's redraw was
 * on its way): drawn with its status icon and short id, never as a bare id without an icon, until the
 * list's own redraw takes it away.
 */
function goneRunItem(node: RunNode): vscode.TreeItem {
  const item = new vscode.TreeItem(shortId(node.runId), vscode.TreeItemCollapsibleState.None);
  item.id = `run:${node.status}:${node.runId}`;
  const icon = statusIcon(node.status);
  item.iconPath = new vscode.ThemeIcon(icon.codicon, new vscode.ThemeColor(icon.color));
  item.description = 'no longer listed';
  item.contextValue = `run ${statusToken(node.status)} inactive`;
  return item;
}

function rowKey(node: RunNode): string {
  return `${node.status}\u0000${node.runId}`;
}

function nodeRunItem(node: NodeRunNode, run: Run | undefined): vscode.TreeItem {
  const n = node.nodeRun;
  const state = typeof n.state_code === 'string' && n.state_code ? n.state_code : 'unknown';
  const names = nodeNamesOf(run ?? {});
  const shown = nodeRunLabel(n.node_id, node.index, names);
  const label = singleLine(shown.text, 60);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `node:${node.runId}:${n.id ?? node.index}`;
  const parts = [statusLabel(state)];
  const duration = describeDuration(n.duration_ms);
  if (duration) parts.push(markedText(duration));
  if (typeof n.retry_count === 'number' && n.retry_count > 0) parts.push(`${n.retry_count} ${n.retry_count === 1 ? 'retry' : 'retries'}`);
  if (n.error_message) parts.push(singleLine(n.error_message, 80));
  item.description = parts.join(' · ');
  const icon = nodeRunState(state).icon;
  item.iconPath = new vscode.ThemeIcon(icon.codicon, new vscode.ThemeColor(icon.color));
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${label}\n${parts.join(' · ')}`);
  if (!shown.named && n.node_id) tooltip.appendText(`\nNode ${singleLine(n.node_id, 80)}. ${nodeNamingNote(run ?? {}, [n.node_id], names) ?? ''}`);
  if (duration?.inconsistent) tooltip.appendText(`\n${duration.inconsistent}`);
  const cost = describeCost(n.cost);
  if (cost.kind !== 'none') tooltip.appendText(`\nCost: ${costText(cost)}`);
  item.tooltip = tooltip;
  const token = state.trim().toLowerCase();
  item.contextValue = `nodeRun ${/^[a-z_]{1,30}$/.test(token) ? token : 'other'}`;
  return item;
}

/** A cost that is not a decimal is the server's text, and says so, so that it cannot pass for a price. */
function costText(cost: CostDisplay): string {
  return cost.kind === 'text' ? `${cost.text} (not a decimal amount)` : cost.text;
}

/** A tooltip whose every piece of API text goes in through appendText, so none of it is read as markdown. */
export function runTooltip(run: Run, now: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const line = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    md.appendMarkdown(`**${label}:** `);
    md.appendText(singleLine(value, 300));
    md.appendMarkdown('  \n');
  };
  const target = runTarget(run);
  md.appendMarkdown('**');
  md.appendText(singleLine(target.label, 120));
  md.appendMarkdown('** — ');
  md.appendText(statusLabel(statusOf(run)));
  md.appendMarkdown('\n\n');
  line('Run id', run.id);
  line(target.kind === 'comfyui' ? 'ComfyUI workflow' : target.kind === 'flow' ? 'Flow' : 'Model', target.slug ?? run.model_id ?? run.flow_id ?? run.comfyui_workflow_id);
  line('Source', run.source_code);
  line('Created', timeWithAgo(run.created_at, now));
  line('Started', timeWithAgo(run.started_at, now));
  line('Completed', timeWithAgo(run.completed_at, now));
  const duration = runDuration(run, now);
  if (duration) {
    line(isActiveStatus(run.status_code) && !duration.inconsistent ? 'Running for' : 'Duration', markedText(duration));
    line('Note', duration.inconsistent);
  }
  const cost = describeCost(run.cost);
  if (cost.kind !== 'none') line('Cost', costText(cost));
  const progress = runProgress(run);
  if (progress) {
    line('Progress', markedText(progress));
    line('Note', progress.inconsistent);
  }
  const evaluation = runEvaluation(run.current_evaluation_summary);
  if (evaluation) line('Evaluation', evaluationText(evaluation));
  line('client_ref', run.client_ref);
  if (isFailureStatus(run.status_code) || run.failure_message) {
    line('Failure', [run.failure_stage_code, run.failure_code].filter(Boolean).join(' / ') || undefined);
    line('Message', run.failure_message);
  }
  return md;
}
