/**
 * SecretStorage and Memento kept in memory, as VS Code's own extension tests fake them, so that the
 * modules built on them run in plain Node. Values go through JSON as VS Code stores them, so a test
 * that reads back what it wrote sees what a reload would.
 */
import type * as vscode from 'vscode';
import { Emitter } from '../../../src/core/emitter';

export class MemorySecretStorage implements Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'> {
  readonly entries = new Map<string, string>();
  private readonly changed = new Emitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
    this.changed.fire({ key });
  }

  async delete(key: string): Promise<void> {
    if (this.entries.delete(key)) this.changed.fire({ key });
  }

  /** Another VS Code window sharing the same secret storage wrote `key`. */
  storeFromAnotherWindow(key: string, value: string): void {
    this.entries.set(key, value);
    this.changed.fire({ key });
  }
}

export class MemoryMemento implements Pick<vscode.Memento, 'get' | 'update' | 'keys'> {
  /** JSON text per key, as the state database keeps it. */
  readonly stored = new Map<string, string>();

  keys(): readonly string[] {
    return [...this.stored.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const text = this.stored.get(key);
    return text === undefined ? defaultValue : (JSON.parse(text) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.stored.delete(key);
    else this.stored.set(key, JSON.stringify(value));
  }
}
