import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../api/types';
import type { ClientFactory } from '../auth/clientFactory';
import { Disposable, toDisposable } from '../core/disposable';
import { errorMessage } from '../core/errorMessage';
import { LogBuffer, normalizeLevel } from '../runs/logBuffer';
import type { Timers } from '../core/pollScheduler';
import { runTarget, shortId } from '../core/runModel';
import { singleLine } from '../core/sanitize';
import type { Log } from '../log';
import { LogFollower, runPhase } from '../runs/logFollower';
import { LogReader } from '../runs/logReader';
import type { RunRefresh, RunsPoller, RunWatch } from '../runs/runsPoller';
import type { RunStore } from '../runs/runStore';
import { MAX_QUERY_LENGTH, NODE_RUNS_ERROR_FIELD, type HostMessage, type RunPayload } from '../shared/protocol';
import { panelHtml } from './panelHtml';
import { RunPanelMessages, type PanelMessageHost } from './runPanelMessages';

export const PANEL_VIEW_TYPE = 'runflow.runDetail';

/** A log line found elsewhere (the search across runs), to open the panel on. */
export interface LineTarget {
  /** What the search box held when the line was found: plain text or `/regex/flags`. */
  query: string;
  timestamp: string;
  level: string;
  message: string;
  /** The line's id, when the server gave one. */
  logId?: string;
}

export interface PanelServices {
  extensionUri: vscode.Uri;
  connection: ClientFactory;
  store: RunStore;
  /** Keeps the panel's run current while the panel is visible, and runs its log's schedule. */
  poller: RunsPoller;
  log: Log;
  state: vscode.Memento;
  /** The clock the log is read on. */
  timers: Timers;
  /** Where log scratch files go. */
  scratchDir: string;
  /** Opens the whole log as a read-only document. */
  openLogDocument(runId: string, reader: LogReader): Promise<void>;
}

/**
 * One run's detail panel: the webview, its run and log. The poller keeps the run current while the run
 * may still change and the panel is visible; the log is read on its own schedule, so a log that keeps
 * failing neither slows the run down nor the other way round.
 */
