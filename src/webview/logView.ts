/**
 * The virtual log list. The DOM holds only the rows on screen plus a few above and below; they sit
 * in one layer that is moved with a transform, inside a spacer as tall as the whole list. Lines come
 * from the extension in bounded ranges and are kept in a bounded cache. All DOM work happens in one
 * requestAnimationFrame callback: writes first, then (with wrap on) one read of the new rows'
 * heights, then the layer's position.
 */
import { MAX_RANGE, type LogLine, type LogStatus } from '../shared/protocol';
import { stripAnsi } from '../core/ansi';
import { copyText } from './copy';
import { button, el } from './dom';
import { FollowState } from './follow';
import { icon } from './icons';
import { LogCache } from './logCache';
import { RangeRequester, wantedWindow } from './logRanges';
import { fillRow } from './logRow';
import { MAX_CHARS_WRAP } from './logText';
import { bottomPosition, isAtBottom, layoutRows, positionFromScrollTop, scrollMapping, scrollTopForPosition, type ScrollMapping } from './virtualScroll';
import { nextRequestId, post } from './vscodeApi';

export interface LogViewOptions {
  timestamps: boolean;
  wrap: boolean;
  follow: boolean;
}

export interface LogViewEvents {
  /** The view moved (for saving the position across reloads). */
  onPosition(position: number, atBottom: boolean): void;
}

interface RowRecord {
  el: HTMLElement;
  key: string;
}

type ScrollTarget = { kind: 'bottom' } | { kind: 'position'; position: number; center: boolean };

/** Rows drawn above and below the screen. */
const OVERSCAN_ROWS = 6;
/** With wrap on, rows drawn at most (each at least one screen line tall). */
const MAX_WRAP_ROWS = 160;
/** Lines asked for per request; smaller than MAX_RANGE so the first screen arrives quickly. */
const REQUEST_LINES = 500;
const CACHE_ALIGN = 256;
const MAX_MEASURED = 4_000;

export class LogView {
  readonly root: HTMLElement;
  readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly probe: HTMLElement;
  private readonly resizeObserver: ResizeObserver;

  private readonly cache = new LogCache();
  private readonly requester = new RangeRequester({ maxRange: Math.min(MAX_RANGE, REQUEST_LINES), maxInFlight: 4, timeoutMs: 15_000 }, nextRequestId);
  private readonly follow: FollowState;
  private options: LogViewOptions;

  private status: LogStatus | undefined;
  private total = 0;
  private rowHeight = 18;
  private charWidth = 7.5;
  private viewportHeight = 0;
  private viewportWidth = 0;
  private mapping: ScrollMapping = scrollMapping(0, 18, 0);
  private position = 0;

  private readonly rows = new Map<number, RowRecord>();
  private readonly pool: HTMLElement[] = [];
  private readonly measured = new Map<number, number>();
  /** Bumped whenever every row must be redrawn (options, query, list reset). */
  private version = 0;
  private query = '';
  private currentMatch = -1;

  private frame = 0;
  private target: ScrollTarget | undefined;
  private expectedScrollTop = -1;
  private userScrolled = false;
  private widestRow = 0;
  private ready = false;
  private settleFrames = 0;
  /** Ranges the extension answered with fewer lines than asked: not asked again until the next status. */
  private shortAnswers: { start: number; end: number }[] = [];

