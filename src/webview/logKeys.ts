/**
 * Where the log's focused line goes for a key: the list keys a reader expects from VS Code's own lists
 * (arrows, Page Up / Page Down, Home / End). Pure, so the rules are tested without a page.
 */

/** The keys that move the focused line. */
export type LineKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

const LINE_KEYS = new Set<string>(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);

export function isLineKey(key: string): key is LineKey {
  return LINE_KEYS.has(key);
}

/**
 * The line focused after `key`, from `focused` (-1: none yet, the move starts from `fallback`, the line the
 * reader sees) in a list of `total` lines of which `pageRows` fit on screen. -1 for an empty list.
 */
export function movedLine(key: LineKey, focused: number, fallback: number, total: number, pageRows: number): number {
  if (total <= 0) return -1;
  const last = total - 1;
  if (key === 'Home') return 0;
  if (key === 'End') return last;
  const clamp = (p: number) => Math.max(0, Math.min(last, p));
  // The first key press lands on the line in view rather than stepping away from it.
  if (focused < 0 || focused > last) return clamp(fallback);
  // A page keeps one line of the screen before in view, as editors do.
  const page = Math.max(1, Math.floor(pageRows) - 1);
  switch (key) {
    case 'ArrowUp':
      return clamp(focused - 1);
    case 'ArrowDown':
      return clamp(focused + 1);
    case 'PageUp':
      return clamp(focused - page);
    case 'PageDown':
      return clamp(focused + page);
  }
}

/** How a screen reader hears the focused line's place ("Line 8,072 of 100,000"). */
export function linePlace(position: number, total: number): string {
  return `Line ${(position + 1).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}
