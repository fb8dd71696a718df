/**
 * From the raw figures of a bench run to the summary: medians over repetitions and launches, ratios
 * taken within one launch, and where each target stands. No vscode: the runner loads it in plain Node.
 */
import type { BatchSendResult } from './batchSend';
import type { CancellationResult } from './cancellation';
import type { WalkResult } from './clientWalk';
import type { Machine } from './machine';
import type { RefreshCostResult } from './refreshCost';
import { LOG_SIZES, round, SEARCH_SEED, SPEND_SEED, type FrameStats, type LaunchFigures, type LogSearchFigures, type MemorySpan, type SpendFigures } from './shared';

export interface Sizes {
  extensionJs: { bytes: number; gzipBytes: number };
  webviewJs: { bytes: number; gzipBytes: number };
  vsix: { bytes?: number; files?: number; how?: string; error?: string };
}

export interface BenchRun {
  date: string;
  seconds: number;
  machine: Machine;
  reps: number;
  timeScale: number;
  sizes?: Sizes;
  walks: WalkResult[];
  cancellation?: CancellationResult;
  /** One refresh of a long Runs list, per emulator. */
  refreshCost?: (RefreshCostResult & { emulator: 'default' | 'strict' })[];
  /** A 200-run batch against the same creates one at a time. */
  batchSend?: BatchSendResult;
  launches: { name: string; ok: boolean; seconds: number; figures: LaunchFigures }[];
  problems: string[];
}

export type Standing = 'meets' | 'misses';

