/**
 * The Log Matches view: the results of Runflow: Search Logs Across Runs…, streamed in as the search pages
 * through every run's logs, grouped by run. It owns the one running search: a new one replaces it, the
 * view's Cancel stops its requests, and "search further" goes on from where a budget stopped it.
 */
import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import { stripAnsi } from '../core/ansi';
import { Disposable } from '../core/disposable';
import { errorMessage } from '../core/errorMessage';
import { isAtLeast } from '../core/logLevels';
import { formatAgo, runTarget, shortId, statusIcon, statusLabel, statusOf } from '../core/runModel';
import { singleLine } from '../core/sanitize';
import { isEmptyFilter } from '../core/runFilter';
import { Commands, ContextKeys, Views } from '../constants';
import { logSearchLimits } from '../config';
import type { Log } from '../log';
import { LogSearch, summaryOf, type LogMatch, type RunSummary, type SearchOutcome, type SearchProgress } from '../runs/logSearch';
import type { RunStore } from '../runs/runStore';
import { RunSummaries } from '../runs/runSummaries';
import { countText, matchClipboardText, matchRecord, MatchGroups, type MatchGroup } from './logMatchGroups';
import { describeScope, sinceMs, type LogSearchRequest } from './logSearchRequest';

type GroupNode = { kind: 'group'; group: MatchGroup };
type MatchNode = { kind: 'match'; group: MatchGroup; match: LogMatch; index: number };
type MoreNode = { kind: 'more' };
export type LogMatchNode = GroupNode | MatchNode | MoreNode;
/** A match row's command argument: plain data that names the match whatever became of the row's node. */
interface MatchRef {
  runId: string;
  index: number;
}

/** Groups drawn expanded; past these a search with matches in many runs stays readable. */
const EXPANDED_GROUPS = 20;

/**
 * Least time between two redraws while a search runs. VS Code draws a tree's changes and message only once
 * they have been quiet for 200 ms (a change drawn at once, then nothing until a pause): a search that told
 * it of every page, a page every few tens of milliseconds, would show nothing until it ended. Paced, the
 * first match is drawn as soon as it is found and the view keeps up a few times a second after that.
 */
const REDRAW_MS = 300;
/**
 * A run's row redrawn sends every match under it again, so the pause grows by this much per match drawn
 * (up to REDRAW_MAX_MS): thousands of matches cost the extension host and the window about as much a second
 * as a few dozen do.
 */
const REDRAW_MS_PER_MATCH = 1;
const REDRAW_MAX_MS = 2_000;

/**
 * Opening a run's panel, as extension.ts wires it (the run panels): views and panels are siblings that
 * meet there, not through each other.
 */
export interface RunOpener {
  open(runId: string): unknown;
  /** The panel on one log line: its query in the search box, the line on screen as the current match. */
  openAtMatch(runId: string, line: { query: string; timestamp: string; level: string; message: string; logId?: string }): unknown;
}

interface ActiveSearch {
  readonly request: LogSearchRequest;
  readonly engine: LogSearch;
  readonly groups: MatchGroups;
  readonly groupNodes: Map<MatchGroup, GroupNode>;
  /** One node per match for the whole search: VS Code keeps what it knows of a row by its element. */
  readonly matchNodes: Map<LogMatch, MatchNode>;
  abort: AbortController;
  /** Names for the runs found that neither the Runs view nor the server's lines describe. */
  names: { lookups: RunSummaries; abort: AbortController };
  progress: SearchProgress;
  running: boolean;
  outcome: SearchOutcome | undefined;
  fallback: string | undefined;
}

