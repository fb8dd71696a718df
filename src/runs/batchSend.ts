/**
 * Sending a batch: many creates of one model, a few at a time, each traced by a client_ref derived from the
 * batch and never sent twice. A create whose fate a dropped connection hides is reconciled by its client_ref
 * (createRunOnce), and a retry first looks for every entry it is about to send, so that an entry the server
 * did create is adopted, not sent again.
 */
import { parseModelRef } from '../api/client';
import { iteratePages } from '../api/pagination';
import type { JsonObject, Run } from '../api/types';
import { CLIENT_REF_SCAN, createRunOnce, type CreateApi, type CreateOutcome } from './createRun';
import { CLIENT_REF_MAX } from '../core/launchFile';
import { parseTimestamp } from '../core/time';

/** What became of one entry. `pending`: never sent (cancelled before its turn, or not sent yet). */
export type EntryState = 'pending' | 'launched' | 'refused' | 'failed' | 'unknown';

export interface EntryResult {
  index: number;
  state: EntryState;
  runId?: string;
  /** Found by its client_ref after a dropped connection (or on retry), not created by this send. */
  adopted?: boolean;
  /** Why it was not launched, in words for the user. */
  message?: string;
}

export interface BatchSendEntry {
  index: number;
  input: JsonObject;
}

export interface BatchSendOptions {
  model: string;
  batchId: string;
  /** The launch file's name, the first part of every client_ref. */
  origin: string;
  entries: readonly BatchSendEntry[];
  metadata?: JsonObject;
  callback_url?: string;
  /** Creates in flight at once, at least 1. */
  concurrency: number;
  /** Stops sending: creates already in flight finish, nothing more goes out. */
  signal?: AbortSignal;
  /** Retrying: look for every entry's client_ref first and adopt what exists. */
  reconcileFirst?: boolean;
  /**
   * Retrying: when the batch was first sent (ms, this machine's clock). The look-up then reads back to
   * then, however many runs that is; without it, only the newest CLIENT_REF_SCAN runs are read, and an
   * entry created before those would be sent again.
   */
  sentSince?: number;
  /** Each entry's outcome, as soon as it is known (the run itself for launched ones). */
  onOutcome?: (result: EntryResult, outcome?: CreateOutcome) => void | Promise<void>;
  lookupDelayMs?: number;
}

/** `<file>-<batch id>-<index>`: unique per entry, the same every time the entry is sent (so a retry finds it). */
export function batchClientRef(origin: string, batchId: string, index: number): string {
  const tail = `-${batchId}-${index}`;
  const base =
    origin
      .normalize('NFKD')
      .replace(/\.runflow\.jsonl?$/i, '')
      .replace(/\.json$/i, '')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'batch';
  return `${base.slice(0, CLIENT_REF_MAX - tail.length)}${tail}`;
}

