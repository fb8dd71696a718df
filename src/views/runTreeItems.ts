import * as vscode from 'vscode';
import type { Run } from '../api/types';
import { describeCost, type CostDisplay } from '../core/cost';
import { describeTotal, describeTotalLines, type CostTotal } from '../core/costTotals';
import { nodeNamesOf, nodeNamingNote, nodeRunLabel } from '../core/nodeNames';
import { nodeRunState } from '../core/nodeRunState';
import { describeFilter, type RunFilter } from '../core/runFilter';
import {
  describeDuration,
  evaluationText,
  isActiveStatus,
  isFailureStatus,
  markedText,
  runDescription,
  runDuration,
  runEvaluation,
  runProgress,
  runTarget,
  shortId,
  statusIcon,
  statusLabel,
  statusOf,
  statusToken,
} from '../core/runModel';
import { spokenText } from '../core/spokenText';
import { singleLine } from '../core/sanitize';
import { timeWithAgo } from '../core/timeText';
import { Commands } from '../constants';
import type { ActionNode, InfoNode, NodeRunNode, RunNode } from './runNodes';

/** Groups that start expanded: what needs attention. */
export const EXPANDED_GROUPS = new Set(['running', 'dispatching', 'queued', 'failed', 'partial_succeeded']);

export function loadMoreItem(): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = 'load-more';
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: Commands.loadMore, title: 'Load more' };
  item.tooltip = 'Load the next page of older runs';
  item.contextValue = 'loadMore';
  return item;
}

export function actionItem(node: ActionNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `action:${node.command}`;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.command = { command: node.command, title: node.label };
  item.contextValue = 'action';
  return item;
}

export function infoItem(node: InfoNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `info:${node.parentId}:${node.label}`;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  return item;
}

export function filterItem(filter: RunFilter): vscode.TreeItem {
  const text = describeFilter(filter);
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

/** A status group's row; `count`: its runs loaded, `total`: their costs. */
export function groupItem(status: string, count: number, expanded: boolean, total: CostTotal): vscode.TreeItem {
  const item = new vscode.TreeItem(statusLabel(status), expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `group:${status}`;
  const cost = describeTotal(total);
  item.description = cost ? `${count} · ${cost}` : String(count);
  const icon = statusIcon(status);
  item.iconPath = new vscode.ThemeIcon(icon.codicon.replace('~spin', ''), new vscode.ThemeColor(icon.color));
  const runs = `${count} ${statusLabel(status).toLowerCase()} run${count === 1 ? '' : 's'} loaded`;
  item.tooltip = [runs, ...groupCostLines(total)].join('\n');
  item.accessibilityInformation = { label: `${statusLabel(status)}, ${count} run${count === 1 ? '' : 's'}${cost ? `, ${cost}` : ''}` };
  item.contextValue = `group ${statusToken(status)}`;
  return item;
}

/** A group's cost for its tooltip: the exact sum per currency, and what it leaves out. */
function groupCostLines(total: CostTotal): string[] {
  const lines = describeTotalLines(total);
  return lines.length ? ['Cost of these runs, summed exactly:', ...lines.map((l) => `  ${l}`)] : [];
}

/** What a group's row shows of its runs, in one string: redrawn when it changes (see RunsTreeProvider). */
export function groupSignature(count: number, total: CostTotal): string {
  return `${count}\n${describeTotal(total) ?? ''}\n${describeTotalLines(total).join('\n')}`;
}

/** A run's row as it reads at `now`. */
export function runItem(node: RunNode, run: Run, now: number): vscode.TreeItem {
  const target = runTarget(run);
  const hasNodeRuns = run.has_node_runs !== false && (run.nodes_total ?? 1) !== 0;
  const item = new vscode.TreeItem(
    singleLine(target.label, 80),
    hasNodeRuns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  // Stable for as long as the row exists; a run that changes status is a new row in another group.
  item.id = `run:${node.status}:${node.runId}`;
  item.description = runDescription(run, now);
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
  item.accessibilityInformation = { label: `${singleLine(target.label, 80)}, ${statusLabel(node.status)}, ${spokenText(String(item.description))}, run ${shortId(node.runId)}` };
  return item;
}

/**
 * A row VS Code asks for just after its run left the list (a refresh removed it while the row's redraw was
 * on its way): drawn with its status icon and short id, never as a bare id without an icon, until the
 * list's own redraw takes it away.
 */
export function goneRunItem(node: RunNode): vscode.TreeItem {
  const item = new vscode.TreeItem(shortId(node.runId), vscode.TreeItemCollapsibleState.None);
  item.id = `run:${node.status}:${node.runId}`;
  const icon = statusIcon(node.status);
  item.iconPath = new vscode.ThemeIcon(icon.codicon, new vscode.ThemeColor(icon.color));
  item.description = 'no longer listed';
  item.contextValue = `run ${statusToken(node.status)} inactive`;
  return item;
}

export function nodeRunItem(node: NodeRunNode, run: Run | undefined): vscode.TreeItem {
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
