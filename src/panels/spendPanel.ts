/**
 * Runflow: Show Spend, the host side: one webview panel (the run panel's HTML shell, CSP and nonce, with
 * its own bundle) that walks the runs of a period (src/runs/spendReport.ts) and shows what they cost.
 * Choosing another period cancels the walk under way; closing the panel cancels it too. A top run's link
 * opens that run's panel through `openRun`.
 */
import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import { Disposable, toDisposable } from '../core/disposable';
import { errorMessage } from '../core/errorMessage';
import type { Log } from '../log';
import { spendCsv } from '../runs/spendCsv';
import { walkSpend, type SpendReport } from '../runs/spendReport';
import { spendView } from '../runs/spendView';
import { parseSpendMessage, type SpendHostMessage, type SpendPeriod, type SpendWebviewMessage } from '../shared/spendProtocol';
import { panelHtml, type PanelPage } from './panelHtml';

export const SPEND_VIEW_TYPE = 'runflow.spend';

const SPEND_PAGE: PanelPage = {
  files: { script: 'spend.js', style: 'spend.css' },
  view: 'spend',
  skeleton: '<p class="spend-status" role="status">Loading…</p>',
};

/** Least time between two progress redraws of the page: a fast server sends pages quicker than they are worth drawing. */
const PROGRESS_EVERY_MS = 150;

export interface SpendServices {
  extensionUri: vscode.Uri;
  connection: ClientFactory;
  log: Log;
  openRun(runId: string): void;
}

interface Walk {
  period: SpendPeriod;
  controller: AbortController;
  done: Promise<SpendReport>;
  /** The report so far; `finished` once the walk has ended. */
  report?: SpendReport;
  finished?: boolean;
}

/** The Show Spend panel: at most one, revealed when asked again. */
export class SpendPanels extends Disposable {
  private current: SpendPanel | undefined;

  constructor(private readonly services: SpendServices) {
    super();
  }

  /** The open panel, if any. */
  get open(): SpendPanel | undefined {
    return this.current;
  }

  /** Opens the panel (or reveals the open one) on `period`: a new period starts a new walk. */
  show(period: SpendPeriod | undefined): SpendPanel {
    const open = this.current;
    if (open) {
      open.panel.reveal();
      if (period && period !== open.walk?.period) open.start(period);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(SPEND_VIEW_TYPE, 'Runflow Spend', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.services.extensionUri, 'dist'), vscode.Uri.joinPath(this.services.extensionUri, 'media')],
    });
    const spend = new SpendPanel(panel, this.services, period ?? 'today');
    this.current = spend;
    spend.onDidClose(() => {
      if (this.current === spend) this.current = undefined;
    });
    return spend;
  }

  override dispose(): void {
    this.current?.dispose();
    super.dispose();
  }
}

/** One Show Spend panel and the walk it shows. */
export class SpendPanel extends Disposable {
  private walkValue: Walk | undefined;
  private ready = false;
  private lastPosted = 0;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: SpendServices,
    period: SpendPeriod,
  ) {
    super();
    panel.webview.html = panelHtml(panel.webview, services.extensionUri, new URL(services.connection.baseUrl).origin, 'Runflow Spend', SPEND_PAGE);
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(
      toDisposable(() => {
        this.walkValue?.controller.abort();
        this.closed.fire();
        panel.dispose();
      }),
    );
    this._register(this.closed);
    this.start(period);
  }

  /** The walk under way or last finished. */
  get walk(): { period: SpendPeriod; done: Promise<SpendReport> } | undefined {
    return this.walkValue;
  }

  /** Starts walking `period`; a walk under way is cancelled first. */
  start(period: SpendPeriod): void {
    this.walkValue?.controller.abort();
    const controller = new AbortController();
    const walk: Omit<Walk, 'done'> = { period, controller };
    const done = walkSpend(this.services.connection.client, { period, signal: controller.signal }, (report) => {
      walk.report = report;
      if (Date.now() - this.lastPosted >= PROGRESS_EVERY_MS) this.postView(walk, report, true);
    }).then((report) => {
      walk.report = report;
      walk.finished = true;
      if (report.stop === 'error') this.services.log.warn(`Show Spend stopped: ${report.error ?? 'unknown error'}`);
      this.postView(walk, report, false);
      return report;
    });
    this.walkValue = Object.assign(walk, { done });
  }

  cancel(): void {
    this.walkValue?.controller.abort();
  }

  private postView(walk: Omit<Walk, 'done'>, report: SpendReport, running: boolean): void {
    // A cancelled walk's last answer still shows, unless another period has taken its place.
    if (walk !== this.walkValue || !this.ready) return;
    this.lastPosted = Date.now();
    const message: SpendHostMessage = { type: 'spend', view: spendView(report, running) };
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message = parseSpendMessage(raw);
    if (!message) return;
    void this.handle(message).catch((err: unknown) => {
      this.services.log.error(`Show Spend: ${errorMessage(err)}`);
      void vscode.window.showErrorMessage(`Runflow: ${errorMessage(err)}`);
    });
  }

  private async handle(message: SpendWebviewMessage): Promise<void> {
    const walk = this.walkValue;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (walk?.report) this.postView(walk, walk.report, !walk.finished);
        return;
      case 'period':
        this.start(message.period);
        return;
      case 'cancel':
        this.cancel();
        return;
      case 'openRun':
        this.services.openRun(message.runId);
        return;
      case 'exportCsv':
        await this.exportCsv();
        return;
    }
  }

  /** Writes the last finished report as CSV where the user chooses; answers where, or undefined. */
  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const walk = this.walkValue;
    if (!walk?.finished) return undefined;
    const report = await walk.done;
    if (!target) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `runflow-spend-${report.period}.csv`;
      target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { CSV: ['csv'] }, title: 'Export Spend as CSV' });
      if (!target) return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(spendCsv(report)));
    return target;
  }
}
