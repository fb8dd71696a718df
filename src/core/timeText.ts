/**
 * Times for people: the local date and time, and how long ago. The server's ISO text in UTC is exact
 * but makes the reader do the arithmetic; the tree's tooltips and the panel say the same thing the
 * same way.
 */
import { formatAgo } from './runModel';
import { singleLine } from './sanitize';
import { parseTimestamp } from './time';

export interface TimeTextOptions {
  /** For tests and fixed displays; the runtime's own zone otherwise. */
  timeZone?: string;
  locale?: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(options: TimeTextOptions): Intl.DateTimeFormat {
  const key = `${options.locale ?? ''}|${options.timeZone ?? ''}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(options.locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/** "Nov 30, 2026, 02:03:07 PM" in local time, or undefined when the value is not a time. */
export function localDateTime(iso: unknown, options: TimeTextOptions = {}): string | undefined {
  const t = parseTimestamp(iso);
  return t === undefined ? undefined : dateTimeFormat(options).format(new Date(t));
}

/**
 * "Nov 30, 2026, 02:03:07 PM · 5 min ago"; undefined when there is no time at all, and a time the
 * server sent that is not one is said to be so, with what was sent.
 */
export function timeWithAgo(iso: unknown, now: number, options: TimeTextOptions = {}): string | undefined {
  if (iso === null || iso === undefined || (typeof iso === 'string' && !iso.trim())) return undefined;
  const local = localDateTime(iso, options);
  if (local === undefined) return `unreadable time (the server sent ${JSON.stringify(singleLine(typeof iso === 'string' ? iso : JSON.stringify(iso) ?? String(iso), 60))})`;
  return `${local} · ${formatAgo(iso, now)}`;
}
