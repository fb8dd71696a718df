/**
 * The API client alone, in plain Node: walks `count` runs page by page and prints one JSON line with
 * the time and the process's memory. Run in a process of its own per measurement (test/bench/run.ts
 * does), so that peak memory is this walk's and nothing else's.
 *
 *   node --import tsx test/bench/clientWalk.ts <baseUrl> <token> <pageSize> <count> keep|stream
 */
import { RunflowClient } from '../../src/api/client';
import { iteratePages } from '../../src/api/pagination';
import type { Run } from '../../src/api/types';

export interface WalkResult {
  pageSize: number;
  mode: 'keep' | 'stream';
  runs: number;
  pages: number;
  ms: number;
  /** CPU time of this process (the client's own work; the rest of `ms` is the server and the network). */
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  heapBeforeMb: number;
  peakHeapMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

async function main(): Promise<void> {
  const [baseUrl, token, pageSizeArg, countArg, modeArg] = process.argv.slice(2);
  const pageSize = Number(pageSizeArg);
  const count = Number(countArg);
  const mode = modeArg === 'stream' ? 'stream' : 'keep';
  if (!baseUrl || !token || !Number.isInteger(pageSize) || !Number.isInteger(count)) {
    throw new Error('usage: clientWalk.ts <baseUrl> <token> <pageSize> <count> keep|stream');
  }
  const client = new RunflowClient({ baseUrl, getToken: () => token, userAgent: 'runflow-bench' });
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  // Kept as the Runs view keeps what "Load more" fetched; in stream mode only counted.
  const kept: Run[] = [];
  let runs = 0;
  let pages = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const walk = iteratePages((cursor) => client.searchRuns({ limit: pageSize, sort_by: 'created_at:desc', pq: cursor }), { maxPages: Math.ceil(count / pageSize) + 1 });
  for await (const page of walk) {
    pages++;
    const take = page.items.slice(0, count - runs);
    runs += take.length;
    if (mode === 'keep') kept.push(...take);
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    if (runs >= count) break;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // The resident peak as the kernel saw it, in case it fell between two samples.
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  if (runs < count) throw new Error(`the server had only ${runs} runs, ${count} were asked for`);
  const result: WalkResult = {
    pageSize,
    mode,
    runs,
    pages,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssBeforeMb: mb(before.rss),
    peakRssMb: mb(peakRss),
    heapBeforeMb: mb(before.heapUsed),
    peakHeapMb: mb(peakHeap),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
