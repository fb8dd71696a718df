/**
 * A run's log as read so far, kept in a scratch file rather than in memory: a million-line log costs the
 * extension host a few megabytes of offsets, and the panel asks for the few hundred lines on screen.
 * Lines are appended in log order (oldest first); positions can be narrowed to one level.
 */
import * as fs from 'node:fs';
import type { LogLine } from '../shared/protocol';
import { stripAnsi } from '../core/ansi';
import { isAtLeast } from '../core/logLevels';
import { parseSearchText, type TextMatcher } from '../core/searchText';
import { neutralizeBidi } from '../core/sanitize';
import { parseTimestamp } from '../core/time';
import { SentLines } from './sentLines';

export interface LogRecord {
  level: string;
  timestamp: string;
  message: string;
  /** The node the line names in its `meta` (`node_id` or `node`), if any. */
  node?: string;
}

/** A line found elsewhere (the search across runs) to be located in this log. */
export interface LineToFind {
  timestamp: string;
  message: string;
}

/** Positions answered at most by one request: the page steps through them, it does not need a million. */
export const MAX_POSITIONS = 100_000;
/** Distinct node names kept; lines naming further nodes count as naming none. */
const MAX_NODES = 0xfffe;
/** A node name longer than this is not a name. */
export const MAX_NODE_KEY = 200;

const NEWLINE = 0x0a;

export class LogBuffer {
  private fd: number | undefined;
  private bytes = 0;
  /** Byte offset where each line starts, and one past the end. */
  private offsets = new Float64Array(1024);
  private levelCodes = new Uint8Array(1024);
  /** Per line, 1 + the index in `nodeNames` of the node it names; 0 for none. Two bytes a line. */
  private nodeCodes = new Uint16Array(1024);
  private readonly nodeNames: string[] = [];
  private readonly nodeIndex = new Map<string, number>();
  private readonly levelNames: string[] = [];
  private readonly levelIndex = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private count = 0;
  /** Positions of the lines of one level, grown as lines arrive; undefined = all lines. */
  private filter: { code: number; positions: number[] } | undefined;

