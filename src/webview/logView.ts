/**
 * The virtual log list. The DOM holds only the rows on screen plus a few above and below; they sit
 * in one layer that is moved with a transform, inside a spacer as tall as the whole list. Lines come
 * from the extension in bounded ranges and are kept in a bounded cache.
 *
 * The view's position is a line position (3.25 = a quarter into line 3). Row heights live in a
 * HeightIndex: one fixed height without wrap; with wrap, estimated from the text when a line arrives
 * and measured once drawn. When heights change the position is kept and the scroll offset follows,
 * so the text on screen does not jump.
 *
 * All DOM work happens in one requestAnimationFrame callback: writes first, then (with wrap on) one
 * read of the new rows' heights, then the layer's position and the scroll offset.
 *
 * For the keyboard and screen readers the viewport is a grid with a focused line: see logGrid.ts.
 */
import { MAX_RANGE, type LogLine, type LogStatus } from '../shared/protocol';
import { stripAnsi } from '../core/ansi';
import type { TextMatcher } from '../core/searchText';
import { button, el } from './dom';
import { FollowState } from './follow';
import { HeightIndex } from './heightIndex';
import { icon } from './icons';
import { LogCache } from './logCache';
import { RangeRequester, wantedWindow, type Range } from './logRanges';
import { LogMetrics } from './logMetrics';
import { LogGrid } from './logGrid';
import { emptyLogMessage, showEmptyState } from './logRow';
import { LogRows } from './logRows';
import { RaceGate } from './raceGate';
import { contentOffsetAt, isAtBottom, layoutRows, maxContentOffset, scrollMapping, scrollTopFor, type ScrollMapping } from './virtualScroll';
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

type ScrollTarget = { kind: 'bottom' } | { kind: 'position'; position: number; center: boolean };

/** Rows drawn above and below the screen. */
const OVERSCAN_ROWS = 6;
/** Rows drawn at most (each at least one screen line tall). */
const MAX_ROWS = 160;
/** Lines asked for per request; smaller than MAX_RANGE so the first screen arrives quickly. */
const REQUEST_LINES = 500;
const CACHE_ALIGN = 256;
/** How long a race through the list pauses before the lines on screen are asked for (see RaceGate). */
const RACE_SETTLE_MS = 80;
/** Wrapped-row heights remembered at most (around the screen). */
const MAX_HEIGHTS = 20_000;

export class LogView {
  readonly root: HTMLElement;
  readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly resizeObserver: ResizeObserver;
  private readonly metrics = new LogMetrics();
  private readonly rows: LogRows;

  private readonly cache = new LogCache();
  private readonly requester = new RangeRequester({ maxRange: Math.min(MAX_RANGE, REQUEST_LINES), maxInFlight: 4, timeoutMs: 15_000 }, nextRequestId);
  private readonly follow: FollowState;
  private options: LogViewOptions;

  private status: LogStatus | undefined;
  private total = 0;
  private readonly heights = new HeightIndex(18);
  /** Line position at the viewport's top. */
  private position = 0;

  /** Bumped whenever every row must be redrawn (options, query, list reset). */
  private version = 0;
  private matcher: TextMatcher | undefined;
  private currentMatch = -1;
  /** Times the user moved through the log (scrolled, Home/End, Jump to latest): what opened it must then not move it. */
  private userMovesValue = 0;

  private frame = 0;
  private readonly raceGate = new RaceGate(RACE_SETTLE_MS, () => this.schedule());
  private target: ScrollTarget | undefined;
  private expectedScrollTop = -1;
  private userScrolled = false;
  private ready = false;
  private settleFrames = 0;
  /** Ranges the extension answered with fewer lines than asked: not asked again until the next status. */
  private shortAnswers: Range[] = [];
  /** A restored position not reached yet (the list is still shorter); dropped once the user scrolls. */
  private restoring: number | undefined;
  private readonly grid: LogGrid;