/** A short id, unique enough among one workspace's batches: time and randomness in base 36. */
export function newBatchId(now = Date.now(), random = Math.random): string {
  return `${(now % 36 ** 5).toString(36).padStart(5, '0')}${Math.floor(random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}

/** The metadata every run of a batch carries: the file's own, with the batch and the entry's place in it. */
export function batchMetadata(metadata: JsonObject | undefined, batchId: string, index: number): JsonObject {
  return { ...(metadata ?? {}), batch: batchId, index };
}

/**
 * Sends `entries`, at most `concurrency` at a time, and resolves with every entry's result in index order
 * once nothing is in flight. Entries not sent because the signal fired stay `pending`.
 */
export async function sendBatch(api: CreateApi, options: BatchSendOptions): Promise<EntryResult[]> {
  const { owner, slug } = parseModelRef(options.model);
  const results = new Map<number, EntryResult>(options.entries.map((e) => [e.index, { index: e.index, state: 'pending' }]));
  const settle = async (result: EntryResult, outcome?: CreateOutcome) => {
    results.set(result.index, result);
    await options.onOutcome?.(result, outcome);
  };

  let queue = [...options.entries];
  if (options.reconcileFirst && queue.length && !options.signal?.aborted) {
    // One scan of the newest runs finds every entry created before; none of those is sent again.
    let found: Map<string, string>;
    try {
      const refs = new Set(queue.map((e) => batchClientRef(options.origin, options.batchId, e.index)));
      found = await runsOfBatch(api, refs, options.sentSince, options.signal);
    } catch (err) {
      for (const e of queue) await settle({ index: e.index, state: 'failed', message: `not sent: the check for runs already created failed (${describe(err)})` });
      return order(results);
    }
    const left: BatchSendEntry[] = [];
    for (const e of queue) {
      const runId = found.get(batchClientRef(options.origin, options.batchId, e.index));
      if (runId) await settle({ index: e.index, state: 'launched', runId, adopted: true });
      else left.push(e);
    }
    queue = left;
  }

  let next = 0;
  const worker = async () => {
    while (next < queue.length && !options.signal?.aborted) {
      const entry = queue[next++];
      const clientRef = batchClientRef(options.origin, options.batchId, entry.index);
      const body = {
        input: entry.input,
        metadata: batchMetadata(options.metadata, options.batchId, entry.index),
        ...(options.callback_url ? { callback_url: options.callback_url } : {}),
        client_ref: clientRef,
      };
      // Not aborted once sent: a create cut off mid-flight would leave its fate unknown.
      const outcome = await createRunOnce(api, owner, slug, body, { lookupDelayMs: options.lookupDelayMs });
      await settle(resultOf(entry.index, outcome), outcome);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return order(results);
}

/** Another machine's clock (the server's `created_at`) may be this far behind ours. */
const CLOCK_SKEW_MS = 10 * 60_000;
/** Pages of CLIENT_REF_SCAN runs a look-up reads at most: past that, it fails rather than risk sending again. */
const RECONCILE_MAX_PAGES = 50;

/**
 * client_ref → run id of the runs carrying `refs`, newest first (the first found for a ref is kept), read
 * back to `since` (less CLOCK_SKEW_MS), or one page without it. A listing cut short by the pager's limits
 * throws: what was not read may hold an entry's run.
 */
async function runsOfBatch(api: CreateApi, refs: ReadonlySet<string>, since: number | undefined, signal?: AbortSignal): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const pages = iteratePages<Run>((cursor) => api.searchRuns({ limit: CLIENT_REF_SCAN, sort_by: 'created_at:desc', pq: cursor }, { signal }), { maxPages: RECONCILE_MAX_PAGES });
  for await (const page of pages) {
    for (const r of page.items) {
      if (r && typeof r.client_ref === 'string' && refs.has(r.client_ref) && typeof r.id === 'string' && r.id !== '' && !found.has(r.client_ref)) found.set(r.client_ref, r.id);
    }
    if (found.size === refs.size || since === undefined) break;
    const oldest = parseTimestamp(page.items.at(-1)?.created_at);
    if (oldest !== undefined && oldest < since - CLOCK_SKEW_MS) break;
  }
  return found;
}

function resultOf(index: number, outcome: CreateOutcome): EntryResult {
  switch (outcome.kind) {
    case 'created':
      return { index, state: 'launched', runId: outcome.run.id ?? undefined };
    case 'adopted':
      return { index, state: 'launched', runId: outcome.run.id ?? undefined, adopted: true };
    case 'not_created':
      return { index, state: outcome.cause.kind === 'validation' ? 'refused' : 'failed', message: describe(outcome.cause) };
    case 'unknown':
      return { index, state: 'unknown', message: `may have been created (${describe(outcome.cause)}); the check by client_ref failed too` };
  }
}

function order(results: Map<number, EntryResult>): EntryResult[] {
  return [...results.values()].sort((a, b) => a.index - b.index);
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\.$/, '');
}
