/**
 * Show Spend's walk: the runs created in a period, newest first (`GET /v1/runs`, `sort_by=created_at:desc`),
 * added up exactly per model and per local day, with the most expensive runs.
 *
 * Only aggregates are kept, never the runs: a total per model and per day (CostTotal, per currency), the
 * ids read (a run a server sends twice is counted once) and the top runs. A run is in the period when its
 * parsed `created_at` lies in [from, to); its string is never compared. The walk ends when two pages in a
 * row are wholly older than the period (one may be a coarse server's slip), on the listing's end, a
 * repeated cursor or an empty page (CursorTrail), a run budget, a time budget, or a cancel (the request in
 * flight is aborted).
 *
 * `fields` is not sent: the reference does not say whether a projection keeps the embedded target the
 * labels come from, and the labels must read as in the Runs view.
 */
import type { RunflowClient } from '../api/client';
import { CancelledError } from '../api/errors';
import { CursorTrail } from '../api/pagination';
import type { Page, Run, RunEmbed } from '../api/types';
import { compareScaled, CostTotal, runAmount, type RunAmount } from '../core/costTotals';
import { errorMessage } from '../core/errorMessage';
import { localDayKey, localDaysBefore } from '../core/localDay';
import { isPlainObject } from '../core/plainObject';
import { runTarget } from '../core/runModel';
import { singleLine } from '../core/sanitize';
import { parseTimestamp } from '../core/time';
import { SPEND_PERIODS, type SpendPeriod } from '../shared/spendProtocol';

export type SpendStop = 'end' | 'cancelled' | 'run_budget' | 'time_budget' | 'repeated_cursor' | 'empty_page' | 'error';

export interface SpendOptions {
  period: SpendPeriod;
  /** Runs per request, 1..500. Default 500. */
  pageSize?: number;
  /** Runs read before the walk stops. Default 50,000. */
  runBudget?: number;
  /** Default 120 s. */
  timeBudgetMs?: number;
  /** Most expensive runs kept per currency. Default 10. */
  topCount?: number;
  now?: () => number;
  signal?: AbortSignal;
}

export interface SpendProgress {
  pages: number;
  runsRead: number;
  runsInPeriod: number;
}

/** A run among the most expensive. */
export interface TopRun {
  id: string;
  label: string;
  createdMs: number;
  cost: RunAmount;
}

export interface SpendRow {
  runs: number;
  total: CostTotal;
}

export interface SpendReport {
  period: SpendPeriod;
  /** [fromMs, toMs): local midnights. */
  fromMs: number;
  toMs: number;
  stop: SpendStop;
  error?: string;
  progress: SpendProgress;
  total: CostTotal;
  /** By the target's label, as the Runs view names it. */
  byModel: Map<string, SpendRow>;
  /** By local day (`2026-03-07`), every day of the period, newest first. */
  byDay: Map<string, SpendRow>;
  /** Per currency, most expensive first. */
  top: Map<string, TopRun[]>;
}

const EMBED: RunEmbed[] = ['model', 'flow', 'comfyui_workflow'];
const DEFAULTS = { pageSize: 500, runBudget: 50_000, timeBudgetMs: 120_000, topCount: 10 };
/** Consecutive pages wholly older than the period before the walk ends. */
const OLD_PAGES_TO_END = 2;

/** The period's bounds: from the start of the first local day to the end of today. */
export function periodBounds(period: SpendPeriod, now: number): { fromMs: number; toMs: number } {
  const days = SPEND_PERIODS.find((p) => p.id === period)?.days ?? 1;
  return { fromMs: localDaysBefore(now, days - 1), toMs: localDaysBefore(now, -1) };
}

/**
 * Walks the period; `onProgress` is told the report so far after every page (the same object, still
 * growing: read it there, do not keep it).
 */
