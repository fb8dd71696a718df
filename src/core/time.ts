/**
 * Timestamps from the API. The reference gives no precision or offset style, so every form a server may
 * plausibly send is read (no fraction, milliseconds, microseconds or more; `Z`, `+00:00`, `+0000`, any
 * offset) and compared as instants: `…:09Z` and `…:09.500Z` are half a second apart, which their strings
 * do not say. Anything else is "no time", never a guess (`Date.parse` would read "2024" or "March 7").
 */

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?$/;

/** Milliseconds since the epoch (fractions below a millisecond kept), or undefined when `value` is not a timestamp. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const m = ISO_TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', z, sign, oh, om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  if (hour === 24 && (minute > 0 || second > 0 || /[1-9]/.test(frac))) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // 31 February would roll over into March; such a date is not a date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  // A leap second (:60) is read as the second before it.
  let ms = date.getTime() + ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1000;
  if (frac) ms += Number(`0.${frac.slice(0, 9)}`) * 1000;
  if (sign) {
    const offset = (Number(oh) * 60 + Number(om)) * 60_000;
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    ms += sign === '+' ? -offset : offset;
  }
  // No zone at all (`z` unset) is read as UTC, the zone every documented example uses.
  void z;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Orders two timestamps as instants; a missing or unreadable one sorts before every readable one. */
export function compareTimestamps(a: unknown, b: unknown): number {
  const ta = parseTimestamp(a);
  const tb = parseTimestamp(b);
  if (ta === undefined) return tb === undefined ? 0 : -1;
  if (tb === undefined) return 1;
  return ta - tb;
}
