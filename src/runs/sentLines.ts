/**
 * A log's lines as the server sent them, one JSON text a line, kept in a scratch file beside the panel's
 * own (which holds only what the panel shows: level, time and message, made safe to display). Only an
 * export reads it, so that a run exported from a panel that has read its log carries the same lines as
 * one read from the server, without asking for them again. Kept compressed, as the panel's own file
 * already takes the room a log needs.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

/**
 * Compression of each appended chunk: lines as sent repeat their field names, run id and much of their
 * times, and shrink about tenfold at the fastest level, which costs less than writing them out plain.
 */
const GZIP = { level: 1 };

export class SentLines {
  private fd: number | undefined;
  private count = 0;
  /** Where each appended chunk (one gzip member) starts, and one past the end. */
  private readonly offsets: number[] = [0];

  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'w+', 0o600);
  }

  /** Each item's JSON text, in log order: one item a line (JSON.stringify never writes a raw newline). */
  append(texts: readonly string[]): void {
    if (!texts.length || this.fd === undefined) return;
    const chunk = zlib.gzipSync(`${texts.join('\n')}\n`, GZIP);
    const at = this.offsets[this.offsets.length - 1];
    fs.writeSync(this.fd, chunk, 0, chunk.length, at);
    this.offsets.push(at + chunk.length);
    this.count += texts.length;
  }

  /**
   * The lines held now, to read while more may be appended: lines added later are not part of it, and it
   * can still be read after the file is removed (it holds a file descriptor of its own until closed).
   */
  snapshot(): SentLinesSnapshot | undefined {
    if (this.fd === undefined) return undefined;
    return new SentLinesSnapshot(fs.openSync(this.file, 'r'), [...this.offsets], this.count);
  }

  dispose(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.file, { force: true });
  }
}

export class SentLinesSnapshot {
  constructor(
    private fd: number | undefined,
    private readonly offsets: readonly number[],
    /** Lines in the snapshot. */
    readonly count: number,
  ) {}

  /** The lines' JSON texts, a chunk as it was appended (a page of the log) at a time. */
  *chunks(): Generator<string[]> {
    for (let i = 0; i + 1 < this.offsets.length; i++) {
      if (this.fd === undefined) return;
      const buf = Buffer.allocUnsafe(this.offsets[i + 1] - this.offsets[i]);
      fs.readSync(this.fd, buf, 0, buf.length, this.offsets[i]);
      const text = zlib.gunzipSync(buf).toString('utf8');
      yield text.slice(0, -1).split('\n');
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