export class LogMatchesView extends Disposable implements vscode.TreeDataProvider<LogMatchNode> {
  private readonly changed = this._register(new vscode.EventEmitter<LogMatchNode | LogMatchNode[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly treeView: vscode.TreeView<LogMatchNode>;
  private readonly more: MoreNode = { kind: 'more' };
  private search: ActiveSearch | undefined;
  /** Changes held back until REDRAW_MS after the last redraw: 'all' for the whole tree. */
  private pendingNodes: Set<LogMatchNode> | 'all' | undefined;
  private pendingMessage = false;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRedrawAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly connection: ClientFactory,
    private readonly store: RunStore,
    private readonly panels: RunOpener,
    private readonly log: Log,
  ) {
    super();
    this.treeView = this._register(vscode.window.createTreeView(Views.logMatches, { treeDataProvider: this, showCollapseAll: true }));
    // Another server or token sees other runs: what was found no longer applies.
    this._register(connection.onDidChange(() => this.clear()));
    this._register({ dispose: () => this.stopRunning() });
    this._register({ dispose: () => clearTimeout(this.redrawTimer) });
  }

  /** What the search found so far (tests and Save Matches As… read it). */
  get results(): { request: LogSearchRequest; groups: MatchGroups; outcome: SearchOutcome | undefined; fallback: string | undefined; progress: SearchProgress } | undefined {
    const s = this.search;
    return s && { request: s.request, groups: s.groups, outcome: s.outcome, fallback: s.fallback, progress: s.progress };
  }

  /** Starts a search, replacing the one before; resolves when it ends (by itself, a budget or Cancel). */
  async start(request: LogSearchRequest): Promise<SearchOutcome | undefined> {
    this.stopRunning();
    const limits = logSearchLimits();
    const runIds = request.filtered && !isEmptyFilter(this.store.filter) ? new Set(this.store.all().map((r) => r.id).filter((id): id is string => typeof id === 'string')) : undefined;
    const engine = new LogSearch(
      this.connection.client,
      { text: request.text, level: request.level, sinceMs: sinceMs(request.range, Date.now()), runIds },
      { lineBudget: limits.lines, timeBudgetMs: limits.seconds * 1000 },
    );
    const search: ActiveSearch = {
      request,
      engine,
      groups: new MatchGroups(),
      groupNodes: new Map(),
      matchNodes: new Map(),
      abort: new AbortController(),
      names: this.runNames(() => search),
      progress: { pages: 0, lines: 0, matches: 0, runs: 0 },
      running: false,
      outcome: undefined,
      fallback: undefined,
    };
    this.search = search;
    engine.onDidFindMatches(({ matches, runs }) => this.onMatches(search, matches, runs));
    engine.onDidProgress((p) => {
      search.progress = p;
      this.showState(search);
    });
    engine.onDidFallBack((message) => {
      search.fallback = message;
      this.log.info(`Log search: ${message}`);
      this.showState(search);
    });
    this.treeView.description = `${singleLine(request.text, 60)} · ${describeScope(request)}`;
    this.redrawNow('all');
    void vscode.commands.executeCommand('setContext', ContextKeys.logSearchHasMatches, false);
    return this.walk(search, () => engine.run(search.abort.signal));
  }

  /** Goes on from where a budget stopped the search, with a fresh budget. */
  async further(): Promise<SearchOutcome | undefined> {
    const search = this.search;
    if (!search || search.running || !search.outcome?.canContinue) return search?.outcome;
    search.abort = new AbortController();
    if (search.names.abort.signal.aborted) search.names = this.runNames(() => search);
    return this.walk(search, () => search.engine.continue(search.abort.signal));
  }

  cancel(): void {
    if (!this.search?.running) return;
    this.search.abort.abort();
    this.search.names.abort.abort();
  }

  clear(): void {
    this.stopRunning();
    this.search = undefined;
    this.treeView.description = undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.logSearchHasMatches, false);
    this.redrawNow('all');
  }

  /** Opens the run's panel on the match's line, with the query in its search box. */
  openMatch(arg?: unknown): void {
    const target = this.nodeOf(arg);
    if (!target || !this.search) return;
    if (target.kind === 'more') {
      void this.further();
      return;
    }
    const runId = target.group.runId;
    if (runId === null) return;
    if (target.kind === 'group') {
      this.panels.open(runId);
      return;
    }
    const { match } = target;
    this.panels.openAtMatch(runId, { query: this.search.request.text, timestamp: match.timestamp, level: match.level, message: match.message, logId: match.logId });
  }

  async copyMatch(arg?: unknown): Promise<void> {
    const target = this.nodeOf(arg);
    if (!target) return;
    const matches = target.kind === 'match' ? [target.match] : target.kind === 'group' ? target.group.matches : [];
    if (matches.length) await vscode.env.clipboard.writeText(matches.map(matchClipboardText).join('\n'));
  }

