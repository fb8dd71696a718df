import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import type { TokenStore } from '../auth/tokenStore';
import { organizationId, pageSize } from '../config';
import { Disposable } from '../core/disposable';
import { delay } from '../core/pollScheduler';
import { canFilterLocally, describeFilter, isEmptyFilter, type RunFilter } from '../core/runFilter';
import { formatAgo, statusOf } from '../core/runModel';
import { timeWithAgo } from '../core/timeText';
import { singleLine } from '../core/sanitize';
import { Commands, ContextKeys, Views } from '../constants';
import type { Log } from '../log';
import type { ListCacheKey, RunListCache } from '../runs/listCache';
import type { BatchState } from '../runs/batchState';
import type { RevealRequests } from '../runs/revealRequests';
import type { ListSchedule, RunsPoller } from '../runs/runsPoller';
import type { RunStore, StoreState } from '../runs/runStore';
import { RunsStatusBar } from './runsStatusBar';
import { RunsTreeProvider, type RunsTreeNode } from './runsTree';
import { errorMessage } from '../core/errorMessage';

/** "Nov 30, 2026, 02:03:07 PM · 3 h ago": when runs kept from an earlier window were last known current. */
function staleTime(staleSince: number, now: number): string {
  return timeWithAgo(new Date(staleSince).toISOString(), now) ?? 'an earlier session';
}

/**
 * The line above the list for a store state, or undefined when there is nothing to say. `staleSince`:
 * the runs shown were kept from an earlier window and no refresh has answered yet.
 */
function stateMessage(state: StoreState, baseUrl: string, hasRuns: boolean, staleSince: number | undefined): string | undefined {
  const shown = staleSince === undefined ? 'the runs loaded before' : `the runs from ${staleTime(staleSince, Date.now())}`;
  switch (state.kind) {
    case 'rate_limited': {
      const seconds = Math.max(1, Math.round((state.untilMs - Date.now()) / 1000));
      const showing = staleSince === undefined ? '' : ` Showing ${shown}.`;
      return `Runflow asked to slow down (429): refreshing again in ${seconds} s.${showing}`;
    }
    case 'unreachable': {
      // With nothing loaded, the welcome content says it instead.
      if (!hasRuns) return undefined;
      const reason = failureReason(state.message);
      const what = /^\d{3} /.test(reason) ? `The Runflow API failed (${reason.replace(/^2\d\d /, '')})` : `Can't reach ${baseUrl} (${reason})`;
      return `${what}; showing ${shown}. Retrying by itself.`;
    }
    case 'bad_filter': {
      // The server answered: this is about the filter, never about reaching the server.
      const reason = failureReason(state.message);
      return `The server refused the filter “${singleLine(state.filter, 60) || 'q'}”${/^\d{3}\b/.test(reason) ? ` (${reason.slice(0, 3)})` : ''}. Filter the loaded runs locally, edit or clear it.`;
    }
    default:
      return undefined;
  }
}

/** "500 server error" out of "GET /v1/runs: 500 server error — <server text> (request id …)". */
function failureReason(message: string): string {
  const summary = message.replace(/^[A-Z]+ \S+: /, '').split(' — ')[0].replace(/ \(request id [^)]*\)$/, '');
  return singleLine(summary, 100) || 'no answer';
}

/** The view's state when it has nothing to list; viewsWelcome in package.json shows the matching content. */
export type ViewState = 'signedOut' | 'loading' | 'empty' | 'emptyFiltered' | 'unreachable' | 'unauthorized' | 'forbidden' | 'badFilter' | 'ready';

/**
 * The Runs view: the tree, what it says above the list, its welcome states, and the sign-in and filter
 * it loads with. The poller decides when the list is asked for again; the view tells it whether it is on
 * screen. The status-bar item follows the view's state.
 */
/** How often a reveal is tried while the run's group is still being drawn. */
const REVEAL_TRIES = 3;

