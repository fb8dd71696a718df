/**
 * Geometry of the virtual log list, without the DOM.
 *
 * The scroll position is kept in "line units": p = 3.25 means line 3 is at the top of the viewport,
 * scrolled a quarter of its own height. With fixed rows this is plain `scrollTop / rowHeight`; with
 * wrapped rows of different heights it still works, because only the rows on screen need real
 * heights. The scrollable area is `pBottom * rowHeight + viewportHeight`, where `pBottom` is the
 * position at which the last line's bottom meets the viewport's bottom, capped at `MAX_SCROLL_PX`
 * (browsers cannot make elements arbitrarily tall) by scaling scrollTop to positions.
 */

/** Tallest scroll area used; beyond it scrollTop is scaled. Well below Chromium's ~33.5M px limit. */
export const MAX_SCROLL_PX = 10_000_000;

/**
 * The position whose view ends exactly at the last line's bottom: walk back from the end until a
 * viewport is filled. 0 when everything fits.
 */
export function bottomPosition(total: number, viewportHeight: number, heightOf: (position: number) => number): number {
  let remaining = viewportHeight;
  for (let k = total - 1; k >= 0; k--) {
    const h = Math.max(1, heightOf(k));
    if (h >= remaining) return k + (h - remaining) / h;
    remaining -= h;
  }
  return 0;
}

export interface ScrollMapping {
  /** Height of the scrollable spacer (px). */
  space: number;
  /** Largest position (line units). */
  pBottom: number;
  rowHeight: number;
  viewportHeight: number;
}

export function scrollMapping(pBottom: number, rowHeight: number, viewportHeight: number, maxPx = MAX_SCROLL_PX): ScrollMapping {
  const natural = pBottom * rowHeight + viewportHeight;
  return { space: Math.max(viewportHeight, Math.min(natural, Math.max(maxPx, viewportHeight + rowHeight))), pBottom, rowHeight, viewportHeight };
}

function maxScroll(m: ScrollMapping): number {
  return Math.max(0, m.space - m.viewportHeight);
}

export function isScaled(m: ScrollMapping): boolean {
  return m.pBottom * m.rowHeight > maxScroll(m) + 0.5;
}

export function positionFromScrollTop(scrollTop: number, m: ScrollMapping): number {
  const max = maxScroll(m);
  if (max <= 0 || m.pBottom <= 0) return 0;
  const top = Math.min(Math.max(0, scrollTop), max);
  const p = isScaled(m) ? (top / max) * m.pBottom : top / m.rowHeight;
  return Math.min(p, m.pBottom);
}

export function scrollTopForPosition(p: number, m: ScrollMapping): number {
  const max = maxScroll(m);
  if (max <= 0 || m.pBottom <= 0) return 0;
  const clamped = Math.min(Math.max(0, p), m.pBottom);
  return isScaled(m) ? (clamped / m.pBottom) * max : Math.min(max, clamped * m.rowHeight);
}

/** Within this many pixels of the end counts as "at the bottom" (sub-pixel scroll offsets, zoom). */
export const BOTTOM_SLACK_PX = 4;

export function isAtBottom(scrollTop: number, m: ScrollMapping): boolean {
  return scrollTop >= maxScroll(m) - BOTTOM_SLACK_PX;
}

export interface RowLayout {
  /** Offset of the first rendered row's top from the viewport's top (px, usually ≤ 0). */
  top: number;
  /** The rows end above the viewport's bottom with more lines to come: render more. */
  short: boolean;
  /** The last line is fully in view. */
  showsEnd: boolean;
}

/**
 * Where the rendered rows [start, start + heights.length) go so that line `anchor` sits `frac` of its
 * height above the viewport's top; pulled down when that would leave space under the last line.
 */
export function layoutRows(start: number, heights: readonly number[], anchor: number, frac: number, viewportHeight: number, total: number): RowLayout {
  let above = 0;
  for (let i = start; i < anchor && i - start < heights.length; i++) above += heights[i - start];
  const anchorHeight = heights[anchor - start] ?? 0;
  let top = -(above + frac * anchorHeight);
  const sum = heights.reduce((a, b) => a + b, 0);
  const end = start + heights.length;
  const bottom = top + sum;
  if (end >= total && bottom < viewportHeight) {
    // Never show empty space under the last line, nor push line 0 below the top.
    top = Math.min(top + (viewportHeight - bottom), start === 0 ? 0 : Infinity);
  }
  const newBottom = top + sum;
  return {
    top,
    short: end < total && newBottom < viewportHeight,
    showsEnd: end >= total && newBottom <= viewportHeight + 0.5,
  };
}
