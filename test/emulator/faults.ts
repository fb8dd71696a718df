/**
 * Injected failures. A fault matches requests by method and path regex and applies to the next
 * `count` of them; the server consults the registry before handling any non-control request.
 */

export interface FaultSpec {
  /** e.g. 'GET', 'POST'; undefined = any. */
  method?: string;
  /** Regular expression source matched against the URL path, e.g. '^/v1/runs$'. */
  path: string;
  /** Answer with this status (429 gets Retry-After from retryAfter, default '1'). */
  status?: number;
  /** Value of the Retry-After header (seconds or HTTP date). */
  retryAfter?: string;
  /** Wait before handling. */
  delayMs?: number;
  /** Destroy the socket before handling (nothing committed), or after handling without answering. */
  drop?: 'before' | 'after';
  /** Answer 200 with an invalid JSON body. */
  malformed?: boolean;
  /** Send the real body in small chunks spread over this many ms. */
  slowBodyMs?: number;
  /** Never answer (the socket stays open until the client gives up or the server closes). */
  hang?: boolean;
  /** How many matching requests it applies to; default 1; -1 (or Infinity) = unlimited. */
  count?: number;
  /** Answer with exactly this body (JSON content type), with `status` or 200: a server that says anything. */
  body?: string;
}

export class FaultSpecError extends Error {}

interface ArmedFault {
  spec: FaultSpec;
  pattern: RegExp;
  remaining: number;
}

export function describeFault(spec: FaultSpec): string {
  const parts: string[] = [];
  if (spec.delayMs) parts.push(`delay:${spec.delayMs}`);
  if (spec.drop) parts.push(`drop:${spec.drop}`);
  if (spec.hang) parts.push('hang');
  if (spec.status !== undefined) parts.push(`status:${spec.status}`);
  if (spec.malformed) parts.push('malformed');
  if (spec.body !== undefined) parts.push('body');
  if (spec.slowBodyMs) parts.push(`slow-body:${spec.slowBodyMs}`);
  return parts.length > 0 ? parts.join('+') : 'noop';
}

function validate(spec: FaultSpec): RegExp {
  if (typeof spec !== 'object' || spec === null) throw new FaultSpecError('a fault must be an object');
  if (typeof spec.path !== 'string') throw new FaultSpecError('fault.path must be a regular expression source string');
  let pattern: RegExp;
  try {
    pattern = new RegExp(spec.path);
  } catch (e) {
    throw new FaultSpecError(`fault.path is not a valid regular expression: ${(e as Error).message}`);
  }
  if (spec.method !== undefined && typeof spec.method !== 'string') throw new FaultSpecError('fault.method must be a string');
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
    throw new FaultSpecError('fault.status must be an integer HTTP status (100-599)');
  }
  if (spec.retryAfter !== undefined && typeof spec.retryAfter !== 'string') throw new FaultSpecError('fault.retryAfter must be a string');
  if (spec.body !== undefined && typeof spec.body !== 'string') throw new FaultSpecError('fault.body must be a string');
  for (const key of ['delayMs', 'slowBodyMs'] as const) {
    const v = spec[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new FaultSpecError(`fault.${key} must be a number >= 0`);
  }
  if (spec.drop !== undefined && spec.drop !== 'before' && spec.drop !== 'after') throw new FaultSpecError("fault.drop must be 'before' or 'after'");
  const count = spec.count;
  if (count !== undefined && count !== -1 && count !== Infinity && (!Number.isInteger(count) || count < 1)) {
    throw new FaultSpecError('fault.count must be a positive integer, or -1 for unlimited');
  }
  return pattern;
}

export class FaultRegistry {
  private armed: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    const pattern = validate(spec);
    const count = spec.count === undefined ? 1 : spec.count === -1 ? Infinity : spec.count;
    this.armed.push({ spec: { ...spec, method: spec.method?.toUpperCase() }, pattern, remaining: count });
  }

  clear(): void {
    this.armed = [];
  }

  /** Armed faults with what is left of their count (-1 = unlimited). */
  list(): Array<FaultSpec & { remaining: number }> {
    return this.armed.map((f) => ({ ...f.spec, remaining: f.remaining === Infinity ? -1 : f.remaining }));
  }

  /** The first armed fault matching the request, consuming one use of it. */
  take(method: string, path: string): FaultSpec | null {
    const i = this.armed.findIndex((f) => (!f.spec.method || f.spec.method === method.toUpperCase()) && f.pattern.test(path));
    if (i < 0) return null;
    const fault = this.armed[i];
    fault.remaining--;
    if (fault.remaining <= 0) this.armed.splice(i, 1);
    return fault.spec;
  }
}
