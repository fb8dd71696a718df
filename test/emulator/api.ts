/**
 * The emulated Runflow endpoints (`/v1/...`) and the output files (`/files/...`). Handlers turn a
 * fully read request into a complete response; transport concerns (faults, the request log,
 * slow bodies) live in server.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CatalogueModel } from './catalogue';
import { errorBodyOf, HttpError, invalid, notFound, validationError } from './errors';
import { logFieldResolver, project, runFieldResolver, runSortValue, SORTABLE_RUN_FIELDS } from './fields';
import type { Lifecycle } from './lifecycle';
import { LogSource } from './logs';
import {
  DEFAULT_CURSORS,
  keyComparator,
  keysetPage,
  reversed,
  sortSpecText,
  type CursorCodec,
  type Key,
  type SortedSource,
  type SortSpec,
} from './paging';
import { imageFor } from './png';
import { compileQuery, isDecimalString, QueryError, type FieldResolver, type Predicate } from './query';
import { blankRun, isActive, isTerminal, type RunRecord, type Store } from './store';
import {
  mayReadEvaluations,
  PATCH_RESPONSE_FIELDS,
  STRICT_CURSORS,
  STRICT_DEFAULT_LIMIT,
  STRICT_DEFAULT_RUN_SORT,
  STRICT_EMBEDDED_LOG_LIMIT,
  strictBaseRun,
  strictCatalogueObject,
  StrictLogView,
  strictNodeRun,
  strictRunSortValue,
  type StrictContext,
  type StrictLine,
} from './strict';
import {
  RUN_EMBEDS,
  RUN_FIELDS,
  RUN_LOG_FIELDS,
  RUN_STATUSES,
  type JsonObject,
  type Page,
  type Run,
  type RunEmbed,
  type RunLog,
  type RunStatus,
  type ValidationErrorItem,
} from './types';

export interface ApiContext {
  store: Store;
  lifecycle: Lifecycle;
  tokens: Record<string, string[] | '*'>;
  organizations: string[];
  /** Set in strict mode: see strict.ts. */
  strict: StrictContext | null;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
/** `embed=logs` returns at most this many lines per run; the logs endpoint pages through the rest. */
export const EMBEDDED_LOG_LIMIT = 1000;
const GET_RUN_EMBEDS: readonly RunEmbed[] = ['comfyui_workflow', 'flow', 'logs', 'model', 'node_runs'];

export function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

export function errorResponse(err: HttpError, strict = false): ApiResponse {
  return json(err.status, errorBodyOf(err, strict), err.headers);
}

// ---------------------------------------------------------------------------------------------
// Auth

interface Caller {
  token: string;
  orgId: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function authenticate(ctx: ApiContext, req: ApiRequest): Caller {
  const auth = header(req.headers, 'authorization');
  const challenge = { 'WWW-Authenticate': 'Bearer' };
  if (!auth) throw new HttpError(401, 'Not authenticated', challenge);
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m) throw new HttpError(401, 'Invalid authorization header; expected "Bearer <token>"', challenge);
  const token = m[1];
  const allowed = ctx.tokens[token];
  if (allowed === undefined) throw new HttpError(401, 'Invalid or expired token', challenge);
  const mayUse = (org: string) => allowed === '*' || allowed.includes(org);
  const requested = header(req.headers, 'x-organization-id')?.trim();
  if (requested) {
    if (!ctx.organizations.includes(requested)) throw new HttpError(403, `Unknown organization '${requested}'`);
    if (!mayUse(requested)) throw new HttpError(403, `This token may not access organization '${requested}'`);
    return { token, orgId: requested };
  }
  const orgId = ctx.organizations.find(mayUse);
  if (!orgId) throw new HttpError(403, 'This token has no organization');
  return { token, orgId };
}

// ---------------------------------------------------------------------------------------------
// Query parameters

