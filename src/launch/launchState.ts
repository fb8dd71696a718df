import type * as vscode from 'vscode';
import { Emitter } from '../core/emitter';

const LAST_RUNS = 'runflow.launch.lastRuns';
const FILE_MODELS = 'runflow.launch.fileModels';
/** Enough to cover a busy workspace without letting the memento grow for ever. */
const MAX_ENTRIES = 500;

export interface LastRun {
  runId: string;
  model: string;
  at: number;
}

/** The part of a Memento the launch state uses, so that tests can hand it one kept in memory. */
export type MementoLike = Pick<vscode.Memento, 'get' | 'update'>;

/** A file, known by its URI text: a `vscode.Uri` in the extension. */
type FileKey = Pick<vscode.Uri, 'toString'>;

/**
 * What the workspace remembers about its launch files: the last run each one started (for its CodeLens)
 * and the model picked for plain JSON files, which do not name one. Keyed by file URI; ids only.
 */
export class LaunchState {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: MementoLike) {}

  lastRun(uri: FileKey): LastRun | undefined {
    return this.read<LastRun>(LAST_RUNS)[uri.toString()];
  }

  /** Whether a launch file's last run, as far as this workspace remembers, is `runId`. */
  launchedFromFile(runId: string): boolean {
    return Object.values(this.read<LastRun>(LAST_RUNS)).some((r) => r?.runId === runId);
  }

  async setLastRun(uri: FileKey, run: LastRun): Promise<void> {
    await this.write(LAST_RUNS, uri, run);
  }

  modelFor(uri: FileKey): string | undefined {
    return this.read<string>(FILE_MODELS)[uri.toString()];
  }

  async setModelFor(uri: FileKey, model: string): Promise<void> {
    await this.write(FILE_MODELS, uri, model);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private read<T>(key: string): Record<string, T> {
    return this.memento.get<Record<string, T>>(key) ?? {};
  }

  private async write<T>(key: string, uri: FileKey, value: T): Promise<void> {
    const entries = Object.entries(this.read<T>(key)).filter(([k]) => k !== uri.toString());
    entries.push([uri.toString(), value]);
    await this.memento.update(key, Object.fromEntries(entries.slice(-MAX_ENTRIES)));
    this.changed.fire();
  }
}
