/**
 * How severe a log line's level is: one rule for the panel's colours, its "next error" keys and the
 * search across runs. The reference names no level codes, so codes are matched case-insensitively and
 * an unknown code ranks as `other` (shown, never counted as an error).
 */

export type LevelSeverity = 'error' | 'warning' | 'info' | 'debug' | 'other';

const SEVERITY: Record<string, LevelSeverity> = {
  emergency: 'error',
  alert: 'error',
  critical: 'error',
  crit: 'error',
  fatal: 'error',
  error: 'error',
  err: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  notice: 'info',
  debug: 'debug',
  trace: 'debug',
};

/** Level codes at each severity, for a filter the server is asked to apply (q `level_code in (...)`). */
export function levelCodesAtLeast(min: 'error' | 'warning'): string[] {
  return Object.keys(SEVERITY).filter((code) => isAtLeast(code, min));
}

export function levelSeverity(level: unknown): LevelSeverity {
  if (typeof level !== 'string') return 'other';
  return Object.prototype.hasOwnProperty.call(SEVERITY, level.trim().toLowerCase()) ? SEVERITY[level.trim().toLowerCase()] : 'other';
}

/** The line's level is `min` or worse: `isAtLeast('fatal', 'error')`, `isAtLeast('warn', 'warning')`. */
export function isAtLeast(level: unknown, min: 'error' | 'warning'): boolean {
  const s = levelSeverity(level);
  return s === 'error' || (min === 'warning' && s === 'warning');
}
