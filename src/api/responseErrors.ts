/**
 * Turns a non-2xx HTTP answer into the matching typed error. Error bodies are read leniently:
 * FastAPI's `{"detail": "..."}` and `{"detail": [{loc, msg, type}]}`, `{"message": ...}`,
 * `{"error": ...}` / `{"error": {"message": ...}}`, and plain text; HTML error pages from proxies
 * yield no server message rather than a screenful of markup.
 */
import {
  AuthenticationError,
  HttpError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  type RunflowApiError,
  type RunflowErrorInit,
  ServerError,
  type ValidationDetail,
  ValidationError,
} from './errors';
import { isPlainObject } from '../core/plainObject';
import { redact, truncate } from './redact';
import { parseRetryAfter } from './retryAfter';

const MAX_SERVER_MESSAGE = 300;
const MAX_DETAILS = 50;
const MAX_DETAILS_IN_MESSAGE = 3;

export interface ParsedErrorBody {
  message?: string;
  details?: ValidationDetail[];
  requestId?: string;
}

export interface ErrorResponse {
  method: string;
  path: string;
  status: number;
  headers: { get(name: string): string | null };
  bodyText: string;
  /** Values that must not appear in the error (the token). */
  secrets: readonly (string | undefined)[];
  now?: number;
}

/**
 * Server text as it may be shown: one line without control characters, and without the `[label](target)`
 * syntax that notifications turn into links (a hostile server could otherwise offer a `command:` link).
 */
function showable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\[/g, '⟦')
    .replace(/\]/g, '⟧')
    .trim();
}

export function errorFromResponse(res: ErrorResponse): RunflowApiError {
  // The token is looked for as sent and as `showable` rewrites it (it may hold brackets).
  const secrets = [...res.secrets, ...res.secrets.map((s) => (s ? showable(s) : s))];
  const clean = (text: string, max = MAX_SERVER_MESSAGE) => truncate(redact(showable(text), secrets), max);
  const body = parseErrorBody(res.bodyText);
  const headerRequestId = res.headers.get('x-request-id') ?? undefined;
  const requestId = headerRequestId || body.requestId;
  const init: RunflowErrorInit = {
    method: res.method,
    path: res.path,
    status: res.status,
    serverMessage: body.message ? clean(body.message) || undefined : undefined,
    requestId: requestId ? clean(requestId, 128) || undefined : undefined,
  };
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), res.now);
  const { status } = res;
  if (status === 401) return new AuthenticationError(init);
  if (status === 403) return new PermissionError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 422) {
    const details = (body.details ?? []).map((d) => ({
      ...d,
      loc: d.loc.map((part) => (typeof part === 'string' ? clean(part, 100) : part)),
      msg: clean(d.msg),
    }));
    return new ValidationError(init, details);
  }
  if (status === 429) return new RateLimitedError(init, retryAfterMs);
  if (status >= 500 && status <= 599) return new ServerError(init, retryAfterMs);
  return new HttpError(init, retryAfterMs);
}

export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return {};
    }
    return isPlainObject(json) ? fromJsonBody(json) : {};
  }
  if (trimmed.startsWith('<')) return {};
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  return { message: firstLine };
}

function fromJsonBody(body: Record<string, unknown>): ParsedErrorBody {
  const out: ParsedErrorBody = {};
  const requestId = body.request_id ?? body.requestId;
  if (typeof requestId === 'string') out.requestId = requestId;

  const { detail } = body;
  if (typeof detail === 'string') {
    out.message = detail;
  } else if (Array.isArray(detail)) {
    out.details = detail.slice(0, MAX_DETAILS).flatMap(toValidationDetail);
    out.message = summariseDetails(out.details, detail.length);
  } else if (isPlainObject(detail)) {
    out.message = messageOf(detail);
  }
  out.message ??= messageOf(body);
  return out;
}

function messageOf(obj: Record<string, unknown>): string | undefined {
  for (const key of ['message', 'msg', 'error', 'error_description', 'title']) {
    const value = obj[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (isPlainObject(value)) {
      const nested = value.message ?? value.msg;
      if (typeof nested === 'string' && nested.trim() !== '') return nested;
    }
  }
  return undefined;
}

function toValidationDetail(item: unknown): ValidationDetail[] {
  if (!isPlainObject(item)) return [];
  const msg = typeof item.msg === 'string' ? item.msg : typeof item.message === 'string' ? item.message : undefined;
  if (msg === undefined) return [];
  const loc = Array.isArray(item.loc)
    ? item.loc.map((part) => (typeof part === 'number' ? part : String(part)))
    : [];
  const detail: ValidationDetail = { loc, msg };
  if (typeof item.type === 'string') detail.type = item.type;
  return [detail];
}

function summariseDetails(details: ValidationDetail[], total: number): string | undefined {
  if (details.length === 0) return undefined;
  const shown = details.slice(0, MAX_DETAILS_IN_MESSAGE).map((d) => {
    const where = d.loc.join('.');
    return where ? `${where}: ${d.msg}` : d.msg;
  });
  const more = total - shown.length;
  return more > 0 ? `${shown.join('; ')} (+${more} more)` : shown.join('; ');
}
