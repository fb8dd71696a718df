/**
 * The log viewport as screen readers and the keyboard meet it: a grid whose `aria-rowcount` is the whole
 * log (each drawn row carries its `aria-rowindex`, see logRow.ts), holding the focus itself and naming its
 * focused line with `aria-activedescendant`. The rows are recycled as the list scrolls, so the focus cannot
 * live on one of them. The focused line is always a drawn row: keys scroll it into view, and when the list
 * is scrolled away from it, it moves along to the nearest line on screen.
 *
 * Keys: arrows, Page Up / Page Down, Home / End move the focused line (logKeys.ts); Ctrl+C copies the
 * selection, or the focused line when nothing is selected.
 */
import { copyText } from './copy';
import type { HeightIndex } from './heightIndex';
import { isLineKey, movedLine } from './logKeys';

/** What the grid needs of the log view. */
export interface LogGridHost {
  /** The list's length, its current search match, whether it shows its end, and how many rows a screen holds. */
  state(): { total: number; currentMatch: number; atBottom: boolean; pageRows: number };
  /** The focused line's text as a copy takes it (no ANSI codes); undefined while it is not loaded. */
  lineText(position: number): string | undefined;
  /** End: the newest line, following again. */
  jumpToLatest(): void;
  /** Scrolls as little as it takes for line `position` to be on screen, as a move of the user's. */
  moveTo(position: number): void;
  /** Draws again at the next frame. */
  schedule(): void;
}

/** The id the grid's `aria-activedescendant` names: always on the focused line's row. */
const FOCUSED_ROW_ID = 'log-focused-line';

export class LogGrid {
  /** The line the keyboard is on; -1: none yet. */
  line = -1;
  /** Lines wholly on screen at the last frame. */
  visible = { first: 0, last: -1 };
  private row: HTMLElement | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly host: LogGridHost,
  ) {
    this.setTotal(0);
    viewport.addEventListener('keydown', (e) => this.onKey(e));
    viewport.addEventListener('focus', () => this.onFocus());
    viewport.addEventListener('click', (e) => this.onCopyClick(e));
  }

  /** A row's copy button, for the mouse (the keyboard has Ctrl+C). */
  private onCopyClick(e: MouseEvent): void {
    const row = (e.target as Element | null)?.closest('.log-copy')?.closest('.log-row');
    const position = Number(row?.getAttribute('data-index'));
    const text = row && Number.isInteger(position) ? this.host.lineText(position) : undefined;
    if (text !== undefined) copyText(text);
  }

  /** A grid while it has rows; a grid without rows would be a broken one, so an empty log is a plain region. */
  setTotal(total: number): void {
    if (this.line >= total) this.line = total - 1;
    this.viewport.setAttribute('role', total > 0 ? 'grid' : 'region');
    if (total > 0) {
      this.viewport.setAttribute('aria-rowcount', String(total));
      this.viewport.setAttribute('aria-readonly', 'true');
    } else {
      this.viewport.removeAttribute('aria-rowcount');
      this.viewport.removeAttribute('aria-readonly');
      this.unmark();
    }
  }

  /** Where the keyboard lands when it arrives with no line of its own. */
  private defaultLine(): number {
    const { total, currentMatch, atBottom } = this.host.state();
    if (total === 0) return -1;
    if (currentMatch >= 0 && currentMatch < total) return currentMatch;
    if (atBottom || this.visible.last >= total - 1) return total - 1;
    return Math.max(0, Math.min(total - 1, this.visible.first));
  }

  private onFocus(): void {
    if (this.line >= 0 && this.line < this.host.state().total) return;
    this.line = this.defaultLine();
    this.host.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'c') {
      if (this.copy()) e.preventDefault();
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !isLineKey(e.key)) return;
    e.preventDefault();
    const { total, pageRows } = this.host.state();
    const next = movedLine(e.key, this.line, this.line >= 0 ? this.line : this.defaultLine(), total, pageRows);
    if (next < 0) return;
    this.line = next;
    // End goes on following a live log; Home and End reach the ends even when the scroll range is scaled.
    if (e.key === 'End') this.host.jumpToLatest();
    else this.host.moveTo(next);
  }

  /** The selected text, or else the focused line; through the extension, which writes the clipboard. */
  private copy(): boolean {
    const selection = window.getSelection();
    const selected = selection && !selection.isCollapsed && selection.anchorNode && this.viewport.contains(selection.anchorNode) ? selection.toString() : '';
    if (selected) return copyText(selected);
    const text = this.line >= 0 ? this.host.lineText(this.line) : undefined;
    return text !== undefined ? copyText(text) : false;
  }

  /**
   * After a frame drew `anchor` (scrolled `frac` into it) at the top of a screen `vh` high: keeps the
   * focused line among the lines wholly on screen and marks its row.
   */
  markOnScreen(heights: HeightIndex, anchor: number, frac: number, vh: number, rowAt: (position: number) => HTMLElement | undefined): void {
    const total = this.host.state().total;
    const first = Math.min(total - 1, frac > 0.01 ? anchor + 1 : anchor);
    const bottom = heights.positionAt(heights.offsetAt(anchor + frac) + vh);
    const last = Math.max(first, Math.min(total - 1, Math.floor(bottom + 0.01) - 1));
    this.visible = { first, last };
    // Focused before its first lines came: the keyboard lands once there are lines to land on.
    if (this.line < 0 && document.activeElement === this.viewport) this.line = this.defaultLine();
    if (this.line >= 0) this.line = Math.max(first, Math.min(last, this.line));
    const row = this.line >= 0 ? rowAt(this.line) : undefined;
    if (this.row && this.row !== row) this.release(this.row);
    this.row = row;
    if (!row) {
      this.viewport.removeAttribute('aria-activedescendant');
      this.viewport.removeAttribute('data-focused-line');
      return;
    }
    row.classList.add('focused');
    row.id = FOCUSED_ROW_ID;
    this.viewport.setAttribute('aria-activedescendant', FOCUSED_ROW_ID);
    this.viewport.setAttribute('data-focused-line', String(this.line));
  }

  /** The list emptied: no line, no row. */
  unmark(): void {
    if (this.row) this.release(this.row);
    this.row = undefined;
    this.line = -1;
    this.viewport.removeAttribute('aria-activedescendant');
    this.viewport.removeAttribute('data-focused-line');
  }

  private release(row: HTMLElement): void {
    row.classList.remove('focused');
    if (row.id === FOCUSED_ROW_ID) row.removeAttribute('id');
  }
}
