import { strict as assert } from 'node:assert';
import {
  AuthenticationError,
  CancelledError,
  HttpError,
  MalformedResponseError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../../src/api/errors';
import { parseRetryAfter } from '../../../src/api/retryAfter';
import { backoffDelay, decideRetry, isRetryable, resolveRetryOptions, withRetry } from '../../../src/api/retry';

const at = { method: 'GET', path: '/v1/runs' };
const server = (status: number, retryAfterMs?: number) => new ServerError({ ...at, status }, retryAfterMs);
const refused = () => new NetworkError(at, 'ECONNREFUSED', false);
const reset = () => new NetworkError(at, 'ECONNRESET', 'unknown');
const limited = (retryAfterMs?: number) => new RateLimitedError({ ...at, status: 429 }, retryAfterMs);

describe('retry policy', () => {
  describe('parseRetryAfter', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    it('reads delay-seconds', () => {
      assert.equal(parseRetryAfter('0', now), 0);
      assert.equal(parseRetryAfter('3', now), 3000);
      assert.equal(parseRetryAfter(' 120 ', now), 120_000);
      assert.equal(parseRetryAfter('1.5', now), 1500);
    });
    it('reads HTTP dates in all three forms, never negative', () => {
      assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now), 10_000);
      assert.equal(parseRetryAfter('Monday, 01-Jan-24 00:00:10 GMT', now), 10_000);
      assert.equal(parseRetryAfter('Mon Jan  1 00:00:10 2024', now), 10_000);
      assert.equal(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now), 0);
    });
    it('returns undefined for anything else', () => {
      for (const v of [undefined, null, '', '  ', '-1', 'soon', '2024-01-01', '1e3', 'Mon, 99 Foo']) assert.equal(parseRetryAfter(v, now), undefined, String(v));
    });
  });

  describe('backoffDelay', () => {
    const base = { baseDelayMs: 100, maxDelayMs: 1000 };
    it('is full jitter under an exponential ceiling', () => {
      assert.equal(backoffDelay(1, { ...base, random: () => 0.999999 }), 99);
      assert.equal(backoffDelay(2, { ...base, random: () => 0.5 }), 100);
      assert.equal(backoffDelay(3, { ...base, random: () => 0.5 }), 200);
      assert.equal(backoffDelay(1, { ...base, random: () => 0 }), 0);
    });
    it('caps the ceiling', () => {
      assert.equal(backoffDelay(30, { ...base, random: () => 0.5 }), 500);
    });
  });

  describe('isRetryable', () => {
    it('retries GET on network errors, timeouts, 408, 429 and 5xx', () => {
      for (const e of [refused(), reset(), new TimeoutError(at, 10), new HttpError({ ...at, status: 408 }), limited(), server(500), server(502), server(503), server(504)]) {
        assert.equal(isRetryable(e, 'GET'), true, e.message);
      }
    });
    it('never retries cancellation, malformed bodies or other 4xx', () => {
      for (const e of [
        new CancelledError(at),
        new MalformedResponseError({ ...at, status: 200 }),
        new AuthenticationError({ ...at, status: 401 }),
        new NotFoundError({ ...at, status: 404 }),
        new ValidationError({ ...at, status: 422 }),
        new HttpError({ ...at, status: 400 }),
        new Error('plain'),
        'string',
      ]) {
        for (const m of ['GET', 'POST', 'PATCH']) assert.equal(isRetryable(e, m), false, `${m} ${String(e)}`);
      }
    });
    it('never retries POST by default, not even on a refused connection', () => {
      for (const e of [refused(), reset(), new TimeoutError(at, 10), limited(), server(503), new HttpError({ ...at, status: 408 })]) {
        assert.equal(isRetryable(e, 'POST'), false, e.message);
      }
    });
    it('retries POST only on provably unsent requests or 429 when opted in', () => {
      const opts = { retryPostWhenUnsent: true, retryPostOnRateLimit: true };
      assert.equal(isRetryable(refused(), 'POST', opts), true);
      assert.equal(isRetryable(new NetworkError(at, 'ENOTFOUND', false), 'POST', opts), true);
      assert.equal(isRetryable(limited(), 'POST', opts), true);
      assert.equal(isRetryable(reset(), 'POST', opts), false);
      assert.equal(isRetryable(new TimeoutError(at, 10), 'POST', opts), false);
      assert.equal(isRetryable(server(503), 'POST', opts), false);
    });
    it('retries PATCH on a refused connection only, unless 5xx is opted in', () => {
      assert.equal(isRetryable(refused(), 'PATCH'), true);
      assert.equal(isRetryable(reset(), 'PATCH'), false);
      assert.equal(isRetryable(new TimeoutError(at, 10), 'PATCH'), false);
      assert.equal(isRetryable(server(503), 'PATCH'), false);
      assert.equal(isRetryable(limited(), 'PATCH'), false);
      assert.equal(isRetryable(server(503), 'patch', { retryPatchOnServerError: true }), true);
    });
  });

  describe('decideRetry', () => {
    let clock = 0;
    const opts = resolveRetryOptions({ random: () => 0.5, now: () => clock, baseDelayMs: 100, maxRetryAfterMs: 30_000, deadlineMs: 10_000 });
    beforeEach(() => (clock = 0));

    it('backs off, then stops after maxAttempts', () => {
      assert.deepEqual(decideRetry({ method: 'GET', error: server(503), attempt: 1, startedAt: 0 }, opts), { retry: true, delayMs: 50 });
      assert.deepEqual(decideRetry({ method: 'GET', error: server(503), attempt: 2, startedAt: 0 }, opts), { retry: true, delayMs: 100 });
      assert.deepEqual(decideRetry({ method: 'GET', error: server(503), attempt: 3, startedAt: 0 }, opts), { retry: false, reason: 'attempts_exhausted' });
    });
    it('uses Retry-After instead of the backoff, within the cap', () => {
      assert.deepEqual(decideRetry({ method: 'GET', error: limited(2000), attempt: 1, startedAt: 0 }, opts), { retry: true, delayMs: 2000 });
      assert.deepEqual(decideRetry({ method: 'GET', error: server(503, 1000), attempt: 1, startedAt: 0 }, opts), { retry: true, delayMs: 1000 });
      assert.deepEqual(decideRetry({ method: 'GET', error: limited(31_000), attempt: 1, startedAt: 0 }, opts), { retry: false, reason: 'retry_after_too_long' });
    });
    it('does not start a wait that would overrun the deadline', () => {
      clock = 9_000;
      assert.deepEqual(decideRetry({ method: 'GET', error: limited(2000), attempt: 1, startedAt: 0 }, opts), { retry: false, reason: 'deadline' });
      assert.deepEqual(decideRetry({ method: 'GET', error: server(503), attempt: 1, startedAt: 0 }, opts), { retry: true, delayMs: 50 });
    });
    it('says not_retryable for non-retryable errors', () => {
      assert.deepEqual(decideRetry({ method: 'POST', error: server(503), attempt: 1, startedAt: 0 }, opts), { retry: false, reason: 'not_retryable' });
    });
    it('defaults to 3 attempts and a 30 s Retry-After cap', () => {
      const d = resolveRetryOptions({ maxAttempts: undefined });
      assert.equal(d.maxAttempts, 3);
      assert.equal(d.maxRetryAfterMs, 30_000);
      assert.equal(resolveRetryOptions({ maxAttempts: 0 }).maxAttempts, 1);
    });
  });

  describe('withRetry', () => {
    const cancelled = () => new CancelledError(at);

    it('runs until success, sleeping the decided delays', async () => {
      const slept: number[] = [];
      const opts = resolveRetryOptions({ random: () => 0.5, baseDelayMs: 100, sleep: async (ms) => void slept.push(ms) });
      let calls = 0;
      const result = await withRetry('GET', async () => {
        if (++calls < 3) throw server(503);
        return 'ok';
      }, opts, { cancelled });
      assert.equal(result, 'ok');
      assert.equal(calls, 3);
      assert.deepEqual(slept, [50, 100]);
    });

    it('rethrows the last error when attempts run out', async () => {
      const opts = resolveRetryOptions({ sleep: async () => {} });
      let calls = 0;
      await assert.rejects(withRetry('GET', async () => {
        calls++;
        throw server(500 + calls);
      }, opts, { cancelled }), (e: unknown) => e instanceof ServerError && e.status === 503);
      assert.equal(calls, 3);
    });

    it('makes exactly one attempt for a POST', async () => {
      const opts = resolveRetryOptions({ sleep: async () => {} });
      let calls = 0;
      await assert.rejects(withRetry('POST', async () => {
        calls++;
        throw reset();
      }, opts, { cancelled }), NetworkError);
      assert.equal(calls, 1);
    });

    it('passes the time left before the deadline to each attempt', async () => {
      let clock = 1000;
      const opts = resolveRetryOptions({ now: () => clock, deadlineMs: 5000, random: () => 0, sleep: async () => void (clock += 1500) });
      const remaining: number[] = [];
      await assert.rejects(withRetry('GET', async (_attempt, left) => {
        remaining.push(left);
        throw server(503);
      }, opts, { cancelled }));
      assert.deepEqual(remaining, [5000, 3500, 2000]);
    });

    it('turns an abort during the wait into the cancelled error', async () => {
      const controller = new AbortController();
      // A wait beyond the test's timeout (and within the call's deadline): only the abort can end it in time.
      const opts = resolveRetryOptions({ baseDelayMs: 30_000, maxDelayMs: 30_000, random: () => 0.99 });
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(withRetry('GET', async () => {
        throw server(503);
      }, opts, { cancelled, signal: controller.signal }), CancelledError);
    });

    it('reports each retry', async () => {
      const seen: number[] = [];
      const opts = resolveRetryOptions({ sleep: async () => {}, random: () => 0 });
      await assert.rejects(withRetry('GET', async () => {
        throw server(503);
      }, opts, { cancelled, onRetry: ({ attempt }) => seen.push(attempt) }));
      assert.deepEqual(seen, [1, 2]);
    });
  });
});
