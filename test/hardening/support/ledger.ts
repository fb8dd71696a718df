/**
 * What the hardening suite tried and what came of it, kept on the extension host's global object: each
 * test file is its own bundle, so module state is not shared between them, but the process is.
 */

export interface LedgerRow {
  /** Faults, Endurance, Token, Hostile input, Forged messages, Fuzzing. */
  area: string;
  /** The fault or attack, e.g. `HTTP 503`. */
  attack: string;
  /** What was done. */
  tried: string;
  /** What was observed (figures included). */
  observed: string;
  /** Filled in by the runner from mocha's verdict on the test that recorded the row. */
  test?: string;
}

export interface Rejection {
  kind: 'unhandledRejection' | 'uncaughtException';
  message: string;
  stack: string;
  at: number;
  /** Set when the promise got a handler later (then it was not really unhandled). */
  handledLater?: boolean;
}

interface Shared {
  rows: LedgerRow[];
  rejections: Rejection[];
  currentTest?: string;
}

const KEY = '__runflowHardening';

export function shared(): Shared {
  const g = globalThis as unknown as Record<string, Shared | undefined>;
  g[KEY] ??= { rows: [], rejections: [] };
  return g[KEY]!;
}

/** Records one line of the report for the test that is running now. */
export function record(row: Omit<LedgerRow, 'test'>): void {
  const s = shared();
  s.rows.push({ ...row, test: s.currentTest });
}
