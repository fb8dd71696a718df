/**
 * Heights of the log rows, for turning scroll offsets into lines and back. Every row is `rowHeight`
 * tall unless recorded otherwise; only the exceptions (wrapped lines, measured or estimated) are
 * stored, sorted by position with prefix sums, so a million one-line rows cost nothing and offsets
 * stay O(log n). No DOM here.
 */
export class HeightIndex {
  private positions: number[] = [];
  /** height - rowHeight, per entry of `positions`. */
  private extras: number[] = [];
  /** prefix[i] = sum of extras[0..i-1]; rebuilt lazily after changes. */
  private prefix: number[] | undefined = [0];
  private lines = 0;

  constructor(private rowHeightPx: number) {}

  get rowHeight(): number {
    return this.rowHeightPx;
  }

  get total(): number {
    return this.lines;
  }

  /** Recorded exceptions. */
  get size(): number {
    return this.positions.length;
  }

  /** Forgets every exception (new width, font or option: all heights change). */
  reset(rowHeight = this.rowHeightPx): void {
    this.rowHeightPx = rowHeight;
    this.positions = [];
    this.extras = [];
    this.prefix = [0];
  }

  setTotal(total: number): void {
    this.lines = Math.max(0, Math.floor(total));
    const k = this.lowerBound(this.lines);
    if (k < this.positions.length) {
      this.positions.length = k;
      this.extras.length = k;
      this.prefix = undefined;
    }
  }

  has(position: number): boolean {
    const k = this.lowerBound(position);
    return this.positions[k] === position;
  }

  heightOf(position: number): number {
    const k = this.lowerBound(position);
    return this.rowHeightPx + (this.positions[k] === position ? this.extras[k] : 0);
  }

  /** Records a row's height; returns whether it changed. */
  set(position: number, height: number): boolean {
    if (position < 0 || position >= this.lines || !Number.isFinite(height)) return false;
    const extra = Math.max(1, height) - this.rowHeightPx;
    const k = this.lowerBound(position);
    const present = this.positions[k] === position;
    if (present) {
      if (Math.abs(this.extras[k] - extra) < 0.5) return false;
      if (Math.abs(extra) < 0.5) {
        this.positions.splice(k, 1);
        this.extras.splice(k, 1);
      } else {
        this.extras[k] = extra;
      }
    } else {
      if (Math.abs(extra) < 0.5) return false;
      this.positions.splice(k, 0, position);
      this.extras.splice(k, 0, extra);
    }
    this.prefix = undefined;
    return true;
  }

  /** Top of row `position` (0..total), from the top of the list. */
  offsetOf(position: number): number {
    const p = Math.max(0, Math.min(this.lines, Math.floor(position)));
    return p * this.rowHeightPx + this.extraBefore(p);
  }

  get contentHeight(): number {
    return this.offsetOf(this.lines);
  }

  /** Offset of a fractional position: row `floor(p)`'s top plus the fraction of its height. */
  offsetAt(p: number): number {
    const clamped = Math.max(0, Math.min(this.lines, p));
    const row = Math.floor(clamped);
    if (row >= this.lines) return this.contentHeight;
    return this.offsetOf(row) + (clamped - row) * this.heightOf(row);
  }

  /** The fractional position at content offset `y`. */
  positionAt(y: number): number {
    if (this.lines === 0 || y <= 0) return 0;
    if (y >= this.contentHeight) return this.lines;
    let lo = 0;
    let hi = this.lines - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.offsetOf(mid) <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo + (y - this.offsetOf(lo)) / this.heightOf(lo);
  }

  /** Keeps at most `max` exceptions, dropping those farthest from `focus`. */
  /**
   * The top position that brings line `line` wholly into a screen `vh` high now showing `top`, scrolling as
   * little as it takes; undefined when it is on screen already.
   */
  positionToShow(line: number, top: number, vh: number): number | undefined {
    const lineTop = this.offsetOf(line);
    const lineBottom = lineTop + this.heightOf(line);
    const viewTop = this.offsetAt(top);
    if (lineTop < viewTop) return line;
    if (lineBottom > viewTop + vh) return this.positionAt(Math.max(0, lineBottom - vh));
    return undefined;
  }

  trim(focus: number, max: number): void {
    if (this.positions.length <= max) return;
    const order = this.positions.map((_, k) => k).sort((a, b) => Math.abs(this.positions[b] - focus) - Math.abs(this.positions[a] - focus));
    const drop = new Set(order.slice(0, this.positions.length - max));
    this.positions = this.positions.filter((_, k) => !drop.has(k));
    this.extras = this.extras.filter((_, k) => !drop.has(k));
    this.prefix = undefined;
  }

  private extraBefore(position: number): number {
    if (!this.prefix) {
      const prefix = new Array<number>(this.extras.length + 1);
      prefix[0] = 0;
      for (let k = 0; k < this.extras.length; k++) prefix[k + 1] = prefix[k] + this.extras[k];
      this.prefix = prefix;
    }
    return this.prefix[this.lowerBound(position)];
  }

  /** First index whose position is >= `position`. */
  private lowerBound(position: number): number {
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.positions[mid] < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
