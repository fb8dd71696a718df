/**
 * The log list's measures: row height and character width read from a hidden probe row in the log's
 * font, the viewport's size, and from these the height of a wrapped row guessed from its text.
 */
import type { LogLine } from '../shared/protocol';
import { el } from './dom';
import { MAX_CHARS_WRAP } from './logText';

export class LogMetrics {
  /** A hidden row of 100 characters: its size follows the font and zoom the user has. */
  readonly probe: HTMLElement = el('div', { class: 'log-row log-probe', 'aria-hidden': 'true' }, el('span', { class: 'log-msg' }, 'x'.repeat(100)));
  rowHeight = 18;
  charWidth = 7.5;
  viewportHeight = 0;
  viewportWidth = 0;

  /** Reads the sizes again; true when known row heights are stale (the row height, or with wrap the width, changed). */
  measure(viewport: HTMLElement, wrap: boolean): boolean {
    const width = viewport.clientWidth;
    this.viewportHeight = viewport.clientHeight;
    const h = this.probe.offsetHeight;
    const w = (this.probe.firstElementChild as HTMLElement | null)?.offsetWidth ?? 0;
    if (w > 0) this.charWidth = w / 100;
    let changed = false;
    if (h > 0) {
      const rowHeight = Math.max(12, Math.ceil(h));
      if (rowHeight !== this.rowHeight) {
        this.rowHeight = rowHeight;
        viewport.style.setProperty('--log-row-height', `${rowHeight}px`);
        changed = true;
      }
    }
    if (width !== this.viewportWidth) {
      this.viewportWidth = width;
      changed = changed || wrap;
    }
    return changed;
  }

  /** With wrap on, a row's height guessed from its text; undefined when it fits on one screen line. */
  wrappedHeight(line: LogLine, timestamps: boolean): number | undefined {
    const gutterChars = (timestamps ? 13 : 0) + 6;
    const perRow = Math.max(10, Math.floor((this.viewportWidth - 40) / this.charWidth) - gutterChars);
    const message = line.message;
    const chars = Math.min(message.length, MAX_CHARS_WRAP);
    if (chars <= perRow && !message.includes('\n')) return undefined;
    let rows = 0;
    if (chars < 20_000) for (const part of message.split('\n')) rows += Math.max(1, Math.ceil(part.length / perRow));
    else rows = Math.ceil(chars / perRow);
    return rows * this.rowHeight;
  }
}
