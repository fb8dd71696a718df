/**
 * A search across runs as the user asked for it: the text, the level and time scope, and whether it keeps
 * to the Runs view's filter. Plain data (no vscode), so the command's argument, the history kept between
 * windows and the input all read and check it the same way.
 */
import type { LevelScope } from '../runs/logSearch';

export type TimeRange = 'hour' | 'today' | 'week' | 'all';

export interface LogSearchRequest {
  text: string;
  level: LevelScope;
  range: TimeRange;
  /** Only runs the Runs view lists under its filter. */
  filtered: boolean;
}

export const LEVELS: readonly LevelScope[] = ['any', 'warning', 'error'];
export const RANGES: readonly TimeRange[] = ['all', 'hour', 'today', 'week'];
/** Searches offered again in the input. */
export const HISTORY_SIZE = 10;
const MAX_TEXT = 1_000;

export const LEVEL_LABELS: Record<LevelScope, string> = { any: 'any level', warning: 'warnings and errors', error: 'errors only' };
export const RANGE_LABELS: Record<TimeRange, string> = { all: 'all time', hour: 'the last hour', today: 'today', week: 'the last 7 days' };

/** The earliest instant a line may have to be in range; undefined for all time. "Today" starts at local midnight. */
export function sinceMs(range: TimeRange, now: number): number | undefined {
  switch (range) {
    case 'hour':
      return now - 60 * 60_000;
    case 'today': {
      const d = new Date(now);
      d.setHours(0, 0, 0, 0);
      return d.getTime();
    }
    case 'week':
      return now - 7 * 24 * 60 * 60_000;
    default:
      return undefined;
  }
}

/** "errors only · today · runs in the filter", for the input's title and the view's description. */
export function describeScope(request: Pick<LogSearchRequest, 'level' | 'range' | 'filtered'>): string {
  return [LEVEL_LABELS[request.level], RANGE_LABELS[request.range], request.filtered ? "runs in the Runs view's filter" : 'every run'].join(' · ');
}

/** A request from outside (a command argument, stored history) if it is one, with defaults for what it leaves out. */
export function parseSearchRequest(raw: unknown): LogSearchRequest | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.text !== 'string' || r.text.trim() === '' || r.text.length > MAX_TEXT) return undefined;
  return {
    text: r.text,
    level: LEVELS.includes(r.level as LevelScope) ? (r.level as LevelScope) : 'any',
    range: RANGES.includes(r.range as TimeRange) ? (r.range as TimeRange) : 'all',
    filtered: r.filtered === true,
  };
}

/** The history with `request` first and no repeat of the same search; at most HISTORY_SIZE. */
export function remember(history: readonly unknown[], request: LogSearchRequest): LogSearchRequest[] {
  const same = (a: LogSearchRequest) => a.text === request.text && a.level === request.level && a.range === request.range && a.filtered === request.filtered;
  const kept = history.map(parseSearchRequest).filter((r): r is LogSearchRequest => !!r && !same(r));
  return [request, ...kept].slice(0, HISTORY_SIZE);
}

/** The next value of a setting the input cycles through with a button. */
export function cycle<T>(values: readonly T[], current: T): T {
  return values[(values.indexOf(current) + 1) % values.length];
}
