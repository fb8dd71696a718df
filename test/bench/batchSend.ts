/**
 * A 200-run batch, in plain Node: sendBatch at the concurrency a batch uses against an emulator process,
 * set against the same 200 creates sent one at a time (createRunOnce in a loop, as a single launch sends
 * them) in the same rounds. The emulator answers a create at once, which would make any concurrency look
 * free, so every create is held `CREATE_LATENCY_MS` at the server (a delay fault), for both alike.
 * The creates in flight are counted at the client (around createModelRun, the real one underneath); the
 * requests, at the server. Prints one JSON line.
 *
 *   node --import tsx test/bench/batchSend.ts <baseUrl> <token> <rounds>
 */
import { parseModelRef, RunflowClient } from '../../src/api/client';
import { batchClientRef, batchMetadata, sendBatch, type BatchSendEntry } from '../../src/runs/batchSend';
import { createRunOnce, type CreateApi } from '../../src/runs/createRun';
import type { FaultSpec } from '../emulator';

export interface BatchSendResult {
  rounds: number;
  runs: number;
  concurrency: number;
  /** How long the emulator holds every create before answering. */
  createLatencyMs: number;
  /** Call → all `runs` created, per round. */
  batchMs: number[];
  /** The same creates one at a time, per round: the reference. */
  sequentialMs: number[];
  /** Most creates in flight at once during the batch, per round. */
  batchPeak: number[];
  /** Requests the emulator saw during the batch, per round (creates and anything else). */
  batchRequests: number[];
  sequentialRequests: number[];
  /** Runs carrying the batch's client_refs afterwards, and how many refs more than one. */
  batchRuns: number[];
  duplicates: number[];
}

export const BATCH_RUNS = 200;
/** What a batch sends at once unless told otherwise. */
export const BATCH_CONCURRENCY = 3;
/** A modest create round trip for a real server (it queues the run and answers). */
export const CREATE_LATENCY_MS = 100;
const MODEL = 'runflow/sdxl-turbo';
const ORIGIN = 'bench-batch.runflow.json';

async function control(baseUrl: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
  const res = await fetch(`${baseUrl}/__emulator${path}`, {
    method: init.method ?? 'GET',
    headers: { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} /__emulator${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** A fresh emulator (no runs, no requests) whose creates take CREATE_LATENCY_MS. */
async function freshServer(baseUrl: string): Promise<void> {
  await control(baseUrl, '/reset', { method: 'POST' });
  const slow: FaultSpec = { method: 'POST', path: '^/v1/models/', delayMs: CREATE_LATENCY_MS, count: -1 };
  await control(baseUrl, '/faults', { method: 'POST', body: slow });
}

async function requestCount(baseUrl: string): Promise<number> {
  const { records } = (await control(baseUrl, '/requests')) as { records: unknown[] };
  return records.length;
}

/** Runs per client_ref of a batch, read after the requests were counted. */
async function runsOf(client: RunflowClient, batchId: string): Promise<{ runs: number; duplicates: number }> {
  const page = await client.searchRuns({ limit: 500, sort_by: 'created_at:desc' });
  const refs = new Map<string, number>();
  for (const run of page.items) if (typeof run.client_ref === 'string' && run.client_ref.includes(`-${batchId}-`)) refs.set(run.client_ref, (refs.get(run.client_ref) ?? 0) + 1);
  return { runs: [...refs.values()].reduce((a, b) => a + b, 0), duplicates: [...refs.values()].filter((n) => n > 1).length };
}

function entries(): BatchSendEntry[] {
  return Array.from({ length: BATCH_RUNS }, (_, index) => ({ index, input: { prompt: 'a lighthouse at dusk', seed: index + 1, steps: 4 } }));
}

async function main(): Promise<void> {
  const [baseUrl, token, roundsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  if (!baseUrl || !token || !Number.isInteger(rounds) || rounds < 1) throw new Error('usage: batchSend.ts <baseUrl> <token> <rounds>');
  const client = new RunflowClient({ baseUrl, getToken: () => token, userAgent: 'runflow-bench' });

  let inFlight = 0;
  let peak = 0;
  const counted: CreateApi = {
    createModelRun: (async (...args: Parameters<RunflowClient['createModelRun']>) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await client.createModelRun(...args);
      } finally {
        inFlight--;
      }
    }) as RunflowClient['createModelRun'],
    searchRuns: (...args) => client.searchRuns(...args),
  };

  const result: BatchSendResult = {
    rounds,
    runs: BATCH_RUNS,
    concurrency: BATCH_CONCURRENCY,
    createLatencyMs: CREATE_LATENCY_MS,
    batchMs: [],
    sequentialMs: [],
    batchPeak: [],
    batchRequests: [],
    sequentialRequests: [],
    batchRuns: [],
    duplicates: [],
  };
  // The first requests pay for connections and cold code paths; no figure should carry that.
  await freshServer(baseUrl);
  for (let i = 0; i < 3; i++) await client.searchRuns({ limit: 1 });

  const { owner, slug } = parseModelRef(MODEL);
  for (let round = 0; round < rounds; round++) {
    // Both in every round, the order alternating, so that the machine's load lands on both alike.
    const order = round % 2 === 0 ? (['batch', 'sequential'] as const) : (['sequential', 'batch'] as const);
    for (const kind of order) {
      await freshServer(baseUrl);
      const batchId = `${kind === 'batch' ? 'bat' : 'seq'}${round}`;
      const t0 = performance.now();
      if (kind === 'batch') {
        peak = 0;
        const results = await sendBatch(counted, { model: MODEL, batchId, origin: ORIGIN, entries: entries(), concurrency: BATCH_CONCURRENCY });
        result.batchMs.push(performance.now() - t0);
        const launched = results.filter((r) => r.state === 'launched').length;
        if (launched !== BATCH_RUNS) throw new Error(`batch: ${launched} of ${BATCH_RUNS} launched: ${JSON.stringify(results.find((r) => r.state !== 'launched'))}`);
        result.batchPeak.push(peak);
        result.batchRequests.push(await requestCount(baseUrl));
        const { runs, duplicates } = await runsOf(client, batchId);
        result.batchRuns.push(runs);
        result.duplicates.push(duplicates);
      } else {
        for (const entry of entries()) {
          const body = { input: entry.input, metadata: batchMetadata(undefined, batchId, entry.index), client_ref: batchClientRef(ORIGIN, batchId, entry.index) };
          const outcome = await createRunOnce(client, owner, slug, body);
          if (outcome.kind !== 'created') throw new Error(`one at a time: entry ${entry.index} ${outcome.kind}`);
        }
        result.sequentialMs.push(performance.now() - t0);
        result.sequentialRequests.push(await requestCount(baseUrl));
      }
    }
  }

  for (const key of ['batchMs', 'sequentialMs'] as const) result[key] = result[key].map((v) => Math.round(v * 10) / 10);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
