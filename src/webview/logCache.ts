/**
 * The log lines the panel holds: a bounded cache keyed by list position (0..total-1 of the current,
 * possibly level-filtered, list). Lines live in fixed-size chunks so that eviction drops whole
 * chunks far from where the user is looking and lookups stay O(1). No DOM here.
 */
import type { LogLine } from '../shared/protocol';

export const DEFAULT_CHUNK_SIZE = 256;
export const DEFAULT_MAX_LINES = 5_000;

interface Chunk {
  lines: (LogLine | undefined)[];
  count: number;
}

export class LogCache {
  private readonly chunks = new Map<number, Chunk>();
  private held = 0;

  constructor(
    readonly chunkSize = DEFAULT_CHUNK_SIZE,
    readonly maxLines = DEFAULT_MAX_LINES,
  ) {
    if (chunkSize < 1 || maxLines < chunkSize) throw new RangeError('maxLines must hold at least one chunk');
  }

  /** Lines currently held. */
  get size(): number {
    return this.held;
  }

  get chunkCount(): number {
    return this.chunks.size;
  }

  get(position: number): LogLine | undefined {
    const chunk = this.chunks.get(Math.floor(position / this.chunkSize));
    return chunk?.lines[position % this.chunkSize];
  }

  has(position: number): boolean {
    return this.get(position) !== undefined;
  }

  /**
   * Stores lines [start, start + lines.length), then evicts the chunks farthest from `focus`
   * (the position the user is looking at) until the cache is within bounds.
   */
  put(start: number, lines: readonly LogLine[], focus = start): void {
    if (!Number.isInteger(start) || start < 0) return;
    for (let k = 0; k < lines.length; k++) {
      const position = start + k;
      const key = Math.floor(position / this.chunkSize);
      let chunk = this.chunks.get(key);
      if (!chunk) {
        chunk = { lines: [], count: 0 };
        this.chunks.set(key, chunk);
      }
      const slot = position % this.chunkSize;
      if (chunk.lines[slot] === undefined) {
        chunk.count++;
        this.held++;
      }
      chunk.lines[slot] = lines[k];
    }
    this.evict(focus);
  }

  /** Drops whole chunks, farthest from `focus` first, until at most `maxLines` lines are held. */
  evict(focus: number): void {
    if (this.held <= this.maxLines) return;
    const focusKey = Math.floor(Math.max(0, focus) / this.chunkSize);
    const keys = [...this.chunks.keys()].sort((a, b) => Math.abs(b - focusKey) - Math.abs(a - focusKey) || b - a);
    for (const key of keys) {
      if (this.held <= this.maxLines) break;
      if (key === focusKey) continue;
      this.dropChunk(key);
    }
  }

  /** Forgets positions at or after `total` (the list got shorter). */
  truncate(total: number): void {
    for (const [key, chunk] of [...this.chunks]) {
      const first = key * this.chunkSize;
      if (first >= total) {
        this.dropChunk(key);
        continue;
      }
      for (let slot = Math.max(0, total - first); slot < this.chunkSize; slot++) {
        if (chunk.lines[slot] !== undefined) {
          chunk.lines[slot] = undefined;
          chunk.count--;
          this.held--;
        }
      }
      if (chunk.count === 0) this.chunks.delete(key);
    }
  }

  /** Every held line with its position, in no particular order. */
  forEach(visit: (line: LogLine, position: number) => void): void {
    for (const [key, chunk] of this.chunks) {
      chunk.lines.forEach((line, slot) => {
        if (line) visit(line, key * this.chunkSize + slot);
      });
    }
  }

  clear(): void {
    this.chunks.clear();
    this.held = 0;
  }

  private dropChunk(key: number): void {
    const chunk = this.chunks.get(key);
    if (!chunk) return;
    this.held -= chunk.count;
    this.chunks.delete(key);
  }
}
