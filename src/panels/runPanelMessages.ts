import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shortId } from '../core/runModel';
import { Commands } from '../constants';
import type { Log } from '../log';
import type { LogFollower } from '../runs/logFollower';
import type { LogReader } from '../runs/logReader';
import { isWebUrl, parseWebviewMessage, type HostMessage, type PanelOptions, type WebviewMessage } from '../shared/protocol';
import { errorMessage } from '../core/errorMessage';

const OPTIONS_KEY = 'runflow.panelOptions';
const DEFAULT_OPTIONS: PanelOptions = { timestamps: true, wrap: false, follow: true };

/** What the messages of one panel's page act on: the panel itself, its run and its log. */
export interface PanelMessageHost {
  readonly runId: string;
  readonly reader: LogReader;
  readonly logs: LogFollower;
  post(message: HostMessage): void;
  /** The page (re)loaded and said so. */
  pageReady(): Promise<void>;
  /** The sign-in may have changed. */
  syncSignedIn(): Promise<void>;
  refresh(): Promise<void>;
}

export interface PanelMessageServices {
  log: Log;
  state: vscode.Memento;
  openLogDocument(runId: string, reader: LogReader): Promise<void>;
}

/**
 * What a run panel does with the messages of its page: each is checked before anything acts on it, and a
 * failed action is logged instead of left unhandled.
 */
export class RunPanelMessages {
  private searchCancel = { cancelled: false };

  constructor(
    private readonly host: PanelMessageHost,
    private readonly services: PanelMessageServices,
  ) {}

  /** The page's options, as the user last left them in any panel. */
  options(): PanelOptions {
    return { ...DEFAULT_OPTIONS, ...this.services.state.get<Partial<PanelOptions>>(OPTIONS_KEY) };
  }

  /** A search on its way is dropped: its answer would come for a panel no longer there. */
  dispose(): void {
    this.searchCancel.cancelled = true;
  }

  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const type = raw && typeof raw === 'object' ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw;
      this.services.log.warn(`Ignored a malformed message from the run panel (type ${JSON.stringify(type)})`);
      return;
    }
    try {
      await this.handle(message);
    } catch (err) {
      this.services.log.error(`Run panel action failed: ${errorMessage(err)}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    const { host } = this;
    switch (message.type) {
      case 'ready':
        return host.pageReady();
      case 'signIn':
        await vscode.commands.executeCommand(Commands.signIn);
        return host.syncSignedIn();
      case 'logRange':
        host.post({ type: 'logLines', requestId: message.requestId, start: message.start, lines: host.reader.lines(message.start, message.end) });
        return;
      case 'search': {
        this.searchCancel.cancelled = true;
        const cancel = (this.searchCancel = { cancelled: false });
        const result = await host.reader.search(message.query, cancel);
        if (!cancel.cancelled) host.post({ type: 'searchResult', requestId: message.requestId, query: message.query, ...result });
        return;
      }
      case 'errorLines':
        host.post({ type: 'errorLinesResult', requestId: message.requestId, ...host.reader.errorPositions() });
        return;
      case 'nodeLine':
        host.post({ type: 'nodeLineResult', requestId: message.requestId, position: host.reader.firstPositionOfNode(message.nodes) });
        return;
      case 'setLevel':
        host.reader.setLevel(message.level);
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
    const { host } = this;
    switch (action) {
      case 'refresh':
        return host.refresh();
      case 'rerun':
        await vscode.commands.executeCommand(Commands.rerun, host.runId);
        return;
      case 'openInput':
        await vscode.commands.executeCommand(Commands.openInput, host.runId);
        return;
      case 'cancel':
        await vscode.commands.executeCommand(Commands.cancelRun, host.runId);
        return host.refresh();
      case 'compareWithPrevious':
        await vscode.commands.executeCommand(Commands.compareWithPrevious, host.runId);
        return;
      case 'copyId':
        await vscode.commands.executeCommand(Commands.copyRunId, host.runId);
        return;
      case 'exportRun':
        await vscode.commands.executeCommand(Commands.exportRun, host.runId);
        return;
      case 'openLogInEditor':
        return this.services.openLogDocument(host.runId, host.reader);
      case 'saveLog':
        return this.saveLog();
      case 'retryLog':
        return host.logs.retry();
    }
  }

  private async saveLog(): Promise<void> {
    const { reader, runId } = this.host;
    const defaultUri = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir(), `run-${shortId(runId)}.log`));
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { Logs: ['log', 'txt'] }, title: 'Save Run Log As' });
    if (!target) return;
    if (!reader.fullyRead) await reader.start();
    if (target.scheme === 'file') {
      const fd = fs.openSync(target.fsPath, 'w');
      try {
        for (const chunk of reader.plainText()) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
    } else {
      await vscode.workspace.fs.writeFile(target, Buffer.from([...reader.plainText()].join('')));
    }
    void vscode.window.showInformationMessage(`Runflow: saved the log to ${target.fsPath || target.toString()}`);
  }
}
