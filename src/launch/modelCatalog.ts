import * as vscode from 'vscode';
import { parseModelRef } from '../api/client';
import type { Model, ModelPricing, Run } from '../api/types';
import type { ClientFactory } from '../auth/clientFactory';
import { errorMessage } from '../core/errorMessage';
import type { DeclaredInput } from '../core/launchFile';
import { runTarget, statusOf } from '../core/runModel';
import type { Log } from '../log';
import type { ModelRefs } from '../runs/modelRefs';
import type { RunStore } from '../runs/runStore';

/** A failed look-up is not repeated for this long, so typing in a launch file never floods the API. */
const RETRY_AFTER_MS = 60_000;
/** How many of the newest runs a look-up of a model's inputs reads. */
const MODEL_SCAN = 100;

/**
 * What the extension knows about models without a model endpoint: their `owner/slug` refs (from launches and
 * answers the user gave) and their declared inputs (from runs fetched with `embed=model`).
 */
export class ModelCatalog implements vscode.Disposable {
  private readonly inputs = new Map<string, DeclaredInput[] | null>();
  /** Each model's pricing as its embed stated it, by ref: seen wherever its inputs were. */
  private readonly pricing = new Map<string, ModelPricing[]>();
  private readonly failedAt = new Map<string, number>();
  private readonly pending = new Map<string, Promise<DeclaredInput[] | undefined>>();
  private readonly learned = new vscode.EventEmitter<string>();
  /** Fires with a model ref whose inputs just became known. */
  readonly onDidLearn = this.learned.event;

  constructor(
    private readonly store: RunStore,
    private readonly connection: ClientFactory,
    private readonly modelRefs: ModelRefs,
    private readonly log: Log,
  ) {}

  /** Models for the quick pick: those of the newest runs first, then every ref remembered. */
  recentRefs(): string[] {
    const refs: string[] = [];
    for (const run of this.store.all()) {
      if (runTarget(run).kind !== 'model') continue;
      const ref = this.modelRefs.guess(run);
      if (ref) refs.push(ref);
    }
    return [...new Set([...refs, ...this.modelRefs.known()])];
  }

  /** Slugs of recent model runs whose owner nothing names yet. */
  slugsWithoutOwner(): string[] {
    const known = new Set(this.recentRefs().map((r) => r.split('/')[1]));
    const slugs = this.store
      .all()
      .filter((r) => runTarget(r).kind === 'model' && !this.modelRefs.guess(r))
      .map((r) => runTarget(r).slug)
      .filter((s): s is string => !!s && !known.has(s));
    return [...new Set(slugs)];
  }

  /** The inputs `ref` declares, when already known; starts a look-up otherwise. */
  knownInputs(ref: string): DeclaredInput[] | undefined {
    const cached = this.inputs.get(ref);
    if (cached !== undefined) return cached ?? undefined;
    const fromStore = this.fromRuns(ref, this.store.all());
    if (fromStore) {
      this.inputs.set(ref, fromStore);
      return fromStore;
    }
    void this.lookUp(ref);
    return undefined;
  }

  /** The inputs `ref` declares, asking the API when needed; undefined when nothing says. */
  async inputsFor(ref: string): Promise<DeclaredInput[] | undefined> {
    return this.knownInputs(ref) ?? (await this.lookUp(ref));
  }

  /** The pricing `ref`'s model states, when a run embedding it was seen (after inputsFor). */
  knownPricing(ref: string): ModelPricing[] | undefined {
    return this.pricing.get(ref);
  }

  /** The loaded succeeded runs of `ref`, newest first: what a cost estimate can go by. */
  recentSucceeded(ref: string): Run[] {
    return this.store
      .all()
      .filter((r) => {
        if (statusOf(r) !== 'succeeded') return false;
        // As for inputs: the same slug under another owner, when something says so, is another model.
        const guess = this.modelRefs.guess(r);
        return guess ? guess === ref : runTarget(r).slug === ref.split('/')[1];
      })
      .sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || 0);
  }

  /** Learns from a run the API just returned (a launch answers with its run). */
  learn(ref: string, run: Run): void {
    const found = this.fromRuns(ref, [run]);
    if (found && !this.inputs.get(ref)) {
      this.inputs.set(ref, found);
      this.learned.fire(ref);
    }
  }

  /** Forget everything: another API or token sees other models. */
  reset(): void {
    this.inputs.clear();
    this.failedAt.clear();
  }

  dispose(): void {
    this.learned.dispose();
  }

  private lookUp(ref: string): Promise<DeclaredInput[] | undefined> {
    const running = this.pending.get(ref);
    if (running) return running;
    if (Date.now() - (this.failedAt.get(ref) ?? -Infinity) < RETRY_AFTER_MS) return Promise.resolve(undefined);
    const task = (async () => {
      try {
        parseModelRef(ref);
        // The newest runs, matched here: a filter on the model would need a q grammar the reference does not publish.
        const page = await this.connection.client.searchRuns({ embed: ['model'], limit: MODEL_SCAN, sort_by: 'created_at:desc' });
        const found = this.fromRuns(ref, page.items);
        // null: the API answered and no run shows the model's inputs; don't ask again this session.
        this.inputs.set(ref, found ?? null);
        if (found) this.learned.fire(ref);
        return found;
      } catch (err) {
        this.failedAt.set(ref, Date.now());
        this.log.info(`Could not look up the inputs of ${ref}: ${errorMessage(err)}`);
        return undefined;
      } finally {
        this.pending.delete(ref);
      }
    })();
    this.pending.set(ref, task);
    return task;
  }

  private fromRuns(ref: string, runs: readonly Run[]): DeclaredInput[] | undefined {
    const slug = ref.split('/')[1];
    for (const run of runs) {
      const model = run.model as Model | null | undefined;
      if (!model || model.slug !== slug || !Array.isArray(model.inputs)) continue;
      // The same slug under another owner is another model.
      const remembered = this.modelRefs.guess(run);
      if (remembered && remembered !== ref) continue;
      if (Array.isArray(model.pricing)) this.pricing.set(ref, model.pricing.filter((p): p is ModelPricing => !!p && typeof p === 'object'));
      return model.inputs
        .filter((i) => i && typeof i.name === 'string' && i.name)
        .sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0))
        .map((i) => ({
          name: i.name as string,
          type: i.variable_type_code,
          required: i.is_required,
          description: i.description ?? i.display_name,
          defaultValue: i.default_value,
        }));
    }
    return undefined;
  }
}