export class RunsView extends Disposable {
  readonly tree: RunsTreeProvider;
  readonly treeView: vscode.TreeView<RunsTreeNode>;
  private readonly statusBar: RunsStatusBar;
  private signedIn = false;
  /** The 401 notice is shown once per sign-in, not on every poll. */
  private unauthorizedNoticeShown = false;
  private viewState: ViewState = 'signedOut';
  /** What the view says above the list about the last refresh, if anything. */
  private stateMessage: string | undefined;
  /** A refresh has been waiting for an answer for a while (a hung or very slow server). */
  private waiting = false;
  /** The walkthrough's "See your runs" step was done: the view has shown runs. */
  private sawRuns = false;
  /**
   * A run the extension revealed (a launch) and the status it was shown under: its row moves to another
   * group as its status changes, and the selection follows it there until the user selects another row.
   */
  private following: { runId: string; status: string } | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly connection: ClientFactory,
    tokens: TokenStore,
    private readonly log: Log,
    private readonly poller: RunsPoller,
    reveals: RevealRequests,
    /** The last list answer per server, organisation and filter, drawn at start before the first request answers. */
    private readonly listCache: RunListCache,
    batches?: BatchState,
  ) {
    super();
    this.tree = this._register(new RunsTreeProvider(store, log, batches));
    this.treeView = this._register(vscode.window.createTreeView(Views.runs, { treeDataProvider: this.tree, showCollapseAll: true, canSelectMany: true }));
    this.statusBar = this._register(new RunsStatusBar(store, connection));
    // Nothing is asked of the server until the start-up reload has read the sign-in state: a view opened
    // before any sign-in would otherwise race it and report a missing token as a refused one.
    poller.list.halt();
    poller.setViewVisible(this.treeView.visible);
    this.followTreeView();
    this._register(
      poller.onDidChangeListWaiting((waiting) => {
        this.waiting = waiting;
        this.showMessage();
      }),
    );
    // Running times on screen move with the clock, not with the data.
    this._register(poller.onDidTick((now) => this.tree.refreshClockDependent(now)));
    this._register(store.onDidChangeState((s) => this.onStoreState(s)));
    this._register(
      store.onDidChange(() => {
        this.updateViewState();
        this.followRevealedRun();
        // Kept runs may go without a change of state (no token at start): their "Updated … ago" with them.
        this.showMessage();
      }),
    );
    this._register(store.onDidRefresh(() => this.keepList()));
    this._register(reveals.onDidRequestReveal((runId) => this.reveal(runId)));
    this._register(connection.onDidChange(() => void this.reload('settings')));
    this._register(tokens.onDidChange((baseUrl) => void this.onTokenChanged(baseUrl)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('runflow.runs.pageSize')) {
          this.store.setPageSize(pageSize());
          void this.reload('settings');
        }
      }),
    );
  }

  /** What the user does in the tree: show or hide it, open or close a group, pick a row. */
  private followTreeView(): void {
    this._register(
      this.treeView.onDidChangeVisibility((e) => {
        this.poller.setViewVisible(e.visible);
        this.noteRunsSeen();
      }),
    );
    this._register(
      this.treeView.onDidExpandElement((e) => {
        if (e.element.kind === 'group') this.tree.setExpanded(e.element.status, true);
      }),
    );
    this._register(
      this.treeView.onDidCollapseElement((e) => {
        if (e.element.kind === 'group') this.tree.setExpanded(e.element.status, false);
      }),
    );
    this._register(
      this.treeView.onDidChangeSelection((e) => {
        // Empty while a redrawn group settles: only another row the user picked ends the following.
        const picked = e.selection.find((n) => n.kind === 'run');
        if (picked && picked.kind === 'run' && picked.runId !== this.following?.runId) this.following = undefined;
      }),
    );
  }

  /** The list's schedule: whether a refresh is on its way, and when the next is planned. */
  get scheduler(): ListSchedule {
    return this.poller.list;
  }

  /**
   * The start-up step activate() runs: the list kept from the last window for this server, organisation
   * and filter is drawn at once, before any request (not yet refreshed), then the sign-in is read and the
   * first refresh replaces it.
   */
  async start(): Promise<void> {
    const kept = this.listCache.read(this.listCacheKey());
    if (kept) {
      this.store.seed(kept.runs, kept.savedAt);
      // A list is kept only while a token is stored (signing out clears it): the token read below confirms it.
      // Said to the workbench at once: until then it shows the Sign In welcome in place of the kept rows.
      if (this.store.staleSince !== undefined) {
        this.signedIn = true;
        void vscode.commands.executeCommand('setContext', ContextKeys.signedIn, true);
      }
      this.updateViewState();
      this.showMessage();
    } else {
      this.store.reset();
    }
    await this.load('start');
  }

  /** Reads the sign-in state and loads from scratch: when the server, organisation or token changed. */
  async reload(reason: 'settings' | 'token' | 'filter'): Promise<void> {
    this.store.reset();
    await this.load(reason);
  }

  private async load(reason: 'start' | 'settings' | 'token' | 'filter'): Promise<void> {
    this.log.info(`Loading the Runs view (${reason}) from ${this.connection.baseUrl}`);
    this.signedIn = await this.connection.hasToken();
    if (!this.signedIn && this.store.staleSince !== undefined) this.store.reset();
    // Without a token no list may stay kept for this server: it would be drawn for whoever signs in next.
    if (!this.signedIn) await this.listCache.clearBaseUrl(this.connection.baseUrl);
    await vscode.commands.executeCommand('setContext', ContextKeys.signedIn, this.signedIn);
    this.unauthorizedNoticeShown = false;
    this.statusBar.show(this.signedIn, this.viewState);
    if (!this.signedIn) {
      this.scheduler.halt();
      this.setViewState('signedOut');
      return;
    }
    this.scheduler.resume();
    // Loading, or the runs kept from the last window while the first refresh is on its way.
    this.updateViewState();
    await this.scheduler.refreshNow({ restart: true });
  }

  async setFilter(filter: RunFilter): Promise<void> {
    this.store.setFilter(filter);
    const empty = isEmptyFilter(filter);
    this.treeView.description = empty ? undefined : describeFilter(filter);
    await vscode.commands.executeCommand('setContext', ContextKeys.filtered, !empty);
    await vscode.commands.executeCommand('setContext', ContextKeys.canFilterLocally, !empty && !filter.local && canFilterLocally(filter));
    if (this.signedIn) {
      this.scheduler.resume();
      await this.scheduler.refreshNow({ restart: true });
    }
  }

  /** The server refused the filter: keep it, and check it on the runs the server lists without it. */
  async filterLocally(): Promise<void> {
    const filter = this.store.filter;
    if (isEmptyFilter(filter) || !canFilterLocally(filter)) return;
    await this.setFilter({ ...filter, local: true });
  }

  /** Manual refresh: always allowed, also when polling paused after an error. */
  async refresh(): Promise<void> {
    if (!this.signedIn) return this.reload('token');
    this.scheduler.resume();
    await this.scheduler.refreshNow();
  }

  /**
   * The run of the row selected in the view, when the view is on screen. A row's click passes no argument
   * (see RunsTreeProvider.runItem): VS Code tells the extension the selection before it runs the command.
   * A row clicked as its group was redrawn reads as no selection until VS Code has the group's rows again,
   * which takes a moment: the answer waits for that rather than ask the user which run they meant.
   */
  async selectedRunId(): Promise<string | undefined> {
    const read = () => {
      if (!this.treeView.visible) return undefined;
      const [node] = this.treeView.selection;
      return node?.kind === 'run' || node?.kind === 'batchRun' ? node.runId : undefined;
    };
    let id = read();
    let waited = false;
    while (!id && this.treeView.visible && this.tree.rowsSettling && !this.isDisposed) {
      waited = true;
      await delay(50);
      id = read();
    }
    // VS Code has asked for the rows; it learns their handles once the answer is in: one more look.
    if (!id && waited && !this.isDisposed) {
      await delay(50);
      id = read();
    }
    return id;
  }

  /** Show Batch in Runs: the batch's row, expanded and selected; or why the view does not list it. */
  async showBatch(batchId: string): Promise<boolean> {
    const rows = this.tree.batchRows;
    if (!rows) return false;
    const why = rows.whyHidden(batchId, this.store.filter);
    if (why === 'filtered') {
      const choice = await vscode.window.showInformationMessage('Runflow: batches are listed only while no filter is set.', 'Clear Filter');
      if (choice) {
        await this.setFilter({});
        return this.showBatch(batchId);
      }
      return false;
    }
    if (why) {
      void vscode.window.showInformationMessage(
        why === 'old' ? 'Runflow: that batch is more than a day old; the Runs view lists the batches of the last day.' : 'Runflow: that batch is no longer kept in this workspace.',
      );
      return false;
    }
    await vscode.commands.executeCommand(`${Views.runs}.focus`);
    for (let attempt = 1; attempt <= REVEAL_TRIES; attempt++) {
      try {
        await this.treeView.reveal(rows.batchNode(batchId), { select: true, focus: true, expand: true });
        return true;
      } catch (err) {
        this.log.debug(`Could not reveal batch ${batchId} (try ${attempt}): ${errorMessage(err)}`);
        await delay(100);
      }
    }
    return false;
  }

  /**
   * Shows a run in the view when it is on screen, selected, and keeps it selected as it moves between
   * groups; a courtesy that never fails the action that asked for it.
   */
  async reveal(runId: string): Promise<void> {
    const run = this.store.get(runId);
    this.following = run ? { runId, status: statusOf(run) } : undefined;
    await this.revealRow(runId);
  }

  private async revealRow(runId: string): Promise<void> {
    // A run that arrived a moment ago may sit in a group VS Code has not drawn yet: once it has, again.
    for (let attempt = 1; ; attempt++) {
      const node = this.tree.nodeFor(runId);
      if (!node || !this.treeView.visible || this.isDisposed) return;
      try {
        await this.treeView.reveal(node, { select: true, focus: false, expand: false });
        return;
      } catch (err) {
        this.log.debug(`Could not reveal run ${runId} in the Runs view (try ${attempt}): ${errorMessage(err)}`);
        if (attempt === REVEAL_TRIES) return;
      }
      await delay(100);
      while (this.tree.rowsSettling && !this.isDisposed) await delay(50);
    }
  }

  /** The revealed run changed group: its old row is gone, and the selection with it. */
  private followRevealedRun(): void {
    if (!this.following) return;
    const run = this.store.get(this.following.runId);
    if (!run) {
      this.following = undefined;
      return;
    }
    const status = statusOf(run);
    if (status === this.following.status) return;
    this.following.status = status;
    void this.revealRow(this.following.runId);
  }

  private listCacheKey(): ListCacheKey {
    return { baseUrl: this.connection.baseUrl, organizationId: organizationId(), filter: this.store.filter };
  }

  /** After each answered refresh; the cache writes only when what it keeps would change. */
  private keepList(): void {
    if (!this.signedIn) return;
    this.listCache.save(this.listCacheKey(), this.store.firstPage(), Date.now()).catch((err: unknown) => {
      this.log.warn(`Could not keep the runs list for the next start: ${errorMessage(err)}`);
    });
  }

  /**
   * Signing out, or in with another token, clears the lists kept for that server. The runs on screen go
   * first, so that no answer to the old token is kept after the clearing.
   */
  private async onTokenChanged(baseUrl: string): Promise<void> {
    const current = baseUrl === this.connection.baseUrl;
    if (current) this.store.reset();
    await this.listCache.clearBaseUrl(baseUrl);
    if (current && !this.isDisposed) await this.reload('token');
  }

  get state(): ViewState {
    return this.viewState;
  }

  private showMessage(): void {
    if (this.isDisposed) return;
    const message = this.waiting ? this.waitingMessage() : (this.stateMessage ?? this.staleMessage());
    // Every assignment, even of the same text, makes VS Code refresh the tree and hold back the next
    // refresh for 200 ms, which would then delay the runs a load brings: assign only a real change
    // (VS Code starts the message as '', which shows the same as undefined).
    if ((message ?? '') !== (this.treeView.message ?? '')) this.treeView.message = message;
  }

  /** Runs kept from an earlier window are on screen and the first refresh has not answered yet. */
  private staleMessage(): string | undefined {
    const updated = this.updatedAgo();
    return updated && `${updated} · refreshing…`;
  }

  private waitingMessage(): string {
    const updated = this.updatedAgo();
    return updated ? `${updated} · waiting for ${this.connection.baseUrl} to answer…` : `Waiting for ${this.connection.baseUrl} to answer…`;
  }

  /** "Updated 3 h ago" while the runs shown are kept from an earlier window. */
  private updatedAgo(): string | undefined {
    const since = this.store.staleSince;
    return since === undefined ? undefined : `Updated ${formatAgo(new Date(since).toISOString(), Date.now())}`;
  }

  private onStoreState(state: StoreState): void {
    this.stateMessage = stateMessage(state, this.connection.baseUrl, this.store.size > 0, this.store.staleSince);
    this.showMessage();
    if (state.kind === 'unauthorized' && !this.unauthorizedNoticeShown) {
      this.unauthorizedNoticeShown = true;
      this.log.warn(`${this.connection.baseUrl} answered 401: the stored token is no longer accepted.`);
      void vscode.window
        .showWarningMessage(`Runflow: ${this.connection.baseUrl} no longer accepts the stored token. Sign in again to see your runs.`, 'Sign In')
        .then((choice) => choice && vscode.commands.executeCommand(Commands.signIn));
    }
    this.updateViewState();
  }

  private updateViewState(): void {
    if (!this.signedIn) return this.setViewState('signedOut');
    const s = this.store.state;
    if (s.kind === 'unauthorized') return this.setViewState('unauthorized');
    if (s.kind === 'forbidden') return this.setViewState('forbidden');
    if (this.store.size > 0) return this.setViewState('ready');
    if (s.kind === 'unreachable' || s.kind === 'rate_limited') return this.setViewState('unreachable');
    if (s.kind === 'bad_filter') return this.setViewState('badFilter');
    if (s.kind === 'ready') return this.setViewState(isEmptyFilter(this.store.filter) ? 'empty' : 'emptyFiltered');
    this.setViewState('loading');
  }

  private setViewState(state: ViewState): void {
    if (state === this.viewState) return;
    this.viewState = state;
    void vscode.commands.executeCommand('setContext', ContextKeys.viewState, state);
    this.statusBar.show(this.signedIn, state);
    this.noteRunsSeen();
  }

  private noteRunsSeen(): void {
    if (this.sawRuns || this.viewState !== 'ready' || !this.treeView.visible) return;
    this.sawRuns = true;
    void vscode.commands.executeCommand('setContext', ContextKeys.sawRuns, true);
  }
}
