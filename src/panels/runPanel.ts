import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { AuthenticationError, MalformedResponseError, NotFoundError, PermissionError, RateLimitedError } from '../api/errors';
import type { Run } from '../api/types';
import type { Connection } from '../auth/connection';
import { pollPolicy } from '../config';
import { LogBuffer } from '../core/logBuffer';
import { PollScheduler, type PollOutcome, type Timers } from '../core/pollScheduler';
import { isActiveStatus, runTarget, shortId } from '../core/runModel';
import { singleLine } from '../core/text';
import { Commands } from '../constants';
import type { Log } from '../log';
import { LogReader } from '../runs/logReader';
import type { RunStore } from '../runs/runStore';
import { isWebUrl, parseWebviewMessage, type HostMessage, type PanelOptions, type WebviewMessage } from '../shared/protocol';
import { panelHtml } from './panelHtml';

export const PANEL_VIEW_TYPE = 'runflow.runDetail';
const OPTIONS_KEY = 'runflow.panelOptions';
const DEFAULT_OPTIONS: PanelOptions = { timestamps: true, wrap: false, follow: true };
const RUN_EMBED = ['node_runs', 'model', 'flow', 'comfyui_workflow'] as const;
/** After this long without an answer the panel says it is waiting, instead of looking current. */
const SLOW_ANSWER_MS = 5_000;

export interface PanelServices {
  extensionUri: vscode.Uri;
  connection: Connection;
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
 * the run is active and the panel visible.
 */
export class RunPanel implements vscode.Disposable {
  private run: Run | undefined;
  private readonly reader: LogReader;
  private readonly scheduler: PollScheduler;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
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
    this.run = services.store.get(runId);
    const live = this.run ? isActiveStatus(this.run.status_code) : true;
    const scratch = path.join(services.scratchDir, `log-${runId.replace(/[^\w-]/g, '_').slice(0, 64)}-${process.pid}-${Date.now()}.ndjson`);
    this.reader = new LogReader(() => services.connection.client, runId, () => new LogBuffer(scratch), live);
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
        this.scheduler.setVisible(e.webviewPanel.visible);
        // A hidden panel loses its page; shown again, its script sends the ready handshake anew.
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      vscode.window.onDidChangeWindowState((s) => this.scheduler.setFocused(s.focused)),
      this.reader.onDidChange(({ appended }) => this.onLogChange(appended)),
      services.store.onDidChange((c) => {
        if (c.changed.includes(runId)) {
          const fresh = services.store.get(runId);
          if (fresh && fresh !== this.run) this.setRun({ ...this.run, ...fresh });
        }
      }),
    );
    services.store.watch(runId);
    this.scheduler.setFocused(vscode.window.state.focused);
    this.scheduler.setVisible(panel.visible);
    void this.reader.start();
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
    await this.scheduler.refreshNow();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.searchCancel.cancelled = true;
    this.scheduler.dispose();
    this.reader.dispose();
    this.closed.fire();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  private setTitle(): void {
    const label = this.run ? singleLine(runTarget(this.run).label, 40) : 'Run';
    this.panel.title = `${label} · ${shortId(this.runId)}`;
  }

  private setRun(run: Run): void {
    const wasActive = this.run ? isActiveStatus(this.run.status_code) : true;
    this.run = run;
    this.setTitle();
    this.post({ type: 'run', run: run as Record<string, unknown> });
    const active = isActiveStatus(run.status_code);
    this.reader.setLive(active);
    if (wasActive && !active) void this.reader.pollNew();
  }

  /** One live update: the run (with node runs) and the log lines since the last poll. */
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
      const run = await this.services.connection.client.getRun(this.runId, { embed: [...RUN_EMBED] });
      if (run.id !== this.runId) {
        // Not shown, not cached: this panel and the view would otherwise show another run as this one.
        throw new MalformedResponseError({ method: 'GET', path: `/v1/runs/${encodeURIComponent(this.runId)}` }, `the answer is not run ${shortId(this.runId)}`);
      }
      this.services.store.upsert(run);
      this.setRun(run);
      if (this.reader.fullyRead) await this.reader.pollNew();
      else await this.reader.start();
      const active = isActiveStatus(run.status_code);
      if (!active && this.reader.fullyRead) this.scheduler.halt();
      return { kind: 'ok', changed: true, active: active || !this.reader.fullyRead };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.services.log.warn(`Run panel ${this.runId}: ${message}`);
      this.post({ type: 'runError', message });
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
      case 'ready': {
        this.ready = true;
        const origin = new URL(this.services.connection.baseUrl).origin;
        this.post({ type: 'init', runId: this.runId, run: (this.run as Record<string, unknown>) ?? null, options: this.options(), media: { allowedOrigins: [origin, 'https:'] }, focus: this.focusOnOpen });
        this.focusOnOpen = undefined;
        this.post({ type: 'logStatus', status: this.reader.status() });
        this.scheduler.resume();
        void this.scheduler.refreshNow();
        return;
      }
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
