/**
 * Control endpoints under /__emulator/ (no auth, JSON), so that tests running in another process
 * (the VS Code extension host, a demo script, curl) can steer the emulator like the library API.
 */
import { json, type ApiResponse } from './api';
import { HttpError, notFound } from './errors';
import { FaultSpecError, type FaultSpec } from './faults';
import type { RequestRecord } from './request-log';
import type { Run } from './types';

export interface ControlTarget {
  addFault(f: FaultSpec): void;
  clearFaults(): void;
  listFaults(): Array<FaultSpec & { remaining: number }>;
  /** API requests only (not /__emulator/ ones). */
  requests(filter?: { method?: string; path?: string }): RequestRecord[];
  resetRequests(): void;
  /** Back to freshly seeded data, no faults, empty request log. */
  reset(): void;
  getRun(id: string): Run | undefined;
  /** Fills defaults; returns the stored run. */
  insertRun(partial: Partial<Run> & { status_code: string }): Run;
  /** e.g. move a run to another status (which also takes a live run out of the simulation). */
  updateRun(id: string, patch: Partial<Run>): Run;
  appendLogs(runId: string, lines: Array<{ level_code?: string; message: string }>): void;
  health(): Record<string, unknown>;
  /**
   * The exact cost of the default organisation's runs created in [fromMs, toMs), per currency (a
   * breakdown's `currency`, else USD), computed by the emulator itself; costs that are not decimals are counted apart.
   */
  costSum(fromMs: number, toMs: number): CostSum;
}

export interface CostSum {
  /** Currency code → exact decimal text. */
  sums: Record<string, string>;
  /** Runs created in the range. */
  runs: number;
  /** Runs without a cost / with one that is not a decimal. */
  none: number;
  notSummed: number;
}

export interface ControlRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

function body(req: ControlRequest): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Body is not valid JSON');
  }
}

function requireObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(422, `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function route(target: ControlTarget, req: ControlRequest): ApiResponse {
  const segments = req.path.split('/').slice(2).map(decodeURIComponent);
  const [what, id, sub] = segments;
  const m = req.method;
  const n = segments.length;
  if (what === 'health' && n === 1 && m === 'GET') return json(200, target.health());
  if (what === 'reset' && n === 1 && m === 'POST') {
    target.reset();
    return json(200, { ok: true });
  }
  if (what === 'cost-sum' && n === 1 && m === 'GET') {
    const from = Number(req.query.get('from'));
    const to = Number(req.query.get('to'));
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new HttpError(422, 'from and to must be epoch milliseconds');
    return json(200, target.costSum(from, to));
  }
  if (what === 'faults' && n === 1) {
    if (m === 'GET') return json(200, { faults: target.listFaults() });
    if (m === 'DELETE') {
      target.clearFaults();
      return json(200, { faults: [] });
    }
    if (m === 'POST') {
      const b = body(req);
      const specs = Array.isArray(b) ? b : [b];
      try {
        for (const s of specs) target.addFault(requireObject(s, 'A fault') as unknown as FaultSpec);
      } catch (e) {
        if (e instanceof FaultSpecError) throw new HttpError(422, e.message);
        throw e;
      }
      return json(201, { faults: target.listFaults() });
    }
  }
  if (what === 'requests' && n === 1) {
    if (m === 'GET') {
      const path = req.query.get('path') || undefined;
      if (path) {
        try {
          new RegExp(path);
        } catch {
          throw new HttpError(422, 'path must be a valid regular expression');
        }
      }
      const records = target.requests({ method: req.query.get('method') || undefined, path });
      return json(200, { records, count: records.length });
    }
    if (m === 'DELETE') {
      target.resetRequests();
      return json(200, { ok: true });
    }
  }
  if (what === 'runs') {
    if (n === 1 && m === 'POST') {
      const partial = requireObject(body(req), 'The run');
      if (typeof partial.status_code !== 'string') throw new HttpError(422, 'status_code is required');
      try {
        return json(201, target.insertRun(partial as Partial<Run> & { status_code: string }));
      } catch (e) {
        throw new HttpError(409, (e as Error).message);
      }
    }
    if (n === 2 && id) {
      if (m === 'GET') {
        const run = target.getRun(id);
        if (!run) throw notFound(`Run '${id}' not found`);
        return json(200, run);
      }
      if (m === 'PATCH') {
        if (!target.getRun(id)) throw notFound(`Run '${id}' not found`);
        return json(200, target.updateRun(id, requireObject(body(req), 'The patch') as Partial<Run>));
      }
    }
    if (n === 3 && id && sub === 'logs' && m === 'POST') {
      if (!target.getRun(id)) throw notFound(`Run '${id}' not found`);
      const b = body(req);
      const lines = Array.isArray(b) ? b : requireObject(b, 'The body').lines;
      if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'object' && l !== null && typeof l.message === 'string')) {
        throw new HttpError(422, 'Expected an array of { level_code?, message } (or { lines: [...] })');
      }
      target.appendLogs(id, lines as Array<{ level_code?: string; message: string }>);
      return json(200, { appended: lines.length });
    }
  }
  throw notFound('Unknown control endpoint');
}

export function handleControl(target: ControlTarget, req: ControlRequest): ApiResponse {
  try {
    return route(target, req);
  } catch (e) {
    if (e instanceof HttpError) return json(e.status, e.body);
    return json(500, { detail: (e as Error).message });
  }
}
