/**
 * The part of a long line a search result shows: at most `max` characters around the first match, with
 * an ellipsis where the line was cut, and the match ranges moved to the cut text.
 */
import type { TextRange } from '../core/searchText';

export interface Excerpt {
  text: string;
  ranges: TextRange[];
}

const ELLIPSIS = '…';

/**
 * Characters kept before the first match: a result is read in a tree row a few dozen characters wide, so
 * the match must come early, with only a little of what led to it.
 */
export const LEAD_CHARS = 12;

/**
 * `ranges` are those of `text`, left to right. At most LEAD_CHARS go before the first match (a line whose
 * match comes later is cut at its start too, however short it is); a match longer than the room is cut.
 */
export function excerptAround(text: string, ranges: readonly TextRange[], max: number): Excerpt {
  const firstStart = ranges[0]?.start ?? 0;
  if (text.length <= max && firstStart <= LEAD_CHARS) return { text, ranges: ranges.map((r) => ({ ...r })) };
  let start = Math.max(0, firstStart - LEAD_CHARS);
  // A match near the end of a long line: the excerpt still fills its room.
  if (text.length > max) start = Math.max(0, Math.min(start, text.length - (max - 1)));
  let end = Math.min(text.length, start + max - (start > 0 ? 1 : 0));
  if (end < text.length) end -= 1;
  // Never half a surrogate pair at either cut.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && end > start && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  const head = start > 0 ? ELLIPSIS : '';
  const tail = end < text.length ? ELLIPSIS : '';
  const shift = head.length - start;
  const moved: TextRange[] = [];
  for (const r of ranges) {
    if (r.end <= start || r.start >= end) continue;
    moved.push({ start: Math.max(r.start, start) + shift, end: Math.min(r.end, end) + shift });
  }
  return { text: head + text.slice(start, end) + tail, ranges: moved };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
