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
  // Each source is already in view order, so the page is a merge: the next matching item of every source
  // sits in a heap, and only limit + 1 items are taken. Across many sources (`GET /v1/runs/any/logs`) this
  // reads a few items of each rather than a page's worth of each.
  const heads: Head<T>[] = [];
  let outside = false;
  for (const src of sources) {
    if (!backward) {
      const start = boundary ? bound(src, keyOf, compare, boundary, true) : 0;
      const head = nextMatch(src, match, keyOf, start, 1);
      if (head) heads.push(head);
      if (!outside && boundary) outside = anyMatch(src, match, start - 1, 0, -1);
    } else {
      const end = boundary ? bound(src, keyOf, compare, boundary, false) : src.length;
      const head = nextMatch(src, match, keyOf, end - 1, -1);
      if (head) heads.push(head);
      if (!outside) outside = anyMatch(src, match, end, src.length, 1);
    }
  }
  // Forward pages take the smallest keys first; backward pages the largest (the ones nearest the boundary).
  const before = backward ? (a: Head<T>, b: Head<T>) => compare(b.key, a.key) < 0 : (a: Head<T>, b: Head<T>) => compare(a.key, b.key) < 0;
  const heap = new Heap(heads, before);
  const collected: T[] = [];
  while (collected.length <= limit) {
    const head = heap.pop();
    if (!head) break;
    collected.push(head.item);
    const next = nextMatch(head.src, match, keyOf, head.index + head.step, head.step);
    if (next) heap.push(next);
  }
  if (backward) collected.reverse();
  if (!backward) {
    return { items: collected.slice(0, limit), hasBefore: outside, hasAfter: collected.length > limit };
  }
  return {
    items: collected.slice(Math.max(0, collected.length - limit)),
    hasBefore: collected.length > limit,
    hasAfter: outside,
  };
}

interface Head<T> {
  src: SortedSource<T>;
  index: number;
  step: 1 | -1;
  item: T;
  key: Key;
}

function nextMatch<T>(src: SortedSource<T>, match: (t: T) => boolean, keyOf: (t: T) => Key, from: number, step: 1 | -1): Head<T> | undefined {
  for (let i = from; i >= 0 && i < src.length; i += step) {
    const item = src.at(i);
    if (match(item)) return { src, index: i, step, item, key: keyOf(item) };
  }
  return undefined;
}

/** A binary heap: `pop` answers the item for which `before` holds against every other. */
class Heap<T> {
  private readonly items: T[];

  constructor(
    items: T[],
    private readonly before: (a: T, b: T) => boolean,
  ) {
    this.items = items;
    for (let i = (items.length >>> 1) - 1; i >= 0; i--) this.down(i);
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    if (!items.length) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < items.length && this.before(items[l], items[best])) best = l;
      if (r < items.length && this.before(items[r], items[best])) best = r;
      if (best === i) return;
      [items[i], items[best]] = [items[best], items[i]];
      i = best;
    }
  }
}
