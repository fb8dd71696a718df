import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { AuthenticationError, MalformedResponseError, NotFoundError, PermissionError, RateLimitedError } from '../api/errors';
import type { Run } from '../api/types';
import type { ClientFactory } from '../auth/clientFactory';
import { pollPolicy } from '../config';
import { LogBuffer } from '../runs/logBuffer';
import { PollScheduler, type PollOutcome, type Timers } from '../core/pollScheduler';
import { runTarget, shortId } from '../core/runModel';
import { singleLine } from '../core/sanitize';
import { Commands } from '../constants';
import type { Log } from '../log';
import { LogFollower, runPhase } from '../runs/logFollower';
import { LogReader } from '../runs/logReader';
import type { RunStore } from '../runs/runStore';
import {
  isWebUrl,
  NODE_RUNS_ERROR_FIELD,
  parseWebviewMessage,
  type HostMessage,
  type PanelOptions,
  type RunPayload,
  type WebviewMessage,
} from '../shared/protocol';
import { panelHtml } from './panelHtml';

export const PANEL_VIEW_TYPE = 'runflow.runDetail';
const OPTIONS_KEY = 'runflow.panelOptions';
const DEFAULT_OPTIONS: PanelOptions = { timestamps: true, wrap: false, follow: true };
const RUN_EMBED = ['node_runs', 'model', 'flow', 'comfyui_workflow'] as const;
/** After this long without an answer the panel says it is waiting, instead of looking current. */
const SLOW_ANSWER_MS = 5_000;

export interface PanelServices {
  extensionUri: vscode.Uri;
  connection: ClientFactory;
  store: RunStore;
  log: Log;
  state: vscode.Memento;
  /** The clock panel polling runs on. */
  timers: Timers;
  /** Where log scratch files go. */
  scratchDir: string;
  /** Opens the whole log as a read-only document. */
  openLogDocument(runId: string, reader: LogReader): Promise<void>;
}

/**
 * One run's detail panel: the webview, its run and log, and the polling that keeps them current while
 * the run may still change and the panel is visible. The run and its log are polled on their own
 * schedules, so a log that keeps failing neither slows the run down nor the other way round.
 */
