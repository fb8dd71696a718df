/**
 * JSON as a comparison shows it: pretty-printed with every object's keys sorted, at any depth, so that two
 * values that differ only in key order read the same line for line. A text longer than the cap is cut at
 * a line and says so, so that a 10 MB output opens in an editor at once rather than freezing it.
 */

/** The text, and when it was cut, how much of how much was kept (UTF-8 bytes). */
export interface CanonicalText {
  text: string;
  cut?: { shownBytes: number; totalBytes: number };
}

/** `value` with the keys of every object in sorted order (arrays keep theirs). */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    // defineProperty, not assignment: a key named __proto__ stays a key.
    Object.defineProperty(sorted, key, { value: sortKeysDeep((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return sorted;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Bytes `text` takes in UTF-8, counted without building the encoding. */
export function utf8Length(text: string): number {
  if (ASCII_ONLY.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** "1 MB", "10.4 MB", "512 KB", "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${trimZero((bytes / 1_000_000).toFixed(1))} MB`;
  if (bytes >= 1_000) return `${trimZero((bytes / 1_000).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

function trimZero(n: string): string {
  return n.replace(/\.0$/, '');
}

/** The line that ends a text cut by `canonicalJson`. */
export function cutLine(shownBytes: number, totalBytes: number): string {
  return `… cut at ${formatBytes(shownBytes)} of ${formatBytes(totalBytes)}`;
}

/**
 * Strings longer than this (a data URL, a base64 image) show their start and, after the closing quote,
 * their length and a fingerprint: a line that long is of no use to read, and it is what makes an editor
 * slow, not the size of the document. Two such strings that differ anywhere still read differently.
 */
export const MAX_STRING_CHARS = 10_000;

/** FNV-1a over the UTF-16 code units, as 8 hex digits: enough to tell two long strings apart at a glance. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `"data:image/png;base64,iVBO…" ⟨10,000,022 characters, #1a2b3c4d⟩` */
export function longString(text: string, keep: number): string {
  let end = keep;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return `${JSON.stringify(`${text.slice(0, end)}…`)} ⟨${text.length.toLocaleString('en-US')} characters, #${fingerprint(text)}⟩`;
}

/**
 * The pretty-printed text of `value` with sorted keys (what `JSON.stringify(sortKeysDeep(value), null, 2)`
 * gives), written only until it holds more than `maxChars` characters: a 10 MB value costs its first
 * part, not the whole.
 */
function prettySorted(value: unknown, maxChars: number, maxStringChars: number, maxLines: number): { text: string; complete: boolean } {
  const parts: string[] = [];
  let length = 0;
  let lines = 1;
  const put = (s: string): boolean => {
    parts.push(s);
    length += s.length;
    // Only the printer's own tokens hold line breaks: JSON.stringify escapes those inside strings.
    if (s.endsWith('\n')) lines++;
    return length <= maxChars && lines <= maxLines;
  };
  const walk = (v: unknown, indent: string): boolean => {
    if (Array.isArray(v)) {
      if (v.length === 0) return put('[]');
      const inner = `${indent}  `;
      if (!put('[\n')) return false;
      for (let i = 0; i < v.length; i++) {
        if (!put(inner) || !walk(v[i] ?? null, inner) || !put(i < v.length - 1 ? ',\n' : '\n')) return false;
      }
      return put(`${indent}]`);
    }
    if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
      if (keys.length === 0) return put('{}');
      const inner = `${indent}  `;
      if (!put('{\n')) return false;
      for (let i = 0; i < keys.length; i++) {
        if (!put(`${inner}${JSON.stringify(keys[i])}: `) || !walk(record[keys[i]], inner) || !put(i < keys.length - 1 ? ',\n' : '\n')) return false;
      }
      return put(`${indent}}`);
    }
    if (typeof v === 'string' && v.length > maxStringChars) return put(longString(v, maxStringChars));
    return put(JSON.stringify(v) ?? 'null');
  };
  const complete = walk(value, '');
  return { text: parts.join(''), complete };
}

/** Where line `n + 1` starts (past the n-th line break), or the text's length when it has no more lines. */
function lineStart(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return text.length;
  }
  return at;
}

/**
 * Canonical JSON text of `value` (undefined and null read "null"), at most `maxBytes` and `maxLines` of
 * it (what an editor's diff has to work through grows with the lines): a longer text is cut, at the end of a line when one ends near the cap, followed by a "… cut at N MB of M MB" line.
 */
export function canonicalJson(value: unknown, maxBytes: number, maxStringChars = MAX_STRING_CHARS, maxLines = Infinity): CanonicalText {
  try {
    // Every character is at least one byte, so the first maxBytes characters hold all that is shown.
    const { text, complete } = prettySorted(value ?? null, maxBytes, maxStringChars, maxLines);
    if (complete && utf8Length(text) <= maxBytes) return { text };
    // Key order changes no length: the engine's own printer gives the whole size at a fraction of the cost.
    const totalBytes = utf8Length(JSON.stringify(value ?? null, null, 2) ?? 'null');
    let end = Math.min(text.length, maxBytes, lineStart(text, maxLines));
    // Each character is a byte or more: dropping as many characters as there are bytes too many is enough.
    for (let over = utf8Length(text.slice(0, end)) - maxBytes; over > 0; over = utf8Length(text.slice(0, end)) - maxBytes) end -= over;
    // Never half of a surrogate pair.
    if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1])) end--;
    // A line's end near the cap reads best; a long line is cut inside it.
    const lineEnd = text.lastIndexOf('\n', end);
    const kept = lineEnd >= end * 0.875 ? text.slice(0, lineEnd) : text.slice(0, end);
    const shownBytes = utf8Length(kept);
    return { text: `${kept}\n${cutLine(shownBytes, totalBytes)}`, cut: { shownBytes, totalBytes } };
  } catch (err) {
    // Nesting deeper than the stack allows: nothing a person could read line by line either.
    return { text: `(not shown: ${err instanceof Error ? err.message : String(err)})` };
  }
}
