/**
 * Keyset pagination shared by runs and logs. Pages are cut on the (sort value, id) key of their
 * boundary rows, never on offsets, so walking `next` visits every row that existed when the walk
 * began exactly once even while rows are added, and walking `previous` goes back the same way.
 *
 * Cursors are opaque to clients: base64url of JSON { s: sort spec, k: boundary key, d: direction }.
 */
import { compareDecimal, compareStrings, isDecimalString } from './query';

export type SortValue = string | number | boolean | null;
/** (sort value, id) */
export type Key = [SortValue, string];

export interface SortSpec {
  field: string;
  desc: boolean;
}

export function sortSpecText(spec: SortSpec): string {
  return `${spec.field}:${spec.desc ? 'desc' : 'asc'}`;
}

export interface CursorPayload {
  /** Sort spec the cursor was issued for. */
  s: string;
  /** Boundary key; null for the `first` cursor. */
  k: Key | null;
  d: 'first' | 'next' | 'prev';
}

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): CursorPayload | null {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
    const p = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorPayload;
    return checkedPayload(p);
  } catch {
    return null;
  }
}

/** `p` as a well-formed cursor payload, or null. */
export function checkedPayload(p: CursorPayload): CursorPayload | null {
  if (typeof p !== 'object' || p === null || typeof p.s !== 'string') return null;
  if (p.d !== 'first' && p.d !== 'next' && p.d !== 'prev') return null;
  if (p.d === 'first') return { s: p.s, k: null, d: 'first' };
  if (!Array.isArray(p.k) || p.k.length !== 2 || typeof p.k[1] !== 'string') return null;
  const v = p.k[0];
  if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return null;
  return { s: p.s, k: [v, p.k[1]], d: p.d };
}

/** How cursors are written on the wire; strict mode uses another style than this default one. */
export interface CursorCodec {
  encode(payload: CursorPayload): string;
  decode(text: string): CursorPayload | null;
}

export const DEFAULT_CURSORS: CursorCodec = { encode: encodeCursor, decode: decodeCursor };

/**
 * Ascending order of two non-null sort values. With `decimal` (the cost field), decimal strings
 * compare exactly by value and sort before any non-decimal string, which keeps the order total.
 */
export function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>, decimal = false): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') {
    if (decimal) {
      const ad = isDecimalString(a);
      const bd = isDecimalString(b);
      if (ad && bd) return compareDecimal(a, b) || compareStrings(a, b);
      if (ad !== bd) return ad ? -1 : 1;
    }
    return compareStrings(a, b);
  }
  // Mixed types only happen with hand-inserted data; order them by type name to stay total.
  return compareStrings(typeof a, typeof b);
}

/**
 * The view-order comparator for a sort spec: nulls always last (whatever the direction, so that
 * the default newest-first listing does not open with undated runs), then the value, then the id.
 * With `nullsLargest` (strict mode) nulls rank above every value instead, as in PostgreSQL: last
 * ascending, first descending.
 */
export function keyComparator(desc: boolean, decimal = false, nullsLargest = false): (a: Key, b: Key) => number {
  const dir = desc ? -1 : 1;
  return (a, b) => {
    const [av, aid] = a;
    const [bv, bid] = b;
    if (av === null && bv !== null) return nullsLargest ? dir : 1;
    if (av !== null && bv === null) return nullsLargest ? -dir : -1;
    if (av !== null && bv !== null) {
      const c = compareValues(av, bv, decimal);
      if (c !== 0) return c * dir;
    }
    return compareStrings(aid, bid) * dir;
  };
}

/** A sequence already in view order, read by index (lazily for generated logs). */
export interface SortedSource<T> {
  readonly length: number;
  at(index: number): T;
}

export function reversed<T>(source: SortedSource<T>): SortedSource<T> {
  return {
    get length() {
      return source.length;
    },
    at: (i) => source.at(source.length - 1 - i),
  };
}

export interface PageRequest<T> {
  sources: Array<SortedSource<T>>;
  keyOf: (item: T) => Key;
  compare: (a: Key, b: Key) => number;
  match: (item: T) => boolean;
  boundary: Key | null;
  backward: boolean;
  limit: number;
}

export interface PageResult<T> {
  items: T[];
  /** Whether matching rows exist before the first item / after the last item. */
  hasBefore: boolean;
  hasAfter: boolean;
}

/** First index whose key is >= key (strict = false) or > key (strict = true). */
function bound<T>(src: SortedSource<T>, keyOf: (t: T) => Key, compare: (a: Key, b: Key) => number, key: Key, strict: boolean): number {
  let lo = 0;
  let hi = src.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(keyOf(src.at(mid)), key);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function anyMatch<T>(src: SortedSource<T>, match: (t: T) => boolean, from: number, to: number, step: 1 | -1): boolean {
  for (let i = from; step === 1 ? i < to : i >= to; i += step) if (match(src.at(i))) return true;
  return false;
}

export function keysetPage<T>(req: PageRequest<T>): PageResult<T> {
  const { sources, keyOf, compare, match, boundary, backward, limit } = req;
  const collected: T[] = [];
  let outside = false;
  for (const src of sources) {
    if (!backward) {
      const start = boundary ? bound(src, keyOf, compare, boundary, true) : 0;
      let n = 0;
      for (let i = start; i < src.length && n <= limit; i++) {
        const item = src.at(i);
        if (match(item)) {
          collected.push(item);
          n++;
        }
      }
      if (!outside && boundary) outside = anyMatch(src, match, start - 1, 0, -1);
    } else {
      const end = boundary ? bound(src, keyOf, compare, boundary, false) : src.length;
      let n = 0;
      for (let i = end - 1; i >= 0 && n <= limit; i--) {
        const item = src.at(i);
        if (match(item)) {
          collected.push(item);
          n++;
        }
      }
      if (!outside) outside = anyMatch(src, match, end, src.length, 1);
    }
  }
  collected.sort((a, b) => compare(keyOf(a), keyOf(b)));
  if (!backward) {
    return { items: collected.slice(0, limit), hasBefore: outside, hasAfter: collected.length > limit };
  }
  return {
    items: collected.slice(Math.max(0, collected.length - limit)),
    hasBefore: collected.length > limit,
    hasAfter: outside,
  };
}