  constructor(
    options: LogViewOptions,
    private readonly events: LogViewEvents,
  ) {
    this.options = { ...options };
    this.follow = new FollowState(options.follow);
    this.layer = el('div', { class: 'log-layer', role: 'presentation' });
    this.spacer = el('div', { class: 'log-spacer' }, this.layer);
    this.empty = el('div', { class: 'log-empty', 'data-testid': 'log-empty' }, 'Loading…');
    this.probe = el('div', { class: 'log-row log-probe', 'aria-hidden': 'true' }, el('span', { class: 'log-msg' }, 'x'.repeat(100)));
    this.viewport = el(
      'div',
      { class: 'log-viewport', tabindex: 0, role: 'region', 'aria-label': 'Run log', 'data-testid': 'log-viewport' },
      this.spacer,
      this.empty,
    );
    this.jump = button('Jump to latest', { class: 'jump-latest', hidden: true, 'data-testid': 'jump-latest' }, icon('arrow-down'), el('span', null, 'Jump to latest'));
    this.root = el('div', { class: 'log-container' }, this.viewport, this.jump, this.probe);
    this.applyOptionClasses();

    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.jump.addEventListener('click', () => this.jumpToLatest());
    this.layer.addEventListener('click', (e) => this.onLayerClick(e));
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.resizeObserver = new ResizeObserver(() => {
      this.measure();
      this.schedule();
    });
    this.resizeObserver.observe(this.viewport);
    this.resizeObserver.observe(this.probe);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  // ---- inputs -------------------------------------------------------------------------------

  setStatus(status: LogStatus): void {
    const previous = this.status;
    this.status = status;
    this.shortAnswers = [];
    const total = Math.max(0, Math.floor(status.total));
    if (previous && (status.epoch !== previous.epoch || status.level !== previous.level)) {
      // Positions were renumbered: nothing held or asked for is valid any more.
      const fromEnd = this.total - this.position;
      this.resetList();
      if (this.follow.following) this.target = { kind: 'bottom' };
      else if (status.level !== previous.level) this.target = this.follow.option ? { kind: 'bottom' } : { kind: 'position', position: 0, center: false };
      else this.target = { kind: 'position', position: Math.max(0, total - fromEnd), center: false };
    } else if (total < this.total) {
      this.cache.truncate(total);
      this.version++;
    }
    this.total = total;
    this.viewport.setAttribute('data-total', String(total));
    if (!previous && !this.target && this.follow.option) this.target = { kind: 'bottom' };
    this.schedule();
  }

  /** Lines from the extension: an answer to a `logRange` (requestId > 0) or pushed while following (0). */
  addLines(requestId: number, start: number, lines: LogLine[]): void {
    if (requestId !== 0) {
      const pending = this.requester.settle(requestId);
      if (!pending) return; // an answer about a list that has since changed (level filter, reset)
      if (start + lines.length < pending.end) this.shortAnswers.push({ start: Math.max(pending.start, start + lines.length), end: pending.end });
    } else if (lines.length > 0) {
      this.total = Math.max(this.total, start + lines.length);
    }
    if (lines.length === 0) return;
    this.cache.put(start, lines, this.focusPosition());
    for (let p = start; p < start + lines.length; p++) this.measured.delete(p);
    this.schedule();
  }

  setOptions(options: Partial<LogViewOptions>): void {
    const before = this.options;
    this.options = { ...before, ...options };
    if (options.follow !== undefined && options.follow !== before.follow) {
      if (this.follow.setOption(options.follow)) this.target = { kind: 'bottom' };
    }
    if (options.wrap !== undefined && options.wrap !== before.wrap) {
      // Keep the same line at the top across the change of row heights.
      if (!this.follow.following) this.target = { kind: 'position', position: this.position, center: false };
      this.measured.clear();
      this.widestRow = 0;
      this.layer.style.minWidth = '';
    }
    this.version++;
    this.applyOptionClasses();
    this.schedule();
  }

  setQuery(query: string): void {
    if (query === this.query) return;
    this.query = query;
    this.version++;
    this.schedule();
  }

  /** Highlights the row at `position` as the current search match (-1: none). */
  setCurrentMatch(position: number): void {
    if (position === this.currentMatch) return;
    const old = this.rows.get(this.currentMatch);
    if (old) old.key = '';
    this.currentMatch = position;
    const now = this.rows.get(position);
    if (now) now.key = '';
    this.schedule();
  }

  /** Scrolls so `position` is in view (centred); pauses following like a user scroll would. */
  reveal(position: number): void {
    this.target = { kind: 'position', position, center: true };
    this.follow.onScroll(false);
    this.schedule();
  }

  /** Restores a saved position (line units) or the bottom. */
  restore(position: number, atBottom: boolean): void {
    if (atBottom || position < 0) {
      this.follow.jumpToLatest();
      this.target = { kind: 'bottom' };
    } else {
      this.follow.onScroll(false);
      this.target = { kind: 'position', position, center: false };
    }
    this.schedule();
  }

  jumpToLatest(): void {
    this.follow.jumpToLatest();
    this.target = { kind: 'bottom' };
    this.schedule();
    this.viewport.focus({ preventScroll: true });
  }

  /** First position on screen, for "search from here". */
  firstVisible(): number {
    return Math.floor(this.position);
  }

  get lineCount(): number {
    return this.total;
  }

  // ---- internals ----------------------------------------------------------------------------

  private resetList(): void {
    this.cache.clear();
    this.requester.reset();
    this.shortAnswers = [];
    this.measured.clear();
    this.currentMatch = -1;
    this.version++;
    this.widestRow = 0;
    this.layer.style.minWidth = '';
  }

  private applyOptionClasses(): void {
    this.viewport.classList.toggle('wrap', this.options.wrap);
    this.viewport.classList.toggle('no-timestamps', !this.options.timestamps);
  }

  private measure(): void {
    this.viewportHeight = this.viewport.clientHeight;
    this.viewportWidth = this.viewport.clientWidth;
    const h = this.probe.offsetHeight;
    const w = (this.probe.firstElementChild as HTMLElement | null)?.offsetWidth ?? 0;
    if (h > 0) {
      const rowHeight = Math.max(12, Math.ceil(h));
      if (rowHeight !== this.rowHeight) {
        this.rowHeight = rowHeight;
        this.viewport.style.setProperty('--log-row-height', `${rowHeight}px`);
        this.measured.clear();
      }
    }
    if (w > 0) this.charWidth = w / 100;
  }

  private onScroll(): void {
    if (Math.abs(this.viewport.scrollTop - this.expectedScrollTop) > 1) this.userScrolled = true;
    this.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    // Home/End jump to the first/last line even when the list is scaled beyond the browser's scroll range.
    if (e.key === 'End' && (e.ctrlKey || e.metaKey || !e.shiftKey)) {
      e.preventDefault();
      this.jumpToLatest();
    } else if (e.key === 'Home') {
      e.preventDefault();
      this.follow.onScroll(false);
      this.target = { kind: 'position', position: 0, center: false };
      this.schedule();
    }
  }

  private onLayerClick(e: MouseEvent): void {
    const target = e.target as Element | null;
    const copy = target?.closest('.log-copy');
    if (!copy) return;
    const row = copy.closest('.log-row');
    const position = Number(row?.getAttribute('data-index'));
    const line = Number.isInteger(position) ? this.cache.get(position) : undefined;
    if (line) copyText(stripAnsi(line.message));
  }

  private focusPosition(): number {
    return Math.floor(this.position + this.viewportHeight / this.rowHeight / 2);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Estimated height of a wrapped row from its text length (measured heights win when known). */
  private heightOf(position: number): number {
    if (!this.options.wrap) return this.rowHeight;
    const known = this.measured.get(position);
    if (known !== undefined) return known;
    const line = this.cache.get(position);
    if (!line) return this.rowHeight;
    const gutter = (this.options.timestamps ? 13 : 0) + 7;
    const perRow = Math.max(10, Math.floor(this.viewportWidth / this.charWidth) - gutter - 4);
    const chars = Math.min(line.message.length, MAX_CHARS_WRAP);
    let rows = Math.ceil(chars / perRow);
    if (chars < 20_000) for (let i = line.message.indexOf('\n'); i >= 0; i = line.message.indexOf('\n', i + 1)) rows++;
    return this.rowHeight * Math.max(1, rows);
  }

  private render(): void {
    if (!this.status) {
      this.showEmpty('Loading…');
      return;
    }
    if (this.viewportHeight === 0) this.measure();
    const vh = this.viewportHeight;
    if (vh <= 0) return; // hidden (section collapsed): drawn again when it reappears
    const total = this.total;
    const rh = this.rowHeight;

    // 1. Size of the scroll area.
    const pBottom = this.options.wrap ? bottomPosition(total, vh, (p) => this.heightOf(p)) : Math.max(0, total - vh / rh);
    this.mapping = scrollMapping(pBottom, rh, vh);
    const spaceText = `${Math.round(this.mapping.space)}px`;
    if (this.spacer.style.height !== spaceText) this.spacer.style.height = spaceText;

    // 2. Where to be.
    const wasFollowing = this.follow.following && !this.userScrolled;
    let target = this.target;
    if (!target && wasFollowing) target = { kind: 'bottom' };
    this.target = undefined;
    if (target) {
      let top: number;
      if (target.kind === 'bottom') top = this.mapping.space - vh;
      else {
        const p = target.center ? target.position - Math.max(0, (vh / rh - 1) / 2) : target.position;
        top = scrollTopForPosition(p, this.mapping);
      }
      top = Math.max(0, Math.round(top));
      if (Math.abs(this.viewport.scrollTop - top) > 0.5) {
        this.viewport.scrollTop = top;
        this.expectedScrollTop = this.viewport.scrollTop;
      }
      this.userScrolled = false;
    }
    const scrollTop = this.viewport.scrollTop;
    const p = positionFromScrollTop(scrollTop, this.mapping);
    this.position = p;

    this.viewport.classList.toggle('empty', total === 0);
    if (total === 0) {
      this.clearRows();
      this.showEmpty(this.emptyMessage());
      this.finish(true, scrollTop, wasFollowing);
      return;
    }
    this.showEmpty(undefined);

    // 3. Which rows.
    const anchor = Math.min(total - 1, Math.floor(p));
    const frac = Math.min(1, p - anchor);
    const start = Math.max(0, anchor - OVERSCAN_ROWS);
    let end: number;
    if (!this.options.wrap) {
      end = Math.min(total, anchor + Math.ceil(vh / rh) + 1 + OVERSCAN_ROWS);
    } else {
      let acc = -frac * this.heightOf(anchor);
      end = anchor;
      while (end < total && end - start < MAX_WRAP_ROWS && acc < vh + OVERSCAN_ROWS * rh) acc += this.heightOf(end++);
    }

    // 4. Rows (writes), then heights (one read, with wrap on).
    this.syncRows(start, end);
    let heights = this.rowHeights(start, end);
    let layout = layoutRows(start, heights, anchor, frac, vh, total);
    if (this.options.wrap && layout.short) {
      // Rows came out shorter than estimated: add rows once more to fill the screen.
      let acc = layout.top + heights.reduce((a, b) => a + b, 0);
      let more = end;
      while (more < total && more - start < MAX_WRAP_ROWS && acc < vh + OVERSCAN_ROWS * rh) {
        acc += this.heightOf(more);
        more++;
      }
      if (more > end) {
        end = more;
        this.syncRows(start, end);
        heights = this.rowHeights(start, end);
        layout = layoutRows(start, heights, anchor, frac, vh, total);
      }
    }

    // 5. Position the layer.
    this.layer.style.transform = `translateY(${Math.round(scrollTop + layout.top)}px)`;
    if (!this.options.wrap) this.growWidth(start, end);

    // 6. Ask for what is missing near the screen.
    const visibleRows = Math.ceil(vh / rh) + 1;
    const want = wantedWindow(start, end, total, Math.max(200, visibleRows * 2), CACHE_ALIGN);
    const now = performance.now();
    const unavailable = (q: number) => this.shortAnswers.some((r) => q >= r.start && q < r.end);
    for (const r of this.requester.plan(want, (q) => this.cache.has(q) || unavailable(q), now, anchor)) {
      post({ type: 'logRange', requestId: r.requestId, start: r.start, end: r.end });
    }

    let allLoaded = true;
    for (let q = anchor; q < Math.min(end, anchor + visibleRows); q++) {
      if (!this.cache.has(q)) {
        allLoaded = false;
        break;
      }
    }
    this.finish(allLoaded, scrollTop, wasFollowing, layout.showsEnd);
  }

  private finish(loaded: boolean, scrollTop: number, wasFollowing: boolean, showsEnd = false): void {
    const atBottom = this.total === 0 || showsEnd || isAtBottom(scrollTop, this.mapping);
    if (this.userScrolled || !wasFollowing) this.follow.onScroll(atBottom);
    else if (!atBottom && this.settleFrames++ < 5) this.schedule(); // following, but measuring moved the bottom: go there next frame
    if (atBottom) this.settleFrames = 0;
    this.userScrolled = false;
    this.jump.hidden = !this.follow.showJump(!!this.status?.live, this.total);
    if (loaded && !this.ready && this.status && (this.total > 0 || this.status.complete)) {
      this.ready = true;
      this.viewport.setAttribute('data-ready', 'true');
    }
    this.events.onPosition(this.position, this.follow.isAtBottom);
  }

  private rowHeights(start: number, end: number): number[] {
    const heights = new Array<number>(end - start);
    if (!this.options.wrap) return heights.fill(this.rowHeight);
    for (let p = start; p < end; p++) {
      const h = this.rows.get(p)!.el.offsetHeight || this.rowHeight;
      heights[p - start] = h;
      if (this.cache.has(p)) {
        this.measured.delete(p);
        this.measured.set(p, h);
      }
    }
    while (this.measured.size > MAX_MEASURED) this.measured.delete(this.measured.keys().next().value as number);
    return heights;
  }

  /** Keeps the horizontal scroll range from shrinking while long rows scroll in and out of view. */
  private growWidth(start: number, end: number): void {
    let widest = 0;
    for (let p = start; p < end; p++) {
      const line = this.cache.get(p);
      if (line) widest = Math.max(widest, Math.min(line.message.length, 2_100));
    }
    const chars = widest + (this.options.timestamps ? 13 : 0) + 8;
    if (chars > this.widestRow) {
      this.widestRow = chars;
      this.layer.style.minWidth = `max(100%, ${Math.ceil(chars * this.charWidth)}px)`;
    }
  }

  private syncRows(start: number, end: number): void {
    for (const [p, rec] of this.rows) {
      if (p < start || p >= end) {
        rec.el.remove();
        if (this.pool.length < 64) this.pool.push(rec.el);
        this.rows.delete(p);
      }
    }
    let prev: HTMLElement | null = null;
    for (let p = start; p < end; p++) {
      const line = this.cache.get(p);
      const current = p === this.currentMatch;
      const key = `${line ? line.index : 'pending'}|${this.version}|${current ? 1 : 0}`;
      let rec = this.rows.get(p);
      if (!rec) {
        const row = this.pool.pop() ?? el('div', { class: 'log-row', 'data-testid': 'log-row' });
        fillRow(row, p, line, { ...this.options, query: this.query, current });
        rec = { el: row, key };
        this.rows.set(p, rec);
        if (prev) prev.after(row);
        else this.layer.prepend(row);
      } else if (rec.key !== key) {
        fillRow(rec.el, p, line, { ...this.options, query: this.query, current });
        rec.key = key;
      }
      prev = rec.el;
    }
  }

  private clearRows(): void {
    for (const rec of this.rows.values()) rec.el.remove();
    this.rows.clear();
  }

  private emptyMessage(): string {
    const s = this.status;
    if (!s) return 'Loading…';
    if (s.level) return `No ${s.level} lines`;
    if (s.live) return 'Waiting for logs…';
    if (!s.complete) return 'Loading…';
    return 'No logs';
  }

  private showEmpty(message: string | undefined): void {
    if (message === undefined) {
      if (!this.empty.hidden) this.empty.hidden = true;
      return;
    }
    if (this.empty.textContent !== message) this.empty.textContent = message;
    this.empty.hidden = false;
  }
}
