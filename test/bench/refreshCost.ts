/**
 * What one refresh of the Runs list costs once "Load more" has piled runs up, in plain Node: the real
 * RunStore and RunflowClient against an emulator process seeded through its control API. The emulator's
 * request log counts the requests and the response bytes at the server. For comparison, the same list
 * request with the limit every refresh used to ask for (the whole loaded window plus a page) is sent
 * once and counted the same way. Prints one JSON line.
 *
 *   node --import tsx test/bench/refreshCost.ts <baseUrl> <token> <loaded,loaded,...>
 */
import { RunflowClient } from '../../src/api/client';
import { RunStore } from '../../src/runs/runStore';

export interface RefreshCostRow {
  loaded: number;
  active: number;
  /** Newest runs, down to the oldest active one. */
  activeSpan: number;
  refresh: { requests: number; bytes: number; limit: number };
  /** The refresh's own request with `limit = min(500, loaded + pageSize)`, as every refresh asked before. */
  wholeWindow: { requests: number; bytes: number; limit: number };
}

export interface RefreshCostResult {
  /** The page size of the refreshes measured. "Load more" used 500 to get there quickly. */
  pageSize: number;
  rows: RefreshCostRow[];
}

const PAGE_SIZE = 50;
const LOAD_PAGE_SIZE = 500;
const MAX_LIMIT = 500;
const ACTIVE = 10;
/** The active runs are every other one of the newest: the span down to the oldest of them. */
const ACTIVE_SPAN = 2 * ACTIVE - 1;

interface LogRecord {
  path: string;
  method: string;
  query: Record<string, string>;
  status: number | null;
  bytes: number | null;
}

async function control(baseUrl: string, path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${baseUrl}/__emulator${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} /__emulator${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

async function listRequests(baseUrl: string): Promise<LogRecord[]> {
  const { records } = (await control(baseUrl, `/requests?method=GET&path=${encodeURIComponent('^/v1/runs$')}`)) as { records: LogRecord[] };
  return records;
}

async function seed(baseUrl: string, loaded: number): Promise<void> {
  await control(baseUrl, '/reset', { method: 'POST' });
  const now = Date.now();
  for (let i = 0; i < loaded; i++) {
    const status = i < ACTIVE_SPAN && i % 2 === 0 ? 'running' : 'succeeded';
    await control(baseUrl, '/runs', { method: 'POST', body: JSON.stringify({ status_code: status, created_at: new Date(now - i * 1_000).toISOString() }) });
  }
}

async function measure(baseUrl: string, token: string, loaded: number): Promise<RefreshCostRow> {
  await seed(baseUrl, loaded);
  const client = new RunflowClient({ baseUrl, getToken: () => token, userAgent: 'runflow-bench' });
  const store = new RunStore(() => client, LOAD_PAGE_SIZE, () => 'bench');
  try {
    await store.refresh();
    while (store.size < loaded && store.hasMore) await store.loadMore();
    if (store.size !== loaded) throw new Error(`loaded ${store.size} runs of ${loaded}`);
    if (store.activeRuns().length !== ACTIVE) throw new Error(`${store.activeRuns().length} active runs loaded, not ${ACTIVE}`);
    store.setPageSize(PAGE_SIZE);
    // A first refresh settles what loading left behind (a refused embed is remembered by then); the second is measured.
    await store.refresh();
    await control(baseUrl, '/requests', { method: 'DELETE' });
    await store.refresh();
    const refreshed = await listRequests(baseUrl);
    const request = refreshed.at(-1);
    if (!request) throw new Error('the refresh sent no list request');

    await control(baseUrl, '/requests', { method: 'DELETE' });
    const query = new URLSearchParams({ ...request.query, limit: String(Math.min(MAX_LIMIT, loaded + PAGE_SIZE)) });
    const res = await fetch(`${baseUrl}/v1/runs?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`the whole-window request answered ${res.status}`);
    const whole = await listRequests(baseUrl);

    const sum = (records: LogRecord[]) => ({ requests: records.length, bytes: records.reduce((n, r) => n + (r.bytes ?? 0), 0), limit: Number(records.at(-1)?.query.limit) });
    return { loaded, active: ACTIVE, activeSpan: ACTIVE_SPAN, refresh: sum(refreshed), wholeWindow: sum(whole) };
  } finally {
    store.dispose();
  }
}

async function main(): Promise<void> {
  const [baseUrl, token, loadedArg] = process.argv.slice(2);
  const sizes = (loadedArg ?? '').split(',').map(Number);
  if (!baseUrl || !token || !sizes.length || !sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error('usage: refreshCost.ts <baseUrl> <token> <loaded,loaded,...>');
  const result: RefreshCostResult = { pageSize: PAGE_SIZE, rows: [] };
  for (const loaded of sizes) result.rows.push(await measure(baseUrl, token, loaded));
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