  /** Writes every match as JSON Lines where the user chooses. */
  async saveMatches(): Promise<vscode.Uri | undefined> {
    const search = this.search;
    if (!search || search.groups.matchCount === 0) {
      void vscode.window.showInformationMessage('Runflow: there are no log matches to save. Search the logs first.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, 'runflow-log-matches.jsonl') : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { 'JSON Lines': ['jsonl'] }, title: 'Save Log Matches As' });
    if (!target) return undefined;
    const lines: string[] = [];
    for (const match of search.groups.all()) lines.push(matchRecord(match, search.request.text));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${lines.join('\n')}\n`));
    void vscode.window.showInformationMessage(`Runflow: saved ${countText(search.groups.matchCount, search.groups.runCount)} to ${vscode.workspace.asRelativePath(target)}.`);
    return target;
  }

  /**
   * The node a command is about: a node (menus pass the row's node), a match named by its run and index
   * (a row's click), or else the selected row (the palette, a key).
   */
  private nodeOf(arg: unknown): LogMatchNode | undefined {
    if (!arg || typeof arg !== 'object') return this.treeView.selection[0];
    const a = arg as Partial<LogMatchNode> & Partial<MatchRef>;
    if (a.kind === 'group' || a.kind === 'match' || a.kind === 'more') return a as LogMatchNode;
    const search = this.search;
    const group = typeof a.runId === 'string' ? search?.groups.group(a.runId) : undefined;
    const index = typeof a.index === 'number' ? a.index : -1;
    const match = group?.matches[index];
    return search && group && match ? this.matchNode(search, group, match, index) : this.treeView.selection[0];
  }

  getChildren(node?: LogMatchNode): LogMatchNode[] {
    const search = this.search;
    if (!search) return [];
    if (!node) {
      const rows: LogMatchNode[] = search.groups.groups().map((g) => this.groupNode(search, g));
      if (!search.running && search.outcome?.canContinue) rows.push(this.more);
      return rows;
    }
    if (node.kind === 'group') return node.group.matches.map((match, index) => this.matchNode(search, node.group, match, index));
    return [];
  }

  getTreeItem(node: LogMatchNode): vscode.TreeItem {
    if (node.kind === 'group') return this.groupItem(node);
    if (node.kind === 'match') return this.matchItem(node);
    return this.moreItem();
  }

  private async walk(search: ActiveSearch, step: () => Promise<SearchOutcome>): Promise<SearchOutcome | undefined> {
    search.running = true;
    void vscode.commands.executeCommand('setContext', ContextKeys.logSearchRunning, true);
    this.redrawNow('all');
    try {
      const outcome = await vscode.window.withProgress({ location: { viewId: Views.logMatches } }, step);
      search.outcome = outcome;
      if (outcome.stop === 'error') this.log.warn(`Log search stopped: ${outcome.error ?? 'error'}`);
      return outcome;
    } catch (err) {
      // The engine reports failures in its outcome; anything else is a defect, said rather than swallowed.
      search.outcome = { stop: 'error', error: errorMessage(err), progress: search.progress, serverNarrowed: false, fallback: !!search.fallback, canContinue: false };
      this.log.error(`Log search failed: ${errorMessage(err)}`);
      return search.outcome;
    } finally {
      search.running = false;
      if (this.search === search) {
        void vscode.commands.executeCommand('setContext', ContextKeys.logSearchRunning, false);
        this.redrawNow('all');
      }
    }
  }

  private stopRunning(): void {
    const s = this.search;
    if (!s) return;
    if (s.running) s.abort.abort();
    s.names.abort.abort();
    s.engine.dispose();
  }

  private onMatches(search: ActiveSearch, matches: LogMatch[], runs: RunSummary[]): void {
    if (this.search !== search) return;
    const before = search.groups.runCount;
    const changed = search.groups.add(matches, runs);
    if (search.groups.runCount !== before) this.redraw('all');
    else if (changed.length) this.redraw(changed.map((g) => this.groupNode(search, g)));
    if (search.groups.matchCount > 0) void vscode.commands.executeCommand('setContext', ContextKeys.logSearchHasMatches, true);
    // A run is named once, from what is known when it is found: a later filter of the Runs view does not rename it.
    const unnamed = changed.filter((g) => g.runId !== null && !g.summary).map((g) => g.runId!);
    const known = unnamed.map((id) => summaryOf(id, this.store.get(id))).filter((s): s is RunSummary => !!s);
    if (known.length) search.groups.add([], known);
    search.names.lookups.request(unnamed.filter((id) => !this.store.get(id)));
    this.showState(search);
  }

  private runNames(searchOf: () => ActiveSearch): ActiveSearch['names'] {
    const abort = new AbortController();
    const lookups = new RunSummaries(
      this.connection.client,
      (summary) => {
        const search = searchOf();
        if (this.search !== search) return;
        const changed = search.groups.add([], [summary]);
        if (changed.length) this.redraw(changed.map((g) => this.groupNode(search, g)));
      },
      abort.signal,
    );
    return { lookups, abort };
  }

  private groupNode(search: ActiveSearch, group: MatchGroup): GroupNode {
    let node = search.groupNodes.get(group);
    if (!node) search.groupNodes.set(group, (node = { kind: 'group', group }));
    return node;
  }

  private matchNode(search: ActiveSearch, group: MatchGroup, match: LogMatch, index: number): MatchNode {
    let node = search.matchNodes.get(match);
    if (!node) search.matchNodes.set(match, (node = { kind: 'match', group, match, index }));
    return node;
  }

  /** Redraws the view's message, within REDRAW_MS. */
  private showState(search: ActiveSearch): void {
    if (this.search !== search) return;
    this.pendingMessage = true;
    this.redraw(undefined);
  }

  /**
   * Draws a change at once when nothing was drawn in the last pause (REDRAW_MS, and more with more matches),
   * else with every change held back since, once the pause is over. `nodes`: the tree rows that changed,
   * 'all' for the whole tree.
   */
  private redraw(nodes: readonly LogMatchNode[] | 'all' | undefined): void {
    if (nodes === 'all') this.pendingNodes = 'all';
    else if (nodes?.length && this.pendingNodes !== 'all') {
      const pending = this.pendingNodes ?? new Set<LogMatchNode>();
      for (const node of nodes) pending.add(node);
      this.pendingNodes = pending;
    }
    if (this.redrawTimer !== undefined) return;
    const pause = Math.min(REDRAW_MAX_MS, REDRAW_MS + REDRAW_MS_PER_MATCH * (this.search?.groups.matchCount ?? 0));
    const wait = this.lastRedrawAt + pause - Date.now();
    if (wait <= 0) this.flushRedraw();
    else this.redrawTimer = setTimeout(() => this.flushRedraw(), wait);
  }

  /** Draws the message and `nodes` with whatever was held back, now (a search starting, ending, cleared). */
  private redrawNow(nodes: 'all'): void {
    this.pendingMessage = true;
    this.pendingNodes = nodes;
    this.flushRedraw();
  }

  private flushRedraw(): void {
    clearTimeout(this.redrawTimer);
    this.redrawTimer = undefined;
    this.lastRedrawAt = Date.now();
    const nodes = this.pendingNodes;
    const message = this.pendingMessage;
    this.pendingNodes = undefined;
    this.pendingMessage = false;
    // The rows first: VS Code draws the first change at once and the one right after it 200 ms later.
    if (nodes === 'all') this.changed.fire(undefined);
    else if (nodes?.size) this.changed.fire([...nodes]);
    if (message) this.setMessage(this.search && this.stateText(this.search));
  }

  /** Every assignment makes VS Code redraw the view: only a real change is assigned ('' shows as undefined). */
  private setMessage(message: string | undefined): void {
    if ((message ?? '') !== (this.treeView.message ?? '')) this.treeView.message = message;
  }

  /** The view's message: what the search is doing, what it found and where it stopped. */
  private stateText(search: ActiveSearch): string {
    const { lines, pages } = search.progress;
    const found = countText(search.groups.matchCount, search.groups.runCount);
    const read = `${lines.toLocaleString('en-US')} line${lines === 1 ? '' : 's'}`;
    let state: string;
    if (search.running) state = `Searching… ${found} so far (${read} read, ${pages.toLocaleString('en-US')} page${pages === 1 ? '' : 's'})`;
    else state = this.endText(search.outcome, found, read);
    const fallback = search.fallback ? `\n${search.fallback}` : '';
    return `${state}${fallback}`;
  }

  private endText(outcome: SearchOutcome | undefined, found: string, read: string): string {
    const none = outcome && outcome.progress.matches === 0;
    const what = none ? 'No matches' : found;
    switch (outcome?.stop) {
      case 'end':
        return `${what} (${read} read).`;
      case 'cancelled':
        return `Cancelled: ${what} in the ${read} read.`;
      case 'line_budget':
      case 'time_budget':
        return `${what} in the newest ${read}: the search stopped at its ${outcome.stop === 'line_budget' ? 'line' : 'time'} budget. Search further to go on.`;
      case 'match_budget':
        return `${what}: the search stopped at its match limit, after the newest ${read}.`;
      case 'repeated_cursor':
      case 'empty_page':
        return `${what} (${read} read). The server's paging stopped making progress, so older lines may be missing.`;
      case 'error':
        return `The search stopped: ${singleLine(outcome.error ?? 'unknown error', 300)} (${what} in ${read}).`;
      default:
        return `${what}.`;
    }
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const { group } = node;
    const search = this.search;
    const index = search ? search.groups.groups().indexOf(group) : 0;
    const run = group.runId === null ? undefined : this.store.get(group.runId);
    const label = group.runId === null ? 'Unknown run' : run ? runTarget(run).label : (group.summary?.label ?? shortId(group.runId));
    // The run as the Runs view has it now, else as it was when found.
    const status = run ? statusOf(run) : group.summary?.status;
    const created = run?.created_at ?? group.summary?.createdAt;
    const item = new vscode.TreeItem(singleLine(label, 80), index < EXPANDED_GROUPS ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `matches:${group.runId ?? ''}`;
    const count = group.matches.length;
    const ago = created ? formatAgo(created, Date.now()) : '';
    item.description = [`${count.toLocaleString('en-US')} match${count === 1 ? '' : 'es'}`, ago].filter(Boolean).join(' · ');
    const icon = group.runId === null ? { codicon: 'question', color: 'descriptionForeground' } : statusIcon(status ?? '');
    item.iconPath = new vscode.ThemeIcon(icon.codicon.replace('~spin', ''), new vscode.ThemeColor(icon.color));
    const statusText = status ? statusLabel(status) : 'status unknown';
    item.tooltip = group.runId === null ? 'Log lines that name no run' : `${singleLine(label, 200)}\nRun ${singleLine(group.runId, 200)} · ${statusText}${ago ? ` · ${ago}` : ''}`;
    item.accessibilityInformation = { label: `${singleLine(label, 80)}, ${group.runId === null ? 'unknown run' : statusText}, ${item.description}` };
    item.contextValue = group.runId === null ? 'matchGroup' : 'matchGroup run';
    return item;
  }

  private matchItem(node: MatchNode): vscode.TreeItem {
    const { match } = node;
    // Control characters become spaces one for one, so the highlights still fall on the match.
    const label = match.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
    const item = new vscode.TreeItem({ label, highlights: match.ranges.map((r) => [r.start, r.end] as [number, number]) }, vscode.TreeItemCollapsibleState.None);
    const level = match.level ? match.level.toUpperCase() : '';
    const when = match.timeMs !== undefined ? new Date(match.timeMs).toLocaleString() : match.timestamp;
    item.description = [level, when].filter(Boolean).join(' · ');
    const severity = isAtLeast(match.level, 'error') ? 'error' : isAtLeast(match.level, 'warning') ? 'warning' : undefined;
    item.iconPath = severity === 'error' ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')) : severity === 'warning' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('circle-small');
    item.tooltip = `${singleLine(stripAnsi(match.message), 2_000)}\n\n${match.timestamp || 'no time'}${level ? ` · ${level}` : ''} · run ${match.runId ?? 'unknown'}`;
    item.accessibilityInformation = { label: `${level || 'line'}: ${label}, ${when || 'no time'}` };
    item.contextValue = node.group.runId === null ? 'logMatch' : 'logMatch run';
    // The match by its run and index, not the node: a click may come in before VS Code has told the
    // extension which row it selected, and the index stays true while the search only adds matches.
    if (node.group.runId !== null) {
      const ref: MatchRef = { runId: node.group.runId, index: node.index };
      item.command = { command: Commands.openLogMatch, title: 'Open in Run Panel', arguments: [ref] };
    }
    return item;
  }

  private moreItem(): vscode.TreeItem {
    const lines = this.search?.progress.lines ?? 0;
    const item = new vscode.TreeItem(`Searched the newest ${lines.toLocaleString('en-US')} lines: search further`, vscode.TreeItemCollapsibleState.None);
    item.id = 'matches:more';
    item.iconPath = new vscode.ThemeIcon('search');
    item.command = { command: Commands.searchLogsFurther, title: 'Search Further' };
    item.contextValue = 'searchFurther';
    return item;
  }
}
