/**
 * HTTP client of the Runflow runs API.
 *
 * The token is asked for once per call through `getToken` and lives only in that call's closure:
 * the client never stores it, never logs it, and scrubs it from anything the server sends back
 * before that text reaches an error or the log hook.
 */
import nodeFetch from 'node-fetch';
import {
  AuthenticationError,
  CancelledError,
  MalformedResponseError,
  NetworkError,
  RunflowApiError,
  type RunflowErrorInit,
  TimeoutError,
  ValidationError,
} from './errors';
import { iteratePages, type PageDirection, type PaginationOptions, type PaginationSummary } from './pagination';
import { isPlainObject } from '../core/plainObject';
import { checkBaseUrl } from './baseUrl';
import { redact } from './redact';
import { errorFromResponse } from './responseErrors';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions, withRetry } from './retry';
import type {
  CreateModelRunBody,
  GetRunParams,
  ModelRef,
  Page,
  PatchRunBody,
  Run,
  RunLog,
  SearchLogsParams,
  SearchRunsParams,
} from './types';

/** The parts of a fetch Response the client reads; node-fetch's and the global fetch's both fit. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FetchInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  redirect: 'manual';
  /** node-fetch only: largest accepted body in bytes. */
  size?: number;
}

export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

export type LogLevel = 'debug' | 'info' | 'warn';

export interface RunflowClientOptions {
  /** e.g. `https://api.runflow.io`; a path prefix (`https://host/proxy`) is kept. */
  baseUrl: string;
  /** Asked once per call; undefined or empty fails the call with an AuthenticationError. */
  getToken: () => Promise<string | undefined> | string | undefined;
  /** Sent as `X-Organization-Id` when set. A getter is asked once per call. */
  organizationId?: string | (() => Promise<string | undefined> | string | undefined);
  /** e.g. `runflow-vscode/0.1.0` */
  userAgent?: string;
  /** Per-attempt time limit, covering the response body too. Default 30 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Defaults to node-fetch. */
  fetch?: FetchLike;
  /** Receives one-line messages that never contain the token or request headers. */
  log?: (level: LogLevel, message: string) => void;
  /**
   * Plain `http:` is refused except to loopback hosts, so a mistyped base URL cannot send the token
   * in clear text. Set to allow it anyway.
   */
  allowInsecureHttp?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt `timeoutMs` for this call. */
  timeoutMs?: number;
}

export type IterateOptions = PaginationOptions & CallOptions;

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Larger bodies are refused (node-fetch only) instead of being buffered. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
const HEADER_VALUE_PATTERN = /^[\x20-\x7e]*$/;
/** System error codes raised before any byte of the request could reach a server. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Failures worth a warning; the rest (404, 422, ...) are answers the caller handles. */
const LOUD_KINDS = new Set(['server', 'network', 'timeout', 'malformed', 'rate_limited']);

type QueryValue = string | number | boolean | readonly string[] | null | undefined;

interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Checks the parsed JSON; returns undefined when it is not what the endpoint promises. */
  accept: (json: unknown) => T | undefined;
}

export class RunflowClient {
  private readonly origin: string;
  private readonly pathPrefix: string;
  private readonly getToken: RunflowClientOptions['getToken'];
  private readonly organizationId: RunflowClientOptions['organizationId'];
  private readonly userAgent: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: ResolvedRetryOptions;
  private readonly fetchFn: FetchLike;
  private readonly logFn: RunflowClientOptions['log'];

