/**
 * Reads a run's log through the logs endpoint into a LogBuffer, and reads what is new while the run may
 * still change (when to read again is the LogFollower's part).
 *
 * The newest page is fetched first so the latest lines are on screen at once; the whole log is then
 * walked from the start through the client's pager (each line once) and swapped in when done. New lines
 * are found by reading the newest page again and matching it against the newest lines held: the
 * reference publishes no `q` grammar, so the reader asks with `sort_by`, `limit` and cursors only.
 *
 * Lines keep the server's order. Times are read as instants (`parseTimestamp`), never compared as
 * strings, and a line without a readable time is kept where the server put it.
 */
import type { RunflowClient } from '../api/client';
import type { PaginationStopReason, PaginationSummary } from '../api/pagination';
import type { RunLog } from '../api/types';
import { Emitter } from '../core/emitter';
import { errorMessage } from '../core/errorMessage';
import { isPlainObject } from '../core/plainObject';
import { type LineToFind, type LogBuffer, MAX_POSITIONS, type LogRecord } from './logBuffer';
import { logId, messageText, toRecord } from './logRecord';
import type { SentLinesSnapshot } from './sentLines';
import { stripAnsi } from '../core/ansi';
import { isAtLeast } from '../core/logLevels';
import { neutralizeBidi } from '../core/sanitize';
import { parseSearchText } from '../core/searchText';
import { parseTimestamp } from '../core/time';
import type { LogLine, LogStatus } from '../shared/protocol';

export type LogsApi = Pick<RunflowClient, 'searchLogs' | 'iterateLogPages'>;

/** The API's largest page. */
const PAGE = 500;
/** A log longer than this many pages is cut off with a note, so a broken server cannot fill the disk. */
const MAX_WALK_PAGES = 10_000;
/** Pages one poll for new lines reads back at most before it gives up on reaching the lines held. */
const TAIL_PAGES = 20;
/**
 * Newest lines whose keys are kept to find where a newest page overlaps what is held. Four pages:
 * every held line at an instant the page reaches is then among them.
 */
const RECENT_LINES = 4 * PAGE;

export interface LogUpdate {
  /** False when the request failed (the error is in the status). */
  ok: boolean;
  /** Lines added at the end. */
  added: number;
}

function validItems(items: unknown): RunLog[] {
  return Array.isArray(items) ? items.filter((i): i is RunLog => isPlainObject(i)) : [];
}

