/**
 * Geometry of the virtual log list, without the DOM: between the scroll offset of the viewport and
 * the offset into the (virtual) content, whose height comes from the HeightIndex. Browsers cannot
 * make an element arbitrarily tall, so beyond `MAX_SCROLL_PX` the scroll range is a scaled-down
 * copy of the content: scrollTop 0 is the first line and the largest scrollTop the last screen.
 */

/** Tallest scroll area used; well below Chromium's ~33.5M px limit. */
export const MAX_SCROLL_PX = 10_000_000;
/** Within this many pixels of the end counts as "at the bottom" (sub-pixel offsets, zoom). */
export const BOTTOM_SLACK_PX = 4;

export interface ScrollMapping {
  contentHeight: number;
  viewportHeight: number;
  /** Height of the spacer that gives the viewport its scroll range. */
  space: number;
  /** scrollTop per content pixel: 1, or less when scaled. */
  scale: number;
}

export function scrollMapping(contentHeight: number, viewportHeight: number, maxPx = MAX_SCROLL_PX): ScrollMapping {
  const content = Math.max(0, contentHeight);
  const space = Math.min(content, Math.max(maxPx, viewportHeight + 1));
  const maxContent = Math.max(0, content - viewportHeight);
  const maxScroll = Math.max(0, space - viewportHeight);
  const scale = maxContent > 0 && maxScroll < maxContent ? maxScroll / maxContent : 1;
  return { contentHeight: content, viewportHeight, space, scale };
}

export function maxContentOffset(m: ScrollMapping): number {
  return Math.max(0, m.contentHeight - m.viewportHeight);
}

export function maxScrollTop(m: ScrollMapping): number {
  return Math.max(0, m.space - m.viewportHeight);
}

export function isScaled(m: ScrollMapping): boolean {
  return m.scale < 1;
}

/** Content offset shown at the viewport's top for a scrollTop. */
export function contentOffsetAt(scrollTop: number, m: ScrollMapping): number {
  return Math.min(maxContentOffset(m), Math.max(0, scrollTop) / m.scale);
}

/** scrollTop that shows content offset `y` at the viewport's top. */
export function scrollTopFor(y: number, m: ScrollMapping): number {
  return Math.min(maxScrollTop(m), Math.max(0, Math.min(y, maxContentOffset(m))) * m.scale);
}

export function isAtBottom(scrollTop: number, m: ScrollMapping): boolean {
  return scrollTop >= maxScrollTop(m) - BOTTOM_SLACK_PX;
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
