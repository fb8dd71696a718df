/**
 * Run logs. Seeded lines are never stored: a LogSource computes line i from its index on demand,
 * which is what lets one run carry a million lines at no memory cost. Lines appended later (by the
 * lifecycle or by tests) are kept in a small array after the generated ones.
 *
 * Within a source, entries are ordered by (timestamp, id) by construction: generated timestamps
 * never decrease with the index, appended timestamps are clamped to the last one, and ids embed
 * the index in fixed-width hex. Paging relies on that to binary-search.
 */
import { hashString, mix, Random } from './prng';
import { ANSI_STRINGS, HOSTILE_STRINGS, longLine, PYTHON_TRACEBACK, UNICODE_STRINGS } from './samples';
import type { JsonObject, RunLog } from './types';

export interface GeneratedLine {
  level: string;
  message: string;
  timestampMs: number;
  meta: JsonObject | null;
}

export type LineGenerator = (index: number) => GeneratedLine;

export class LogSource {
  private readonly appended: RunLog[] = [];
  private readonly idPrefix: string;

  constructor(
    readonly runId: string,
    private readonly generatedCount = 0,
    private readonly generate: LineGenerator | null = null,
  ) {
    this.idPrefix = new Random(hashString(`log:${runId}`)).uuid().slice(0, 23);
  }

  get length(): number {
    return this.generatedCount + this.appended.length;
  }

  /** How many leading lines are computed from their index: unlike appended ones, they exist from the start. */
  get generatedLength(): number {
    return this.generate ? this.generatedCount : 0;
  }

  at(index: number): RunLog {
    if (index < this.generatedCount && this.generate) {
      const line = this.generate(index);
      return {
        id: this.idFor(index),
        run_id: this.runId,
        level_code: line.level,
        message: line.message,
        timestamp: new Date(line.timestampMs).toISOString(),
        meta: line.meta,
        run: null,
      };
    }
    return this.appended[index - this.generatedCount];
  }

  append(level: string, message: string, timestampMs: number, meta: JsonObject | null = null): RunLog {
    const last = this.length > 0 ? this.at(this.length - 1).timestamp : null;
    const lastMs = last ? Date.parse(last) : -Infinity;
    const entry: RunLog = {
      id: this.idFor(this.length),
      run_id: this.runId,
      level_code: level,
      message,
      timestamp: new Date(Math.max(timestampMs, lastMs)).toISOString(),
      meta,
      run: null,
    };
    this.appended.push(entry);
    return entry;
  }

  /** First `limit` entries, for `embed=logs`. */
  head(limit: number): RunLog[] {
    const out: RunLog[] = [];
    for (let i = 0; i < Math.min(limit, this.length); i++) out.push(this.at(i));
    return out;
  }

  private idFor(index: number): string {
    return `${this.idPrefix}-${index.toString(16).padStart(12, '0')}`;
  }
}

export interface SeededLogContext {
  count: number;
  startMs: number;
  endMs: number;
  salt: number;
  modelName: string;
  nodes: string[];
  /** Outcome that decides the closing line(s). */
  status: string;
  failureMessage: string | null;
  /** Whether hostile/unicode/ANSI/long lines are mixed in. */
  spicy: boolean;
}

const WORKERS = ['gpu-a100-01', 'gpu-a100-07', 'gpu-h100-02', 'gpu-l4-11'];

/** Log lines for an ordinary seeded run. */
export function seededLines(ctx: SeededLogContext): LineGenerator {
  const span = Math.max(0, ctx.endMs - ctx.startMs);
  const last = ctx.count - 1;
  return (i) => {
    const timestampMs = ctx.startMs + (last > 0 ? Math.floor((span * i) / last) : 0);
    const r = mix(ctx.salt, i);
    const node = ctx.nodes.length > 0 ? ctx.nodes[Math.min(ctx.nodes.length - 1, Math.floor((i / ctx.count) * ctx.nodes.length))] : null;
    const meta: JsonObject | null = r % 5 === 0 ? null : { node, line: i };
    const line = (level: string, message: string): GeneratedLine => ({ level, message, timestampMs, meta });
    if (i === 0) return line('info', 'Run queued (priority: normal)');
    if (i === 1) return line('info', `Dispatched to worker ${WORKERS[r % WORKERS.length]}`);
    if (i === 2) return line('info', `Loading ${ctx.modelName}`);
    if (i === last) {
      switch (ctx.status) {
        case 'succeeded':
          return line('info', `Run succeeded in ${(span / 1000).toFixed(1)} s`);
        case 'failed':
          return line('error', `${ctx.failureMessage ?? 'Run failed'}\n${PYTHON_TRACEBACK}`);
        case 'cancelled':
          return line('warning', 'Run cancelled by user');
        case 'partial_succeeded':
          return line('warning', `Run finished with partial results: ${ctx.failureMessage ?? 'some nodes failed'}`);
        default:
          break;
      }
    }
    if (ctx.spicy) {
      switch (r % 9) {
        case 0:
          return line('info', ANSI_STRINGS[(r >>> 4) % ANSI_STRINGS.length]);
        case 1:
          return line('warning', UNICODE_STRINGS[(r >>> 4) % UNICODE_STRINGS.length]);
        case 2:
          return line('info', `user prompt echoed: ${HOSTILE_STRINGS[(r >>> 4) % HOSTILE_STRINGS.length]}`);
        case 3:
          return line('debug', longLine(r));
        default:
          break;
      }
    }
    switch (r % 7) {
      case 0:
        return line('debug', `cache hit for key ${(r >>> 3).toString(16).padStart(8, '0')}`);
      case 1:
        return line('warning', `GPU memory at ${80 + (r % 19)}%`);
      case 2:
        return line('info', `node ${node ?? 'main'} started`);
      default:
        return line('info', `step ${i}/${ctx.count} · ${(1 + (r % 400) / 100).toFixed(2)} it/s`);
    }
  };
}

/** Lines of the big-log run: cheap to compute, with the occasional awkward one. */
export function bigLogLines(count: number, startMs: number, endMs: number): LineGenerator {
  const span = Math.max(0, endMs - startMs);
  const last = Math.max(1, count - 1);
  return (i) => {
    const timestampMs = startMs + Math.floor((span * i) / last);
    if (i === 0) return { level: 'info', message: `log storm starting: ${count} lines`, timestampMs, meta: null };
    if (i === count - 1) return { level: 'info', message: `log storm done: ${count} lines`, timestampMs, meta: null };
    let level = 'info';
    let message = `line ${i} of ${count}: loss=${(2 / (1 + i / 1000)).toFixed(5)} lr=3e-4`;
    if (i % 50000 === 25000) message = longLine(i);
    else if (i % 10007 === 0) message = HOSTILE_STRINGS[(i / 10007) % HOSTILE_STRINGS.length];
    else if (i % 5003 === 0) message = UNICODE_STRINGS[(i / 5003) % UNICODE_STRINGS.length];
    else if (i % 1009 === 0) message = ANSI_STRINGS[(i / 1009) % ANSI_STRINGS.length];
    if (i % 997 === 0) level = 'warning';
    else if (i % 20011 === 0) level = 'error';
    else if (i % 3 === 0) level = 'debug';
    return { level, message, timestampMs, meta: i % 100 === 0 ? { batch: Math.floor(i / 100) } : null };
  };
}
