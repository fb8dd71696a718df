/**
 * Local emulator of the Runflow runs API: a real HTTP server with deterministic seeded data, live
 * runs, fault injection and a request log. See README.md beside this file.
 */
import type { ControlTarget } from './control';
import { EmulatorServer, type ResolvedOptions } from './server';
import { STRICT_MODES, type StrictMode } from './strict';
import type { Model } from './types';

export type { FaultSpec } from './faults';
export type { RequestRecord } from './request-log';
export type { StrictMode } from './strict';
export type * from './types';

export interface EmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** token -> org ids it may see ('*' = all). Default { 'demo-token': '*' }. Tokens starting with 'noeval-' lack evaluations:read. */
  tokens?: Record<string, string[] | '*'>;
  /** Default ['org_demo', 'org_other']; the first is the default org when no X-Organization-Id header is sent. */
  organizations?: string[];
  /** Default 1; same seed (and clock) => same data. */
  seed?: number;
  /** Seeded runs, default 300. */
  runCount?: number;
  /** Default 0; > 0 adds one succeeded 'runflow/log-storm' run with exactly that many (lazily generated) log lines. */
  bigLogLines?: number;
  /** Simulation speed multiplier, default 1 (a created run takes ~10-30 s of simulated time). */
  speed?: number;
  /** Clock for the seed's timestamps, default Date.now. */
  now?: () => number;
  /**
   * Default false. 'refuse-q' or 'ignore-q' serve only what the API reference promises (see
   * "Strict mode" in README.md); they differ in answering `q` with 400 or ignoring it.
   */
  strict?: StrictMode;
}

/** A running emulator: the control surface (faults, request log, data) plus its address. */
export interface Emulator extends ControlTarget {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  readonly port: number;
  /** Id of the big-log run when `bigLogLines` > 0, else null. */
  readonly bigLogRunId: string | null;
  /** false, or the strict mode it serves. */
  readonly strict: StrictMode;
  /** Closes the server and all sockets (including hanging ones) and stops every timer. */
  close(): Promise<void>;
  /** 'owner/slug' of the catalogue. */
  modelSlugs(): string[];
  /**
   * Adds a model to the catalogue (its behaviour copied from the first one), so runs can name a model
   * with any id, slug or name: `embed=model` then returns it. Gone after `reset()`.
   */
  insertModel(owner: string, fields: Partial<Model>): Model;
}

export function resolveOptions(opts: EmulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    tokens: opts.tokens ?? { 'demo-token': '*' },
    organizations: opts.organizations ?? ['org_demo', 'org_other'],
    seed: opts.seed ?? 1,
    runCount: opts.runCount ?? 300,
    bigLogLines: opts.bigLogLines ?? 0,
    speed: opts.speed ?? 1,
    now: opts.now ?? Date.now,
    strict: opts.strict ?? false,
  };
  if (resolved.strict !== false && !STRICT_MODES.includes(resolved.strict)) {
    throw new Error(`strict must be false, 'refuse-q' or 'ignore-q' (got ${JSON.stringify(resolved.strict)})`);
  }
  if (resolved.organizations.length === 0) throw new Error('organizations must not be empty');
  if (!(resolved.speed > 0) || !Number.isFinite(resolved.speed)) throw new Error('speed must be a positive number');
  if (!Number.isInteger(resolved.runCount) || resolved.runCount < 0) throw new Error('runCount must be an integer >= 0');
  if (!Number.isInteger(resolved.bigLogLines) || resolved.bigLogLines < 0) throw new Error('bigLogLines must be an integer >= 0');
  return resolved;
}

export async function startEmulator(opts?: EmulatorOptions): Promise<Emulator> {
  const server = new EmulatorServer(resolveOptions(opts));
  await server.listen();
  return server;
}