  constructor(
    options: LogViewOptions,
    private readonly events: LogViewEvents,
  ) {
    this.options = { ...options };
    this.follow = new FollowState(options.follow);
    this.layer = el('div', { class: 'log-layer', role: 'presentation' });
    this.spacer = el('div', { class: 'log-spacer' }, this.layer);
    this.rows = new LogRows(this.layer);
    this.empty = el('div', { class: 'log-empty', 'data-testid': 'log-empty' }, 'Loading…');
    this.viewport = el(
      'div',
      { class: 'log-viewport', tabindex: 0, 'aria-label': 'Run log', 'data-testid': 'log-viewport' },
      this.spacer,
    );
    this.grid = new LogGrid(this.viewport, {
      state: () => ({ total: this.total, currentMatch: this.currentMatch, atBottom: this.follow.isAtBottom, pageRows: this.metrics.viewportHeight / this.metrics.rowHeight }),
      lineText: (p) => {
        const line = this.cache.get(p);
        return line && stripAnsi(line.message);
      },
      jumpToLatest: () => this.jumpToLatest(),
      moveTo: (p) => this.moveTo(p),
      schedule: () => this.schedule(),
    });
    this.jump = button('Jump to latest', { class: 'jump-latest', hidden: true, 'data-testid': 'jump-latest' }, icon('arrow-down'), el('span', null, 'Jump to latest'));
    this.root = el('div', { class: 'log-container' }, this.viewport, this.empty, this.jump, this.metrics.probe);
    this.applyOptionClasses();

    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.jump.addEventListener('click', () => this.jumpToLatest());
    this.resizeObserver = new ResizeObserver(() => {
      this.measure();
      this.schedule();
    });
    this.resizeObserver.observe(this.viewport);
    this.resizeObserver.observe(this.metrics.probe);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.raceGate.dispose();
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
      if (this.restoring !== undefined) this.target = { kind: 'position', position: this.restoring, center: false };
      else if (this.follow.following) this.target = { kind: 'bottom' };
      else if (status.level !== previous.level) this.target = this.follow.option ? { kind: 'bottom' } : { kind: 'position', position: 0, center: false };
      else this.target = { kind: 'position', position: Math.max(0, total - fromEnd), center: false };
    } else if (total < this.total) {
      this.cache.truncate(total);
      this.version++;
    }
    this.setTotal(total);
    if (this.restoring !== undefined) {
      // A saved position may lie beyond the newest page shown first: hold on to it until the whole log is there.
      if (this.restoring < total) this.target = { kind: 'position', position: this.restoring, center: false };
      if (status.complete) this.restoring = undefined;
    }
    // Followed or not, a log opens on its newest lines: they are read first, and a finished run's last
    // lines say how it ended.
    if (!previous && !this.target) this.target = { kind: 'bottom' };
    this.schedule();
  }

  /** Lines from the extension: an answer to a `logRange` (requestId > 0) or pushed while following (0). */
  addLines(requestId: number, start: number, lines: LogLine[]): void {
    if (requestId !== 0) {
      const pending = this.requester.settle(requestId);
      if (!pending) return; // an answer about a list that has since changed (level filter, reset)
      if (start + lines.length < pending.end) this.shortAnswers.push({ start: Math.max(pending.start, start + lines.length), end: pending.end });
    } else if (lines.length > 0 && start + lines.length > this.total) {
      this.setTotal(start + lines.length);
    }
    if (lines.length === 0) return;
    this.cache.put(start, lines, this.focusPosition());
    if (this.options.wrap) lines.forEach((line, k) => this.estimate(start + k, line));
    this.schedule();
  }

  setOptions(options: Partial<LogViewOptions>): void {
    const before = this.options;
    this.options = { ...before, ...options };
    if (options.follow !== undefined && options.follow !== before.follow) {
      if (this.follow.setOption(options.follow)) this.target = { kind: 'bottom' };
    }
    const geometry = (options.wrap !== undefined && options.wrap !== before.wrap) || (options.timestamps !== undefined && options.timestamps !== before.timestamps && this.options.wrap);
    if (geometry) {
      // Row heights change: keep the same line at the top.
      if (!this.follow.following && !this.target) this.target = { kind: 'position', position: this.position, center: false };
      this.reestimate();
    }
    if (options.wrap !== undefined && options.wrap !== before.wrap) this.rows.resetWidth();
    this.version++;
    this.applyOptionClasses();
    this.schedule();
  }

  /** Marks what `matcher` finds in the rows (undefined: nothing). */
  setMatcher(matcher: TextMatcher | undefined): void {
    if (matcher?.query === this.matcher?.query) return;
    this.matcher = matcher;
    this.version++;
    this.schedule();
  }

  /** The position marked as the current line; -1 when none. */
  get currentLine(): number {
    return this.currentMatch;
  }

  get userMoves(): number {
    return this.userMovesValue;
  }

  /** The line at `position` as the current line (marked like the current search match), scrolled into view. */
  showLine(position: number): void {
    this.setCurrentMatch(position);
    this.reveal(position);
  }

  /** Highlights the row at `position` as the current search match (-1: none); the keyboard goes on from there. */
  setCurrentMatch(position: number): void {
    if (position >= 0) this.grid.line = position;
    if (position === this.currentMatch) return;
    this.rows.invalidate(this.currentMatch);
    this.currentMatch = position;
    this.rows.invalidate(position);
    this.schedule();
  }


  /** Scrolls so `position` is in view (centred); pauses following like a user scroll would. */
  reveal(position: number): void {
    this.restoring = undefined;
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
      this.restoring = position;
    }
    this.schedule();
  }

  jumpToLatest(): void {
    this.userMovesValue++;
    this.restoring = undefined;
    this.follow.jumpToLatest();
    this.target = { kind: 'bottom' };
    this.schedule();
    this.viewport.focus({ preventScroll: true });
  }

  /** First position on screen, for "search from here". */
  firstVisible(): number {
    return Math.floor(this.position);
  }

  // ---- internals ----------------------------------------------------------------------------

  private setTotal(total: number): void {
    this.total = total;
    this.heights.setTotal(total);
    this.viewport.setAttribute('data-total', String(total));
    this.grid.setTotal(total);
  }

  private resetList(): void {
    this.cache.clear();
    this.requester.reset();
    this.shortAnswers = [];
    this.heights.reset(this.metrics.rowHeight);
    this.currentMatch = -1;
    // Its line is a position in the old numbering: the keyboard lands again (LogGrid.markOnScreen).
    this.grid.unmark();
    this.version++;
    this.rows.resetWidth();
  }

  private applyOptionClasses(): void {
    this.viewport.classList.toggle('wrap', this.options.wrap);
    this.viewport.classList.toggle('no-timestamps', !this.options.timestamps);
  }

  private measure(): void {
    if (!this.metrics.measure(this.viewport, this.options.wrap)) return;
    if (!this.follow.following && !this.target && this.total > 0) this.target = { kind: 'position', position: this.position, center: false };
    this.reestimate();
  }

  /** All heights are stale (wrap, width, font or timestamps changed): start over from the text. */
  private reestimate(): void {
    this.heights.reset(this.metrics.rowHeight);
    this.heights.setTotal(this.total);
    if (this.options.wrap) this.cache.forEach((line, p) => this.estimate(p, line));
  }

  /** With wrap on, a row's height guessed from its text until it is drawn and measured. */
  private estimate(position: number, line: LogLine): void {
    if (this.heights.has(position)) return;
    const height = this.metrics.wrappedHeight(line, this.options.timestamps);
    if (height !== undefined) this.heights.set(position, height);
  }

  private onScroll(): void {
    if (Math.abs(this.viewport.scrollTop - this.expectedScrollTop) > 1) {
      this.userScrolled = true;
      this.userMovesValue++;
      this.restoring = undefined;
    }
    this.schedule();
  }

  /** Scrolls as little as it takes for line `p` to be wholly on screen; a move of the user's, like a scroll. */
  private moveTo(p: number): void {
    this.userMovesValue++;
    this.restoring = undefined;
    this.follow.onScroll(false);
    const top = this.heights.positionToShow(p, this.position, this.metrics.viewportHeight);
    if (top !== undefined) this.target = { kind: 'position', position: top, center: false };
    this.schedule();
  }

  private focusPosition(): number {
    return Math.floor(this.position + this.metrics.viewportHeight / this.metrics.rowHeight / 2);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Content offset to show at the top for a target. */
  private offsetFor(target: ScrollTarget, vh: number): number {
    if (target.kind === 'bottom') return this.heights.contentHeight - vh;
    if (!target.center) return this.heights.offsetAt(target.position);
    const p = Math.max(0, Math.min(this.total - 1, Math.floor(target.position)));
    return this.heights.offsetOf(p) + this.heights.heightOf(p) / 2 - vh / 2;
  }

  private render(): void {
    if (!this.status) {
      showEmptyState(this.empty, 'Loading…');
      return;
    }
    if (this.metrics.viewportHeight === 0) this.measure();
    const vh = this.metrics.viewportHeight;
    if (vh <= 0) return; // hidden (section collapsed): drawn again when it reappears
    const total = this.total;

    // 1. Where to be: an explicit target, the bottom while following, else where the user scrolled.
    const wasFollowing = this.follow.following && !this.userScrolled;
    let target = this.target;
    if (!target && wasFollowing) target = { kind: 'bottom' };
    this.target = undefined;
    let mapping = scrollMapping(this.heights.contentHeight, vh);
    // Read once, before this frame writes anything: read again after the rows changed, it would make the
    // browser lay the page out there and then (the long frames of a scrollbar drag).
    const scrolledTo = this.viewport.scrollTop;
    const y = target ? this.offsetFor(target, vh) : contentOffsetAt(scrolledTo, mapping);
    const p = this.heights.positionAt(Math.max(0, Math.min(y, maxContentOffset(mapping))));
    if (target) this.userScrolled = false;

    this.viewport.classList.toggle('empty', total === 0);
    if (total === 0) {
      this.rows.clear();
      this.grid.unmark();
      this.position = 0;
      this.applyScroll(mapping, 0, 0, scrolledTo);
      showEmptyState(this.empty, emptyLogMessage(this.status));
      this.finish(true, wasFollowing, true);
      return;
    }
    showEmptyState(this.empty, undefined);

    // 2. Which rows: from a few above the anchor line until the screen (plus a few) is filled.
    let anchor = Math.min(total - 1, Math.floor(p));
    let frac = Math.min(1, p - anchor);
    const start = Math.max(0, anchor - OVERSCAN_ROWS);
    let end = this.fillEnd(anchor, frac, start, vh);

    // 3. Rows (writes), then their heights (one read, with wrap on).
    this.syncRows(start, end);
    let heights = this.rowHeights(start, end);
    if (this.options.wrap) {
      // Measured heights may differ from the estimates: keep the line at the top, or stay at the bottom.
      const bottom = target?.kind === 'bottom';
      const p2 = bottom ? this.heights.positionAt(Math.max(0, this.heights.contentHeight - vh)) : p;
      if (Math.floor(p2) >= start && Math.floor(p2) < end) {
        anchor = Math.min(total - 1, Math.floor(p2));
        frac = Math.min(1, p2 - anchor);
      }
      const more = this.fillEnd(anchor, frac, start, vh);
      if (more > end) {
        end = more;
        this.syncRows(start, end);
        heights = this.rowHeights(start, end);
      }
    }
    const layout = layoutRows(start, heights, anchor, frac, vh, total);
    this.position = anchor + frac;
    this.grid.markOnScreen(this.heights, anchor, frac, vh, (p) => this.rows.rowAt(p));

    // 4. Scroll offset and layer position (writes).
    mapping = scrollMapping(this.heights.contentHeight, vh);
    const scrollTop = this.applyScroll(mapping, this.heights.offsetAt(anchor + frac), layout.top, scrolledTo);
    if (!this.options.wrap) this.growWidth(start, end);

    // 5. Ask for what is missing near the screen.
    this.requestMissing(start, end, anchor, vh);
    this.heights.trim(anchor, MAX_HEIGHTS);
    this.finish(this.allLoaded(anchor, end), wasFollowing, layout.showsEnd || isAtBottom(scrollTop, mapping));
  }

  /** Asks for the lines near the screen that are missing; none while the user races through the list (see RaceGate). */
  private requestMissing(start: number, end: number, anchor: number, vh: number): void {
    const visibleRows = Math.ceil(vh / this.metrics.rowHeight) + 1;
    if (!this.raceGate.open(this.position, visibleRows)) return;
    const want = wantedWindow(start, end, this.total, Math.max(200, visibleRows * 2), CACHE_ALIGN);
    const unavailable = (q: number) => this.shortAnswers.some((r) => q >= r.start && q < r.end);
    for (const r of this.requester.plan(want, (q) => this.cache.has(q) || unavailable(q), performance.now(), anchor)) {
      post({ type: 'logRange', requestId: r.requestId, start: r.start, end: r.end });
    }
  }

  private allLoaded(from: number, to: number): boolean {
    for (let q = from; q < to; q++) if (!this.cache.has(q)) return false;
    return true;
  }

  /** First row after the rows that fill the screen from `anchor` (scrolled `frac` into it). */
  private fillEnd(anchor: number, frac: number, start: number, vh: number): number {
    let acc = -frac * this.heights.heightOf(anchor);
    let end = anchor;
    while (end < this.total && end - start < MAX_ROWS && acc < vh + OVERSCAN_ROWS * this.metrics.rowHeight) acc += this.heights.heightOf(end++);
    return end;
  }

  /** Sets the spacer and scroll offset for content offset `y` (from `scrolledTo`, as the frame began), and moves the layer; returns the scrollTop. */
  private applyScroll(mapping: ScrollMapping, y: number, layerTop: number, scrolledTo: number): number {
    const spaceText = `${Math.round(mapping.space)}px`;
    if (this.spacer.style.height !== spaceText) this.spacer.style.height = spaceText;
    const top = Math.round(scrollTopFor(y, mapping));
    if (Math.abs(scrolledTo - top) > 1) {
      this.viewport.scrollTop = top;
      this.expectedScrollTop = top;
    }
    this.layer.style.transform = `translateY(${Math.round(top + layerTop)}px)`;
    return top;
  }

  private finish(loaded: boolean, wasFollowing: boolean, atBottom: boolean): void {
    if (this.userScrolled || !wasFollowing) this.follow.onScroll(atBottom);
    else if (!atBottom && this.settleFrames++ < 5) this.schedule(); // following, but measuring moved the bottom
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
    if (!this.options.wrap) return new Array<number>(end - start).fill(this.metrics.rowHeight);
    const heights = this.rows.heights(start, end, this.metrics.rowHeight);
    for (let p = start; p < end; p++) if (this.cache.has(p)) this.heights.set(p, heights[p - start]);
    return heights;
  }

  /** Keeps the horizontal scroll range from shrinking while long rows scroll in and out of view. */
  private growWidth(start: number, end: number): void {
    let widest = 0;
    for (let p = start; p < end; p++) {
      const line = this.cache.get(p);
      if (line) widest = Math.max(widest, Math.min(line.message.length, 2_100));
    }
    this.rows.widen(widest + (this.options.timestamps ? 13 : 0) + 8, this.metrics.charWidth);
  }

  private syncRows(start: number, end: number): void {
    this.rows.sync(start, end, (p) => this.cache.get(p), this.version, this.currentMatch, { ...this.options, matcher: this.matcher });
  }
}
