/**
 * Creating a run without ever creating it twice. A POST that fails after it may have reached the server
 * (dropped connection, timeout, 5xx) is not re-sent: the run is looked up by its client_ref and adopted
 * when it exists. Only a create that provably did not happen is reported as such, for the user to retry.
 */
import type { RunflowClient } from '../api/client';
import { NetworkError, RunflowApiError } from '../api/errors';
import type { CreateModelRunBody, Run } from '../api/types';

/**
 * How many of the newest runs a look-up by client_ref scans. The reference has no filter by client_ref
 * that a client may rely on (the `q` grammar is not published), so the newest runs are listed and
 * matched here: a run created a moment ago is among them unless this many runs were created since.
 */
export const CLIENT_REF_SCAN = 200;

/** Ids of the newest runs that carry `clientRef`, matched here rather than by `q`. */
export async function runsWithClientRef(api: Pick<RunflowClient, 'searchRuns'>, clientRef: string, signal?: AbortSignal): Promise<Run[]> {
  return (await newestRunsWithClientRefs(api, new Set([clientRef]), signal)).filter((r) => r.client_ref === clientRef);
}

/** The newest runs (see CLIENT_REF_SCAN) that carry any of `clientRefs`, newest first: one request for many refs. */
export async function newestRunsWithClientRefs(api: Pick<RunflowClient, 'searchRuns'>, clientRefs: ReadonlySet<string>, signal?: AbortSignal): Promise<(Run & { id: string; client_ref: string })[]> {
  const page = await api.searchRuns({ limit: CLIENT_REF_SCAN, sort_by: 'created_at:desc' }, { signal });
  return page.items.filter((r): r is Run & { id: string; client_ref: string } => !!r && typeof r.client_ref === 'string' && clientRefs.has(r.client_ref) && typeof r.id === 'string' && r.id !== '');
}

export type CreateOutcome =
  | { kind: 'created'; run: Run }
  /** The POST failed in a way that hides its result, but the run exists: found by its client_ref. */
  | { kind: 'adopted'; run: Run; cause: RunflowApiError }
  /** The server refused the create, or it provably never reached the server. Nothing was created. */
  | { kind: 'not_created'; cause: RunflowApiError }
  /** It may or may not exist: the POST's fate is unknown and the look-up failed too. */
  | { kind: 'unknown'; cause: RunflowApiError; lookupError: unknown };

export type CreateApi = Pick<RunflowClient, 'createModelRun' | 'searchRuns'>;

/** Errors after which the request may have been committed by the server. */
export function mayHaveBeenCreated(err: RunflowApiError): boolean {
  if (err instanceof NetworkError) return err.requestSent !== false;
  return err.kind === 'timeout' || err.kind === 'server' || err.kind === 'malformed' || (err.kind === 'http' && (err.status ?? 0) >= 500);
}

export async function createRunOnce(
  api: CreateApi,
  owner: string,
  slug: string,
  body: CreateModelRunBody & { client_ref: string },
  options: {
    signal?: AbortSignal;
    lookupAttempts?: number;
    lookupDelayMs?: number;
    /** Runs that already carried this client_ref before the POST (a file's own ref is reused): never adopted. */
    existingIds?: ReadonlySet<string>;
  } = {},
): Promise<CreateOutcome> {
  try {
    return { kind: 'created', run: await api.createModelRun(owner, slug, body, { signal: options.signal }) };
  } catch (err) {
    if (!(err instanceof RunflowApiError)) throw err;
    if (!mayHaveBeenCreated(err)) return { kind: 'not_created', cause: err };
    const attempts = options.lookupAttempts ?? 3;
    let lookupError: unknown;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, (options.lookupDelayMs ?? 1_000) * i));
      try {
        const carrying = await runsWithClientRef(api, body.client_ref, options.signal);
        const found = carrying.find((r) => !options.existingIds?.has(r.id!));
        // A look-up that answers and finds nothing proves the create did not happen.
        return found ? { kind: 'adopted', run: found, cause: err } : { kind: 'not_created', cause: err };
      } catch (lookup) {
        lookupError = lookup;
      }
    }
    return { kind: 'unknown', cause: err, lookupError };
  }
}

/** A client_ref that traces a run back to where it came from: `<origin>-<time>-<random>`, within 255 characters. */
export function makeClientRef(origin: string, now = Date.now(), random = Math.random): string {
  const base = origin
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200) || 'run';
  const suffix = `${now.toString(36)}-${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
  return `${base}-${suffix}`.slice(0, 255);
}

const MADE_CLIENT_REF = /^(.+)-[0-9a-z]{1,11}-[0-9a-z]{6}$/;

/** The origin `makeClientRef` was given (`sdxl-turbo` of `sdxl-turbo-mik3x2a1-0f9zq1`), or undefined for a ref it did not make. */
export function clientRefOrigin(clientRef: unknown): string | undefined {
  if (typeof clientRef !== 'string') return undefined;
  return MADE_CLIENT_REF.exec(clientRef)?.[1];
}

/** Origins of the client_refs `RunActions.rerun` makes: a run launched again, not from a file. */
export const RERUN_ORIGIN_PREFIX = 'rerun-';