export class RunPanel extends Disposable implements PanelMessageHost {
  /** What the panel shows: the store's run, with the node runs the panel fetched when the store has none. */
  private run: Run | undefined;
  /** The store's run object `run` was made from, to tell a store change from the panel's own. */
  private storeRun: Run | undefined;
  /** Why the run's own GET failed, until one succeeds. */
  private getError: string | undefined;
  readonly reader: LogReader;
  readonly logs: LogFollower;
  private readonly watch: RunWatch;
  private readonly messages: RunPanelMessages;
  private ready = false;
  /** The page has said it is ready at least once: its first `init` goes out with what the opening read. */
  private shownOnce = false;
  /**
   * No token for the API: the panel shows one Sign In state and reads nothing, since every request would
   * fail the same way. Left when a token arrives (the Runs view reloads the store on every sign-in).
   * Undefined until the opening's check answered.
   */
  private signedOut: boolean | undefined;
  /** The token check and reads made as the panel opens, while the webview starts. */
  private readonly opening: Promise<void>;
  /** When the page first said it is ready (for tests that check what was asked for before). */
  private readyAtValue: number | undefined;
  /**
   * The line the panel was asked to show (`showMatch`), until the page was told where it is;
   * `position` null while the log is still being read.
   */
  private match: { query: string; position: number | null } | undefined;
  private matchSearch = { cancelled: true };
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runId: string,
    private readonly services: PanelServices,
    private focusOnOpen?: 'logs',
  ) {
    super();
    this.storeRun = services.store.get(runId);
    this.run = this.storeRun;
    const phase = runPhase(this.run);
    const scratch = path.join(services.scratchDir, `log-${runId.replace(/[^\w-]/g, '_').slice(0, 64)}-${process.pid}-${Date.now()}.ndjson`);
    this.reader = new LogReader(() => services.connection.client, runId, () => new LogBuffer(scratch), phase !== 'settled');
    this.logs = new LogFollower(this.reader, phase, { policy: services.poller.currentPolicy, timers: services.timers });
    this.messages = new RunPanelMessages(this, services);
    // Not polled until the opening's token check answered: without a token every request fails alike.
    this.watch = services.poller.watch(runId, { visible: false, follower: this.logs });
    // Torn down in this order: the schedules before the reader they read with, then the panel's listeners.
    for (const owned of [this.messages, this.watch, this.logs, this.reader]) this._register(owned);
    this._register(toDisposable(() => this.closed.fire()));
    this._register(this.closed);
    this.initWebview();
    this.listen();
    services.store.watch(runId);
    this.opening = this.prefetch();
  }

  /** When the page first said it is ready (Date.now()); undefined before. */
  get readyAt(): number | undefined {
    return this.readyAtValue;
  }

  /** The whole log has been read (live lines may still come). */
  get logFullyRead(): boolean {
    return this.reader.fullyRead;
  }

  reveal(focus?: 'logs'): void {
    this.panel.reveal();
    if (focus) this.post({ type: 'focus', section: focus });
  }

  /**
   * Shows `match` in the log: the search box holds its query, and the line is the current match, on
   * screen. The whole log is read first (the line may be anywhere in it); meanwhile the page says so.
   * Asked again, the newer line wins.
   */
  showMatch(match: LineTarget): void {
    this.matchSearch.cancelled = true;
    const search = (this.matchSearch = { cancelled: false });
    const query = match.query.slice(0, MAX_QUERY_LENGTH);
    this.match = { query, position: null };
    this.postMatch();
    void this.locateMatch(query, match, search);
  }

  private async locateMatch(query: string, match: LineTarget, search: { cancelled: boolean }): Promise<void> {
    try {
      await this.reader.start();
      if (search.cancelled || this.isDisposed) return;
      // A level filter that hides the line is lifted.
      const level = this.reader.status().level;
      if (level && level !== normalizeLevel(match.level)) this.reader.setLevel('');
      const position = await this.reader.locate(query, match, search);
      if (search.cancelled || this.isDisposed) return;
      this.match = { query, position };
      this.postMatch();
    } catch (err) {
      this.services.log.error(`Could not find the log line in run ${this.runId}: ${errorMessage(err)}`);
    }
  }

  /** Tells the page where the asked-for line is; once it knows the position, the page's own state takes over. */
  private postMatch(): void {
    const match = this.match;
    if (!match || !this.ready || this.isDisposed) return;
    this.post({ type: 'showMatch', query: match.query, position: match.position });
    if (match.position !== null) this.match = undefined;
  }

  /** Re-reads the run now (the user asked, or after an action). */
  async refresh(): Promise<void> {
    this.logs.resume();
    await this.watch.refreshNow();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.matchSearch.cancelled = true;
    super.dispose();
    this.panel.dispose();
  }

  post(message: HostMessage): void {
    if (!this.ready || this.isDisposed) return;
    void this.panel.webview.postMessage(message);
  }

  async pageReady(): Promise<void> {
    this.ready = true;
    this.readyAtValue ??= Date.now();
    if (this.shownOnce) return this.syncSignedIn(true);
    this.shownOnce = true;
    // The first page answers with what the opening found: no second token check, no request of its own.
    await this.opening;
    if (this.isDisposed) return;
    // A token may have come since the opening found none: that answer is asked again.
    if (this.signedOut !== false) return this.syncSignedIn(true);
    // Polled from its page's first ready on, as it is on screen then: a panel opened behind another is
    // told visible as it is created, and hidden only a moment later.
    this.watch.setVisible(this.panel.visible);
    this.start('opened');
  }

  /**
   * Reads the run (with what the panel embeds) and the newest log page as the panel opens, in parallel with
   * the webview's start, so both are at hand when its script says it is ready. A panel out of sight reads
   * them once here and then waits to be shown (automatic reads start with its page's first ready);
   * without a token nothing is read.
   */
  private async prefetch(): Promise<void> {
    const signedIn = await this.services.connection.hasToken();
    if (this.isDisposed || this.signedOut !== undefined) return;
    this.signedOut = !signedIn;
    if (!signedIn) return;
    void this.watch.refreshNow();
    void this.logs.readNow();
  }

  /**
   * Enters or leaves the signed-out state when the token came or went; `freshPage`: the page has just
   * (re)loaded and needs its state shown whether or not it changed.
   */
  async syncSignedIn(freshPage = false): Promise<void> {
    const signedIn = await this.services.connection.hasToken();
    if (this.isDisposed) return;
    const changed = this.signedOut === undefined || signedIn === this.signedOut;
    if (changed) {
      this.signedOut = !signedIn;
      this.watch.setVisible(this.panel.visible && signedIn);
    }
    if (!signedIn) {
      if (changed || freshPage) this.post({ type: 'signedOut', runId: this.runId });
      return;
    }
    if (changed) {
      // What failed for want of a token is read again.
      this.getError = undefined;
      void this.logs.retry();
    }
    if (changed) this.start('signedIn');
    else if (freshPage) this.start('shown');
  }

  private initWebview(): void {
    const { panel, services } = this;
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(services.extensionUri, 'dist'), vscode.Uri.joinPath(services.extensionUri, 'media')],
    };
    panel.iconPath = {
      light: vscode.Uri.joinPath(services.extensionUri, 'media', 'runflow.svg'),
      dark: vscode.Uri.joinPath(services.extensionUri, 'media', 'runflow.svg'),
    };
    this.setTitle();
    webview.html = panelHtml(webview, services.extensionUri, new URL(services.connection.baseUrl).origin, panel.title);
  }

  private listen(): void {
    const { panel, services, runId } = this;
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => this.messages.receive(raw)));
    this._register(
      panel.onDidChangeViewState((e) => {
        this.watch.setVisible(e.webviewPanel.visible && this.signedOut === false);
        // A hidden panel loses its page; shown again, its script sends the ready handshake anew.
        if (!e.webviewPanel.visible) this.ready = false;
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(this.reader.onDidChange(({ appended }) => this.onLogChange(appended)));
    this._register(this.watch.onDidRefresh((result) => this.onRefresh(result)));
    // A request may hang for its whole timeout: after a few seconds the panel says it is waiting.
    this._register(this.watch.onDidWait(() => this.post({ type: 'runWaiting', message: `Waiting for ${new URL(services.connection.baseUrl).host} to answer…` })));
    this._register(
      services.store.onDidChangeState(() => {
        if (this.ready) void this.syncSignedIn(false);
      }),
    );
    this._register(
      services.store.onDidChange((c) => {
        if (!c.changed.includes(runId)) return;
        const fresh = services.store.get(runId);
        if (fresh && fresh !== this.storeRun) this.showStoreRun(fresh);
      }),
    );
  }

  private setTitle(): void {
    const label = this.run ? singleLine(runTarget(this.run).label, 40) : 'Run';
    this.panel.title = `${label} · ${shortId(this.runId)}`;
  }

  /**
   * Shows the store's run as it is (the store merges every answer field by field), except that node
   * runs the panel already has are kept when the store's run has none: the list never embeds them, and
   * the section must not flicker between a table and "Loading".
   */
  private showStoreRun(fresh: Run): void {
    this.storeRun = fresh;
    this.setRun(withNodeRuns(fresh, this.run?.node_runs));
  }

  /** The poller's refresh of this run: what the store made of the answer, or why there was none. */
  private onRefresh(result: RunRefresh): void {
    if (result.kind === 'error') {
      this.getError = result.message;
      this.postRun();
      return;
    }
    this.getError = undefined;
    this.storeRun = this.services.store.get(this.runId);
    this.setRun(withNodeRuns(result.run, this.run?.node_runs));
  }

  private setRun(run: Run): void {
    this.run = run;
    this.setTitle();
    this.postRun();
    this.logs.setPhase(runPhase(run));
  }

  /** The run, and while its GET fails the error with it: a `run` message without one clears the banner. */
  private postRun(): void {
    if (this.run) this.post({ type: 'run', run: this.payload(this.run), ...(this.getError !== undefined ? { error: this.getError } : {}) });
    else if (this.getError !== undefined) this.post({ type: 'runError', message: this.getError });
  }

  private payload(run: Run): RunPayload {
    const payload: RunPayload = { ...(run as RunPayload) };
    delete payload[NODE_RUNS_ERROR_FIELD];
    if (this.getError !== undefined && !Array.isArray(run.node_runs)) payload[NODE_RUNS_ERROR_FIELD] = this.getError;
    return payload;
  }

  private onLogChange(appended: boolean): void {
    const status = this.reader.status();
    this.post({ type: 'logStatus', status });
    // While following, the newest lines go along at once instead of waiting to be asked for.
    if (appended) this.postNewestLines(status.total);
  }

  /** The newest lines, unasked: what a page that opens on (or follows) the end of the log shows first. */
  private postNewestLines(total: number): void {
    if (total <= 0) return;
    const start = Math.max(0, total - 200);
    this.post({ type: 'logLines', requestId: 0, start, lines: this.reader.lines(start, total) });
  }

  /**
   * Builds the page with the run and the newest lines held, on the ready handshake and again after a
   * sign-in. `opened`: the opening's reads are on their way or done, and the schedules plan from them;
   * `shown`: the page came back into view, and automatic reads go on (the catch-up read is the watch's);
   * `signedIn`: everything is read again now.
   */
  private start(reason: 'opened' | 'shown' | 'signedIn'): void {
    const origin = new URL(this.services.connection.baseUrl).origin;
    this.post({ type: 'init', runId: this.runId, run: this.run ? this.payload(this.run) : null, options: this.messages.options(), media: { allowedOrigins: [origin, 'https:'] }, focus: this.focusOnOpen });
    this.focusOnOpen = undefined;
    if (this.getError !== undefined) this.post({ type: 'runError', message: this.getError });
    const status = this.reader.status();
    this.post({ type: 'logStatus', status });
    this.postNewestLines(status.total);
    this.postMatch();
    if (reason === 'opened') return;
    this.watch.resume();
    this.logs.resume();
    if (reason === 'signedIn') void this.watch.refreshNow();
  }
}

/** `run`, with the first list of node runs among `fallbacks` when it has none of its own. */
function withNodeRuns(run: Run, ...fallbacks: unknown[]): Run {
  if (Array.isArray(run.node_runs)) return run;
  const known = fallbacks.find(Array.isArray) as Run['node_runs'] | undefined;
  return known ? { ...run, node_runs: known } : run;
}
