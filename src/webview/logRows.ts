/**
 * The row elements of the virtual log list: one per position on or near the screen, taken from a small
 * pool, and filled again only when its line, the list's version or the current search match changed.
 */
import type { LogLine } from '../shared/protocol';
import { el } from './dom';
import { fillRow, placeRow, type RowOptions } from './logRow';

interface RowRecord {
  el: HTMLElement;
  key: string;
}

/** Detached rows kept for reuse. */
const POOL_SIZE = 64;

export class LogRows {
  private readonly rows = new Map<number, RowRecord>();
  private readonly pool: HTMLElement[] = [];
  private widestRow = 0;

  constructor(private readonly layer: HTMLElement) {}

  /** The row at `position`, if drawn, is filled again at the next sync. */
  invalidate(position: number): void {
    const rec = this.rows.get(position);
    if (rec) rec.key = '';
  }

  /**
   * Draws the rows from `start` to `end` (exclusive) in order inside the layer, and no others. Rows that
   * leave are refilled in place for the positions that arrive, in order, where they already stand: a jump
   * (a scrollbar drag) then changes the rows' contents, not the layer's children, which the browser would
   * have to restyle and lay out anew.
   */
  sync(
    start: number,
    end: number,
    lineAt: (position: number) => LogLine | undefined,
    version: number,
    currentMatch: number,
    options: Omit<RowOptions, 'current'>,
  ): void {
    const leaving: [number, RowRecord][] = [];
    for (const [p, rec] of this.rows) {
      if (p < start || p >= end) {
        leaving.push([p, rec]);
        this.rows.delete(p);
      }
    }
    // In the order they stand in the layer.
    leaving.sort((a, b) => a[0] - b[0]);
    let spare = 0;
    let prev: HTMLElement | null = null;
    for (let p = start; p < end; p++) {
      const line = lineAt(p);
      const current = p === currentMatch;
      const key = `${line ? line.index : 'pending'}|${version}|${current ? 1 : 0}`;
      let rec = this.rows.get(p);
      if (!rec) {
        const reused = spare < leaving.length ? leaving[spare++][1] : undefined;
        const row = reused?.el ?? this.pool.pop() ?? el('div', { class: 'log-row', 'data-testid': 'log-row' });
        if (!reused || reused.key !== key) fillRow(row, p, line, { ...options, current });
        else placeRow(row, p);
        rec = { el: row, key };
        this.rows.set(p, rec);
        const inPlace = prev ? prev.nextElementSibling === row : this.layer.firstElementChild === row;
        if (!inPlace) {
          if (prev) prev.after(row);
          else this.layer.prepend(row);
        }
      } else if (rec.key !== key) {
        fillRow(rec.el, p, line, { ...options, current });
        rec.key = key;
      }
      prev = rec.el;
    }
    for (let k = spare; k < leaving.length; k++) {
      const { el: row } = leaving[k][1];
      row.remove();
      if (this.pool.length < POOL_SIZE) this.pool.push(row);
    }
  }

  /** The drawn row at `position`, if any. */
  rowAt(position: number): HTMLElement | undefined {
    return this.rows.get(position)?.el;
  }

  clear(): void {
    for (const rec of this.rows.values()) rec.el.remove();
    this.rows.clear();
  }

  /** Drawn heights of the rows from `start` to `end`; a row not laid out yet counts as `fallback`. */
  heights(start: number, end: number, fallback: number): number[] {
    const heights = new Array<number>(end - start);
    for (let p = start; p < end; p++) heights[p - start] = this.rows.get(p)!.el.offsetHeight || fallback;
    return heights;
  }

  /** The layer only ever widens, so the horizontal scroll range holds still while long rows scroll in and out. */
  widen(chars: number, charWidth: number): void {
    if (chars > this.widestRow) {
      this.widestRow = chars;
      this.layer.style.minWidth = `max(100%, ${Math.ceil(chars * charWidth)}px)`;
    }
  }

  resetWidth(): void {
    this.widestRow = 0;
    this.layer.style.minWidth = '';
  }
}
