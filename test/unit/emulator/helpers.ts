/** Small HTTP helpers shared by the emulator tests (real sockets through the global fetch). */
import type { Emulator } from '../../emulator/index';

export const TOKEN = 'demo-token';

export interface CallOptions {
  method?: string;
  /** Bearer token; null sends no Authorization header. Default TOKEN. */
  token?: string | null;
  org?: string;
  body?: unknown;
  /** Raw body text, sent as is. */
  raw?: string;
  signal?: AbortSignal;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // Tests read many different shapes from the body; `any` keeps them short.
  body: any;
  text: string;
}

export async function call(emu: Emulator, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (opts.org !== undefined) headers['X-Organization-Id'] = opts.org;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${emu.url}${path}`, { method: opts.method ?? 'GET', headers, body, signal: opts.signal });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** `q` etc. as a query string. */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 5000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
