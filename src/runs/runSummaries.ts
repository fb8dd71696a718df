/**
 * Names for runs a search found lines of but knows nothing else about (the Runs view has not loaded them,
 * and the server sent no `run` with their lines): each is read once with `GET /v1/runs/{id}`, a few at a
 * time and at most `max` per search, so a search across thousands of runs costs a bounded number of
 * requests. A run that cannot be read keeps its id as its name.
 */
import type { RunflowClient } from '../api/client';
import type { GetRunEmbed } from '../api/types';
import { summaryOf, type RunSummary } from './logSearch';

const TARGET_EMBEDS: readonly GetRunEmbed[] = ['model', 'flow', 'comfyui_workflow'];

export interface RunLookupOptions {
  /** Runs read at once. */
  concurrency?: number;
  /** Runs read in all. */
  max?: number;
}

export class RunSummaries {
  private readonly asked = new Set<string>();
  private readonly queue: string[] = [];
  private running = 0;
  private readonly concurrency: number;
  private readonly max: number;

  constructor(
    private readonly api: Pick<RunflowClient, 'getRun'>,
    private readonly onSummary: (summary: RunSummary) => void,
    private readonly signal: AbortSignal,
    options: RunLookupOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.max = Math.max(0, options.max ?? 50);
  }

  /** Asks for the runs not asked for yet, within the limit; answers come through `onSummary`. */
  request(runIds: Iterable<string>): void {
    if (this.signal.aborted) return;
    for (const id of runIds) {
      if (this.asked.has(id) || this.asked.size >= this.max) continue;
      this.asked.add(id);
      this.queue.push(id);
    }
    this.pump();
  }

  /** Reads in flight or waiting. */
  get pending(): number {
    return this.running + this.queue.length;
  }

  private pump(): void {
    if (this.signal.aborted) this.queue.length = 0;
    while (this.running < this.concurrency && this.queue.length > 0 && !this.signal.aborted) {
      const id = this.queue.shift()!;
      this.running++;
      this.api
        // The target's embed: its name is what the row shows (without it only its id is known).
        .getRun(id, { embed: TARGET_EMBEDS }, { signal: this.signal })
        .then(
          (run) => {
            const summary = this.signal.aborted ? undefined : summaryOf(id, run);
            if (summary) this.onSummary(summary);
          },
          // A run that cannot be read (gone, forbidden, the server down) keeps its id as its name.
          () => undefined,
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