/** Level and message as a short fingerprint: a long line is not kept twice in memory to be compared. */
function digest(item: RunLog): string {
  const text = `${typeof item.level_code === 'string' ? item.level_code : ''}\u0000${messageText(item.message)}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${text.length}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

interface LineIdentity {
  key: string;
  /** For a line with neither id nor time: its fingerprint alone, matched when its place is not known. */
  loose?: string;
  instant?: number;
}

/**
 * What makes a line the same line in two answers: its id when it has one; else its instant and text;
 * else its text and the instant of the timed line before it (`anchor`), since that is all that places it.
 */
function identify(item: RunLog, anchor: string | undefined): LineIdentity {
  const instant = parseTimestamp(item.timestamp);
  const id = logId(item);
  if (id !== undefined) return { key: `i:${id}`, instant };
  const text = digest(item);
  if (instant !== undefined) return { key: `t:${instant}|${text}`, instant };
  return { key: `a:${anchor ?? ''}|${text}`, loose: text };
}

/**
 * The newest lines held, to tell which lines of a fresh newest page are new. Their identities are worked
 * out only when a page is compared (a walk through a million lines adds every one of them here), and
 * counted: two identical lines at one instant are two lines.
 */
class RecentLines {
  /** Oldest first from `next`; only what identifies a line is kept. */
  private readonly ring: (RunLog | undefined)[] = new Array(RECENT_LINES);
  private next = 0;
  private readonly ids = new Map<string, number>();
  /** Lines per identity, and per fingerprint for lines with neither id nor time; undefined when stale. */
  private counts: { placed: Map<string, number>; loose: Map<string, number> } | undefined;

  add(item: RunLog): void {
    const evicted = this.ring[this.next];
    const evictedId = evicted ? logId(evicted) : undefined;
    if (evictedId !== undefined) decrement(this.ids, evictedId);
    const id = logId(item);
    if (id !== undefined) this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
    this.ring[this.next] = { id: item.id, timestamp: item.timestamp, level_code: item.level_code, message: item.message };
    this.next = (this.next + 1) % RECENT_LINES;
    this.counts = undefined;
  }

  holdsId(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * The lines of `items` (in log order) not held yet, in the same order. A line held once matches one
   * line of `items` only; a line whose id already came earlier in `items` is a repeat and left out.
   */
  freshOf(items: readonly RunLog[]): RunLog[] {
    const counts = this.identities();
    const used = new Map<string, number>();
    const ids = new Set<string>();
    const fresh: RunLog[] = [];
    // Until the first timed line of `items`, a line without time or id could sit anywhere near the start.
    let anchor: string | undefined;
    for (const item of items) {
      const identity = identify(item, anchor);
      if (identity.instant !== undefined) anchor = String(identity.instant);
      if (identity.key.startsWith('i:')) {
        if (ids.has(identity.key)) continue;
        ids.add(identity.key);
      }
      const placed = identity.loose === undefined || anchor !== undefined;
      const lookup = placed ? identity.key : `~${identity.loose}`;
      const heldCount = placed ? (counts.placed.get(identity.key) ?? 0) : (counts.loose.get(identity.loose!) ?? 0);
      const matched = used.get(lookup) ?? 0;
      if (matched < heldCount) {
        used.set(lookup, matched + 1);
        continue;
      }
      fresh.push(item);
    }
    return fresh;
  }

  private identities(): { placed: Map<string, number>; loose: Map<string, number> } {
    if (this.counts) return this.counts;
    const placed = new Map<string, number>();
    const loose = new Map<string, number>();
    let anchor: string | undefined;
    for (let k = 0; k < RECENT_LINES; k++) {
      const item = this.ring[(this.next + k) % RECENT_LINES];
      if (!item) continue;
      const identity = identify(item, anchor);
      if (identity.instant !== undefined) anchor = String(identity.instant);
      placed.set(identity.key, (placed.get(identity.key) ?? 0) + 1);
      if (identity.loose !== undefined) loose.set(identity.loose, (loose.get(identity.loose) ?? 0) + 1);
    }
    this.counts = { placed, loose };
    return this.counts;
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

function incompleteNote(reason: PaginationStopReason, where: 'walk' | 'tail'): string {
  switch (reason) {
    case 'repeated_cursor':
      return 'The server repeated a page cursor, so the log may be incomplete.';
    case 'empty_page':
      return 'The server sent an empty page that pointed to more, so the log may be incomplete.';
    case 'max_pages':
      return where === 'walk'
        ? `Only the first ${(MAX_WALK_PAGES * PAGE).toLocaleString('en-US')} lines were read, so the log may be incomplete.`
        : 'More new lines arrived at once than are fetched in one go, so the log may be incomplete.';
    default:
      return '';
  }
}

export class LogReader {
  private buffer: LogBuffer;
  /** The newest page, shown until the full walk is done. */
  private tail: LogLine[] | undefined;
  /** The node each line of `tail` names. */
  private tailNodes: (string | undefined)[] = [];
  private complete = false;
  private live: boolean;
  private error = '';
  private incomplete = '';
  /** Why the walk over the whole log stopped short, when it did. */
  private incompleteReason: PaginationStopReason | undefined;
  private retryOffered = false;
  private epoch = 1;
  private readonly recent = new RecentLines();
  /** Where the walk over the whole log stands, kept across a failure so a retry goes on from there. */
  private walk: { cursor: string | undefined; pages: number } | undefined;
  private reading: Promise<boolean> | undefined;
  private tailing: Promise<LogUpdate> | undefined;
  private disposed = false;
  private readonly abort = new AbortController();
  private readonly changed = new Emitter<{ appended: boolean }>();
  /** Status changed; `appended` when lines were added at the end without renumbering. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly api: () => LogsApi,
    private readonly runId: string,
    makeBuffer: () => LogBuffer,
    live: boolean,
  ) {
    this.buffer = makeBuffer();
    this.live = live;
  }

  status(): LogStatus {
    const usingTail = this.tail !== undefined;
    return {
      total: usingTail ? this.tail!.length : this.buffer.viewLength,
      complete: this.complete,
      live: this.live,
      levels: usingTail ? countLevels(this.tail!) : this.buffer.levels(),
      level: usingTail ? '' : this.buffer.level,
      error: this.error,
      incomplete: this.incomplete,
      retry: this.retryOffered && this.error !== '',
      epoch: this.epoch,
    };
  }

  /** Lines at view positions [start, end). */
  lines(start: number, end: number): LogLine[] {
    if (this.tail) return this.tail.slice(start, end);
    return this.buffer.readView(start, end);
  }

  setLevel(level: string): void {
    if (this.tail) return;
    this.buffer.setLevel(level);
    this.epoch++;
    this.changed.fire({ appended: false });
  }

  /** View positions of the lines `query` matches (see parseSearchText); none when it does not parse. */
  search(query: string, signal?: { cancelled: boolean }): Promise<{ matches: number[]; truncated: boolean }> {
    if (this.tail) {
      const parsed = parseSearchText(query);
      const matches = parsed.ok ? this.tail.flatMap((l, i) => (parsed.matcher.test(stripAnsi(l.message)) ? [i] : [])) : [];
      return Promise.resolve({ matches, truncated: false });
    }
    return this.buffer.search(query, MAX_POSITIONS, signal);
  }

  /**
   * Where `line` (found by `query` elsewhere, such as the search across runs) is in this log, as a view
   * position; -1 when `query` matches nothing. Reads the whole log first: the line may be anywhere in it.
   */
  async locate(query: string, line: LineToFind, signal?: { cancelled: boolean }): Promise<number> {
    await this.start();
    if (this.tail) return -1;
    return this.buffer.locate(query, line, signal);
  }

  /** View positions of the lines at error severity or worse (logLevels.ts). */
  errorPositions(): { positions: number[]; truncated: boolean } {
    if (this.tail) return { positions: this.tail.flatMap((l, i) => (isAtLeast(l.level, 'error') ? [i] : [])), truncated: false };
    return this.buffer.positionsAtLeast('error');
  }

  /** The view position of the first line naming one of `nodes` in its `meta`; -1 when none does. */
  firstPositionOfNode(nodes: readonly string[]): number {
    if (this.tail) {
      const wanted = new Set(nodes.map((n) => neutralizeBidi(n)));
      return this.tailNodes.findIndex((n) => n !== undefined && wanted.has(n));
    }
    return this.buffer.firstPositionOfNode(nodes);
  }

  plainText(): Iterable<string> {
    return this.buffer.plainText();
  }

  get fullyRead(): boolean {
    return this.complete;
  }

  /**
   * The lines held, as the server sent them, once the whole log has been read (undefined before, or when
   * they could not all be kept): what an export writes, with why the log may be incomplete. The caller
   * closes the snapshot.
   */
  async sentLines(): Promise<{ lines: SentLinesSnapshot; incomplete?: { reason: PaginationStopReason | undefined; note: string } } | undefined> {
    if (!this.complete || this.disposed) return undefined;
    const lines = await this.buffer.sent.snapshot();
    if (!lines) return undefined;
    return { lines, ...(this.incomplete ? { incomplete: { reason: this.incompleteReason, note: this.incomplete } } : {}) };
  }

  /**
   * Reads the log: newest page first, then all of it. Joins the read in progress; once the log has been
   * read, resolves at once. Resolves to whether the whole log is read (false: it failed, see the status).
   */
  start(): Promise<boolean> {
    if (this.complete) return Promise.resolve(true);
    this.reading ??= this.readAll().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** The run may still change (or not any more): whether more lines are expected. */
  setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.changed.fire({ appended: false });
  }

  /** Automatic reading stopped after failures: the status offers a Retry while the error stands. */
  setRetryOffered(offered: boolean): void {
    if (this.retryOffered === offered) return;
    this.retryOffered = offered;
    this.changed.fire({ appended: false });
  }

  /** Fetches lines newer than those held. Returns how many were added. */
  async pollNew(): Promise<number> {
    if (!this.complete || this.disposed) return 0;
    return (await this.readNew()).added;
  }

  /** One step of following the log: the whole log until it has been read, then the lines since. */
  async update(): Promise<LogUpdate> {
    if (this.disposed) return { ok: true, added: 0 };
    if (!this.complete) return { ok: await this.start(), added: 0 };
    return this.readNew();
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    this.changed.dispose();
    this.buffer.dispose();
  }

  private readNew(): Promise<LogUpdate> {
    this.tailing ??= this.readNewest().finally(() => (this.tailing = undefined));
    return this.tailing;
  }

  private async readAll(): Promise<boolean> {
    try {
      if (!this.walk) {
        const newest = await this.api().searchLogs(this.runId, { sort_by: 'timestamp:desc', limit: PAGE }, { signal: this.abort.signal });
        const lines = validItems(newest.items).reverse();
        if (!newest.next) {
          // The whole log fits in one page.
          this.append(lines);
          this.finishRead();
          return true;
        }
        const records = lines.map(toRecord);
        this.tail = records.map((r, i) => ({ index: i, level: r.level, timestamp: r.timestamp, message: r.message }));
        this.tailNodes = records.map((r) => r.node);
        this.walk = { cursor: undefined, pages: 0 };
        this.epoch++;
        this.changed.fire({ appended: false });
      }
      const walk = this.walk;
      let summary: PaginationSummary | undefined;
      const pages = this.api().iterateLogPages(
        this.runId,
        { sort_by: 'timestamp:asc', limit: PAGE },
        {
          startCursor: walk.cursor,
          maxPages: Math.max(1, MAX_WALK_PAGES - walk.pages),
          onLimit: 'stop',
          onStop: (s) => (summary = s),
          signal: this.abort.signal,
        },
      );
      for await (const page of pages) {
        this.append(validItems(page.items));
        walk.pages++;
        walk.cursor = page.next ?? undefined;
        if (walk.pages % 20 === 0) this.changed.fire({ appended: false });
      }
      if (summary && !summary.complete && !this.incomplete) {
        this.incomplete = incompleteNote(summary.reason, 'walk');
        this.incompleteReason = summary.reason;
      }
      this.walk = undefined;
      this.tail = undefined;
      this.tailNodes = [];
      this.finishRead();
      return true;
    } catch (err) {
      if (this.disposed) return false;
      this.error = `Could not read the log: ${errorMessage(err)}`;
      this.changed.fire({ appended: false });
      return false;
    }
  }

  private finishRead(): void {
    this.complete = true;
    this.error = '';
    this.retryOffered = false;
    this.epoch++;
    this.changed.fire({ appended: false });
  }

  /**
   * The newest page, and older ones while every line of them is new, until they reach the lines held.
   * Appends what is new in log order.
   */
  private async readNewest(): Promise<LogUpdate> {
    const pages: RunLog[][] = [];
    let summary: PaginationSummary | undefined;
    let reached = false;
    try {
      const newest = this.api().iterateLogPages(
        this.runId,
        { sort_by: 'timestamp:desc', limit: PAGE },
        { maxPages: TAIL_PAGES, onLimit: 'stop', onStop: (s) => (summary = s), signal: this.abort.signal },
      );
      for await (const page of newest) {
        const items = validItems(page.items).reverse();
        pages.push(items);
        if (this.recent.freshOf(items).length < items.length) {
          reached = true;
          break;
        }
      }
    } catch (err) {
      if (this.disposed) return { ok: false, added: 0 };
      this.error = `Could not fetch new log lines: ${errorMessage(err)}`;
      this.changed.fire({ appended: false });
      return { ok: false, added: 0 };
    }
    if (this.disposed) return { ok: true, added: 0 };
    const fresh = this.recent.freshOf(pages.reverse().flat());
    const added = this.append(fresh);
    // Not meeting a held line leaves a gap only if the pager stopped early: at the log's start there is none.
    const note = !reached && summary && !summary.complete ? incompleteNote(summary.reason, 'tail') : '';
    const statusChanged = this.error !== '' || this.retryOffered || (note !== '' && !this.incomplete);
    this.error = '';
    this.retryOffered = false;
    if (note && !this.incomplete) {
      this.incomplete = note;
      this.incompleteReason = summary?.reason;
    }
    if (added || statusChanged) this.changed.fire({ appended: true });
    return { ok: true, added };
  }

  /** Appends lines in the order given; a line whose id is held already (a page sent twice) is left out. */
  private append(items: readonly RunLog[]): number {
    const records: LogRecord[] = [];
    const sent: string[] = [];
    for (const item of items) {
      const id = logId(item);
      if (id !== undefined && this.recent.holdsId(id)) continue;
      this.recent.add(item);
      records.push(toRecord(item));
      sent.push(JSON.stringify(item));
    }
    this.buffer.append(records, sent);
    return records.length;
  }
}

function countLevels(lines: LogLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.level] = (counts[l.level] ?? 0) + 1;
  return counts;
}