export interface SummaryRow {
  area: string;
  measure: string;
  value: string;
  /** How many samples the value is the median of. */
  samples: number;
  target?: string;
  standing?: Standing;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const kb = (bytes: number) => `${round(bytes / 1024)} KB`;
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');

/** Milliseconds with the precision a figure near one millisecond needs, where `ms` would round it to 0 or 1. */
export function fineMs(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  return `${v < 10 ? round(v, 2) : v < 100 ? round(v, 1) : Math.round(v)} ms`;
}

/** The most a way of letting go may take, as a share of one plain request's round trip measured alongside it. */
export const CANCELLATION_TARGET_RATIO = 1;

/**
 * The client's cancellation figures, each set against the round trip of a plain request measured in the
 * same rounds: the ratio is what stays comparable from one machine, and one load, to the next.
 */
export function cancellationRows(c: CancellationResult): SummaryRow[] {
  const area = 'Client (plain Node)';
  const reference = median(c.referenceMs);
  const rows: SummaryRow[] = [
    { area, measure: 'for comparison: a successful `GET /v1/runs?limit=1`, call → answer (the reference below)', value: fineMs(reference), samples: c.referenceMs.length },
  ];
  const figure = (measure: string, values: number[]) => {
    const value = median(values);
    const ratio = value / reference;
    const met = Number.isFinite(ratio) && ratio <= CANCELLATION_TARGET_RATIO;
    rows.push({
      area,
      measure,
      value: Number.isFinite(ratio) ? `${fineMs(value)} = ${round(ratio, 2)}× the reference` : `${fineMs(value)}, no reference to set it against`,
      samples: values.length,
      target: `≤ ${CANCELLATION_TARGET_RATIO}× the reference`,
      standing: standing(met),
    });
  };
  figure('abort() → rejection, the server holding the request open', c.abortHangMs);
  figure(`timeout (${c.timeoutMs} ms) expired → rejection, the server never answering: time past the timeout`, c.timeoutOvershootMs);
  figure(`abort() → rejection, during the wait a 503's Retry-After (${c.retryAfterS} s) asked for`, c.abortRetryWaitMs);
  return rows;
}
const standing = (ok: boolean): Standing => (ok ? 'meets' : 'misses');

/** How far a refresh's bytes may drift between loaded counts (ids, times and numbers differ a little in length). */
export const REFRESH_BYTES_TOLERANCE = 0.1;

/**
 * One refresh of a long Runs list, with the whole-window request it used to send set beside it. The
 * target: once the active span and a page fit in what is loaded, the bytes stay where the smallest such
 * list had them, whatever more is loaded (within REFRESH_BYTES_TOLERANCE); a list smaller than that
 * asks for no more than the whole window did.
 */
export function refreshCostRows(results: NonNullable<BenchRun['refreshCost']>): SummaryRow[] {
  const area = 'Runs list refresh (plain Node)';
  const target = 'bytes do not grow with the loaded count beyond the active span';
  const rows: SummaryRow[] = [];
  for (const result of results) {
    const full = result.rows.filter((r) => r.loaded >= r.refresh.limit).sort((a, b) => a.loaded - b.loaded);
    const base = full[0]?.refresh.bytes;
    for (const r of result.rows) {
      const met =
        r.refresh.requests <= 1 &&
        (r.loaded >= r.refresh.limit ? base !== undefined && r.refresh.bytes <= base * (1 + REFRESH_BYTES_TOLERANCE) : r.refresh.bytes <= r.wholeWindow.bytes);
      const what = `${result.emulator} emulator, ${r.loaded.toLocaleString('en-US')} loaded, ${r.active} active (the ${r.activeSpan} newest), page ${result.pageSize}`;
      rows.push({
        area,
        measure: `${what}: requests and response bytes per refresh`,
        value: `${r.refresh.requests} request(s), ${kb(r.refresh.bytes)} (limit ${r.refresh.limit}) = ${round(r.refresh.bytes / r.wholeWindow.bytes, 3)}× the whole window`,
        samples: 1,
        target,
        standing: standing(met),
      });
      rows.push({
        area,
        measure: `${what}: for comparison, the whole loaded window, as before`,
        value: `${r.wholeWindow.requests} request(s), ${kb(r.wholeWindow.bytes)} (limit ${r.wholeWindow.limit})`,
        samples: 1,
      });
    }
  }
  return rows;
}

/**
 * A batch's creates against the same creates one at a time, both timed in the same rounds: the ratio is
 * what concurrency buys. The peak in flight is a limit, never to be passed in any round; the requests
 * per run say that nothing was sent twice and nothing looked up that did not need to be.
 */
export function batchSendRows(b: BatchSendResult): SummaryRow[] {
  const area = 'Batch send (plain Node)';
  const what = `${b.runs} runs, every create held ${b.createLatencyMs} ms at the emulator`;
  const reference = median(b.sequentialMs);
  const value = median(b.batchMs);
  const ratio = value / reference;
  const peak = Math.max(...b.batchPeak);
  const perRun = median(b.batchRequests) / b.runs;
  const allOnce = b.batchRuns.every((n) => n === b.runs) && b.duplicates.every((n) => n === 0);
  return [
    {
      area,
      measure: `for comparison: the same ${what}, sent one at a time (createRunOnce in a loop; the reference below)`,
      value: `${ms(reference)}, ${round(median(b.sequentialRequests) / b.runs, 2)} requests per run`,
      samples: b.sequentialMs.length,
    },
    {
      area,
      measure: `${what}: sendBatch at concurrency ${b.concurrency}, call → all created`,
      value: Number.isFinite(ratio) ? `${ms(value)} = ${round(ratio, 2)}× the reference (1/${b.concurrency} = ${round(1 / b.concurrency, 2)}× at best)` : `${ms(value)}, no reference to set it against`,
      samples: b.batchMs.length,
    },
    {
      area,
      measure: `${what}: most creates in flight at once (the highest of every round)`,
      value: `${peak} (${b.batchPeak.join(' / ')})`,
      samples: b.batchPeak.length,
      target: `≤ ${b.concurrency}, the concurrency`,
      standing: standing(b.batchPeak.length > 0 && peak <= b.concurrency),
    },
    {
      area,
      measure: `${what}: requests the emulator saw per run; runs created`,
      value: `${round(perRun, 2)}; ${median(b.batchRuns)} runs${b.duplicates.some((n) => n > 0) ? `, ${Math.max(...b.duplicates)} client_refs with more than one run` : ', each client_ref once'}`,
      samples: b.batchRequests.length,
      target: '1 request per run, every run created once',
      standing: standing(perRun === 1 && allOnce),
    },
  ];
}

/** The most the panel may take to show the newest lines, as a multiple of a bare webview's start in the same launch. */
export const PANEL_TARGET_RATIO = 1.5;

/**
 * Open → newest lines on screen, over the bare webview's open → script heard back, within each launch that
 * measured both (the machine's load moves both alike); the median over those launches, NaN when none did.
 */
export function panelToBareRatio(run: BenchRun, role: string): { ratio: number; launches: number } {
  const ratios = run.launches
    .map((l) => median(l.figures.logs?.[role]?.newestMs ?? []) / median(l.figures.bareWebviewMs ?? []))
    .filter((r) => Number.isFinite(r));
  return { ratio: median(ratios), launches: ratios.length };
}

type ScrollFigures = NonNullable<LaunchFigures['scroll']>[string];

/** The scrollbar drag's target, which every sweep has to meet on its own. */
export const DRAG_TARGET = '0 frames over 50 ms in every sweep';

/** Where the slow frames' time went, as the renderer accounted for it. */
function slowFramesText(stats: readonly FrameStats[]): string {
  const slow = stats.map((s) => s.slowFrames).filter((s): s is NonNullable<FrameStats['slowFrames']> => !!s && s.count > 0);
  if (!slow.length) return '';
  const sum = (pick: (s: (typeof slow)[number]) => number) => slow.reduce((a, s) => a + pick(s), 0);
  const by = new Map<string, number>();
  for (const s of slow) for (const t of s.top) by.set(t.what, (by.get(t.what) ?? 0) + t.ms);
  const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([what, v]) => `${what} ${ms(v)}`).join(', ');
  return `; slow frames: ${sum((s) => s.count)} of ${ms(sum((s) => s.ms))}, scripts ${ms(sum((s) => s.scriptMs))} (forced layout ${ms(sum((s) => s.forcedLayoutMs))}${top ? `; ${top}` : ''}), style and layout ${ms(sum((s) => s.styleLayoutMs))}`;
}

