/**
 * Log search without the DOM: where a query occurs in a line's text, and moving between the matching
 * positions the extension reported.
 */

export interface TextRange {
  start: number;
  end: number;
}

/** Most highlighted occurrences per line; more would only add DOM nodes nobody can tell apart. */
export const MAX_MARKS_PER_LINE = 50;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Case-insensitive occurrences of `query` in `text`, left to right, not overlapping. */
export function findOccurrences(text: string, query: string, limit = MAX_MARKS_PER_LINE): TextRange[] {
  if (!query || !text) return [];
  // A regular expression keeps indices in the original string, which lower-casing would not for every script.
  const re = new RegExp(escapeRegExp(query), 'gi');
  const out: TextRange[] = [];
  let m: RegExpExecArray | null;
  while (out.length < limit && (m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Index of the first match at or after `position` (wrapping to 0); -1 when there are none. */
export function matchAtOrAfter(matches: readonly number[], position: number): number {
  if (matches.length === 0) return -1;
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (matches[mid] < position) lo = mid + 1;
    else hi = mid;
  }
  return lo < matches.length ? lo : 0;
}

/** Next (+1) or previous (-1) match index, wrapping around; -1 when there are none. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return direction > 0 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/** "3 of 120", "3 of 1,000+", "No results", or '' before any search. */
export function matchCountLabel(current: number, count: number, truncated: boolean, searched: boolean): string {
  if (!searched) return '';
  if (count === 0) return 'No results';
  const total = `${count.toLocaleString('en-US')}${truncated ? '+' : ''}`;
  return current >= 0 ? `${(current + 1).toLocaleString('en-US')} of ${total}` : `${total} ${count === 1 && !truncated ? 'match' : 'matches'}`;
}
