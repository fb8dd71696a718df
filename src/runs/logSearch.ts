/**
 * Search through the logs of every run of the organisation (`GET /v1/runs/any/logs`), newest lines first,
 * so that a search stopped by a budget has searched the newest lines.
 *
 * The server is asked to narrow the lines with `q` (message contains the plain text, level, time, the
 * runs of the Runs view's filter) where it accepts it, and every line that comes back is checked here
 * all the same: a server that ignores `q` still gives exact results. A server that refuses `q` (400 or
 * 422 to a request carrying it) is asked again without it for the rest of the search, and the lines are
 * filtered here alone.
 *
 * What the server's own matching cannot see is found only when it does not narrow by text: a match that
 * an ANSI colour code or a bidi control splits, or one inside a message that is not a string (see
 * src/runs/README.md).
 *
 * Memory stays flat: a page is read and let go; only counters, the ids of lines already reported (at most
 * `matchBudget`) and the walk's cursors are kept.
 */
import type { RunflowClient } from '../api/client';
import { CancelledError, isRefusedRequest } from '../api/errors';
import { combineQuery, levelIn, logOfRuns, messageContains } from '../api/filters';
import { CursorTrail } from '../api/pagination';
import type { Page, Run, RunLog, SearchLogsParams } from '../api/types';
import { stripAnsi } from '../core/ansi';
import { Emitter, type Event } from '../core/emitter';
import { errorMessage } from '../core/errorMessage';
import { isAtLeast, levelCodesAtLeast } from '../core/logLevels';
import { isPlainObject } from '../core/plainObject';
import { runTarget } from '../core/runModel';
import { neutralizeBidi } from '../core/sanitize';
import { parseSearchText, type TextMatcher, type TextRange } from '../core/searchText';
import { parseTimestamp } from '../core/time';
import { logId, toRecord } from './logRecord';
import { excerptAround } from './matchExcerpt';

export type LevelScope = 'any' | 'warning' | 'error';

export interface LogSearchQuery {
  /** As typed: plain or /regex/flags. */
  text: string;
  level: LevelScope;
  /** Epoch ms lower bound on the line's time; undefined = all time. */
  sinceMs?: number;
  /** Only lines of these runs (the Runs view's filter); undefined = every run. */
  runIds?: ReadonlySet<string>;
}

export interface LogMatch {
  /** null: the line names no run ("unknown run"); such a line is never dropped. */
  runId: string | null;
  logId: string | undefined;
  /** As sent (bidi-neutralised), '' when missing. */
  timestamp: string;
  /** The parsed instant. */
  timeMs: number | undefined;
  /** Normalised lower-case code, '' when missing. */
  level: string;
  /**
   * The message with ANSI removed and bidi controls neutralised, on one line (each newline and tab a space,
   * so `ranges` stay where they were), cut to at most MAX_MATCH_TEXT characters around the first match
   * (with … where cut).
   */
  text: string;
  /** Matches within `text`, for TreeItem highlights. */
  ranges: TextRange[];
  /** The full message as the log reader stores it, to find the line in the run's panel. */
  message: string;
}

/** From the log item's `run`, when the server sends it. */
export interface RunSummary {
  id: string;
  /** What the Runs view calls the run: its model, flow or workflow (name, else slug, else id). */
  label?: string;
  status?: string;
  createdAt?: string;
}

export interface SearchProgress {
  /** Pages read, over every pass. */
  pages: number;
  /** Lines read, over every pass. */
  lines: number;
  matches: number;
  /** Runs with matches; lines of no run count as one. */
  runs: number;
}

export type SearchStop =
  | 'end'
  | 'cancelled'
  | 'line_budget'
  | 'time_budget'
  | 'match_budget'
  | 'repeated_cursor'
  | 'empty_page'
  | 'error';

export interface SearchOutcome {
  stop: SearchStop;
  /** For 'error': what went wrong, readable, without the token. */
  error?: string;
  progress: SearchProgress;
  /** `q` was sent and not refused (a server may still have ignored it: the lines are checked here anyway). */
  serverNarrowed: boolean;
  /** The server refused `q`: the lines are filtered here alone. */
  fallback: boolean;
  /** `continue()` goes on from where this stopped. */
  canContinue: boolean;
}

export interface LogSearchOptions {
  /** Lines per request, 1..500. Default 500. */
  pageSize?: number;
  /** Lines read per pass (`run`, each `continue`). Default 50,000. */
  lineBudget?: number;
  /** Time per pass. Default 60 s. */
  timeBudgetMs?: number;
  /** Matches reported over the whole search. Default 5,000. */
  matchBudget?: number;
  now?: () => number;
}