/**
 * Scrolling one log size: each scrollbar drag (a sweep from the first line to the last) on its own
 * against the target, with its frames over 50 ms, worst frame and p95; the baseline and the fast wheel
 * as medians.
 */
export function scrollRows(role: string, scrolls: readonly ScrollFigures[]): SummaryRow[] {
  if (!scrolls.length) return [];
  const rows: SummaryRow[] = [];
  const label = sizeLabel(role);
  const longTasks = (stats: readonly FrameStats[]) =>
    stats.every((s) => s.longTasks)
      ? `; tasks over 50 ms: the webview's own ${median(stats.map((s) => s.longTasks!.own.count))} (${ms(median(stats.map((s) => s.longTasks!.own.ms)))}), the rest of the renderer's ${median(stats.map((s) => s.longTasks!.other.count))} (${ms(median(stats.map((s) => s.longTasks!.other.ms)))})`
      : '';
  const sweeps = scrolls.flatMap((s) => s.drag);
  if (sweeps.length) {
    const list = (pick: (s: FrameStats) => number) => sweeps.map((s) => round(pick(s))).join(' / ');
    const pending = sweeps.every((s) => s.pendingFrames !== undefined) ? `; rows waiting for text in ${list((s) => s.pendingFrames!)} frames` : '';
    rows.push({
      area: 'Scrolling',
      measure: `${label}, scrollbar drag, first line to last in ${sweeps[0].frames} frames, per sweep: frames over 50 ms; worst frame; p95 frame`,
      value: `${list((s) => s.over50)}; worst ${list((s) => s.maxMs)} ms; p95 ${list((s) => s.p95Ms)} ms${pending}${longTasks(sweeps)}${slowFramesText(sweeps)}`,
      samples: sweeps.length,
      target: DRAG_TARGET,
      standing: standing(sweeps.every((s) => s.over50 === 0)),
    });
  }
  for (const kind of ['idle', 'wheel'] as const) {
    const stats = scrolls.flatMap((s) => s[kind]);
    if (!stats.length) continue;
    const over = median(stats.map((s) => s.over50));
    const pending = stats.every((s) => s.pendingFrames !== undefined) ? `, rows waiting for text in ${median(stats.map((s) => s.pendingFrames!))} frames` : '';
    rows.push({
      area: 'Scrolling',
      measure: `${label}, ${kind === 'idle' ? 'not scrolling (baseline)' : 'fast wheel, 100 px a frame'}: frames over 50 ms of ${stats[0].frames}`,
      value: `${over} (p50 ${round(median(stats.map((s) => s.p50Ms)))} ms, p95 ${round(median(stats.map((s) => s.p95Ms)))} ms, max ${round(Math.max(...stats.map((s) => s.maxMs)))} ms${pending}${longTasks(stats)})`,
      samples: stats.length,
      ...(kind === 'idle' ? {} : { target: 'none over 50 ms', standing: standing(over === 0) }),
    });
  }
  return rows;
}
const sizeLabel = (role: string) => `${(LOG_SIZES as Record<string, number>)[role]?.toLocaleString('en-US') ?? role} lines`;

/**
 * How much more the extension host's heap may grow while a search reads every line of the logs than while the
 * client reads the same pages alone and keeps nothing (same launch). The client's growth is the pages in
 * flight and the garbage V8 has not collected yet (tens of MB, as V8 pleases: no gc() is called); what the
 * search grows beyond it is what it keeps: its matches (at most its match budget of a few thousand lines) and
 * their rows. The pages of the million-line walk come to a few hundred MB of JSON, so a search that kept
 * them, or a share of them, would pass the bound by far.
 */
