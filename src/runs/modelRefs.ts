import type * as vscode from 'vscode';
import type { Run } from '../api/types';
import { isModelRef } from '../core/launchFile';
import { runTarget } from '../core/runModel';

const KEY = 'runflow.modelRefs';

/** Asks the user for a model as `owner/slug`, starting from the slug the run names; undefined when dismissed. */
export type AskModelRef = (slug: string) => Thenable<string | undefined>;

/**
 * Which `owner/slug` a model id answers to. A run names its model by id and slug, but creating a run
 * takes `owner/slug`, so the pairs seen at launch (or typed once by the user) are remembered here.
 * Nothing secret: ids and slugs only.
 */
export class ModelRefs {
  constructor(
    private readonly state: Pick<vscode.Memento, 'get' | 'update'>,
    private readonly ask: AskModelRef,
  ) {}

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(KEY) ?? {};
  }

  remember(modelId: string | null | undefined, ref: string): void {
    if (!modelId) return;
    const all = this.all();
    if (all[modelId] === ref) return;
    void this.state.update(KEY, { ...all, [modelId]: ref });
  }

  /** Refs seen lately, for the model quick pick. */
  known(): string[] {
    return [...new Set(Object.values(this.all()))];
  }

  /** The best guess without asking: remembered, or a slug that already names its owner. */
  guess(run: Run): string | undefined {
    const remembered = run.model_id ? this.all()[run.model_id] : undefined;
    if (remembered) return remembered;
    const slug = runTarget(run).slug;
    if (slug && isModelRef(slug)) return slug;
    return undefined;
  }

  /** The ref to launch `run`'s model with; asks the user when nothing says, and remembers the answer. */
  async resolve(run: Run): Promise<string | undefined> {
    const guess = this.guess(run);
    if (guess) return guess;
    const answer = (await this.ask(runTarget(run).slug ?? ''))?.trim();
    if (!answer || !isModelRef(answer)) return undefined;
    this.remember(run.model_id, answer);
    return answer;
  }
}