/** Longest `LogMatch.text`. */
export const MAX_MATCH_TEXT = 500;
/** A longer plain text is matched here only: the `q` would make the request line too long for some servers. */
export const MAX_SERVER_TEXT = 200;
/** More runs than this in the Runs view's filter are matched here only: the `q` would grow too long. */
export const MAX_SERVER_RUN_IDS = 50;
/**
 * Consecutive pages whose every readable time is older than the bound before the search ends early. One
 * page could be a server's ordering slip; two in a row, with every time so far in order, are not.
 */
const OLD_PAGES_TO_END = 2;

const DEFAULTS = { pageSize: 500, lineBudget: 50_000, timeBudgetMs: 60_000, matchBudget: 5_000 };

const FALLBACK_MESSAGE =
  'The server does not filter logs: every line is read and filtered here, which takes longer.';

/** Stops after which `continue()` has nowhere to go on from. */
const FINAL_STOPS: ReadonlySet<SearchStop> = new Set<SearchStop>(['end', 'match_budget', 'repeated_cursor', 'empty_page']);

export class LogSearch {
  private readonly matcher: TextMatcher | undefined;
  private readonly invalid: string | undefined;
  private readonly pageSize: number;
  private readonly lineBudget: number;
  private readonly timeBudgetMs: number;
  private readonly matchBudget: number;
  private readonly now: () => number;
  /** The `q` asked for, until the server refuses it. */
  private q: string | undefined;
  private readonly qSent: boolean;
  private fellBack = false;

  /** One trail for the whole search, across passes: a cursor seen in an earlier pass is a repeat too. */
  private readonly trail = new CursorTrail('next', Number.POSITIVE_INFINITY);
  /** The page to read next; undefined before the first page. */
  private cursor: string | undefined;
  private readonly progress: SearchProgress = { pages: 0, lines: 0, matches: 0, runs: 0 };
  private readonly runsWithMatches = new Set<string | null>();
  private readonly reported = new Set<string>();
  private matchesDropped = false;
  /** Whether every readable time so far came newest first, as asked. */
  private inOrder = true;
  private lastTimeMs: number | undefined;
  private oldPages = 0;

  private outcome: SearchOutcome | undefined;
  private running: Promise<SearchOutcome> | undefined;
  private readonly disposal = new AbortController();

  private readonly matchesFound = new Emitter<{ matches: LogMatch[]; runs: RunSummary[] }>();
  private readonly progressed = new Emitter<SearchProgress>();
  private readonly fellBackTo = new Emitter<string>();
  /** Per page with matches: only the new ones; `runs`: the summaries the page carried for their runs. */
  readonly onDidFindMatches: Event<{ matches: LogMatch[]; runs: RunSummary[] }> = this.matchesFound.event;
  readonly onDidProgress: Event<SearchProgress> = this.progressed.event;
  /** Once per search: the server refused `q`; the message is for the user. */
  readonly onDidFallBack: Event<string> = this.fellBackTo.event;

  /** An invalid query does not throw: `run` then ends with 'error' and sends nothing (see `check`). */
  constructor(
    private readonly api: Pick<RunflowClient, 'searchLogs'>,
    private readonly query: LogSearchQuery,
    options: LogSearchOptions = {},
  ) {
    const parsed = parseSearchText(query.text);
    this.matcher = parsed.ok ? parsed.matcher : undefined;
    this.invalid = parsed.ok ? undefined : parsed.error;
    this.pageSize = Math.min(500, positiveInteger(options.pageSize, DEFAULTS.pageSize));
    this.lineBudget = positiveInteger(options.lineBudget, DEFAULTS.lineBudget);
    this.timeBudgetMs = positiveInteger(options.timeBudgetMs, DEFAULTS.timeBudgetMs);
    this.matchBudget = positiveInteger(options.matchBudget, DEFAULTS.matchBudget);
    this.now = options.now ?? Date.now;
    this.q = this.matcher ? serverQuery(this.matcher, query) : undefined;
    this.qSent = this.q !== undefined;
  }

  /** Whether `text` can be searched for; the error is for the user. */
  static check(text: string): { ok: true } | { ok: false; error: string } {
    const parsed = parseSearchText(text);
    return parsed.ok ? { ok: true } : { ok: false, error: parsed.error };
  }

