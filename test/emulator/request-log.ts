/**
 * The log of API requests the emulator received, for tests to assert on (what was sent, how many
 * retries, which fault hit which request). Control requests under /__emulator/ are not recorded.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestRecord {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Status sent, or null when no response was sent (dropped, hanging, aborted). */
  status: number | null;
  /** Bytes of the response body sent (as Content-Length said), or null when no response was sent. */
  bytes: number | null;
  /** Description of the injected fault, e.g. 'status:503' or 'delay:200+drop:after'. */
  fault: string | null;
  at: number;
}

/** Oldest records are dropped beyond this, so long benchmarks do not grow memory without bound. */
const MAX_RECORDS = 10000;

export class RequestLog {
  private records: RequestRecord[] = [];
  private seq = 0;

  add(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): RequestRecord {
    const flatHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) flatHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
    const record: RequestRecord = {
      seq: ++this.seq,
      method,
      path,
      query: Object.fromEntries(query.entries()),
      headers: flatHeaders,
      status: null,
      bytes: null,
      fault: null,
      at: Date.now(),
    };
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    return record;
  }

  list(filter: { method?: string; path?: string } = {}): RequestRecord[] {
    const method = filter.method?.toUpperCase();
    const pattern = filter.path ? new RegExp(filter.path) : null;
    return this.records
      .filter((r) => (!method || r.method === method) && (!pattern || pattern.test(r.path)))
      .map((r) => ({ ...r, query: { ...r.query }, headers: { ...r.headers } }));
  }

  clear(): void {
    this.records = [];
    this.seq = 0;
  }
}