export const SEARCH_HEAP_BOUND_MB = 64;

const count = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => (bytes < 1024 * 1024 ? kb(bytes) : `${count(Math.round(bytes / (1024 * 1024)))} MB`);
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
const growth = (m: MemorySpan) => round(m.peakHeapMb - m.baselineHeapMb);

/**
 * Show Spend over 30 days of SPEND_SEED.runs runs: command → walk over / page shows the totals, the requests,
 * and the extension host's heap (baseline → peak) while it read: it keeps aggregates, so the heap holds a
 * page or two at a time, not the runs.
 */
export function spendRows(all: readonly SpendFigures[]): SummaryRow[] {
  if (!all.length) return [];
  const first = all[0];
  const worst = all.reduce((a, f) => (growth(f.memory) > growth(a.memory) ? f : a));
  const what = `Show Spend, 30 days of ${count(SPEND_SEED.runs)} runs`;
  return [
    {
      area: 'Show Spend',
      measure: `${what}: command → walk over / → the page shows the totals`,
      value: `${ms(median(all.map((f) => f.resolvedMs)))} / ${ms(median(all.map((f) => f.shownMs)))}; ${count(first.runsInPeriod)} runs in ${plural(first.requests, 'request', 'requests')} (${mb(first.bytes)}), totals ${all.every((f) => f.matchesEmulator) ? 'equal' : 'differ from'} the emulator's exact sum; the same pages through the client alone ${ms(median(all.map((f) => f.clientMs)))} (walk ${round(median(all.map((f) => f.resolvedMs / f.clientMs)), 2)}×)`,
      samples: all.length,
    },
    {
      area: 'Show Spend',
      measure: `${what}: extension host heap, baseline → peak while walking (growth); RSS`,
      value: `${worst.memory.baselineHeapMb} → ${worst.memory.peakHeapMb} MB (+${growth(worst.memory)} MB); RSS ${worst.memory.baselineRssMb} → ${worst.memory.peakRssMb} MB${worst.memory.gcBefore ? '' : ' (no gc() exposed before the baselines)'}`,
      samples: all.length,
    },
  ];
}

/**
 * Search Logs Across Runs, per kind of search: first match on screen and end against the same pages read
 * through the client in the same launch (first page, last page), the requests and what they carried, and the
 * extension host's memory while the search ran, judged against SEARCH_HEAP_BOUND_MB.
 */
export function logSearchRows(searches: Record<string, readonly LogSearchFigures[]>): SummaryRow[] {
  const area = 'Log search';
  const rows: SummaryRow[] = [];
  const corpus = `${count(SEARCH_SEED.runs)} runs and a ${count(SEARCH_SEED.bigLogLines)}-line log`;
  for (const [kind, all] of Object.entries(searches)) {
    if (!all.length) continue;
    const first = all[0];
    const col = (pick: (f: LogSearchFigures) => number) => median(all.map(pick));
    const what =
      kind === 'plain'
        ? `plain text the server narrows by (\`${first.text}\`), ${corpus}`
        : kind === 'regex'
          ? `regex, every line read here (\`${first.text}\`), ${corpus}`
          : `${kind} (\`${first.text}\`), ${corpus}`;
    rows.push({
      area,
      measure: `${what}: command → first match on screen / → end (promise resolved and the view says so)`,
      value: `${ms(col((f) => f.firstMatchMs))} / ${ms(col((f) => f.endMs))}; ${plural(first.pages, 'page', 'pages')} in ${plural(first.requests, 'request', 'requests')} (${mb(first.bytes)}), ${count(first.lines)} lines read, ${count(first.matches)} matches in ${count(first.matchRuns)} runs${first.serverNarrowed ? '' : ', q not sent'}`,
      samples: all.length,
    });
    rows.push({
      area,
      measure: `${what}: for comparison, the same ${plural(first.reference.pages, 'page', 'pages')} read through the client and let go: first page / the page holding the first match / last page`,
      value: `${ms(col((f) => f.reference.firstPageMs))} / ${ms(col((f) => f.reference.firstMatchPageMs))} (page ${count(first.reference.firstMatchPage)}) / ${ms(col((f) => f.reference.endMs))}`,
      samples: all.length,
    });
    // Ratios within each repetition: the search and its reference ran back to back against the same emulator.
    rows.push({
      area,
      measure: `${what}: ratio search / reference, first match on screen / its page in hand; end / last page in hand (same launch)`,
      value: `${round(col((f) => f.firstMatchMs / f.reference.firstMatchPageMs), 2)}× / ${round(col((f) => f.endMs / f.reference.endMs), 2)}×`,
      samples: all.length,
    });
    // The repetition whose search grew most beyond its reference is judged, not the median one.
    const beyond = (f: LogSearchFigures) => round(growth(f.memory) - growth(f.reference.memory));
    const excess = Math.max(...all.map(beyond));
    const worst = all.find((f) => beyond(f) === excess)!;
    rows.push({
      area,
      measure: `${what}: extension host heap, baseline → peak while searching (growth); RSS; the same pages read by the client alone`,
      value: `${worst.memory.baselineHeapMb} → ${worst.memory.peakHeapMb} MB (+${growth(worst.memory)} MB) while reading ${mb(worst.bytes)} of pages; RSS ${worst.memory.baselineRssMb} → ${worst.memory.peakRssMb} MB; the client alone +${growth(worst.reference.memory)} MB: the search ${excess >= 0 ? '+' : ''}${excess} MB beyond it${worst.memory.gcBefore ? '' : ' (no gc() exposed before the baselines)'}`,
      samples: all.length,
      target: `memory flat: heap growth < the client's alone + ${SEARCH_HEAP_BOUND_MB} MB`,
      standing: standing(excess < SEARCH_HEAP_BOUND_MB),
    });
  }
  return rows;
}