export async function walkSpend(
  api: Pick<RunflowClient, 'searchRuns'>,
  options: SpendOptions,
  onProgress?: (report: SpendReport) => void,
): Promise<SpendReport> {
  const now = (options.now ?? Date.now)();
  const clock = options.now ?? Date.now;
  const pageSize = Math.min(500, positive(options.pageSize, DEFAULTS.pageSize));
  const runBudget = positive(options.runBudget, DEFAULTS.runBudget);
  const timeBudgetMs = positive(options.timeBudgetMs, DEFAULTS.timeBudgetMs);
  const topCount = positive(options.topCount, DEFAULTS.topCount);
  const report = emptyReport(options.period, now);
  const seen = new Set<string>();
  const trail = new CursorTrail('next', Number.POSITIVE_INFINITY);
  const signal = options.signal;
  let cursor: string | undefined;
  let oldPages = 0;
  const finish = (stop: SpendStop, error?: string): SpendReport => {
    report.stop = stop;
    if (error !== undefined) report.error = error;
    return report;
  };
  for (;;) {
    if (signal?.aborted) return finish('cancelled');
    let page: Page<Run>;
    try {
      page = await api.searchRuns({ sort_by: 'created_at:desc', limit: pageSize, embed: EMBED, pq: cursor }, { signal });
    } catch (err) {
      if (signal?.aborted || err instanceof CancelledError) return finish('cancelled');
      return finish('error', errorMessage(err));
    }
    if (signal?.aborted) return finish('cancelled');
    const items = Array.isArray(page.items) ? page.items.filter((r): r is Run => isPlainObject(r)) : [];
    const wasOld = readPage(report, items, seen, topCount);
    report.progress.pages++;
    report.progress.runsRead += items.length;
    onProgress?.(report);
    oldPages = wasOld ? oldPages + 1 : 0;
    const step = trail.follow(page);
    if ('stop' in step) return finish(step.stop === 'max_pages' ? 'end' : step.stop);
    cursor = step.cursor;
    if (oldPages >= OLD_PAGES_TO_END) return finish('end');
    if (report.progress.runsRead >= runBudget) return finish('run_budget');
    if (clock() - now >= timeBudgetMs) return finish('time_budget');
  }
}

function emptyReport(period: SpendPeriod, now: number): SpendReport {
  const { fromMs, toMs } = periodBounds(period, now);
  const report: SpendReport = {
    period,
    fromMs,
    toMs,
    stop: 'end',
    progress: { pages: 0, runsRead: 0, runsInPeriod: 0 },
    total: new CostTotal(),
    byModel: new Map(),
    byDay: new Map(),
    top: new Map(),
  };
  for (let day = localDaysBefore(toMs, 1); day >= fromMs; day = localDaysBefore(day, 1)) report.byDay.set(localDayKey(day), { runs: 0, total: new CostTotal() });
  return report;
}

/** Adds a page's runs of the period; answers whether every readable time on it is older than the period. */
function readPage(report: SpendReport, items: readonly Run[], seen: Set<string>, topCount: number): boolean {
  let timed = 0;
  let older = 0;
  for (const run of items) {
    const created = parseTimestamp(run.created_at);
    if (created !== undefined) {
      timed++;
      if (created < report.fromMs) older++;
    }
    if (created === undefined || created < report.fromMs || created >= report.toMs) continue;
    // A run a server sends again (a page repeated under a new cursor) is counted once.
    if (typeof run.id !== 'string' || run.id === '' || seen.has(run.id)) continue;
    seen.add(run.id);
    addRun(report, run, created, topCount);
  }
  return timed > 0 && older === timed;
}

function addRun(report: SpendReport, run: Run, createdMs: number, topCount: number): void {
  report.progress.runsInPeriod++;
  report.total.addRun(run);
  const label = singleLine(runTarget(run).label, 120);
  rowOf(report.byModel, label).runs++;
  rowOf(report.byModel, label).total.addRun(run);
  const day = rowOf(report.byDay, localDayKey(createdMs));
  day.runs++;
  day.total.addRun(run);
  const cost = runAmount(run);
  if (typeof cost === 'object') keepIfTop(report.top, { id: run.id!, label, createdMs, cost }, topCount);
}

function rowOf(rows: Map<string, SpendRow>, key: string): SpendRow {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = { runs: 0, total: new CostTotal() }));
  return row;
}

/** Keeps the `count` most expensive runs of each currency, by exact comparison; the first read wins a tie. */
function keepIfTop(top: Map<string, TopRun[]>, run: TopRun, count: number): void {
  const list = top.get(run.cost.currency) ?? [];
  const at = list.findIndex((r) => compareScaled(run.cost.amount, r.cost.amount) > 0);
  if (at === -1) {
    if (list.length >= count) return;
    list.push(run);
  } else {
    list.splice(at, 0, run);
    if (list.length > count) list.pop();
  }
  top.set(run.cost.currency, list);
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
