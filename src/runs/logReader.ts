/**
 * Reads a run's log through the logs endpoint, page by page, into a LogBuffer.
 *
 * The newest page is fetched first so the latest lines are on screen at once; the whole log is then
 * walked from the start (each line exactly once, following the API's cursor) and swapped in when done.
 * While the run is active, new lines are fetched by timestamp, without re-reading what is already held.
 */
import * as filters from '../api/filters';
import type { RunflowClient } from '../api/client';
import type { RunLog } from '../api/types';
import { Emitter } from '../core/emitter';
import { LogBuffer, normalizeLevel, type LogRecord } from '../core/logBuffer';
import type { LogLine, LogStatus } from '../shared/protocol';

export type LogsApi = Pick<RunflowClient, 'searchLogs'>;

const PAGE = 500;
/** A log longer than this many pages is cut off with a note, so a broken server cannot fill the disk. */
const MAX_PAGES = 10_000;

function toRecord(log: RunLog): LogRecord {
  return {
    level: normalizeLevel(log.level_code),
    timestamp: typeof log.timestamp === 'string' ? log.timestamp : '',
    message: typeof log.message === 'string' ? log.message : log.message == null ? '' : JSON.stringify(log.message),
  };
}

export class LogReader {
  private buffer: LogBuffer;
  /** The newest page, shown until the full walk is done. */
  private tail: LogLine[] | undefined;
  private complete = false;
  private live: boolean;
  private error = '';
  private epoch = 1;
  /** Where the live tail continues: the newest timestamp held, and the ids seen at it. */
  private lastTimestamp = '';
  private idsAtLast = new Set<string>();
  private reading: Promise<void> | undefined;
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

  search(query: string, signal?: { cancelled: boolean }): Promise<{ matches: number[]; truncated: boolean }> {
    if (this.tail) {
      const q = query.toLowerCase();
      const matches = q ? this.tail.flatMap((l, i) => (l.message.toLowerCase().includes(q) ? [i] : [])) : [];
      return Promise.resolve({ matches, truncated: false });
    }
    return this.buffer.search(query, 100_000, signal);
  }

  plainText(): Iterable<string> {
    return this.buffer.plainText();
  }

  get fullyRead(): boolean {
    return this.complete;
  }

  /** Reads the log: newest page first, then all of it. Safe to call again; joins the read in progress. */
  start(): Promise<void> {
    this.reading ??= this.readAll().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** The run is still active (or not any more): whether to keep polling for new lines. */
  setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.changed.fire({ appended: false });
  }

  /** Fetches lines newer than the newest held. Returns how many were added. */
  async pollNew(): Promise<number> {
    if (!this.complete || this.disposed) return 0;
    let added = 0;
    try {
      let pq: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await this.api().searchLogs(
          this.runId,
          {
            q: this.lastTimestamp ? filters.combineQuery(undefined, filters.timestampAtOrAfter(this.lastTimestamp)) : undefined,
            sort_by: 'timestamp:asc',
            limit: PAGE,
            pq,
          },
          { signal: this.abort.signal },
        );
        added += this.appendFresh(res.items);
        if (!res.next || res.items.length === 0) break;
        pq = res.next;
      }
      if (this.error) this.error = '';
    } catch (err) {
      if (this.disposed) return 0;
      this.error = `Could not fetch new log lines: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (added || this.error) this.changed.fire({ appended: true });
    return added;
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    this.changed.dispose();
    this.buffer.dispose();
  }

  private async readAll(): Promise<void> {
    this.error = '';
    try {
      const newest = await this.api().searchLogs(this.runId, { sort_by: 'timestamp:desc', limit: PAGE }, { signal: this.abort.signal });
      const lines = [...newest.items].reverse();
      if (!newest.next) {
        // The whole log fits in one page.
        this.appendFresh(lines);
        this.complete = true;
        this.epoch++;
        this.changed.fire({ appended: false });
        return;
      }
      this.tail = lines.map((l, i) => ({ index: i, ...toRecord(l) }));
      this.epoch++;
      this.changed.fire({ appended: false });

      let pq: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await this.api().searchLogs(this.runId, { sort_by: 'timestamp:asc', limit: PAGE, pq }, { signal: this.abort.signal });
        this.appendFresh(res.items);
        if (!res.next || res.items.length === 0) break;
        pq = res.next;
        if (page % 20 === 19) this.changed.fire({ appended: false });
      }
      this.tail = undefined;
      this.complete = true;
      this.epoch++;
      this.changed.fire({ appended: false });
    } catch (err) {
      if (this.disposed) return;
      this.error = `Could not read the log: ${err instanceof Error ? err.message : String(err)}`;
      this.changed.fire({ appended: false });
    }
  }

  /** Appends lines not held yet (the live tail overlaps at the newest timestamp). */
  private appendFresh(items: readonly RunLog[]): number {
    const fresh: LogRecord[] = [];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const ts = typeof item.timestamp === 'string' ? item.timestamp : '';
      const id = typeof item.id === 'string' ? item.id : '';
      if (ts && this.lastTimestamp && ts < this.lastTimestamp) continue;
      if (ts && ts === this.lastTimestamp && id && this.idsAtLast.has(id)) continue;
      if (ts && ts !== this.lastTimestamp) {
        this.lastTimestamp = ts;
        this.idsAtLast = new Set();
      }
      if (id) this.idsAtLast.add(id);
      fresh.push(toRecord(item));
    }
    this.buffer.append(fresh);
    return fresh.length;
  }
}

function countLevels(lines: LogLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.level] = (counts[l.level] ?? 0) + 1;
  return counts;
}
