/**
 * The HTTP side of the emulator: owns the node:http server, its sockets and timers, the request
 * log and the fault registry, and applies faults around the API handlers.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errorResponse, handleApi, json, type ApiContext, type ApiResponse } from './api';
import { buildCatalogue, type Catalogue } from './catalogue';
import { handleControl, type ControlTarget, type CostSum } from './control';
import { HttpError, strictErrorBody } from './errors';
import { describeFault, FaultRegistry, type FaultSpec } from './faults';
import type { Emulator } from './index';
import { Lifecycle } from './lifecycle';
import { sumDecimals } from './money';
import { RequestLog, type RequestRecord } from './request-log';
import { seedStore } from './seed';
import { Store } from './store';
import { applyStrictSeed, type StrictMode } from './strict';
import type { Model, Run } from './types';

export interface ResolvedOptions {
  host: string;
  port: number;
  tokens: Record<string, string[] | '*'>;
  organizations: string[];
  seed: number;
  runCount: number;
  bigLogLines: number;
  speed: number;
  now: () => number;
  strict: StrictMode;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MALFORMED_BODY = '{"items": [{"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "status_code": "succ';

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'Request body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

export class EmulatorServer implements Emulator, ControlTarget {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly faults = new FaultRegistry();
  private readonly log = new RequestLog();
  private catalogue!: Catalogue;
  private store!: Store;
  private lifecycle!: Lifecycle;
  private ctx!: ApiContext;
  private baseUrl = '';
  private boundPort = 0;
  private closed = false;
  /** Read once, so that reset() restores exactly the data seeded at startup. */
  private seedTime = 0;

  constructor(private readonly opts: ResolvedOptions) {
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    const host = this.opts.host === '0.0.0.0' || this.opts.host === '::' ? '127.0.0.1' : this.opts.host;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}`;
    this.seedTime = this.opts.now();
    this.seed();
  }

  get url(): string {
    return this.baseUrl;
  }

  get port(): number {
    return this.boundPort;
  }

  get bigLogRunId(): string | null {
    return this.store.bigLogRunId;
  }

  get strict(): StrictMode {
    return this.opts.strict;
  }

  private seed(): void {
    this.catalogue = buildCatalogue(this.baseUrl);
    this.store = new Store(this.catalogue, this.opts.organizations, this.baseUrl, this.opts.seed);
    seedStore(this.store, {
      seed: this.opts.seed,
      runCount: this.opts.runCount,
      bigLogLines: this.opts.bigLogLines,
      now: this.seedTime,
    });
    const strict = this.opts.strict ? applyStrictSeed(this.store, this.opts.strict) : null;
    this.lifecycle = new Lifecycle(this.store, this.opts.speed);
    this.ctx = { store: this.store, lifecycle: this.lifecycle, tokens: this.opts.tokens, organizations: this.opts.organizations, strict };
  }

  // ---- Emulator API

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lifecycle.stopAll();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    });
  }

  addFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  listFaults(): Array<FaultSpec & { remaining: number }> {
    return this.faults.list();
  }

  requests(filter?: { method?: string; path?: string }): RequestRecord[] {
    return this.log.list(filter);
  }

  resetRequests(): void {
    this.log.clear();
  }

  reset(): void {
    this.lifecycle.stopAll();
    this.faults.clear();
    this.log.clear();
    this.seed();
  }

  getRun(id: string): Run | undefined {
    const record = this.store.get(id);
    return record ? this.store.snapshot(record) : undefined;
  }

  insertRun(partial: Partial<Run> & { status_code: string }): Run {
    return this.store.snapshot(this.store.insert(partial));
  }

  updateRun(id: string, patch: Partial<Run>): Run {
    const record = this.store.get(id);
    if (!record) throw new Error(`no run ${id}`);
    if (patch.status_code !== undefined && patch.status_code !== record.run.status_code) this.lifecycle.stop(id);
    return this.store.snapshot(this.store.update(id, patch));
  }

  appendLogs(runId: string, lines: Array<{ level_code?: string; message: string }>): void {
    this.store.appendLogs(runId, lines);
  }

  costSum(fromMs: number, toMs: number): CostSum {
    const byCurrency = new Map<string, string[]>();
    const result: CostSum = { sums: {}, runs: 0, none: 0, notSummed: 0 };
    for (const { run } of this.store.inOrg(this.store.defaultOrg)) {
      const created = Date.parse(run.created_at ?? '');
      if (!(created >= fromMs && created < toMs)) continue;
      result.runs++;
      if (run.cost === null || run.cost === undefined || run.cost === '') {
        result.none++;
        continue;
      }
      const named = (run.cost_breakdown as { currency?: unknown } | null)?.currency;
      const currency = typeof named === 'string' && named !== '' ? named.toUpperCase() : 'USD';
      const costs = byCurrency.get(currency) ?? [];
      costs.push(run.cost);
      byCurrency.set(currency, costs);
    }
    for (const [currency, costs] of byCurrency) {
      const { sum, skipped } = sumDecimals(costs);
      result.notSummed += skipped;
      if (skipped < costs.length) result.sums[currency] = sum;
    }
    return result;
  }

  modelSlugs(): string[] {
    return this.catalogue.models.map((m) => `${m.owner}/${m.model.slug}`);
  }

  insertModel(owner: string, fields: Partial<Model>): Model {
    const base = this.catalogue.models[0];
    const model: Model = { ...base.model, ...fields, id: fields.id ?? this.store.newRunId() };
    const entry = { ...base, owner, model };
    this.catalogue.models.push(entry);
    this.catalogue.modelById.set(model.id!, entry);
    return structuredClone(model);
  }

  health(): Record<string, unknown> {
    return {
      ok: true,
      url: this.baseUrl,
      strict: this.opts.strict,
      seed: this.opts.seed,
      speed: this.opts.speed,
      runs: this.store.records.size,
      organizations: this.opts.organizations,
      models: this.modelSlugs(),
      bigLogRunId: this.store.bigLogRunId,
      faults: this.faults.list().length,
    };
  }

  // ---- HTTP

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(resolve, ms));
  }

  private send(res: http.ServerResponse, resp: ApiResponse, record: RequestRecord | null): void {
    if (res.destroyed || res.headersSent) return;
    if (record) {
      record.status = resp.status;
      record.bytes = resp.body.length;
    }
    res.writeHead(resp.status, { ...resp.headers, 'Content-Length': String(resp.body.length) });
    res.end(resp.body);
  }

  /** Sends the real response in ~20 pieces spread over `totalMs`. */
  private sendSlowly(res: http.ServerResponse, resp: ApiResponse, record: RequestRecord, totalMs: number): void {
    if (res.destroyed) return;
    record.status = resp.status;
    record.bytes = resp.body.length;
    res.writeHead(resp.status, { ...resp.headers, 'Content-Length': String(resp.body.length) });
    const pieces = Math.max(1, Math.min(resp.body.length, 20));
    const size = Math.ceil(resp.body.length / pieces);
    let i = 0;
    const step = () => {
      if (res.destroyed) return;
      const part = resp.body.subarray(i * size, (i + 1) * size);
      i++;
      if (i >= pieces) res.end(part);
      else {
        res.write(part);
        this.later(step, totalMs / pieces);
      }
    };
    step();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = `req_${randomBytes(10).toString('hex')}`;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;
    const strict = this.opts.strict !== false;
    // The reference names no response headers; strict mode sends none a client could come to rely on.
    if (!strict || path.startsWith('/__emulator')) res.setHeader('X-Request-Id', requestId);

    if (path === '/__emulator' || path.startsWith('/__emulator/')) {
      const body = await readBody(req).catch(() => null);
      if (body === null) return;
      this.send(res, handleControl(this, { method, path, query: url.searchParams, body }), null);
      return;
    }

    const record = this.log.add(method, path, url.searchParams, req.headers);
    const fault = this.faults.take(method, path);
    if (fault) record.fault = describeFault(fault);

    if (fault?.delayMs) {
      await this.sleep(fault.delayMs);
      if (this.closed) return;
    }
    if (fault?.drop === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) return;

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof HttpError) this.send(res, errorResponse(e, strict), record);
      return;
    }
    if (this.closed) return;

    if (fault?.body !== undefined) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
      this.send(res, { status: fault.status ?? 200, headers, body: Buffer.from(fault.body) }, record);
      return;
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
      else if (fault.status === 429) headers['Retry-After'] = '1';
      const message = `Injected fault: HTTP ${fault.status}`;
      this.send(res, json(fault.status, strict ? strictErrorBody(fault.status, message) : { detail: message }, headers), record);
      return;
    }
    if (fault?.malformed) {
      this.send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(MALFORMED_BODY) }, record);
      return;
    }

    const resp = handleApi(this.ctx, { method, path, query: url.searchParams, headers: req.headers, body, requestId });
    if (fault?.drop === 'after') {
      req.socket.destroy();
      return;
    }
    if (fault?.slowBodyMs) this.sendSlowly(res, resp, record, fault.slowBodyMs);
    else this.send(res, resp, record);
  }
}