export function summarize(run: BenchRun): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const add = (row: SummaryRow) => rows.push(row);
  const figures = run.launches.map((l) => l.figures);

  if (run.sizes) {
    const { extensionJs, webviewJs, vsix } = run.sizes;
    add({ area: 'Size', measure: '`dist/extension.js`, minified (gzip)', value: `${kb(extensionJs.bytes)} (${kb(extensionJs.gzipBytes)})`, samples: 1, target: '< 200 KB', standing: standing(extensionJs.bytes < 200 * 1024) });
    add({ area: 'Size', measure: '`dist/webview.js`, minified (gzip)', value: `${kb(webviewJs.bytes)} (${kb(webviewJs.gzipBytes)})`, samples: 1 });
    add({ area: 'Size', measure: `.vsix${vsix.how ? ` (${vsix.how})` : ''}`, value: vsix.bytes !== undefined ? `${kb(vsix.bytes)}, ${vsix.files} files` : `not built: ${vsix.error}`, samples: vsix.bytes !== undefined ? 1 : 0 });
  }

  const activations = figures.map((f) => f.activation).filter((a): a is NonNullable<LaunchFigures['activation']> => !!a);
  if (activations.length) {
    const n = activations.length;
    const col = (pick: (a: (typeof activations)[number]) => number) => median(activations.map(pick));
    add({ area: 'Activation', measure: 'trivial extension: activate()', value: ms(col((a) => a.trivial.activateMs)), samples: n });
    add({ area: 'Activation', measure: 'trivial extension: activate() → its items drawn', value: ms(col((a) => a.trivial.drawnMs)), samples: n });
    add({ area: 'Activation', measure: 'Runflow: activate()', value: ms(col((a) => a.runflow.activateMs)), samples: n });
    add({ area: 'Activation', measure: 'Runflow: token available → every group drawn (the reload activate() starts when signed in)', value: `${ms(col((a) => a.runflow.signedInLoadMs))}, ${col((a) => a.runflow.loadRequests)} request(s)`, samples: n });
    add({
      area: 'Activation',
      measure: 'Runflow: of which token → list request at the server / → runs in the store',
      value: `${ms(col((a) => a.runflow.requestSentMs))} / ${ms(col((a) => a.runflow.storeFilledMs))}`,
      samples: n,
    });
    add({ area: 'Activation', measure: 'Runflow: activate() → view populated (activate() + token → every group drawn)', value: ms(col((a) => a.runflow.activateMs + a.runflow.signedInLoadMs)), samples: n });
    add({ area: 'Activation', measure: 'ratio Runflow / trivial, activate() alone (same launch)', value: `${round(col((a) => a.runflow.activateMs / a.trivial.activateMs), 2)}×`, samples: n });
    const ratio = col((a) => (a.runflow.activateMs + a.runflow.signedInLoadMs) / a.trivial.drawnMs);
    add({ area: 'Activation', measure: 'ratio Runflow / trivial, activate() → view populated (same launch)', value: `${round(ratio, 2)}×`, samples: n, target: '≤ 1.5×', standing: standing(ratio <= 1.5) });
  }

  const kept = figures.map((f) => f.keptActivation).filter((a): a is NonNullable<LaunchFigures['keptActivation']> => !!a);
  if (kept.length) {
    const n = kept.length;
    const col = (pick: (a: (typeof kept)[number]) => number) => median(kept.map(pick));
    const latency = kept[0].listLatencyMs;
    const matched = kept.every((a) => a.runflow.keptRowsMatched);
    add({ area: 'Activation', measure: 'kept list: trivial extension: activate() → its items drawn', value: ms(col((a) => a.trivial.drawnMs)), samples: n });
    add({
      area: 'Activation',
      measure: `kept list: Runflow activate() → the kept runs drawn (signed in, list kept by the previous launch, API answering after ${latency} ms)`,
      value: `${ms(col((a) => a.runflow.keptDrawnMs))}, ${col((a) => a.runflow.keptRuns)} runs${matched ? '' : ' (the refresh changed the rows before they were drawn)'}`,
      samples: n,
    });
    add({ area: 'Activation', measure: 'kept list: Runflow activate() → first refresh merged', value: ms(col((a) => a.runflow.refreshedMs)), samples: n });
    const ratio = col((a) => a.runflow.keptDrawnMs / a.trivial.drawnMs);
    add({ area: 'Activation', measure: 'ratio Runflow / trivial, activate() → kept runs drawn (same launch)', value: `${round(ratio, 2)}×`, samples: n, target: '≤ 1.5×', standing: standing(ratio <= 1.5) });
  }

  const runsView = figures.map((f) => f.runsView).filter((r): r is NonNullable<LaunchFigures['runsView']> => !!r);
  for (const key of [...new Set(runsView.flatMap((r) => Object.keys(r)))]) {
    const all = runsView.map((r) => r[key]).filter(Boolean);
    const [, page, latency] = /page(\d+)-latency(\d+)/.exec(key) ?? [];
    const loads = all.flatMap((r) => r.loadMs);
    const checked = all.every((r) => r.rowsChecked);
    add({
      area: 'Runs view',
      measure: `${page} runs a page, ${latency} ms latency: load (clear filter) → every group drawn`,
      value: `${ms(median(loads))}, ${median(all.flatMap((r) => r.loadRequests))} request(s), ${all[0].groups} groups${checked ? '' : ' (row count on screen differed from the model)'}`,
      samples: loads.length,
    });
    add({
      area: 'Runs view',
      measure: `${page} runs a page, ${latency} ms latency: Refresh command (nothing changed)`,
      value: `${ms(median(all.flatMap((r) => r.refreshMs)))}, ${median(all.flatMap((r) => r.refreshRequests))} request(s)`,
      samples: all.flatMap((r) => r.refreshMs).length,
    });
  }

  const firstPanels = figures.map((f) => f.firstPanel).filter((p): p is NonNullable<LaunchFigures['firstPanel']> => !!p);
  if (firstPanels.length) {
    add({
      area: 'Logs',
      measure: 'first run panel in a fresh VS Code (10,000 lines): open → newest lines on screen (until the script is ready)',
      value: `${ms(median(firstPanels.map((p) => p.newestMs)))} (${ms(median(firstPanels.map((p) => p.readyMs)))})`,
      samples: firstPanels.length,
    });
  }
  const bare = figures.flatMap((f) => f.bareWebviewMs ?? []);
  if (bare.length) {
    add({ area: 'Logs', measure: 'for comparison: a bare webview panel, open → its script heard back from the extension', value: ms(median(bare)), samples: bare.length });
  }
  const logs = figures.map((f) => f.logs).filter((l): l is NonNullable<LaunchFigures['logs']> => !!l);
  const editors = figures.map((f) => f.editor).filter((e): e is NonNullable<LaunchFigures['editor']> => !!e);
  const domValues: number[] = [];
  for (const role of Object.keys(LOG_SIZES)) {
    const all = logs.map((l) => l[role]).filter(Boolean);
    if (!all.length) continue;
    const label = sizeLabel(role);
    const newest = all.flatMap((l) => l.newestMs);
    const target = role === 'log100k' ? { target: '≤ 300 ms', standing: standing(median(newest) <= 300) } : {};
    const ready = all.flatMap((l) => l.readyMs ?? []);
    add({ area: 'Logs', measure: `${label}: open → newest lines on screen (panel; of which until the panel's script is ready)`, value: `${ms(median(newest))} (${ms(median(ready))})`, samples: newest.length, ...target });
    const { ratio, launches } = panelToBareRatio(run, role);
    if (launches) {
      add({
        area: 'Logs',
        measure: `${label}: newest lines on screen / bare webview heard back (same launch)`,
        value: `${round(ratio, 2)}×`,
        samples: launches,
        target: `≤ ${PANEL_TARGET_RATIO}×`,
        standing: standing(ratio <= PANEL_TARGET_RATIO),
      });
    }
    const dom = [...all.flatMap((l) => l.domAtNewest), ...all.flatMap((l) => (l.domAfterRead === undefined ? [] : [l.domAfterRead]))];
    domValues.push(...dom);
    add({ area: 'Logs', measure: `${label}: panel DOM elements, most seen (at newest lines / whole log read)`, value: String(Math.max(...dom)), samples: dom.length, target: '< 2,000', standing: standing(Math.max(...dom) < 2000) });
    const heapAt = all.flatMap((l) => l.heapAtNewestMb);
    const heapBefore = all.flatMap((l) => l.heapBeforeMb);
    const afterRead = all.map((l) => l.heapAfterReadMb).filter((v): v is number => v !== undefined);
    add({ area: 'Logs', measure: `${label}: renderer JS heap before → at newest lines${afterRead.length ? ' → whole log read' : ''}`, value: `${round(median(heapBefore))} → ${round(median(heapAt))}${afterRead.length ? ` → ${round(median(afterRead))}` : ''} MB`, samples: heapAt.length });
    const reads = all.filter((l) => l.fullReadMs !== undefined);
    if (reads.length) {
      add({ area: 'Logs', measure: `${label}: whole log read through the API (panel)`, value: `${round(median(reads.map((l) => l.fullReadMs!)) / 1000)} s, ${median(reads.map((l) => l.readRequests ?? NaN))} requests`, samples: reads.length });
    }
    const inEditor = editors.map((e) => e[role]).filter(Boolean);
    for (const e of inEditor.filter((x) => x.error)) add({ area: 'Logs', measure: `${label}: the same log in VS Code's editor`, value: `failed: ${e.error}`, samples: 1 });
    const ok = inEditor.filter((e) => !e.error && e.newestMs.length);
    if (ok.length) {
      const eNewest = ok.flatMap((e) => e.newestMs);
      add({ area: 'Logs', measure: `${label}: the same log in VS Code's editor → newest lines on screen (fetch + open)`, value: `${ms(median(eNewest))} (fetch ${ms(median(ok.flatMap((e) => e.fetchMs)))})`, samples: eNewest.length });
      add({ area: 'Logs', measure: `${label}: renderer JS heap before → after, editor`, value: `${round(median(ok.flatMap((e) => e.heapBeforeMb)))} → ${round(median(ok.flatMap((e) => e.heapAfterMb)))} MB`, samples: eNewest.length });
      // Same-launch ratio: the launch that measured both.
      const ratios = run.launches
        .map((l) => ({ p: l.figures.logs?.[role]?.newestMs, e: l.figures.editor?.[role] }))
        .filter((x) => x.p?.length && x.e && !x.e.error && x.e.newestMs.length)
        .map((x) => median(x.e!.newestMs) / median(x.p!));
      if (ratios.length) add({ area: 'Logs', measure: `${label}: editor / panel, time to newest lines (same launch)`, value: `${round(median(ratios), 1)}×`, samples: ratios.length });
    }
  }

  for (const role of Object.keys(LOG_SIZES)) rows.push(...scrollRows(role, figures.map((f) => f.scroll?.[role]).filter((s): s is ScrollFigures => !!s)));

  const searches: Record<string, LogSearchFigures[]> = {};
  for (const f of figures) for (const [kind, all] of Object.entries(f.logSearch ?? {})) (searches[kind] ??= []).push(...all);
  rows.push(...logSearchRows(searches));
  rows.push(...spendRows(figures.flatMap((f) => f.spend ?? [])));

  const budget = figures.map((f) => f.budget).find((b) => !!b);
  if (budget) {
    const intervals = (budget.simulatedMinutes * 60) / budget.activeIntervalS;
    for (const [name, s] of Object.entries(budget.scenarios)) {
      let target: Pick<SummaryRow, 'target' | 'standing'>;
      if (name === 'hidden') target = { target: '0', standing: standing(s.requests === 0) };
      else if (s.activeRuns === 0) target = { target: '≤ 2/min after backing off', standing: standing(s.lastHalfPerMinute <= 2) };
      else if (s.panels) {
        // Tabs of one group: only the panel on screen keeps its run current (a panel out of sight reads its run
        // once, as it opens), and the list keeps its own pace.
        const [onScreen = 0, ...others] = s.readsByRun ?? [];
        target = {
          target: `≤ 1 list request and ≤ 1 read of the run on screen per ${budget.activeIntervalS} s interval; panels out of sight: their first load only`,
          standing: standing(s.listRequests <= intervals && onScreen <= intervals && others.every((n) => n <= 1)),
        };
      } else target = { target: `≤ 1 list request per ${budget.activeIntervalS} s interval`, standing: standing(s.listRequests <= intervals) };
      add({
        area: 'Request budget',
        measure: `${budget.simulatedMinutes} simulated min (clock ×${budget.timeScale}), ${name}${s.activeRuns ? ` (${s.activeRuns} of ${s.loadedRuns} runs active)` : ''}`,
        value: `${s.requests} requests, ${round(s.perMinute, 2)}/min (last 5 min ${round(s.lastHalfPerMinute, 2)}/min); list ${s.listRequests} = ${round(s.listRequests / intervals, 2)} per interval, other ${s.otherRequests}${s.panels ? `: run reads ${s.runRequests ?? 0} (per run with a panel: ${(s.readsByRun ?? []).join(', ') || 'none'}; the one on screen ${round((s.readsByRun?.[0] ?? 0) / intervals, 2)} per interval); log reads ${s.logRequests ?? 0}` : ''}`,
        samples: 1,
        ...target,
      });
    }
  }

  const walkKeys = [...new Set(run.walks.map((w) => `${w.pageSize}:${w.mode}`))];
  for (const key of walkKeys) {
    const ws = run.walks.filter((w) => `${w.pageSize}:${w.mode}` === key);
    const [pageSize, mode] = key.split(':');
    add({
      area: 'Client (plain Node)',
      measure: `walk 10,000 runs, ${pageSize} a page, ${mode === 'keep' ? 'keeping them' : 'counting only'}`,
      value: `${ms(median(ws.map((w) => w.ms)))} (client CPU ${ms(median(ws.map((w) => w.cpuMs)))}), ${median(ws.map((w) => w.pages))} pages, peak RSS ${round(median(ws.map((w) => w.peakRssMb)))} MB (from ${round(median(ws.map((w) => w.rssBeforeMb)))}), peak heap ${round(median(ws.map((w) => w.peakHeapMb)))} MB`,
      samples: ws.length,
    });
  }
  if (run.cancellation) rows.push(...cancellationRows(run.cancellation));
  if (run.refreshCost) rows.push(...refreshCostRows(run.refreshCost));
  if (run.batchSend) rows.push(...batchSendRows(run.batchSend));
  return rows;
}