  /** The first pass. Called again, it joins the pass under way or answers the last outcome. */
  run(signal?: AbortSignal): Promise<SearchOutcome> {
    if (this.running) return this.running;
    if (this.outcome) return Promise.resolve(this.outcome);
    return this.pass(signal);
  }

  /**
   * "Search further": the same walk from where it stopped, with a fresh line and time budget. Without
   * `canContinue` it answers the last outcome and sends nothing.
   */
  continue(signal?: AbortSignal): Promise<SearchOutcome> {
    if (this.running) return this.running;
    if (!this.outcome) return this.run(signal);
    if (!this.outcome.canContinue) return Promise.resolve(this.outcome);
    return this.pass(signal);
  }

  /** Stops the request under way; no event fires after this. */
  dispose(): void {
    this.disposal.abort();
    this.matchesFound.dispose();
    this.progressed.dispose();
    this.fellBackTo.dispose();
  }

  private pass(signal: AbortSignal | undefined): Promise<SearchOutcome> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    for (const s of [signal, this.disposal.signal]) {
      if (s?.aborted) controller.abort();
      else s?.addEventListener('abort', abort, { once: true });
    }
    this.running = this.walk(controller.signal)
      .then((outcome) => (this.outcome = outcome))
      .finally(() => {
        this.running = undefined;
        signal?.removeEventListener('abort', abort);
        this.disposal.signal.removeEventListener('abort', abort);
      });
    return this.running;
  }

  private async walk(signal: AbortSignal): Promise<SearchOutcome> {
    if (!this.matcher) return this.finish('error', this.invalid);
    const matcher = this.matcher;
    const started = this.now();
    let lines = 0;
    for (;;) {
      if (signal.aborted) return this.finish('cancelled');
      let page: Page<RunLog>;
      try {
        page = await this.fetchPage(signal);
      } catch (err) {
        if (signal.aborted || err instanceof CancelledError) return this.finish('cancelled');
        return this.finish('error', errorMessage(err));
      }
      // A page that arrives after the cancel is left unread; a later pass asks for it again.
      if (signal.aborted) return this.finish('cancelled');
      const items = Array.isArray(page.items) ? page.items.filter((i): i is RunLog => isPlainObject(i)) : [];
      lines += items.length;
      const pageWasOld = this.readPage(items, matcher);
      this.oldPages = pageWasOld ? this.oldPages + 1 : 0;
      this.progress.pages++;
      this.progress.lines += items.length;
      this.progressed.fire({ ...this.progress });

      const step = this.trail.follow(page);
      if ('stop' in step) {
        if (this.matchesDropped) return this.finish('match_budget');
        // The trail has no page cap (the budgets are the cap), so 'max_pages' does not come.
        return this.finish(step.stop === 'max_pages' ? 'end' : step.stop);
      }
      this.cursor = step.cursor;
      if (this.matchesDropped || this.progress.matches >= this.matchBudget) return this.finish('match_budget');
      if (this.oldPages >= OLD_PAGES_TO_END && this.inOrder) return this.finish('end');
      if (lines >= this.lineBudget) return this.finish('line_budget');
      if (this.now() - started >= this.timeBudgetMs) return this.finish('time_budget');
    }
  }

  /**
   * The page at `this.cursor`, with `q` while the server takes it. A refusal of `q` is not a failure: the
   * same page is asked for again without it, and so is every page after.
   */
  private async fetchPage(signal: AbortSignal): Promise<Page<RunLog>> {
    const params: SearchLogsParams = { sort_by: 'timestamp:desc', limit: this.pageSize, pq: this.cursor };
    const q = this.q;
    if (q === undefined) return this.api.searchLogs('any', params, { signal });
    try {
      return await this.api.searchLogs('any', { ...params, q }, { signal });
    } catch (err) {
      if (!isRefusedRequest(err) || signal.aborted) throw err;
      this.q = undefined;
      this.fellBack = true;
      this.fellBackTo.fire(FALLBACK_MESSAGE);
      // The client sends nothing once `signal` is aborted, should a listener have cancelled the search.
      return this.api.searchLogs('any', params, { signal });
    }
  }

  /** Checks and reports the lines of one page; answers whether every readable time on it is older than the bound. */
  private readPage(items: readonly RunLog[], matcher: TextMatcher): boolean {
    const { level, sinceMs, runIds } = this.query;
    const matches: LogMatch[] = [];
    const runs = new Map<string, RunSummary>();
    let timed = 0;
    let older = 0;
    for (const item of items) {
      const timeMs = parseTimestamp(item.timestamp);
      if (timeMs !== undefined) {
        timed++;
        if (sinceMs !== undefined && timeMs < sinceMs) older++;
        if (this.lastTimeMs !== undefined && timeMs > this.lastTimeMs) this.inOrder = false;
        this.lastTimeMs = timeMs;
      }
      const runId = runIdOf(item);
      // A line that names no run cannot be shown to lie outside the filter, so it is kept, under "unknown run".
      if (runIds && runId !== null && !runIds.has(runId)) continue;
      if (level !== 'any' && !isAtLeast(item.level_code, level)) continue;
      // A line without a readable time cannot be shown to be older than the bound, so it is kept. (A server
      // that narrows by time decides for itself about such lines.)
      if (sinceMs !== undefined && timeMs !== undefined && timeMs < sinceMs) continue;
      const record = toRecord(item);
      const plain = stripAnsi(record.message);
      const ranges = matcher.find(plain);
      if (ranges.length === 0) continue;
      const id = logId(item);
      const key = id === undefined ? undefined : `${runId ?? ''}\u0000${id}`;
      // A server that sends a line again (a page repeated under a new cursor) does not report it twice.
      if (key !== undefined && this.reported.has(key)) continue;
      if (this.progress.matches >= this.matchBudget) {
        this.matchesDropped = true;
        break;
      }
      if (key !== undefined) this.reported.add(key);
      const excerpt = excerptAround(oneLine(plain), ranges, MAX_MATCH_TEXT);
      matches.push({
        runId,
        logId: id,
        timestamp: record.timestamp,
        timeMs,
        level: record.level,
        text: excerpt.text,
        ranges: excerpt.ranges,
        message: record.message,
      });
      this.progress.matches++;
      this.runsWithMatches.add(runId);
      if (runId !== null && !runs.has(runId)) {
        const summary = summaryOf(runId, item.run);
        if (summary) runs.set(runId, summary);
      }
    }
    this.progress.runs = this.runsWithMatches.size;
    if (matches.length) this.matchesFound.fire({ matches, runs: [...runs.values()] });
    return sinceMs !== undefined && timed > 0 && older === timed;
  }

  private finish(stop: SearchStop, error?: string): SearchOutcome {
    const outcome: SearchOutcome = {
      stop,
      progress: { ...this.progress },
      serverNarrowed: this.qSent && !this.fellBack,
      fallback: this.fellBack,
      // An invalid query has nothing to go on with; a failed or cancelled pass asks for the same page again.
      canContinue: !FINAL_STOPS.has(stop) && this.matcher !== undefined && !this.disposal.signal.aborted,
    };
    if (error !== undefined) outcome.error = error;
    return outcome;
  }
}