  constructor(options: RunflowClientOptions) {
    const checked = checkBaseUrl(options.baseUrl, options.allowInsecureHttp);
    // Settings are checked with the same rule before a client is built: this is a caller's mistake.
    if (!checked.ok) throw new TypeError(checked.problem);
    const url = new URL(checked.url);
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.getToken = options.getToken;
    this.organizationId = options.organizationId;
    this.userAgent = options.userAgent;
    this.timeoutMs = positiveOr(options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.retry = resolveRetryOptions(options.retry);
    this.fetchFn = options.fetch ?? nodeFetch;
    this.logFn = options.log;
  }

  /** `GET /v1/runs` */
  async searchRuns(params: SearchRunsParams = {}, options?: CallOptions): Promise<Page<Run>> {
    return this.request(
      {
        method: 'GET',
        path: '/v1/runs',
        query: {
          q: params.q,
          limit: params.limit,
          sort_by: params.sort_by,
          fields: params.fields,
          embed: params.embed,
          pq: params.pq,
          from_prev: params.from_prev,
          evaluation_status: params.evaluation_status,
          evaluation_issue_category: params.evaluation_issue_category,
          evaluation_issue_subcategory: params.evaluation_issue_subcategory,
        },
        accept: acceptPage<Run>,
      },
      options,
    );
  }

  /** `GET /v1/runs/{id}` */
  async getRun(id: string, params: GetRunParams = {}, options?: CallOptions): Promise<Run> {
    return this.request(
      { method: 'GET', path: `/v1/runs/${pathSegment(id, 'run id')}`, query: { embed: params.embed }, accept: acceptObject<Run> },
      options,
    );
  }

  /** `GET /v1/runs/{run_id}/logs`; `'any'` searches the logs of every run of the organisation. */
  async searchLogs(runId: string, params: SearchLogsParams = {}, options?: CallOptions): Promise<Page<RunLog>> {
    return this.request(
      {
        method: 'GET',
        path: `/v1/runs/${pathSegment(runId, 'run id')}/logs`,
        query: {
          q: params.q,
          limit: params.limit,
          sort_by: params.sort_by,
          fields: params.fields,
          pq: params.pq,
          from_prev: params.from_prev,
        },
        accept: acceptPage<RunLog>,
      },
      options,
    );
  }

  /**
   * `POST /v1/models/{owner}/{slug}/runs`. Never re-sent after it may have reached the server
   * (see retry.ts): a second POST would create a second run.
   */
  createModelRun(model: string | ModelRef, body: CreateModelRunBody, options?: CallOptions): Promise<Run>;
  createModelRun(owner: string, slug: string, body: CreateModelRunBody, options?: CallOptions): Promise<Run>;
  async createModelRun(
    first: string | ModelRef,
    second: string | CreateModelRunBody,
    third?: CreateModelRunBody | CallOptions,
    fourth?: CallOptions,
  ): Promise<Run> {
    let ref: ModelRef;
    let body: CreateModelRunBody;
    let options: CallOptions | undefined;
    if (typeof second === 'string') {
      ref = { owner: first as string, slug: second };
      body = third as CreateModelRunBody;
      options = fourth;
    } else {
      ref = typeof first === 'string' ? parseModelRef(first) : first;
      body = second;
      options = third as CallOptions | undefined;
    }
    const path = `/v1/models/${pathSegment(ref.owner, 'model owner')}/${pathSegment(ref.slug, 'model slug')}/runs`;
    return this.request({ method: 'POST', path, body, accept: acceptObject<Run> }, options);
  }

  /** `PATCH /v1/runs/{id}` */
  async patchRun(id: string, body: PatchRunBody, options?: CallOptions): Promise<Run> {
    return this.request(
      { method: 'PATCH', path: `/v1/runs/${pathSegment(id, 'run id')}`, body, accept: acceptObject<Run> },
      options,
    );
  }

  /**
   * Pages of `GET /v1/runs/{run_id}/logs`, following cursors from `params.pq` (or the start). Ends on a
   * null cursor, a repeated cursor, an empty page that points further, or `maxPages`; `onStop` (and the
   * generator's return value) says which.
   */
  iterateLogPages(runId: string, params: SearchLogsParams = {}, options: IterateOptions = {}): AsyncGenerator<Page<RunLog>, PaginationSummary, undefined> {
    return iteratePages(
      (cursor, direction) => this.searchLogs(runId, followCursor(params, cursor, direction), options),
      { ...options, startCursor: options.startCursor ?? params.pq },
    );
  }

  private async request<T>(spec: RequestSpec<T>, options: CallOptions = {}): Promise<T> {
    const { method, path } = spec;
    const { signal } = options;

    const token = await this.readToken(method, path);
    // A run id pasted by mistake could be the token itself; keep it out of errors and logs too.
    const safePath = redact(path, [token]);
    const init: RunflowErrorInit = { method, path: safePath };
    if (signal?.aborted) throw new CancelledError(init);
    const organizationId = await this.readOrganizationId(init);
    const timeoutMs = positiveOr(options.timeoutMs, this.timeoutMs);
    const url = this.origin + this.pathPrefix + path + buildQueryString(spec.query ?? {});

    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
    };
    if (this.userAgent) headers['User-Agent'] = this.userAgent;
    if (organizationId) headers['X-Organization-Id'] = organizationId;
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['Content-Type'] = 'application/json';
    }

    const log = (level: LogLevel, message: string) => {
      if (this.logFn) this.logFn(level, redact(message, [token]));
    };

