/**
 * Typed errors of the Runflow client. Every failed request rejects with a `RunflowApiError`
 * subclass, so callers can branch with `instanceof` or on `kind`. (Invalid arguments, such as an
 * empty run id, reject with a plain TypeError before anything is sent.)
 *
 * Messages are built only from method, path (never the query string), status and the server's own
 * message after redaction, so they are safe to show and to log. No error ever holds the token, the
 * request headers or the underlying library error (whose message carries the full URL).
 */

export type RunflowErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'validation'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'malformed'
  | 'http';

export interface RunflowErrorInit {
  method: string;
  /** URL path without query string. */
  path: string;
  status?: number;
  serverMessage?: string;
  requestId?: string;
}

export class RunflowApiError extends Error {
  readonly kind: RunflowErrorKind;
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(kind: RunflowErrorKind, init: RunflowErrorInit, summary: string) {
    super(composeMessage(init, summary));
    this.kind = kind;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
  }

  /** Plain, log-safe representation (`JSON.stringify` of an Error otherwise drops `message`). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      kind: this.kind,
      message: this.message,
      method: this.method,
      path: this.path,
    };
    if (this.status !== undefined) out.status = this.status;
    if (this.serverMessage !== undefined) out.serverMessage = this.serverMessage;
    if (this.requestId !== undefined) out.requestId = this.requestId;
    return out;
  }
}

function composeMessage(init: RunflowErrorInit, summary: string): string {
  let message = `${init.method} ${init.path}: ${summary}`;
  if (init.serverMessage) message += ` — ${init.serverMessage}`;
  if (init.requestId) message += ` (request id ${init.requestId})`;
  return message;
}

function statusSummary(status: number | undefined, text: string): string {
  return status === undefined ? text : `${status} ${text}`;
}

function httpStatusText(status: number | undefined): string {
  if (status === 400) return 'bad request';
  if (status === 408) return 'request timeout';
  if (status === 409) return 'conflict';
  if (status !== undefined && status >= 300 && status < 400) return 'redirect not followed';
  return 'unexpected status';
}

/** 401, or no token available to send. */
export class AuthenticationError extends RunflowApiError {
  declare readonly kind: 'auth';
  constructor(init: RunflowErrorInit, summary = statusSummary(init.status, 'not authenticated')) {
    super('auth', init, summary);
  }
}

/** 403: the token is valid but may not do this (e.g. the organisation in `X-Organization-Id`). */
export class PermissionError extends RunflowApiError {
  declare readonly kind: 'permission';
  constructor(init: RunflowErrorInit) {
    super('permission', init, statusSummary(init.status, 'permission denied'));
  }
}

export class NotFoundError extends RunflowApiError {
  declare readonly kind: 'not_found';
  constructor(init: RunflowErrorInit) {
    super('not_found', init, statusSummary(init.status, 'not found'));
  }
}

export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

/** 422, with the per-field problems of a FastAPI-style body when there is one. */
export class ValidationError extends RunflowApiError {
  declare readonly kind: 'validation';
  readonly details: ValidationDetail[];
  constructor(init: RunflowErrorInit, details: ValidationDetail[] = []) {
    super('validation', init, statusSummary(init.status, 'validation failed'));
    this.details = details;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), details: this.details };
  }
}

/** 429. `retryAfterMs` is the server's `Retry-After`, when it sent a readable one. */
export class RateLimitedError extends RunflowApiError {
  declare readonly kind: 'rate_limited';
  readonly retryAfterMs: number | undefined;
  constructor(init: RunflowErrorInit, retryAfterMs?: number) {
    super('rate_limited', init, statusSummary(init.status, 'rate limited'));
    this.retryAfterMs = retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** 5xx. `retryAfterMs` is set when a 503 carried `Retry-After`. */
export class ServerError extends RunflowApiError {
  declare readonly kind: 'server';
  readonly retryAfterMs: number | undefined;
  constructor(init: RunflowErrorInit, retryAfterMs?: number) {
    super('server', init, statusSummary(init.status, 'server error'));
    this.retryAfterMs = retryAfterMs;
  }
}

/** Any other non-2xx status (400, 408, 409, 3xx, ...). */
export class HttpError extends RunflowApiError {
  declare readonly kind: 'http';
  readonly retryAfterMs: number | undefined;
  constructor(init: RunflowErrorInit, retryAfterMs?: number) {
    super('http', init, statusSummary(init.status, httpStatusText(init.status)));
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The exchange failed below HTTP. `code` is the system error code (`ECONNREFUSED`, `ECONNRESET`, ...).
 * `requestSent` is false only when the request provably never left this machine (no connection was
 * made), which is what makes a retry of a non-idempotent request safe.
 */
export class NetworkError extends RunflowApiError {
  declare readonly kind: 'network';
  readonly code: string | undefined;
  readonly requestSent: boolean | 'unknown';
  constructor(init: RunflowErrorInit, code: string | undefined, requestSent: boolean | 'unknown') {
    super('network', init, code ? `network error (${code})` : 'network error');
    this.code = code;
    this.requestSent = requestSent;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), code: this.code, requestSent: this.requestSent };
  }
}

/** The attempt took longer than its time limit (or the overall retry deadline ran out). */
export class TimeoutError extends RunflowApiError {
  declare readonly kind: 'timeout';
  readonly timeoutMs: number;
  constructor(init: RunflowErrorInit, timeoutMs: number) {
    super('timeout', init, `timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. Never retried. */
export class CancelledError extends RunflowApiError {
  declare readonly kind: 'cancelled';
  constructor(init: RunflowErrorInit) {
    super('cancelled', init, 'cancelled');
  }
}

/** A 2xx answer whose body is not the JSON the endpoint promises. */
export class MalformedResponseError extends RunflowApiError {
  declare readonly kind: 'malformed';
  constructor(init: RunflowErrorInit, summary = 'malformed response body') {
    super('malformed', init, init.status === undefined ? summary : `${init.status} ${summary}`);
  }
}

export function isRunflowApiError(value: unknown): value is RunflowApiError {
  return value instanceof RunflowApiError;
}

/**
 * The server refused the request as asked (400 or 422). Sent with a `q`, that means the filter: the
 * reference publishes no grammar, so a server may refuse any expression the extension writes.
 */
export function isRefusedRequest(err: unknown): err is RunflowApiError {
  return err instanceof RunflowApiError && (err.status === 400 || err.status === 422);
}

// Names are set on the prototypes rather than from `constructor.name`, which minification rewrites.
for (const [cls, name] of [
  [RunflowApiError, 'RunflowApiError'],
  [AuthenticationError, 'AuthenticationError'],
  [PermissionError, 'PermissionError'],
  [NotFoundError, 'NotFoundError'],
  [ValidationError, 'ValidationError'],
  [RateLimitedError, 'RateLimitedError'],
  [ServerError, 'ServerError'],
  [HttpError, 'HttpError'],
  [NetworkError, 'NetworkError'],
  [TimeoutError, 'TimeoutError'],
  [CancelledError, 'CancelledError'],
  [MalformedResponseError, 'MalformedResponseError'],
] as const) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}