function lastParam(q: URLSearchParams, name: string): string | null {
  const all = q.getAll(name);
  return all.length > 0 ? all[all.length - 1] : null;
}

function parseLimit(q: URLSearchParams, errors: ValidationErrorItem[], fallback = DEFAULT_LIMIT): number {
  const raw = lastParam(q, 'limit');
  if (raw === null) return fallback;
  if (!/^\s*\d+\s*$/.test(raw)) {
    errors.push({ loc: ['query', 'limit'], msg: `Input should be a valid integer, unable to parse string as an integer (got '${raw}')`, type: 'int_parsing' });
    return fallback;
  }
  const n = Number(raw);
  if (n < 1) errors.push({ loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal' });
  else if (n > MAX_LIMIT) errors.push({ loc: ['query', 'limit'], msg: `Input should be less than or equal to ${MAX_LIMIT}`, type: 'less_than_equal' });
  return n;
}

function parseSort(q: URLSearchParams, allowed: readonly string[], fallback: SortSpec, errors: ValidationErrorItem[]): SortSpec {
  const raw = lastParam(q, 'sort_by');
  if (raw === null || raw.trim() === '') return fallback;
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(asc|desc)\s*)?$/i.exec(raw);
  if (!m) {
    errors.push({ loc: ['query', 'sort_by'], msg: `Invalid sort expression '${raw}'; expected 'field:asc' or 'field:desc'`, type: 'value_error' });
    return fallback;
  }
  if (!allowed.includes(m[1])) {
    errors.push({ loc: ['query', 'sort_by'], msg: `Cannot sort by '${m[1]}'; sortable fields: ${allowed.join(', ')}`, type: 'value_error' });
    return fallback;
  }
  return { field: m[1], desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
}

function parseList(q: URLSearchParams, name: string): string[] | null {
  const raw = lastParam(q, name);
  if (raw === null) return null;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length > 0 ? items : null;
}

function parseFields(q: URLSearchParams, allowed: readonly string[], errors: ValidationErrorItem[]): Set<string> | null {
  const items = parseList(q, 'fields');
  if (!items) return null;
  const unknown = items.filter((f) => !allowed.includes(f));
  if (unknown.length > 0) {
    errors.push({ loc: ['query', 'fields'], msg: `Unknown field(s): ${unknown.join(', ')}; known fields: ${allowed.join(', ')}`, type: 'value_error' });
  }
  return new Set(items);
}

function parseEmbed(q: URLSearchParams, allowed: readonly RunEmbed[], errors: ValidationErrorItem[]): Set<RunEmbed> {
  const items = parseList(q, 'embed') ?? [];
  const unknown = items.filter((e) => !(allowed as readonly string[]).includes(e));
  if (unknown.length > 0) {
    errors.push({ loc: ['query', 'embed'], msg: `Unknown embed(s): ${unknown.join(', ')}; available: ${allowed.join(', ')}`, type: 'value_error' });
  }
  return new Set(items.filter((e): e is RunEmbed => (allowed as readonly string[]).includes(e)));
}

function parseBool(q: URLSearchParams, name: string, errors: ValidationErrorItem[]): boolean {
  const raw = lastParam(q, name);
  if (raw === null) return false;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
  errors.push({ loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', type: 'bool_parsing' });
  return false;
}

/**
 * Strict mode's answer to `q`, whose grammar the reference does not publish: 'refuse-q' refuses any
 * request carrying it, 'ignore-q' acts as a server that drops parameters it does not know.
 */
function refuseQ(ctx: ApiContext, q: URLSearchParams): void {
  if (ctx.strict?.mode === 'refuse-q' && q.has('q')) {
    throw new HttpError(400, "Query parameter 'q' is not supported by this server", {}, 'unsupported_parameter');
  }
}

function compile<T>(ctx: ApiContext, q: URLSearchParams, resolver: () => FieldResolver<T>): Predicate<T> {
  if (ctx.strict) return () => true;
  const src = lastParam(q, 'q') ?? '';
  try {
    return compileQuery(src, resolver());
  } catch (e) {
    if (e instanceof QueryError) throw new HttpError(400, `q: ${e.message}`);
    throw e;
  }
}

interface CursorRequest {
  boundary: Key | null;
  backward: boolean;
}

function cursorsOf(ctx: ApiContext): CursorCodec {
  return ctx.strict ? STRICT_CURSORS : DEFAULT_CURSORS;
}

function parseCursor(q: URLSearchParams, sort: SortSpec, fromPrev: boolean, codec: CursorCodec): CursorRequest {
  const raw = lastParam(q, 'pq');
  if (raw === null || raw === '') return { boundary: null, backward: false };
  const cursor = codec.decode(raw);
  if (!cursor) throw invalid(['query', 'pq'], 'Invalid pagination cursor', 'value_error');
  const spec = sortSpecText(sort);
  if (cursor.s !== spec) {
    throw invalid(['query', 'pq'], `This cursor was issued for sort_by=${cursor.s}, not sort_by=${spec}`, 'value_error');
  }
  if (cursor.d === 'first') return { boundary: null, backward: false };
  if (cursor.d === 'prev' && !fromPrev) {
    throw invalid(['query', 'from_prev'], "This is a 'previous' cursor: send it with from_prev=true", 'value_error');
  }
  if (cursor.d === 'next' && fromPrev) {
    throw invalid(['query', 'from_prev'], "This is a 'next' cursor: send it without from_prev=true", 'value_error');
  }
  return { boundary: cursor.k, backward: cursor.d === 'prev' };
}

function throwIfAny(errors: ValidationErrorItem[]): void {
  if (errors.length > 0) throw validationError(errors);
}

function arraySource<T>(items: T[]): SortedSource<T> {
  return { length: items.length, at: (i) => items[i] };
}

function pageOf<T, U>(
  result: { items: T[]; hasBefore: boolean; hasAfter: boolean },
  keyOf: (t: T) => Key,
  spec: string,
  cursor: CursorRequest,
  serialize: (t: T) => U,
  codec: CursorCodec,
): Page<U> {
  const { items } = result;
  const firstKey = items.length > 0 ? keyOf(items[0]) : cursor.boundary;
  const lastKey = items.length > 0 ? keyOf(items[items.length - 1]) : cursor.boundary;
  return {
    items: items.map(serialize),
    first: codec.encode({ s: spec, k: null, d: 'first' }),
    next: result.hasAfter && lastKey ? codec.encode({ s: spec, k: lastKey, d: 'next' }) : null,
    previous: result.hasBefore && firstKey ? codec.encode({ s: spec, k: firstKey, d: 'prev' }) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Serialisation

function serializeRun(ctx: ApiContext, record: RunRecord, embeds: Set<RunEmbed>, fields: Set<string> | null = null): Run {
  if (ctx.strict) return serializeStrictRun(ctx, ctx.strict, record, embeds, fields);
  const out = { ...project(record.run, fields) } as Run;
  const cat = ctx.store.catalogue;
  const run = record.run;
  if (embeds.has('current_evaluation_summary')) out.current_evaluation_summary = record.evaluation?.summary ?? null;
  if (embeds.has('node_runs')) out.node_runs = record.nodeRuns;
  if (embeds.has('logs')) out.logs = record.logs.head(EMBEDDED_LOG_LIMIT);
  if (embeds.has('model')) out.model = run.model_id ? (cat.modelById.get(run.model_id)?.model ?? null) : null;
  if (embeds.has('flow')) out.flow = run.flow_id ? (cat.flowById.get(run.flow_id) ?? null) : null;
  if (embeds.has('comfyui_workflow')) {
    out.comfyui_workflow = run.comfyui_workflow_id ? (cat.workflowById.get(run.comfyui_workflow_id) ?? null) : null;
  }
  return out;
}

function serializeStrictRun(ctx: ApiContext, strict: StrictContext, record: RunRecord, embeds: Set<RunEmbed>, fields: Set<string> | null): Run {
  const out = { ...project(strictBaseRun(record.run), fields, [], false) } as Run;
  const cat = ctx.store.catalogue;
  const run = record.run;
  if (embeds.has('current_evaluation_summary')) out.current_evaluation_summary = record.evaluation?.summary ?? null;
  if (embeds.has('node_runs')) out.node_runs = record.nodeRuns.map(strictNodeRun);
  if (embeds.has('logs')) out.logs = new StrictLogView(record.logs, strict.logQuirks.get(run.id)).head(STRICT_EMBEDDED_LOG_LIMIT);
  if (embeds.has('model')) out.model = strictCatalogueObject(strict, run.model_id ? (cat.modelById.get(run.model_id)?.model ?? null) : null);
  if (embeds.has('flow')) out.flow = strictCatalogueObject(strict, run.flow_id ? (cat.flowById.get(run.flow_id) ?? null) : null);
  if (embeds.has('comfyui_workflow')) {
    out.comfyui_workflow = strictCatalogueObject(strict, run.comfyui_workflow_id ? (cat.workflowById.get(run.comfyui_workflow_id) ?? null) : null);
  }
  return out;
}

function findRun(ctx: ApiContext, caller: Caller, id: string): RunRecord {
  const record = ctx.store.get(id);
  if (!record || record.orgId !== caller.orgId) throw notFound(`Run '${id}' not found`);
  return record;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const DEFAULT_RUN_SORT: SortSpec = { field: 'created_at', desc: true };
const DEFAULT_LOG_SORT: SortSpec = { field: 'timestamp', desc: false };
const RUN_PROJECTABLE = [...RUN_FIELDS, 'current_evaluation_summary'];

function searchRuns(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const caller = authenticate(ctx, req);
  const q = req.query;
  refuseQ(ctx, q);
  const errors: ValidationErrorItem[] = [];
  const limit = parseLimit(q, errors, ctx.strict ? STRICT_DEFAULT_LIMIT : DEFAULT_LIMIT);
  const sort = parseSort(q, SORTABLE_RUN_FIELDS, ctx.strict ? STRICT_DEFAULT_RUN_SORT : DEFAULT_RUN_SORT, errors);
  const fields = parseFields(q, RUN_PROJECTABLE, errors);
  const embeds = parseEmbed(q, RUN_EMBEDS, errors);
  const fromPrev = parseBool(q, 'from_prev', errors);
  const evalStatus = lastParam(q, 'evaluation_status');
  if (evalStatus !== null && evalStatus !== '' && !['passed', 'failed', 'not_evaluated'].includes(evalStatus)) {
    errors.push({ loc: ['query', 'evaluation_status'], msg: "Input should be 'passed', 'failed' or 'not_evaluated'", type: 'enum' });
  }
  throwIfAny(errors);
  if (embeds.has('current_evaluation_summary') && !mayReadEvaluations(caller.token, ctx.strict !== null)) {
    throw new HttpError(403, "Embedding 'current_evaluation_summary' requires the evaluations:read permission", {}, 'permission_denied');
  }
  const codec = cursorsOf(ctx);
  const cursor = parseCursor(q, sort, fromPrev, codec);
  const predicate = compile(ctx, q, () => runFieldResolver(ctx.store.catalogue));

  const category = lastParam(q, 'evaluation_issue_category') || null;
  const subcategory = lastParam(q, 'evaluation_issue_subcategory') || null;
  const evaluationMatches = (r: RunRecord): boolean => {
    const ev = r.evaluation;
    if (evalStatus === 'passed' && ev?.summary.passed !== true) return false;
    if (evalStatus === 'failed' && ev?.summary.passed !== false) return false;
    if (evalStatus === 'not_evaluated' && ev && ev.summary.passed !== null) return false;
    if (category || subcategory) {
      const hit = ev?.issues.some((i) => (!category || i.category === category) && (!subcategory || i.subcategory === subcategory));
      if (!hit) return false;
    }
    return true;
  };

  const keyOf = (r: RunRecord): Key => [ctx.strict ? strictRunSortValue(r, sort.field, runSortValue) : runSortValue(r, sort.field), r.run.id];
  const compare = keyComparator(sort.desc, sort.field === 'cost', ctx.strict !== null);
  const matching = ctx.store.inOrg(caller.orgId).filter((r) => evaluationMatches(r) && predicate(r));
  matching.sort((a, b) => compare(keyOf(a), keyOf(b)));
  const result = keysetPage({ sources: [arraySource(matching)], keyOf, compare, match: () => true, ...cursor, limit });
  const page = pageOf(result, keyOf, sortSpecText(sort), cursor, (r) => serializeRun(ctx, r, embeds, fields), codec);
  return json(200, page);
}

function getRun(ctx: ApiContext, req: ApiRequest, id: string): ApiResponse {
  const caller = authenticate(ctx, req);
  const errors: ValidationErrorItem[] = [];
  const embeds = parseEmbed(req.query, GET_RUN_EMBEDS, errors);
  throwIfAny(errors);
  return json(200, serializeRun(ctx, findRun(ctx, caller, id), embeds));
}

function searchLogs(ctx: ApiContext, req: ApiRequest, runId: string): ApiResponse {
  const caller = authenticate(ctx, req);
  const q = req.query;
  refuseQ(ctx, q);
  const errors: ValidationErrorItem[] = [];
  const limit = parseLimit(q, errors, ctx.strict ? STRICT_DEFAULT_LIMIT : DEFAULT_LIMIT);
  const sort = parseSort(q, ['timestamp'], DEFAULT_LOG_SORT, errors);
  const fields = parseFields(q, RUN_LOG_FIELDS, errors);
  const fromPrev = parseBool(q, 'from_prev', errors);
  throwIfAny(errors);
  const records = runId === 'any' ? ctx.store.inOrg(caller.orgId) : [findRun(ctx, caller, runId)];
  const codec = cursorsOf(ctx);
  const cursor = parseCursor(q, sort, fromPrev, codec);
  if (ctx.strict) return strictLogPage(ctx.strict, records, sort, fields, cursor, limit, codec);
  const predicate = compile(ctx, q, () => logFieldResolver);
  const keyOf = (l: RunLog): Key => [l.timestamp, l.id ?? ''];
  const compare = keyComparator(sort.desc);
  const sources = records.filter((r) => r.logs.length > 0).map((r) => (sort.desc ? reversed<RunLog>(r.logs) : (r.logs as SortedSource<RunLog>)));
  const result = keysetPage({ sources, keyOf, compare, match: predicate, ...cursor, limit });
  return json(200, pageOf(result, keyOf, sortSpecText(sort), cursor, (l) => project(l, fields), codec));
}

/**
 * Logs in strict mode: timestamps in mixed spellings, some missing or unparseable, ordered by the
 * instant the server holds (a line without one keeps its place after the timestamped line before
 * it), and `run` filled as the reference's RunLog has it. Each run is serialised once per page and
 * spliced into its lines: a page of 500 lines would otherwise serialise the same run 500 times.
 */
function strictLogPage(
  strict: StrictContext,
  records: RunRecord[],
  sort: SortSpec,
  fields: Set<string> | null,
  cursor: CursorRequest,
  limit: number,
  codec: CursorCodec,
): ApiResponse {
  const runJson = new Map<string, string>();
  const sources = records
    .filter((r) => r.logs.length > 0)
    .map((r) => {
      const view = new StrictLogView(r.logs, strict.logQuirks.get(r.run.id));
      return sort.desc ? reversed<StrictLine>(view) : (view as SortedSource<StrictLine>);
    });
  const keyOf = (l: StrictLine): Key => l.key;
  const result = keysetPage({ sources, keyOf, compare: keyComparator(sort.desc), match: () => true, ...cursor, limit });
  const withRun = !fields || fields.has('run');
  const byId = new Map(records.map((r) => [r.run.id, r]));
  const runJsonOf = (runId: string | null): string => {
    const record = runId === null ? undefined : byId.get(runId);
    if (!record) return 'null';
    let text = runJson.get(record.run.id);
    if (text === undefined) {
      text = JSON.stringify(strictBaseRun(record.run));
      runJson.set(record.run.id, text);
    }
    return text;
  };
  const serialize = (l: StrictLine): string => {
    const { run: _run, ...rest } = project(l.log, fields, [], false);
    const text = JSON.stringify(rest);
    if (!withRun) return text;
    const run = runJsonOf(l.log.run_id);
    return text === '{}' ? `{"run":${run}}` : `${text.slice(0, -1)},"run":${run}}`;
  };
  const page = pageOf(result, keyOf, sortSpecText(sort), cursor, serialize, codec);
  const body = `{"items":[${page.items.join(',')}],"first":${JSON.stringify(page.first)},"next":${JSON.stringify(page.next)},"previous":${JSON.stringify(page.previous)}}`;
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(body, 'utf8') };
}

// ---- bodies

function parseJsonBody(req: ApiRequest): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') throw invalid(['body'], 'Field required', 'missing');
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw invalid(['body', m ? Number(m[1]) : 0], 'JSON decode error', 'json_invalid');
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireObjectBody(body: unknown): JsonObject {
  if (!isObject(body)) throw invalid(['body'], 'Input should be a valid dictionary or object to extract fields from', 'model_attributes_type');
  return body;
}

function checkInputs(input: JsonObject, model: CatalogueModel, errors: ValidationErrorItem[]): void {
  for (const spec of model.model.inputs ?? []) {
    const name = spec.name as string;
    const value = input[name];
    const loc = ['body', 'input', name];
    if (value === undefined || value === null) {
      if (spec.is_required) errors.push({ loc, msg: 'Field required', type: 'missing' });
      continue;
    }
    switch (spec.variable_type_code) {
      case 'integer':
        if (!Number.isInteger(value)) errors.push({ loc, msg: 'Input should be a valid integer', type: 'int_type' });
        break;
      case 'number':
        if (typeof value !== 'number') errors.push({ loc, msg: 'Input should be a valid number', type: 'float_type' });
        break;
      case 'boolean':
        if (typeof value !== 'boolean') errors.push({ loc, msg: 'Input should be a valid boolean', type: 'bool_type' });
        break;
      default:
        if (typeof value !== 'string') errors.push({ loc, msg: 'Input should be a valid string', type: 'string_type' });
    }
  }
}

function createModelRun(ctx: ApiContext, req: ApiRequest, owner: string, slug: string): ApiResponse {
  const caller = authenticate(ctx, req);
  const body = requireObjectBody(parseJsonBody(req));
  const errors: ValidationErrorItem[] = [];
  const { input, metadata, callback_url, client_ref } = body;
  if (input === undefined) errors.push({ loc: ['body', 'input'], msg: 'Field required', type: 'missing' });
  else if (!isObject(input)) errors.push({ loc: ['body', 'input'], msg: 'Input should be a valid dictionary', type: 'dict_type' });
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) {
    errors.push({ loc: ['body', 'metadata'], msg: 'Input should be a valid dictionary', type: 'dict_type' });
  }
  if (callback_url !== undefined && callback_url !== null) {
    if (typeof callback_url !== 'string') errors.push({ loc: ['body', 'callback_url'], msg: 'Input should be a valid string', type: 'string_type' });
    else {
      let url: URL | null = null;
      try {
        url = new URL(callback_url);
      } catch {
        errors.push({ loc: ['body', 'callback_url'], msg: 'Input should be a valid URL', type: 'url_parsing' });
      }
      if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
        errors.push({ loc: ['body', 'callback_url'], msg: "URL scheme should be 'http' or 'https'", type: 'url_scheme' });
      }
    }
  }
  if (client_ref !== undefined && client_ref !== null) {
    if (typeof client_ref !== 'string') errors.push({ loc: ['body', 'client_ref'], msg: 'Input should be a valid string', type: 'string_type' });
    else if (client_ref.length > 255) {
      errors.push({ loc: ['body', 'client_ref'], msg: 'String should have at most 255 characters', type: 'string_too_long' });
    }
  }
  throwIfAny(errors);
  const model = ctx.store.catalogue.findModel(owner, slug);
  if (!model) throw notFound(`Model '${owner}/${slug}' not found`);
  checkInputs(input as JsonObject, model, errors);
  throwIfAny(errors);

  const store = ctx.store;
  const id = store.newRunId();
  const run: Run = {
    ...blankRun(id),
    model_id: model.model.id,
    target_type: 'model',
    target_version: model.model.version,
    org_id: caller.orgId,
    status_code: 'queued',
    source_code: 'api',
    input: input as JsonObject,
    context: {},
    nodes_total: model.behaviour.nodes.length,
    nodes_completed: 0,
    client_ref: (client_ref as string | null | undefined) ?? null,
    request_id: req.requestId,
    created_by: store.catalogue.users[0],
    created_at: new Date().toISOString(),
    callback_url: (callback_url as string | null | undefined) ?? null,
    metadata: (metadata as JsonObject | null | undefined) ?? {},
    has_logs: false,
    has_node_runs: false,
    links: store.links(id),
  };
  const record = store.add({ run, orgId: caller.orgId, evaluation: null, nodeRuns: [], logs: new LogSource(id) });
  ctx.lifecycle.start(record, model);
  // The reference names no status for a created run beyond "Successful Response".
  return json(ctx.strict ? 200 : 201, serializeRun(ctx, record, new Set()));
}

const PATCH_INT_FIELDS = ['duration_ms', 'nodes_total', 'nodes_completed'] as const;
const PATCH_TIME_FIELDS = ['started_at', 'completed_at', 'updated_at'] as const;

function numberToDecimal(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(12).replace(/\.?0+$/, '') : s;
}

function patchRun(ctx: ApiContext, req: ApiRequest, id: string): ApiResponse {
  const caller = authenticate(ctx, req);
  const body = requireObjectBody(parseJsonBody(req));
  const errors: ValidationErrorItem[] = [];
  const status = body.status_code;
  if (status !== undefined && status !== null && !(typeof status === 'string' && (RUN_STATUSES as readonly string[]).includes(status))) {
    errors.push({ loc: ['body', 'status_code'], msg: `Input should be ${RUN_STATUSES.map((s) => `'${s}'`).join(', ')}`, type: 'enum' });
  }
  if (body.output !== undefined && body.output !== null && !isObject(body.output)) {
    errors.push({ loc: ['body', 'output'], msg: 'Input should be a valid dictionary', type: 'dict_type' });
  }
  for (const f of PATCH_INT_FIELDS) {
    const v = body[f];
    if (v === undefined || v === null) continue;
    if (!Number.isInteger(v)) errors.push({ loc: ['body', f], msg: 'Input should be a valid integer', type: 'int_type' });
    else if ((v as number) < 0) errors.push({ loc: ['body', f], msg: 'Input should be greater than or equal to 0', type: 'greater_than_equal' });
  }
  let cost: string | null | undefined;
  if (body.cost === null) cost = null;
  else if (typeof body.cost === 'number' && Number.isFinite(body.cost)) cost = numberToDecimal(body.cost);
  else if (typeof body.cost === 'string' && isDecimalString(body.cost.trim())) cost = body.cost.trim();
  else if (body.cost !== undefined) errors.push({ loc: ['body', 'cost'], msg: 'Input should be a decimal number or a decimal string', type: 'decimal_parsing' });
  const times: Partial<Record<(typeof PATCH_TIME_FIELDS)[number], string | null>> = {};
  for (const f of PATCH_TIME_FIELDS) {
    const v = body[f];
    if (v === undefined) continue;
    if (v === null) times[f] = null;
    else if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) times[f] = new Date(v).toISOString();
    else errors.push({ loc: ['body', f], msg: 'Input should be a valid datetime', type: 'datetime_parsing' });
  }
  throwIfAny(errors);

  const record = findRun(ctx, caller, id);
  const run = record.run;
  if (typeof status === 'string' && status !== run.status_code) {
    if (isTerminal(run.status_code)) {
      throw new HttpError(409, `Run '${id}' is already ${run.status_code}; a finished run's status cannot change`);
    }
    if (status === 'cancelled' && isActive(run.status_code)) ctx.lifecycle.cancel(record);
    else {
      // Any other manual status change takes the run out of the simulation.
      ctx.lifecycle.stop(id);
      run.status_code = status as RunStatus;
      if (isTerminal(status) && run.completed_at === null) run.completed_at = new Date().toISOString();
    }
  }
  if (body.output !== undefined) run.output = body.output as JsonObject | null;
  for (const f of PATCH_INT_FIELDS) if (body[f] !== undefined) run[f] = body[f] as number | null;
  if (cost !== undefined) run.cost = cost;
  if (times.started_at !== undefined) run.started_at = times.started_at;
  if (times.completed_at !== undefined) run.completed_at = times.completed_at;
  if (ctx.strict) return json(200, project(strictBaseRun(run), new Set<string>(PATCH_RESPONSE_FIELDS)));
  return json(200, serializeRun(ctx, record, new Set()));
}

function serveFile(name: string): ApiResponse {
  const m = /^([A-Za-z0-9_.-]+)\.png$/.exec(name);
  if (!m) throw notFound('File not found');
  return {
    status: 200,
    headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' },
    body: imageFor(m[1]),
  };
}

// ---------------------------------------------------------------------------------------------
// Routing

function methodNotAllowed(allowed: string[]): never {
  throw new HttpError(405, 'Method Not Allowed', { Allow: allowed.join(', ') });
}

function route(ctx: ApiContext, req: ApiRequest): ApiResponse {
  let segments: string[];
  try {
    segments = req.path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw notFound();
  }
  const m = req.method;
  const [a, b, c, d, e] = segments;
  const n = segments.length;
  if (a === 'files' && n === 2) {
    if (m !== 'GET' && m !== 'HEAD') methodNotAllowed(['GET']);
    return serveFile(b);
  }
  if (a !== 'v1') throw notFound();
  if (b === 'runs') {
    if (n === 2) {
      if (m !== 'GET') methodNotAllowed(['GET']);
      return searchRuns(ctx, req);
    }
    if (n === 3 && c !== '') {
      if (m === 'GET') return getRun(ctx, req, c);
      if (m === 'PATCH') return patchRun(ctx, req, c);
      methodNotAllowed(['GET', 'PATCH']);
    }
    if (n === 4 && c !== '' && d === 'logs') {
      if (m !== 'GET') methodNotAllowed(['GET']);
      return searchLogs(ctx, req, c);
    }
  }
  if (b === 'models' && n === 5 && c && d && e === 'runs') {
    if (m !== 'POST') methodNotAllowed(['POST']);
    return createModelRun(ctx, req, c, d);
  }
  throw notFound();
}

export function handleApi(ctx: ApiContext, req: ApiRequest): ApiResponse {
  try {
    return route(ctx, req);
  } catch (err) {
    if (err instanceof HttpError) return errorResponse(err, ctx.strict !== null);
    return errorResponse(new HttpError(500, `Internal emulator error: ${(err as Error).message}`), ctx.strict !== null);
  }
}