  /** The same lines as the server sent them, for an export. */
  readonly sent: SentLines;

  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'w+', 0o600);
    this.sent = new SentLines(`${file}.sent`);
  }

  /** Lines in the log. */
  get length(): number {
    return this.count;
  }

  /** Lines in view (the level filter applied). */
  get viewLength(): number {
    return this.filter ? this.filter.positions.length : this.count;
  }

  get level(): string {
    return this.filter ? this.levelNames[this.filter.code] : '';
  }

  levels(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** `sent`: each record's line as the server sent it (its JSON text), one for one. */
  append(records: readonly LogRecord[], sent?: readonly string[]): void {
    if (!records.length || this.fd === undefined) return;
    if (sent) this.sent.append(sent);
    this.reserve(this.count + records.length);
    const parts: string[] = [];
    for (const r of records) {
      const level = normalizeLevel(r.level);
      const line = `${JSON.stringify([level, r.timestamp, r.message])}\n`;
      parts.push(line);
      const code = this.codeFor(level);
      this.offsets[this.count] = this.bytes;
      this.levelCodes[this.count] = code;
      this.nodeCodes[this.count] = this.nodeCodeFor(r.node);
      this.bytes += Buffer.byteLength(line);
      this.counts.set(level, (this.counts.get(level) ?? 0) + 1);
      if (this.filter && this.filter.code === code) this.filter.positions.push(this.count);
      this.count++;
    }
    this.offsets[this.count] = this.bytes;
    const chunk = Buffer.from(parts.join(''));
    fs.writeSync(this.fd, chunk, 0, chunk.length, this.offsets[this.count - records.length]);
  }

  /** Narrows the view to one level ('' for all). */
  setLevel(level: string): void {
    const normalized = normalizeLevel(level);
    if (!normalized) {
      this.filter = undefined;
      return;
    }
    const code = this.codeFor(normalized);
    const positions: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.levelCodes[i] === code) positions.push(i);
    this.filter = { code, positions };
  }

  /** Lines at view positions [start, end). */
  readView(start: number, end: number): LogLine[] {
    const to = Math.min(end, this.viewLength);
    if (start >= to) return [];
    if (!this.filter) return this.readRange(start, to);
    const out: LogLine[] = [];
    // Contiguous runs of full-log indices are read in one go.
    let i = start;
    while (i < to) {
      let j = i + 1;
      while (j < to && this.filter.positions[j] === this.filter.positions[j - 1] + 1) j++;
      const lines = this.readRange(this.filter.positions[i], this.filter.positions[j - 1] + 1);
      out.push(...lines);
      i = j;
    }
    return out;
  }

  /** Lines at log indices [start, end). */
  readRange(start: number, end: number): LogLine[] {
    const to = Math.min(end, this.count);
    if (start >= to || this.fd === undefined) return [];
    const from = this.offsets[start];
    const length = this.offsets[to] - from;
    const buf = Buffer.allocUnsafe(length);
    fs.readSync(this.fd, buf, 0, length, from);
    const lines: LogLine[] = [];
    let pos = 0;
    for (let i = start; i < to; i++) {
      const next = buf.indexOf(NEWLINE, pos);
      lines.push(toLine(i, buf.toString('utf8', pos, next)));
      pos = next + 1;
    }
    return lines;
  }

  /**
   * View positions of lines whose message matches `query` (plain text case-insensitively, or a
   * `/regex/`; see parseSearchText), on the text without ANSI codes. A query that does not parse finds
   * nothing. Reads the file in chunks and yields between them so the extension host stays responsive.
   */
  async search(query: string, limit = MAX_POSITIONS, signal?: { cancelled: boolean }): Promise<{ matches: number[]; truncated: boolean }> {
    const parsed = parseSearchText(query);
    const matches: number[] = [];
    if (!parsed.ok) return { matches, truncated: false };
    let truncated = false;
    await this.scan(parsed.matcher, signal, (position) => {
      matches.push(position);
      if (matches.length < limit) return true;
      truncated = true;
      return false;
    });
    return { matches, truncated };
  }

  /**
   * The view position of `line` among the lines `query` matches: the one with its time and text; else
   * the first match at or after its time; else the first match. -1 when `query` matches nothing.
   */
  async locate(query: string, line: LineToFind, signal?: { cancelled: boolean }): Promise<number> {
    const parsed = parseSearchText(query);
    if (!parsed.ok) return -1;
    const sought = { text: stripAnsi(neutralizeBidi(line.message)), instant: parseTimestamp(line.timestamp), timestamp: neutralizeBidi(line.timestamp) };
    let first = -1;
    let after = -1;
    let exact = -1;
    await this.scan(parsed.matcher, signal, (position, l, plain) => {
      if (first < 0) first = position;
      const instant = parseTimestamp(l.timestamp);
      const sameTime = instant !== undefined && sought.instant !== undefined ? instant === sought.instant : l.timestamp === sought.timestamp;
      if (sameTime && plain === sought.text) {
        exact = position;
        return false;
      }
      if (after < 0 && instant !== undefined && sought.instant !== undefined && instant >= sought.instant) after = position;
      return true;
    });
    return exact >= 0 ? exact : after >= 0 ? after : first;
  }

  /** View positions of the lines at `min` severity or worse (see logLevels.ts), in order, at most `limit`. */
  positionsAtLeast(min: 'error' | 'warning', limit = MAX_POSITIONS): { positions: number[]; truncated: boolean } {
    const severe = this.levelNames.map((name) => isAtLeast(name, min));
    const positions: number[] = [];
    if (this.filter) {
      if (!severe[this.filter.code]) return { positions, truncated: false };
      const n = Math.min(limit, this.filter.positions.length);
      for (let i = 0; i < n; i++) positions.push(i);
      return { positions, truncated: this.filter.positions.length > limit };
    }
    for (let i = 0; i < this.count; i++) {
      if (!severe[this.levelCodes[i]]) continue;
      if (positions.length >= limit) return { positions, truncated: true };
      positions.push(i);
    }
    return { positions, truncated: false };
  }

  /** The view position of the first line naming one of `nodes` (as its `meta` does); -1 when none does. */
  firstPositionOfNode(nodes: readonly string[]): number {
    const codes = new Set<number>();
    for (const n of nodes) {
      const index = this.nodeIndex.get(neutralizeBidi(n));
      if (index !== undefined) codes.add(index + 1);
    }
    if (codes.size === 0) return -1;
    if (this.filter) {
      const positions = this.filter.positions;
      for (let i = 0; i < positions.length; i++) if (codes.has(this.nodeCodes[positions[i]])) return i;
      return -1;
    }
    for (let i = 0; i < this.count; i++) if (codes.has(this.nodeCodes[i])) return i;
    return -1;
  }

  /** The whole log as plain text (ANSI codes removed), chunk by chunk, for the editor or a file. */
  *plainText(chunkLines = 10_000): Generator<string> {
    for (let start = 0; start < this.count; start += chunkLines) {
      yield this.readRange(start, Math.min(this.count, start + chunkLines))
        .map((l) => `${l.timestamp ? `${l.timestamp} ` : ''}${l.level ? `[${l.level}] ` : ''}${stripAnsi(l.message)}\n`)
        .join('');
    }
  }

  dispose(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.file, { force: true });
    this.sent.dispose();
  }

  /**
   * Calls `onMatch` with each view position whose line `matcher` finds (with the line and its text
   * without ANSI codes), in order, until it returns false. Reads chunk by chunk, yielding between them.
   */
  private async scan(matcher: TextMatcher, signal: { cancelled: boolean } | undefined, onMatch: (position: number, line: LogLine, plain: string) => boolean): Promise<void> {
    const total = this.viewLength;
    const chunk = 5_000;
    for (let start = 0; start < total; start += chunk) {
      if (signal?.cancelled) return;
      const lines = this.readView(start, Math.min(total, start + chunk));
      for (let k = 0; k < lines.length; k++) {
        const plain = stripAnsi(lines[k].message);
        if (matcher.test(plain) && !onMatch(start + k, lines[k], plain)) return;
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  private nodeCodeFor(node: string | undefined): number {
    if (!node || node.length > MAX_NODE_KEY) return 0;
    let index = this.nodeIndex.get(node);
    if (index === undefined) {
      if (this.nodeNames.length >= MAX_NODES) return 0;
      index = this.nodeNames.length;
      this.nodeNames.push(node);
      this.nodeIndex.set(node, index);
    }
    return index + 1;
  }

  private codeFor(level: string): number {
    let code = this.levelIndex.get(level);
    if (code === undefined) {
      // Codes fit a byte: past 255 distinct levels, the rest share the last one.
      code = Math.min(this.levelNames.length, 255);
      if (code === this.levelNames.length) this.levelNames.push(level);
      this.levelIndex.set(level, code);
    }
    return code;
  }

  private reserve(n: number): void {
    if (n + 1 <= this.offsets.length) return;
    let size = this.offsets.length;
    while (size < n + 1) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const codes = new Uint8Array(size);
    codes.set(this.levelCodes);
    this.levelCodes = codes;
    const nodes = new Uint16Array(size);
    nodes.set(this.nodeCodes);
    this.nodeCodes = nodes;
  }
}

function toLine(index: number, text: string): LogLine {
  const [level, timestamp, message] = JSON.parse(text) as [string, string, string];
  return { index, level, timestamp, message };
}

export function normalizeLevel(level: unknown): string {
  return typeof level === 'string' ? level.trim().toLowerCase().slice(0, 40).replace(/[^\w-]/g, '') : '';
}

