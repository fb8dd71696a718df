/**
 * The launched runs of batches that the run store has not loaded (a long batch, or after a reload): read by
 * id, a few at a time and each once, after which the list's refresh keeps them current. The batch's rows
 * and its finish notice each hold one.
 */
import type { BatchRecord } from './batchState';
import type { RunStore } from './runStore';

/** Runs read by id at once. */
const READS_AT_ONCE = 2;

export class UnloadedRuns {
  private readonly asked = new Set<string>();

  constructor(private readonly store: Pick<RunStore, 'get' | 'reload'>) {}

  /** Reads the launched runs of `batches` not loaded and not asked for yet; false when there were none. */
  async read(batches: readonly BatchRecord[], stop: () => boolean = () => false): Promise<boolean> {
    const missing = batches.flatMap((b) => b.entries.flatMap((e) => (e.state === 'launched' && e.runId && !this.store.get(e.runId) && !this.asked.has(e.runId) ? [e.runId] : [])));
    if (!missing.length) return false;
    for (const id of missing) this.asked.add(id);
    let next = 0;
    const worker = async () => {
      // A run that cannot be read now is shown as not loaded; the list may still bring it.
      while (next < missing.length && !stop()) await this.store.reload(missing[next++]).catch(() => undefined);
    };
    await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, missing.length) }, worker));
    return true;
  }
}