export class RunPanel implements vscode.Disposable {
  /** What the panel shows: the store's run, with the node runs the panel fetched when the store has none. */
  private run: Run | undefined;
  /** The store's run object `run` was made from, to tell a store change from the panel's own. */
  private storeRun: Run | undefined;
  /** Why the run's own GET failed, until one succeeds. */
  private getError: string | undefined;
  /** The last GET answer, to tell the scheduler whether anything changed. */
  private lastAnswer = '';
  private readonly reader: LogReader;
  private readonly logs: LogFollower;
  private readonly scheduler: PollScheduler;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /**
   * No token for the API: the panel shows one Sign In state and reads nothing, since every request would
   * fail the same way. Left when a token arrives (the Runs view reloads the store on every sign-in).
   */
  private signedOut = false;
  private searchCancel = { cancelled: false };
  private disposed = false;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runId: string,
    private readonly services: PanelServices,
    private focusOnOpen?: 'logs',
  ) {
    this.storeRun = services.store.get(runId);
    this.run = this.storeRun;
    const phase = runPhase(this.run);
    const scratch = path.join(services.scratchDir, `log-${runId.replace(/[^\w-]/g, '_').slice(0, 64)}-${process.pid}-${Date.now()}.ndjson`);
    this.reader = new LogReader(() => services.connection.client, runId, () => new LogBuffer(scratch), phase !== 'settled');
    this.logs = new LogFollower(this.reader, phase, { policy: pollPolicy(), timers: services.timers });
    this.scheduler = new PollScheduler(() => this.poll(), pollPolicy(), services.timers);

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

    this.disposables.push(
      this.closed,
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidChangeViewState((e) => {
        this.scheduler.setVisible(e.webviewPanel.visible && !this.signedOut);
        this.logs.setVisible(e.webviewPanel.visible && !this.signedOut);
        // A hidden panel loses its page; shown again, its script sends the ready handshake anew.
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      vscode.window.onDidChangeWindowState((s) => {
        this.scheduler.setFocused(s.focused);
        this.logs.setFocused(s.focused);
      }),
      this.reader.onDidChange(({ appended }) => this.onLogChange(appended)),
      services.store.onDidChangeState(() => {
        if (this.ready) void this.syncSignedIn(false);
      }),
      services.store.onDidChange((c) => {
        if (!c.changed.includes(runId)) return;
        const fresh = services.store.get(runId);
        if (fresh && fresh !== this.storeRun) this.showStoreRun(fresh);
      }),
    );
    services.store.watch(runId);
    this.scheduler.setFocused(vscode.window.state.focused);
    this.scheduler.setVisible(panel.visible);
    this.logs.setFocused(vscode.window.state.focused);
    this.logs.setVisible(panel.visible);
    void this.logs.readNow();
  }

  /** The whole log has been read (live lines may still come). */
  get logFullyRead(): boolean {
    return this.reader.fullyRead;
  }

  reveal(focus?: 'logs'): void {
    this.panel.reveal();
    if (focus) this.post({ type: 'focus', section: focus });
  }

  /** Re-reads the run now (the user asked, or after an action). */
  async refresh(): Promise<void> {
    this.scheduler.resume();
    this.logs.resume();
    await this.scheduler.refreshNow();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.searchCancel.cancelled = true;
    this.scheduler.dispose();
    this.logs.dispose();
    this.reader.dispose();
    this.closed.fire();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
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

  /** One update of the run and its node runs; the log follows on its own schedule. */
  private async poll(): Promise<PollOutcome> {
    // A request may hang for its whole timeout: after a few seconds the panel says it is waiting.
    const slow = setTimeout(() => this.post({ type: 'runWaiting', message: `Waiting for ${new URL(this.services.connection.baseUrl).host} to answer…` }), SLOW_ANSWER_MS);
    try {
      return await this.pollOnce();
    } finally {
      clearTimeout(slow);
    }
  }

  private async pollOnce(): Promise<PollOutcome> {
    try {
      const answer = await this.services.connection.client.getRun(this.runId, { embed: [...RUN_EMBED] });
      if (answer.id !== this.runId) {
        // Not shown, not cached: this panel and the view would otherwise show another run as this one.
        throw new MalformedResponseError({ method: 'GET', path: `/v1/runs/${encodeURIComponent(this.runId)}` }, `the answer is not run ${shortId(this.runId)}`);
      }
      // Cleared before the store hears of the run: its change event redraws the panel.
      this.getError = undefined;
      const fingerprint = JSON.stringify(answer);
      const changed = fingerprint !== this.lastAnswer;
      this.lastAnswer = fingerprint;
      this.services.store.upsert(answer);
      // What the store made of the answer: merged into what it knew, so a narrower answer erases nothing.
      const stored = this.services.store.get(this.runId);
      this.storeRun = stored;
      this.setRun(withNodeRuns(stored ?? answer, answer.node_runs, this.run?.node_runs));
      switch (runPhase(this.run)) {
        case 'settled':
          this.scheduler.halt();
          return { kind: 'ok', changed, active: false };
        case 'active':
          return { kind: 'ok', changed, active: true };
        default:
          // A status nobody knows may still change: watched at the idle pace, never halted.
          return { kind: 'ok', changed, active: false, watching: true };
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.services.log.warn(`Run panel ${this.runId}: ${message}`);
      this.getError = message;
      this.postRun();
      if (err instanceof RateLimitedError) return { kind: 'rate_limited', retryAfterMs: err.retryAfterMs ?? 30_000 };
      const final = err instanceof AuthenticationError || err instanceof PermissionError || err instanceof NotFoundError;
      return { kind: 'error', retryable: !final };
    }
  }

  private options(): PanelOptions {
    return { ...DEFAULT_OPTIONS, ...this.services.state.get<Partial<PanelOptions>>(OPTIONS_KEY) };
  }

  private post(message: HostMessage): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private onLogChange(appended: boolean): void {
    const status = this.reader.status();
    this.post({ type: 'logStatus', status });
    // While following, the newest lines go along at once instead of waiting to be asked for.
    if (appended && status.total > 0) {
      const start = Math.max(0, status.total - 200);
      this.post({ type: 'logLines', requestId: 0, start, lines: this.reader.lines(start, status.total) });
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const type = raw && typeof raw === 'object' ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw;
      this.services.log.warn(`Ignored a malformed message from the run panel (type ${JSON.stringify(type)})`);
      return;
    }
    try {
      await this.handle(message);
    } catch (err) {
      this.services.log.error(`Run panel action failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.syncSignedIn(true);
      case 'signIn':
        await vscode.commands.executeCommand(Commands.signIn);
        return this.syncSignedIn(false);
      case 'logRange':
        this.post({ type: 'logLines', requestId: message.requestId, start: message.start, lines: this.reader.lines(message.start, message.end) });
        return;
      case 'search': {
        this.searchCancel.cancelled = true;
        const cancel = (this.searchCancel = { cancelled: false });
        const result = await this.reader.search(message.query, cancel);
        if (!cancel.cancelled) this.post({ type: 'searchResult', requestId: message.requestId, query: message.query, ...result });
        return;
      }
      case 'setLevel':
        this.reader.setLevel(message.level);
        return;
      case 'setOption':
        await this.services.state.update(OPTIONS_KEY, { ...this.options(), [message.key]: message.value });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('Runflow: copied', 2000);
        return;
      case 'openLink':
        // openExternal asks the user before leaving for a site they have not trusted.
        if (isWebUrl(message.url)) await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        return;
      case 'action':
        return this.runAction(message.action);
    }
  }

  /** Builds the page and reads the run and its log: on the ready handshake, and again after a sign-in. */
  private start(): void {
    const origin = new URL(this.services.connection.baseUrl).origin;
    this.post({ type: 'init', runId: this.runId, run: this.run ? this.payload(this.run) : null, options: this.options(), media: { allowedOrigins: [origin, 'https:'] }, focus: this.focusOnOpen });
    this.focusOnOpen = undefined;
    if (this.getError !== undefined) this.post({ type: 'runError', message: this.getError });
    this.post({ type: 'logStatus', status: this.reader.status() });
    this.scheduler.resume();
    this.logs.resume();
    void this.scheduler.refreshNow();
  }

  /**
   * Enters or leaves the signed-out state when the token came or went; `freshPage`: the page has just
   * (re)loaded and needs its state shown whether or not it changed.
   */
  private async syncSignedIn(freshPage: boolean): Promise<void> {
    const signedIn = await this.services.connection.hasToken();
    if (this.disposed) return;
    const changed = signedIn === this.signedOut;
    if (changed) {
      this.signedOut = !signedIn;
      this.scheduler.setVisible(this.panel.visible && signedIn);
      this.logs.setVisible(this.panel.visible && signedIn);
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
    if (changed || freshPage) this.start();
  }

  private async runAction(action: Extract<WebviewMessage, { type: 'action' }>['action']): Promise<void> {
    switch (action) {
      case 'refresh':
        return this.refresh();
      case 'rerun':
        await vscode.commands.executeCommand(Commands.rerun, this.runId);
        return;
      case 'openInput':
        await vscode.commands.executeCommand(Commands.openInput, this.runId);
        return;
      case 'cancel':
        await vscode.commands.executeCommand(Commands.cancelRun, this.runId);
        return this.refresh();
      case 'copyId':
        await vscode.commands.executeCommand(Commands.copyRunId, this.runId);
        return;
      case 'openLogInEditor':
        return this.services.openLogDocument(this.runId, this.reader);
      case 'saveLog':
        return this.saveLog();
      case 'retryLog':
        return this.logs.retry();
    }
  }

  private async saveLog(): Promise<void> {
    const defaultUri = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir(), `run-${shortId(this.runId)}.log`));
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { Logs: ['log', 'txt'] }, title: 'Save Run Log As' });
    if (!target) return;
    if (!this.reader.fullyRead) await this.reader.start();
    if (target.scheme === 'file') {
      const fd = fs.openSync(target.fsPath, 'w');
      try {
        for (const chunk of this.reader.plainText()) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
    } else {
      await vscode.workspace.fs.writeFile(target, Buffer.from([...this.reader.plainText()].join('')));
    }
    void vscode.window.showInformationMessage(`Runflow: saved the log to ${target.fsPath || target.toString()}`);
  }
}

/** `run`, with the first list of node runs among `fallbacks` when it has none of its own. */
function withNodeRuns(run: Run, ...fallbacks: unknown[]): Run {
  if (Array.isArray(run.node_runs)) return run;
  const known = fallbacks.find(Array.isArray) as Run['node_runs'] | undefined;
  return known ? { ...run, node_runs: known } : run;
}
