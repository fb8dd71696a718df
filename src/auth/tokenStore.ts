import type * as vscode from 'vscode';
import { Emitter } from '../core/emitter';

/** The part of VS Code's SecretStorage the token store uses, so that tests can hand it one kept in memory. */
export type SecretsLike = Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;

/**
 * The API token, in VS Code's SecretStorage and nowhere else. Keyed by the API base URL so that tokens
 * for different servers never mix.
 */
export class TokenStore implements vscode.Disposable {
  private readonly changed = new Emitter<string>();
  /** Fires with the base URL whose token changed, in this window or another. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: SecretsLike) {
    this.subscription = secrets.onDidChange((e) => {
      const baseUrl = TokenStore.baseUrlOf(e.key);
      if (baseUrl) this.changed.fire(baseUrl);
    });
  }

  static keyFor(baseUrl: string): string {
    return `runflow.token:${baseUrl}`;
  }

  private static baseUrlOf(key: string): string | undefined {
    return key.startsWith('runflow.token:') ? key.slice('runflow.token:'.length) : undefined;
  }

  get(baseUrl: string): Thenable<string | undefined> {
    return this.secrets.get(TokenStore.keyFor(baseUrl));
  }

  store(baseUrl: string, token: string): Thenable<void> {
    return this.secrets.store(TokenStore.keyFor(baseUrl), token);
  }

  delete(baseUrl: string): Thenable<void> {
    return this.secrets.delete(TokenStore.keyFor(baseUrl));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
