/** Display text for run fields. Every field may be null, missing or of an unexpected type. */
import { parseTimestamp } from '../core/time';

/** Local date and time: the same text as the Runs tree's tooltips. */
export { localDateTime } from '../core/timeText';

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export { asPlainObject as obj } from '../core/plainObject';

function dateOf(iso: unknown): Date | undefined {
  const t = parseTimestamp(iso);
  return t === undefined ? undefined : new Date(t);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "14:03:07.123" in local time for log lines; '' when there is no usable timestamp. */
export function logTime(iso: string): string {
  const d = dateOf(iso);
  if (!d) return '';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A short single-line rendering of any JSON value for key/value lists. */
export function shortValue(v: unknown, max = 120): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v === undefined) s = '—';
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  s = s.replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