    try {
      return await withRetry(
        method,
        async (attempt, remainingMs) => {
          const started = Date.now();
          const result = await this.attempt(spec, url, { method, headers, body }, init, token, {
            signal,
            timeoutMs: Math.max(1, Math.min(timeoutMs, remainingMs)),
          });
          log('debug', `${method} ${safePath} → ${result.status} in ${Date.now() - started} ms${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
          return result.value;
        },
        this.retry,
        {
          signal,
          cancelled: () => new CancelledError(init),
          onRetry: ({ attempt, delayMs, error }) =>
            log('warn', `${describe(error)}; retrying in ${delayMs} ms (attempt ${attempt + 1} of ${this.retry.maxAttempts})`),
        },
      );
    } catch (error) {
      if (error instanceof RunflowApiError && !(error instanceof CancelledError)) {
        log(LOUD_KINDS.has(error.kind) ? 'warn' : 'info', error.message);
      }
      throw error;
    }
  }

  private async attempt<T>(
    spec: RequestSpec<T>,
    url: string,
    request: { method: string; headers: Record<string, string>; body?: string },
    init: RunflowErrorInit,
    token: string,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<{ value: T; status: number }> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) throw new CancelledError(init);

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    let status: number;
    let responseHeaders: FetchResponseLike['headers'];
    let text: string;
    try {
      const response = await this.fetchFn(url, {
        method: request.method,
        headers: { ...request.headers },
        body: request.body,
        signal: controller.signal,
        // Redirects are not followed: the token must not travel to wherever a Location points.
        redirect: 'manual',
        size: MAX_RESPONSE_BYTES,
      });
      status = response.status;
      responseHeaders = response.headers;
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(init);
      if (timedOut) throw new TimeoutError(init, timeoutMs);
      if (errorType(error) === 'max-size') throw new MalformedResponseError(init, 'response body too large');
      throw toNetworkError(init, error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }

    if (status < 200 || status > 299) {
      throw errorFromResponse({ ...init, status, headers: responseHeaders, bodyText: text, secrets: [token] });
    }
    const requestId = responseHeaders.get('x-request-id') ?? undefined;
    const withStatus: RunflowErrorInit = { ...init, status, requestId: requestId ? redact(requestId, [token]).slice(0, 128) : undefined };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new MalformedResponseError(withStatus, text.trim() === '' ? 'empty response body' : 'response body is not valid JSON');
    }
    const value = spec.accept(json);
    if (value === undefined) throw new MalformedResponseError(withStatus, 'response body does not have the expected shape');
    return { value, status };
  }

  private async readToken(method: string, path: string): Promise<string> {
    let token: string | undefined;
    try {
      token = await this.getToken();
    } catch {
      // The getter's own error is dropped: it may come from secret storage and quote the secret.
      throw new AuthenticationError({ method, path }, 'could not read the API token');
    }
    token = typeof token === 'string' ? token.trim() : undefined;
    if (!token) throw new AuthenticationError({ method, path }, 'no API token; sign in first');
    if (!TOKEN_PATTERN.test(token)) {
      const init = { method, path: redact(path, [token, ...token.split(/[^\x21-\x7e]+/)]) };
      throw new AuthenticationError(init, 'the API token contains characters that cannot be sent');
    }
    return token;
  }

  private async readOrganizationId(init: RunflowErrorInit): Promise<string | undefined> {
    const source = this.organizationId;
    const value = typeof source === 'function' ? await source() : source;
    const id = value?.trim();
    if (!id) return undefined;
    if (!HEADER_VALUE_PATTERN.test(id)) {
      throw new ValidationError(init, [{ loc: ['header', 'X-Organization-Id'], msg: 'contains characters that cannot be sent in a header' }]);
    }
    return id;
  }
}

/** Accepts `owner/slug` (surrounding spaces ignored). */
export function parseModelRef(ref: string): ModelRef {
  const parts = ref.trim().split('/');
  if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) {
    throw new TypeError('a model reference must look like "owner/slug"');
  }
  return { owner: parts[0].trim(), slug: parts[1].trim() };
}

/** Encodes one path segment; empty and dot segments are refused since URL parsing would collapse them. */
export function pathSegment(value: string, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new TypeError(`invalid ${what}`);
  }
  return encodeURIComponent(value);
}

/** `?a=1&b=x%20y`, leaving out undefined, null and empty lists; booleans as true/false; lists comma-joined. */
export function buildQueryString(query: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    let text: string;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      text = value.join(',');
    } else if (typeof value === 'boolean') {
      text = value ? 'true' : 'false';
    } else {
      text = String(value);
    }
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function followCursor<P extends { pq?: string | null; from_prev?: boolean | null }>(
  params: P,
  cursor: string | undefined,
  direction: PageDirection,
): P {
  if (cursor === undefined) return params;
  // The server checks that a cursor is sent with the flag matching the direction it was issued for.
  return { ...params, pq: cursor, from_prev: direction === 'previous' ? true : undefined };
}

function acceptObject<T>(json: unknown): T | undefined {
  return isPlainObject(json) ? (json as T) : undefined;
}

function acceptPage<T>(json: unknown): Page<T> | undefined {
  if (!isPlainObject(json) || !Array.isArray(json.items)) return undefined;
  if (!json.items.every(isPlainObject)) return undefined;
  const cursors: Record<'first' | 'next' | 'previous', string | null> = { first: null, next: null, previous: null };
  for (const key of ['first', 'next', 'previous'] as const) {
    const value = json[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return undefined;
    cursors[key] = value;
  }
  // Extra fields of the page are kept; only the cursors are normalised to string | null.
  return { ...json, items: json.items as T[], ...cursors };
}


function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function errorType(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
    ? (error as { type: string }).type
    : undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  const value = typeof code === 'string' ? code : typeof errno === 'string' ? errno : undefined;
  // Only well-formed codes are kept; anything else could be arbitrary text.
  return value && /^[A-Z0-9_]{2,40}$/.test(value) ? value : undefined;
}

function toNetworkError(init: RunflowErrorInit, error: unknown): NetworkError {
  const code = errorCode(error) ?? errorCode((error as { cause?: unknown } | null)?.cause);
  return new NetworkError(init, code, code !== undefined && UNSENT_CODES.has(code) ? false : 'unknown');
}

function describe(error: unknown): string {
  return error instanceof RunflowApiError ? error.message : 'request failed';
}
