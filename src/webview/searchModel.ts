/**
 * Log search without the DOM: moving between the matching positions the extension reported. What a
 * query matches is core/searchText.ts, the one rule for the extension and the page.
 */

/** Index of the first of the sorted `matches` not below `position`; `matches.length` when none is. */
function lowerBound(matches: readonly number[], position: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (matches[mid] < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first match at or after `position` (wrapping to 0); -1 when there are none. */
export function matchAtOrAfter(matches: readonly number[], position: number): number {
  if (matches.length === 0) return -1;
  const at = lowerBound(matches, position);
  return at < matches.length ? at : 0;
}

/** Next (+1) or previous (-1) match index, wrapping around; -1 when there are none. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return direction > 0 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/** The line to make current when the answer to a search arrives: `target` when it is among the matches, else none. */
export function matchIndexOf(matches: readonly number[], target: number): number {
  const at = lowerBound(matches, target);
  return at < matches.length && matches[at] === target ? at : -1;
}

/** "3 of 120", "3 of 1,000+", "No results", or '' before any search. */
export function matchCountLabel(current: number, count: number, truncated: boolean, searched: boolean): string {
  if (!searched) return '';
  if (count === 0) return 'No results';
  const total = `${count.toLocaleString('en-US')}${truncated ? '+' : ''}`;
  return current >= 0 ? `${(current + 1).toLocaleString('en-US')} of ${total}` : `${total} ${count === 1 && !truncated ? 'match' : 'matches'}`;
}

/** "Error 2 of 7", "7 errors", "1 error", or '' when there are none. */
export function errorCountLabel(current: number, count: number, truncated: boolean): string {
  if (count <= 0) return '';
  const total = `${count.toLocaleString('en-US')}${truncated ? '+' : ''}`;
  if (current >= 0 && current < count) return `Error ${(current + 1).toLocaleString('en-US')} of ${total}`;
  return `${total} ${count === 1 && !truncated ? 'error' : 'errors'}`;
}
