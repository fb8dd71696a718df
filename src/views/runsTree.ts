import * as vscode from 'vscode';
import type { NodeRun, Run } from '../api/types';
import { describeCost, type CostDisplay } from '../core/cost';
import {
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
  statusIcon,
  statusLabel,
  statusOf,
  statusToken,
} from '../core/runModel';
import { singleLine } from '../core/text';
import { canFilterLocally } from '../core/runFilter';
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
export type RunsTreeNode = GroupNode | RunNode | NodeRunNode | LoadMoreNode | InfoNode | ActionNode;

/**
 * With a filter the server refused, the view's message names it and these rows offer the ways on. They are
 * rows, not welcome content: VS Code hides welcome content while a view shows a message.
 */
const REFUSED_FILTER_ACTIONS = {
  local: new ActionNode(Commands.filterLocally, 'Filter the loaded runs locally', 'filter'),
  edit: new ActionNode(Commands.filter, 'Edit the filter…', 'edit'),
  clear: new ActionNode(Commands.clearFilter, 'Clear the filter', 'clear-all'),
};

/** Groups that start expanded: what needs attention. */
const EXPANDED_GROUPS = new Set(['running', 'dispatching', 'queued', 'failed', 'partial_succeeded']);

/**
 * The Runs view: runs grouped by status. Node objects are kept per run and group, so a store change
 * redraws only the nodes it touched.
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly groups = new Map<string, GroupNode>();
  private readonly runNodes = new Map<string, RunNode>();
  private readonly loadMore = new LoadMoreNode();
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

  /** Redraws the runs whose on-screen text depends on the clock (running time). */
  refreshClockDependent(): void {
    const nodes = this.store.activeRuns().map((r) => this.runNode(r.id!, statusOf(r)));
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
      const groups = [...groupByStatus(this.store.all()).keys()].map((s) => this.groupNode(s));
      return this.store.hasMore ? [...groups, this.loadMore] : groups;
    }
    if (node.kind === 'group') {
      return (groupByStatus(this.store.all()).get(node.status) ?? []).map((r) => this.runNode(r.id!, node.status));
    }
    if (node.kind === 'run') return this.nodeRunChildren(node.runId);
    return [];
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    // Discriminated by `kind`, not instanceof: nodes also arrive from other bundles (tests) and as plain objects.
    if (node.kind === 'group') return this.groupItem(node);
    if (node.kind === 'run') return this.runItem(node);
    if (node.kind === 'nodeRun') return nodeRunItem(node);
    if (node.kind === 'loadMore') {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.id = 'load-more';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: Commands.loadMore, title: 'Load more' };
      item.tooltip = 'Load the next page of older runs';
      item.contextValue = 'loadMore';
      return item;
    }
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
    const key = `${status}\u0000${runId}`;
    let node = this.runNodes.get(key);
    if (!node) this.runNodes.set(key, (node = new RunNode(runId, status)));
    return node;
  }

  private onStoreChange(change: StoreChange): void {
    for (const id of [...change.changed, ...change.removed]) this.nodeRuns.delete(id);
    for (const id of change.removed) for (const key of this.runNodes.keys()) if (key.endsWith(`\u0000${id}`)) this.runNodes.delete(key);
    if (change.structure) {
      this.changed.fire(undefined);
      return;
    }
    const nodes: RunsTreeNode[] = change.groups.map((s) => this.groupNode(s));
    const regrouped = new Set(change.groups);
    for (const id of change.changed) {
      const run = this.store.get(id);
      if (run && !regrouped.has(statusOf(run))) nodes.push(this.runNode(id, statusOf(run)));
    }
    if (nodes.length) this.changed.fire(nodes);
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
    item.contextValue = `group ${statusToken(node.status)}`;
    return item;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const run = this.store.get(node.runId);
    if (!run) return new vscode.TreeItem(node.runId);
    const now = Date.now();
    const target = runTarget(run);
    const hasNodeRuns = run.has_node_runs !== false && (run.nodes_total ?? 1) !== 0;
    const item = new vscode.TreeItem(
      singleLine(target.label, 80),
      hasNodeRuns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `run:${node.status}:${node.runId}`;
    item.description = runDescription(run, now);
    const icon = statusIcon(node.status);
    item.iconPath = new vscode.ThemeIcon(icon.codicon, new vscode.ThemeColor(icon.color));
    item.tooltip = runTooltip(run, now);
    const tags = ['run', statusToken(node.status), isActiveStatus(run.status_code) ? 'active' : 'inactive'];
    if (target.kind === 'model') tags.push('model');
    if (run.input && typeof run.input === 'object') tags.push('hasInput');
    item.contextValue = tags.join(' ');
    item.command = { command: Commands.openRun, title: 'Open Run', arguments: [node] };
    item.accessibilityInformation = { label: `${singleLine(target.label, 80)}, ${statusLabel(node.status)}, ${item.description}` };
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

function nodeRunItem(node: NodeRunNode): vscode.TreeItem {
  const n = node.nodeRun;
  const state = typeof n.state_code === 'string' && n.state_code ? n.state_code : 'unknown';
  const label = singleLine(n.node_id ?? `node ${node.index + 1}`, 60);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `node:${node.runId}:${n.id ?? node.index}`;
  const parts = [statusLabel(state)];
  const duration = describeDuration(n.duration_ms);
  if (duration) parts.push(markedText(duration));
  if (typeof n.retry_count === 'number' && n.retry_count > 0) parts.push(`${n.retry_count} ${n.retry_count === 1 ? 'retry' : 'retries'}`);
  if (n.error_message) parts.push(singleLine(n.error_message, 80));
  item.description = parts.join(' · ');
  const icon = statusIcon(state);
  item.iconPath = new vscode.ThemeIcon(icon.codicon, new vscode.ThemeColor(icon.color));
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${label}\n${parts.join(' · ')}`);
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
  line('Created', run.created_at);
  line('Started', run.started_at);
  line('Completed', run.completed_at);
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
