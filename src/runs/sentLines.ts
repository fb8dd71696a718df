/**
 * A log's lines as the server sent them, one JSON text a line, kept in a scratch file beside the panel's
 * own (which holds only what the panel shows: level, time and message, made safe to display). Only an
 * export reads it, so that a run exported from a panel that has read its log carries the same lines as
 * one read from the server, without asking for them again. Kept compressed, as the panel's own file
 * already takes the room a log needs.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/**
 * Compression of each appended chunk: lines as sent repeat their field names, run id and much of their
 * times, and shrink about tenfold at the fastest level, which costs less than writing them out plain.
 */
const GZIP = { level: 1 };

export class SentLines {
  private fd: number | undefined;
  private count = 0;
  /** Chunks appended, written or on their way. */
  private chunks = 0;
  /** Where each appended chunk (one gzip member) starts, and one past the end. */
  private readonly offsets: number[] = [0];
  /**
   * Chunks are compressed on libuv's thread pool, off the extension host's thread that reads the log, and
   * written in the order they came; a snapshot waits for them.
   */
  private pending: Promise<void> = Promise.resolve();
  /** A chunk could not be kept: the file no longer holds every line, and no snapshot is offered. */
  private failed = false;

  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'w+', 0o600);
  }

  /** Each item's JSON text, in log order: one item a line (JSON.stringify never writes a raw newline). */
  append(texts: readonly string[]): void {
    if (!texts.length || this.fd === undefined || this.failed) return;
    const text = `${texts.join('\n')}\n`;
    this.count += texts.length;
    this.chunks++;
    this.pending = this.pending.then(async () => {
      if (this.failed) return;
      try {
        const chunk = await gzip(text, GZIP);
        if (this.fd === undefined) return;
        const at = this.offsets[this.offsets.length - 1];
        await writeAt(this.fd, chunk, at);
        this.offsets.push(at + chunk.length);
      } catch {
        this.failed = true;
      }
    });
  }

  /**
   * The lines held now, to read while more may be appended: lines added later are not part of it, and it
   * can still be read after the file is removed (it holds a file descriptor of its own until closed).
   * Undefined when the file does not hold every line (disposed, or a write failed).
   */
  async snapshot(): Promise<SentLinesSnapshot | undefined> {
    const { count, chunks } = this;
    await this.pending;
    if (this.fd === undefined || this.failed) return undefined;
    // Chunks appended while waiting are left out, as are their lines.
    return new SentLinesSnapshot(fs.openSync(this.file, 'r'), this.offsets.slice(0, chunks + 1), count);
  }

  dispose(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    // A write on its way finishes on the descriptor before it is closed.
    void this.pending.finally(() => fs.closeSync(fd));
    fs.rmSync(this.file, { force: true });
  }
}

function writeAt(fd: number, chunk: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => fs.write(fd, chunk, 0, chunk.length, position, (err) => (err ? reject(err) : resolve())));
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
