/**
 * What changed between two JSON values, as a short list of paths (`seed`, `a.b[2]`, `["odd key"]`) with
 * the values before and after, for a one-line "seed 42 → 7, steps 4 → 8". Key order never counts; arrays
 * are compared place by place. The walk is bounded: a huge value yields at most `limit` changes.
 */
import { singleLine } from './sanitize';

export type JsonChangeKind = 'changed' | 'added' | 'removed';

export interface JsonChange {
  path: string;
  kind: JsonChangeKind;
  before?: unknown;
  after?: unknown;
}

export interface JsonChanges {
  changes: JsonChange[];
  /** More changes were found than `limit`: the list is the first of them. */
  more: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `base` followed by an object key: `.key`, or `["a key"]` when the key is not a plain name. */
export function keyPath(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

/** The changes from `before` to `after`, at most `limit` of them. A missing value (undefined) and null are alike. */
export function jsonChanges(before: unknown, after: unknown, limit = 50): JsonChanges {
  const changes: JsonChange[] = [];
  let more = false;
  const push = (change: JsonChange): boolean => {
    if (changes.length >= limit) {
      more = true;
      return false;
    }
    changes.push(change);
    return true;
  };
  const walk = (a: unknown, b: unknown, path: string): boolean => {
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) {
        const inA = Object.prototype.hasOwnProperty.call(a, key);
        const inB = Object.prototype.hasOwnProperty.call(b, key);
        const p = keyPath(path, key);
        const going = !inB ? push({ path: p, kind: 'removed', before: a[key] }) : !inA ? push({ path: p, kind: 'added', after: b[key] }) : walk(a[key], b[key], p);
        if (!going) return false;
      }
      return true;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const p = `${path}[${i}]`;
        const going = i >= b.length ? push({ path: p, kind: 'removed', before: a[i] }) : i >= a.length ? push({ path: p, kind: 'added', after: b[i] }) : walk(a[i], b[i], p);
        if (!going) return false;
      }
      return true;
    }
    if (sameJson(a ?? null, b ?? null)) return true;
    return push({ path: path || '(the whole value)', kind: 'changed', before: a ?? null, after: b ?? null });
  };
  walk(before ?? null, after ?? null, '');
  return { changes, more };
}

/** A value in a few characters: `42`, `"a cat"`, `{…3 keys}`, `[…4 items]`, cut with `…` when long. */
export function shortValue(value: unknown, max = 24): string {
  if (Array.isArray(value)) return `[…${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (isObject(value)) {
    const n = Object.keys(value).length;
    return `{…${n} key${n === 1 ? '' : 's'}}`;
  }
  return singleLine(JSON.stringify(value ?? null), max);
}

/** "seed 42 → 7", "mask added (\"a.png\")", "lora removed". */
export function describeChange(change: JsonChange): string {
  const path = singleLine(change.path, 60);
  switch (change.kind) {
    case 'added':
      return `${path} added (${shortValue(change.after)})`;
    case 'removed':
      return `${path} removed (was ${shortValue(change.before)})`;
    case 'changed':
      return `${path} ${shortValue(change.before)} → ${shortValue(change.after)}`;
  }
}

/** The changes in one line, the first `shown` of them and how many more. */
export function describeChanges(found: JsonChanges, shown = 6): string {
  const parts = found.changes.slice(0, shown).map(describeChange);
  const rest = found.changes.length - parts.length;
  if (rest > 0 || found.more) parts.push(found.more ? `and more` : `and ${rest} more`);
  return parts.join(', ');
}
