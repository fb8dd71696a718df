import * as vscode from 'vscode';
import { RunflowClient } from '../api/client';
import { apiBaseUrlSetting, organizationId } from '../config';
import { Commands } from '../constants';
import type { Log } from '../log';
import type { TokenStore } from './tokenStore';

/**
 * Which server, which organisation and which client: rebuilt when the settings change. The client asks
 * SecretStorage for the token on every request, so the token is held by nobody in between.
 */
export class ClientFactory implements vscode.Disposable {
  private clientValue: RunflowClient | undefined;
  private baseUrlValue: string;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The server or organisation changed: everything loaded from the old one is stale. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly tokens: TokenStore,
    private readonly log: Log,
    private readonly userAgent: string,
  ) {
    this.baseUrlValue = this.readBaseUrl();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('runflow.apiBaseUrl') || e.affectsConfiguration('runflow.organizationId')) {
        this.clientValue = undefined;
        this.baseUrlValue = this.readBaseUrl();
        this.changed.fire();
      }
    });
  }

  get baseUrl(): string {
    return this.baseUrlValue;
  }

  get client(): RunflowClient {
    this.clientValue ??= this.createClient(() => this.tokens.get(this.baseUrlValue));
    return this.clientValue;
  }

  /** A client for checking a token that is not stored yet. */
  clientWithToken(token: string): RunflowClient {
    return this.createClient(() => token);
  }

  hasToken(): Thenable<boolean> {
    return this.tokens.get(this.baseUrlValue).then((t) => !!t);
  }

  /** A refused setting is said once per reading, where the user looks and in the log, instead of failing every request. */
  private readBaseUrl(): string {
    const setting = apiBaseUrlSetting();
    if (setting.problem) {
      this.log.warn(setting.problem);
      void vscode.window.showWarningMessage(`Runflow: ${setting.problem}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand(Commands.openSettings);
      });
    }
    return setting.url;
  }

  private createClient(getToken: () => Thenable<string | undefined> | string): RunflowClient {
    return new RunflowClient({
      baseUrl: this.baseUrlValue,
      getToken: () => Promise.resolve(getToken()),
      organizationId: () => organizationId(),
      userAgent: this.userAgent,
      log: (level, message) => this.log[level](message),
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
