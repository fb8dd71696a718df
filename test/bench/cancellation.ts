/**
 * How soon the API client lets go, in plain Node against an emulator over real sockets: abort() of a
 * request the server holds open, the per-attempt timeout of one it never answers, and abort() during a
 * Retry-After wait. Prints one JSON line. These figures replace the wall-clock bounds unit tests used to
 * assert: on a shared machine a bound either flakes or is too loose to mean anything, while a median
 * set against a plain request measured in the same rounds says how the client itself does.
 *
 *   node --import tsx test/bench/cancellation.ts <baseUrl> <token> <rounds>
 */
import { RunflowClient, type RunflowClientOptions } from '../../src/api/client';
import { CancelledError, TimeoutError } from '../../src/api/errors';
import type { FaultSpec } from '../emulator';

export interface CancellationResult {
  rounds: number;
  /** The per-attempt timeout of the timed-out requests. */
  timeoutMs: number;
  /** What the 503 asked the client to wait, far longer than any abort should take. */
  retryAfterS: number;
  /** Call → answer of a successful `GET /v1/runs?limit=1`: the reference the others are set against. */
  referenceMs: number[];
  /** abort() → rejection, the server holding the request open. */
  abortHangMs: number[];
  /** Call → rejection minus `timeoutMs`, the server never answering. */
  timeoutOvershootMs: number[];
  /** abort() → rejection while the client waits out a 503's Retry-After. */
  abortRetryWaitMs: number[];
}

const RUNS_PATH = '^/v1/runs$';
const TIMEOUT_MS = 100;
const RETRY_AFTER_S = 10;
/** Long past the reference round trip, so the request is at the server (or the wait has begun) when abort() comes. */
const SETTLE_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When `promise` settled, and with what; the timestamp is taken in the first callback that can see it. */
function settledAt(promise: Promise<unknown>): Promise<{ at: number; error?: unknown }> {
  return promise.then(
    () => ({ at: performance.now() }),
    (error: unknown) => ({ at: performance.now(), error }),
  );
}

function requireKind(error: unknown, kind: typeof CancelledError | typeof TimeoutError, what: string): void {
  if (!(error instanceof kind)) throw new Error(`${what}: expected ${kind.name}, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
}

async function main(): Promise<void> {
  const [baseUrl, token, roundsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  if (!baseUrl || !token || !Number.isInteger(rounds) || rounds < 1) throw new Error('usage: cancellation.ts <baseUrl> <token> <rounds>');

  let onWarn: ((message: string) => void) | undefined;
  const options: RunflowClientOptions = { baseUrl, getToken: () => token, userAgent: 'runflow-bench', log: (level, message) => level === 'warn' && onWarn?.(message) };
  const client = new RunflowClient(options);
  const single = new RunflowClient({ ...options, retry: { maxAttempts: 1 } });

  const fault = async (spec: FaultSpec) => {
    const res = await fetch(`${baseUrl}/__emulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(spec) });
    if (res.status !== 201) throw new Error(`the emulator refused the fault (${res.status}): ${await res.text()}`);
  };

  const result: CancellationResult = { rounds, timeoutMs: TIMEOUT_MS, retryAfterS: RETRY_AFTER_S, referenceMs: [], abortHangMs: [], timeoutOvershootMs: [], abortRetryWaitMs: [] };
  // The first requests pay for connections and cold code paths; no figure should carry that.
  for (let i = 0; i < 3; i++) await client.searchRuns({ limit: 1 });

  // One of each per round, so that a change in the machine's load lands on the reference and the
  // figures alike instead of on whichever happened to run then.
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const page = await client.searchRuns({ limit: 1 });
    result.referenceMs.push(performance.now() - t0);
    if (page.items.length !== 1) throw new Error(`reference: expected 1 run, got ${page.items.length}`);

    await fault({ method: 'GET', path: RUNS_PATH, hang: true, count: 1 });
    const hung = new AbortController();
    const held = settledAt(client.searchRuns({ limit: 1 }, { signal: hung.signal }));
    await sleep(SETTLE_MS);
    const aborted = performance.now();
    hung.abort();
    const afterHang = await held;
    requireKind(afterHang.error, CancelledError, 'abort of a held request');
    result.abortHangMs.push(afterHang.at - aborted);

    await fault({ method: 'GET', path: RUNS_PATH, hang: true, count: 1 });
    const called = performance.now();
    const timedOut = await settledAt(single.searchRuns({ limit: 1 }, { timeoutMs: TIMEOUT_MS }));
    requireKind(timedOut.error, TimeoutError, 'timeout of an unanswered request');
    result.timeoutOvershootMs.push(timedOut.at - called - TIMEOUT_MS);

    await fault({ method: 'GET', path: RUNS_PATH, status: 503, retryAfter: String(RETRY_AFTER_S), count: 1 });
    const waiting = new AbortController();
    // The client logs the retry as its wait begins: abort() is timed from inside the wait, not from a guess.
    const waitBegan = new Promise<void>((resolve) => {
      onWarn = (message) => {
        if (/retrying in/.test(message)) resolve();
      };
    });
    const inWait = settledAt(client.searchRuns({ limit: 1 }, { signal: waiting.signal }));
    await Promise.race([waitBegan, inWait]);
    onWarn = undefined;
    await sleep(SETTLE_MS);
    const abortedWait = performance.now();
    waiting.abort();
    const afterWait = await inWait;
    requireKind(afterWait.error, CancelledError, 'abort during a Retry-After wait');
    if (afterWait.at < abortedWait) throw new Error('abort during a Retry-After wait: the call ended before the abort');
    result.abortRetryWaitMs.push(afterWait.at - abortedWait);
  }

  const round3 = (values: number[]) => values.map((v) => Math.round(v * 1000) / 1000);
  for (const key of ['referenceMs', 'abortHangMs', 'timeoutOvershootMs', 'abortRetryWaitMs'] as const) result[key] = round3(result[key]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
