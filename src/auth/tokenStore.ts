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
  /**
   * What SecretStorage answered per key, until it says the key changed. Every request reads the token, and
   * in a browser each read is a round trip to the workbench and a decryption: a panel's first request
   * waited on two of them. Kept in this process's memory only, as the request that sends it does.
   */
  private readonly known = new Map<string, Thenable<string | undefined>>();

  constructor(private readonly secrets: SecretsLike) {
    this.subscription = secrets.onDidChange((e) => {
      const baseUrl = TokenStore.baseUrlOf(e.key);
      if (!baseUrl) return;
      this.known.delete(e.key);
      this.changed.fire(baseUrl);
    });
  }

  static keyFor(baseUrl: string): string {
    return `runflow.token:${baseUrl}`;
  }

  private static baseUrlOf(key: string): string | undefined {
    return key.startsWith('runflow.token:') ? key.slice('runflow.token:'.length) : undefined;
  }

  get(baseUrl: string): Thenable<string | undefined> {
    const key = TokenStore.keyFor(baseUrl);
    const known = this.known.get(key);
    if (known) return known;
    const read = Promise.resolve(this.secrets.get(key)).catch((err: unknown) => {
      // A failed read is not remembered: the next one asks again.
      if (this.known.get(key) === read) this.known.delete(key);
      throw err;
    });
    this.known.set(key, read);
    return read;
  }

  async store(baseUrl: string, token: string): Promise<void> {
    const key = TokenStore.keyFor(baseUrl);
    this.known.delete(key);
    await this.secrets.store(key, token);
    this.known.set(key, Promise.resolve(token));
  }

  async delete(baseUrl: string): Promise<void> {
    const key = TokenStore.keyFor(baseUrl);
    this.known.delete(key);
    await this.secrets.delete(key);
    this.known.set(key, Promise.resolve(undefined));
  }

  dispose(): void {
    this.known.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
