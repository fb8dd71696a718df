import * as vscode from 'vscode';

const LAST_RUNS = 'runflow.launch.lastRuns';
const FILE_MODELS = 'runflow.launch.fileModels';
/** Enough to cover a busy workspace without letting the memento grow for ever. */
const MAX_ENTRIES = 500;

export interface LastRun {
  runId: string;
  model: string;
  at: number;
}

/**
 * What the workspace remembers about its launch files: the last run each one started (for its CodeLens)
 * and the model picked for plain JSON files, which do not name one. Keyed by file URI; ids only.
 */
export class LaunchState {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  lastRun(uri: vscode.Uri): LastRun | undefined {
    return this.read<LastRun>(LAST_RUNS)[uri.toString()];
  }

  async setLastRun(uri: vscode.Uri, run: LastRun): Promise<void> {
    await this.write(LAST_RUNS, uri, run);
  }

  modelFor(uri: vscode.Uri): string | undefined {
    return this.read<string>(FILE_MODELS)[uri.toString()];
  }

  async setModelFor(uri: vscode.Uri, model: string): Promise<void> {
    await this.write(FILE_MODELS, uri, model);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private read<T>(key: string): Record<string, T> {
    return this.memento.get<Record<string, T>>(key) ?? {};
  }

  private async write<T>(key: string, uri: vscode.Uri, value: T): Promise<void> {
    const entries = Object.entries(this.read<T>(key)).filter(([k]) => k !== uri.toString());
    entries.push([uri.toString(), value]);
    await this.memento.update(key, Object.fromEntries(entries.slice(-MAX_ENTRIES)));
    this.changed.fire();
  }
}