/**
 * The `q` that narrows the lines as far as the server can tell: plain text, level, runs. Never the time
 * bound: the reference says neither how a server spells its times nor how `>=` compares them, and one that
 * compares text would put `…:09.500Z` before `…:09Z` or drop a line written with another offset. The bound
 * is applied here, on parsed instants, and the walk (newest first) stops once whole pages are older.
 */
function serverQuery(matcher: TextMatcher, query: LogSearchQuery): string | undefined {
  const runIds = query.runIds ? [...query.runIds] : [];
  return combineQuery(
    undefined,
    matcher.plain !== undefined && matcher.plain.length <= MAX_SERVER_TEXT && messageContains(matcher.plain),
    query.level !== 'any' && levelIn(levelCodesAtLeast(query.level)),
    runIds.length > 0 && runIds.length <= MAX_SERVER_RUN_IDS && logOfRuns(runIds),
  );
}

function runIdOf(item: RunLog): string | null {
  if (typeof item.run_id === 'string' && item.run_id !== '') return item.run_id;
  const run: unknown = item.run;
  if (isPlainObject(run) && typeof run.id === 'string' && run.id !== '') return run.id;
  return null;
}

/** What a result shows of a run, from the run object the server sent (with a log line, or on its own). */
export function summaryOf(runId: string, run: unknown): RunSummary | undefined {
  if (!isPlainObject(run)) return undefined;
  const summary: RunSummary = { id: runId, label: neutralizeBidi(runTarget(run as Run).label) };
  if (typeof run.status_code === 'string') summary.status = neutralizeBidi(run.status_code);
  if (typeof run.created_at === 'string') summary.createdAt = neutralizeBidi(run.created_at);
  return summary;
}

/** Newlines and tabs as spaces, one for one, so ranges found in the text still hold. */
function oneLine(text: string): string {
  return text.replace(/[\n\t]/g, ' ');
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