export function buildReport(run: BenchRun): { summary: SummaryRow[]; markdown: string } {
  const summary = summarize(run);
  const vscodeVersion = run.launches.map((l) => l.figures.vscodeVersion).find(Boolean) ?? 'n/a';
  const hostNode = run.launches.map((l) => l.figures.extensionHostNode).find(Boolean) ?? 'n/a';
  const focused = run.launches.map((l) => l.figures.windowFocused).filter((f) => f !== undefined);
  const m = run.machine;
  const lines = [
    `# Runflow benchmarks`,
    '',
    `${run.date.slice(0, 10)} · ${m.cpus} CPUs (${m.cpuModel}) · ${m.ramGb} GB RAM · ${m.os} · runner Node ${m.node} · VS Code ${vscodeVersion} (headless, code-server; extension host Node ${hostNode}) · load average at start ${m.loadAverage.join(', ')}`,
    '',
    `Medians over ${run.reps} repetitions per launch and ${run.launches.length} VS Code launch(es); ratios are taken within one launch. The extension measured is the production (minified) build. Emulators run in their own processes.${focused.some((f) => !f) ? ' **The VS Code window was not focused in some launches: polling figures are not meaningful there.**' : ''}`,
    '',
    '| area | measure | median | samples | target | standing |',
    '| --- | --- | --- | --- | --- | --- |',
    ...summary.map((r) => `| ${r.area} | ${r.measure} | ${r.value} | ${r.samples} | ${r.target ?? ''} | ${r.standing ?? ''} |`),
    '',
    `Launches: ${run.launches.map((l) => `${l.name} ${l.ok ? 'ok' : 'FAILED'} (${l.seconds} s)`).join(', ') || 'none'}. Whole bench: ${run.seconds} s.`,
  ];
  if (run.problems.length) lines.push('', '**Problems:**', '', ...run.problems.map((p) => `- ${p}`));
  return { summary, markdown: `${lines.join('\n')}\n` };
}
