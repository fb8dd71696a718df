/**
 * Retry policy of the Runflow client, kept free of I/O so it can be tested with injected clock,
 * randomness and sleep.
 *
 * Rules:
 * - Never retried: cancellation, malformed bodies, 4xx other than 408/429, a `Retry-After` longer
 *   than `maxRetryAfterMs`, or a wait that would overrun the overall deadline.
 * - GET/HEAD (safe to repeat): network errors, timeouts, 408, 429 and 5xx.
 * - POST creates a run and `client_ref` is not an idempotency key, so a POST that may have reached the
 *   server is never re-sent: a duplicate run costs money. By default a POST is not retried at all;
 *   `retryPostWhenUnsent` allows a retry when no connection was ever made (ECONNREFUSED, DNS failure),
 *   `retryPostOnRateLimit` when the server answered 429 (it refused without creating anything).
 * - PATCH/PUT/DELETE: retried when no connection was made; on 5xx only with `retryPatchOnServerError`,
 *   because a 5xx may come after the update was applied.
 * Waits use exponential backoff with full jitter, or the server's `Retry-After` when it sent one.
 */
import {
  CancelledError,
  HttpError,
  MalformedResponseError,
  NetworkError,
  RateLimitedError,
  RunflowApiError,
  ServerError,
  TimeoutError,
} from './errors';

export interface RetryOptions {
  /** Total attempts including the first. Default 3; 1 disables retries. */
  maxAttempts?: number;
  /** Backoff base: the n-th retry waits up to base * 2^(n-1). Default 250 ms. */
  baseDelayMs?: number;
  /** Upper bound of a backoff wait (not of `Retry-After`). Default 4 s. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends retrying and surfaces the error. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Budget for all attempts and waits of one call. Default 60 s. */
  deadlineMs?: number;
  /** Let a POST be retried when the request provably never left this machine. Default false. */
  retryPostWhenUnsent?: boolean;
  /** Let a POST be retried on 429. Default false. */
  retryPostOnRateLimit?: boolean;
  /** Let PATCH/PUT/DELETE be retried on 5xx. Default false. */
  retryPatchOnServerError?: boolean;
  /** Uniform in [0, 1). Injectable for tests. */
  random?: () => number;
  /** Resolves after `ms`, rejects when `signal` aborts. Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in ms. Injectable for tests. */
  now?: () => number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 30_000,
  deadlineMs: 60_000,
  retryPostWhenUnsent: false,
  retryPostOnRateLimit: false,
  retryPatchOnServerError: false,
  random: Math.random,
  sleep: defaultSleep,
  now: Date.now,
};

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const resolved = { ...DEFAULT_RETRY_OPTIONS, ...defined } as ResolvedRetryOptions;
  resolved.maxAttempts = Math.max(1, Math.floor(resolved.maxAttempts));
  return resolved;
}

/** Full jitter: uniform in [0, min(maxDelay, base * 2^(retry-1))). `retry` counts from 1. */
export function backoffDelay(retry: number, options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(Math.max(options.random(), 0), 1);
  return Math.floor(r * ceiling);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether `error` may be retried for `method` under `options`, ignoring attempt counts and time. */
export function isRetryable(error: unknown, method: string = 'GET', options: RetryOptions = {}): boolean {
  if (!(error instanceof RunflowApiError)) return false;
  if (error instanceof CancelledError || error instanceof MalformedResponseError) return false;
  const verb = method.toUpperCase();
  const unsent = error instanceof NetworkError && error.requestSent === false;

  if (SAFE_METHODS.has(verb)) {
    if (error instanceof NetworkError || error instanceof TimeoutError) return true;
    const status = error.status;
    return status === 408 || status === 429 || (status !== undefined && status >= 500 && status <= 599);
  }
  if (verb === 'POST') {
    if (unsent) return options.retryPostWhenUnsent === true;
    if (error instanceof RateLimitedError) return options.retryPostOnRateLimit === true;
    return false;
  }
  if (unsent) return true;
  return error instanceof ServerError && options.retryPatchOnServerError === true;
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' | 'deadline' };

export interface RetryContext {
  method: string;
  error: unknown;
  /** Attempts made so far, counting from 1. */
  attempt: number;
  /** When the first attempt started, in `options.now()` time. */
  startedAt: number;
}

export function decideRetry(ctx: RetryContext, options: ResolvedRetryOptions): RetryDecision {
  if (!isRetryable(ctx.error, ctx.method, options)) return { retry: false, reason: 'not_retryable' };
  if (ctx.attempt >= options.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const retryAfterMs = retryAfterOf(ctx.error);
  let delayMs: number;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > options.maxRetryAfterMs) return { retry: false, reason: 'retry_after_too_long' };
    delayMs = retryAfterMs;
  } else {
    delayMs = backoffDelay(ctx.attempt, options);
  }
  if (options.now() + delayMs - ctx.startedAt >= options.deadlineMs) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs };
}

function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof RateLimitedError || error instanceof ServerError || error instanceof HttpError) {
    return error.retryAfterMs;
  }
  return undefined;
}

export interface RetryHooks {
  signal?: AbortSignal;
  /** Error thrown when `signal` aborts during a wait. */
  cancelled: () => Error;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `attemptFn` until it succeeds or `decideRetry` says stop, then rethrows the last error.
 * `attemptFn` receives the 1-based attempt number and the time left before the deadline, which a
 * caller uses to cap that attempt's own timeout.
 */
export async function withRetry<T>(
  method: string,
  attemptFn: (attempt: number, remainingMs: number) => Promise<T>,
  options: ResolvedRetryOptions,
  hooks: RetryHooks,
): Promise<T> {
  const startedAt = options.now();
  for (let attempt = 1; ; attempt++) {
    if (hooks.signal?.aborted) throw hooks.cancelled();
    const remainingMs = Math.max(0, options.deadlineMs - (options.now() - startedAt));
    try {
      return await attemptFn(attempt, remainingMs);
    } catch (error) {
      const decision = decideRetry({ method, error, attempt, startedAt }, options);
      if (!decision.retry) throw error;
      hooks.onRetry?.({ attempt, delayMs: decision.delayMs, error });
      try {
        await options.sleep(decision.delayMs, hooks.signal);
      } catch (sleepError) {
        if (hooks.signal?.aborted) throw hooks.cancelled();
        throw sleepError;
      }
    }
  }
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
