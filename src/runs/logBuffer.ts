/**
 * A run's log as read so far, kept in a scratch file rather than in memory: a million-line log costs the
 * extension host a few megabytes of offsets, and the panel asks for the few hundred lines on screen.
 * Lines are appended in log order (oldest first); positions can be narrowed to one level.
 */
import * as fs from 'node:fs';
import type { LogLine } from '../shared/protocol';
import { stripAnsi } from '../core/ansi';

export interface LogRecord {
  level: string;
  timestamp: string;
  message: string;
}

const NEWLINE = 0x0a;

export class LogBuffer {
  private fd: number | undefined;
  private bytes = 0;
  /** Byte offset where each line starts, and one past the end. */
  private offsets = new Float64Array(1024);
  private levelCodes = new Uint8Array(1024);
  private readonly levelNames: string[] = [];
  private readonly levelIndex = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private count = 0;
  /** Positions of the lines of one level, grown as lines arrive; undefined = all lines. */
  private filter: { code: number; positions: number[] } | undefined;

  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'w+', 0o600);
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

  append(records: readonly LogRecord[]): void {
    if (!records.length || this.fd === undefined) return;
    this.reserve(this.count + records.length);
    const parts: string[] = [];
    for (const r of records) {
      const level = normalizeLevel(r.level);
      const line = `${JSON.stringify([level, r.timestamp, r.message])}\n`;
      parts.push(line);
      const code = this.codeFor(level);
      this.offsets[this.count] = this.bytes;
      this.levelCodes[this.count] = code;
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
   * View positions of lines whose message (or level/timestamp) contains `query`, case-insensitively.
   * Reads the file in chunks and yields between them so the extension host stays responsive.
   */
  async search(query: string, limit = 100_000, signal?: { cancelled: boolean }): Promise<{ matches: number[]; truncated: boolean }> {
    const needle = query.toLowerCase();
    const matches: number[] = [];
    if (!needle) return { matches, truncated: false };
    const total = this.viewLength;
    const chunk = 5_000;
    for (let start = 0; start < total; start += chunk) {
      if (signal?.cancelled) break;
      const lines = this.readView(start, Math.min(total, start + chunk));
      for (let k = 0; k < lines.length; k++) {
        if (lines[k].message.toLowerCase().includes(needle)) {
          matches.push(start + k);
          if (matches.length >= limit) return { matches, truncated: true };
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    return { matches, truncated: false };
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
  }
}

function toLine(index: number, text: string): LogLine {
  const [level, timestamp, message] = JSON.parse(text) as [string, string, string];
  return { index, level, timestamp, message };
}

export function normalizeLevel(level: unknown): string {
  return typeof level === 'string' ? level.trim().toLowerCase().slice(0, 40).replace(/[^\w-]/g, '') : '';
}

