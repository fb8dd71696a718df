/**
 * What the Node-side runner and the extension-host suite agree on: the environment variables that
 * carry the run's settings into VS Code, and the shape of the raw figures the suite writes back.
 * No vscode import: both sides load it.
 */

/** Environment read by the suite inside VS Code. */
export const BenchEnv = {
  /** JSON file the suite writes its raw figures to. */
  out: 'RUNFLOW_BENCH_OUT',
  /** JSON object: emulator role → base URL (emulators run in their own processes, like a real server). */
  emulators: 'RUNFLOW_BENCH_EMULATORS',
  token: 'RUNFLOW_BENCH_TOKEN',
  /** 'trivial-first' or 'runflow-first': which extension activates first in this VS Code. */
  order: 'RUNFLOW_BENCH_ORDER',
  /** Repetitions of each in-run measurement. */
  reps: 'RUNFLOW_BENCH_REPS',
} as const;

/** One emulator per concern, so that each measurement starts from known data. */
export type EmulatorRole = 'activation' | 'runs' | 'budget' | 'log10k' | 'log100k' | 'log1m' | 'search' | 'spend';

/** The search across runs: this many seeded runs, and one run with a log of this many lines. */
export const SEARCH_SEED = { runs: 1_000, bigLogLines: 1_000_000 } as const;

/** Show Spend: this many seeded runs, every one created in the last 30 days. */
export const SPEND_SEED = { runs: 10_000 } as const;

/** One Show Spend walk of 30 days, from the command. */
export interface SpendFigures {
  /** Runs the walk counted in the period, and what it read. */
  runsInPeriod: number;
  runsRead: number;
  pages: number;
  requests: number;
  bytes: number;
  /** Command → the walk's promise resolved. */
  resolvedMs: number;
  /** Command → the page says it is done, with its totals. */
  shownMs: number;
  /** The period's exact total equals the emulator's own sum. */
  matchesEmulator: boolean;
  memory: MemorySpan;
  /** The reference: the same pages read through the API client alone, in the same launch, each let go. */
  clientMs: number;
}

/** What the extension host's memory did over a span, sampled every 50 ms (`process.memoryUsage()`). */
export interface MemorySpan {
  baselineHeapMb: number;
  peakHeapMb: number;
  baselineRssMb: number;
  peakRssMb: number;
  samples: number;
  /** Whether `global.gc` was there to call before the baseline. */
  gcBefore: boolean;
}

/** Reading pages of `GET /v1/runs/any/logs` through the API client, nothing else done with them. */
export interface PageReadFigures {
  /** Call → first page in hand. */
  firstPageMs: number;
  /** Call → the page holding the search's first match in hand, and which page that is (1 = the first). */
  firstMatchPageMs: number;
  firstMatchPage: number;
  /** Call → last page in hand. */
  endMs: number;
  pages: number;
  lines: number;
  requests: number;
  /** Response bytes the emulator sent. */
  bytes: number;
  memory: MemorySpan;
}

/** One search across every run's logs, and the same pages read through the client alone in the same launch. */
export interface LogSearchFigures {
  /** As typed into the search. */
  text: string;
  /** `q` was sent and taken. */
  serverNarrowed: boolean;
  stop: string;
  /** Command → first match row drawn in the Log Matches view. */
  firstMatchMs: number;
  /** Command → its promise resolved. */
  resolvedMs: number;
  /** Command → the view's message says the search ended. */
  endShownMs: number;
  /** The later of the two: the search is over, and the screen says so. */
  endMs: number;
  pages: number;
  lines: number;
  matches: number;
  matchRuns: number;
  requests: number;
  bytes: number;
  memory: MemorySpan;
  reference: PageReadFigures;
}

export const LOG_SIZES: Record<'log10k' | 'log100k' | 'log1m', number> = {
  log10k: 10_000,
  log100k: 100_000,
  log1m: 1_000_000,
};

/** Summary of a series of frame-to-frame intervals (requestAnimationFrame deltas). */
export interface FrameStats {
  frames: number;
  over50: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  /** Frames after which rows on screen still waited for their text. */
  pendingFrames?: number;
  /** Main-thread tasks over 50 ms: the webview's own script's, and others' in the same renderer. */
  longTasks?: { own: { count: number; ms: number }; other: { count: number; ms: number } };
  /** The renderer's account of the frames over 50 ms (Long Animation Frames), where it gives one. */
  slowFrames?: SlowFrames;
}

/** Where the time of the frames over 50 ms went, summed over those frames. */
export interface SlowFrames {
  count: number;
  ms: number;
  /** Scripts run in those frames (callbacks, message handlers, event listeners). */
  scriptMs: number;
  /** Of that, style and layout a script forced by reading geometry after a change. */
  forcedLayoutMs: number;
  /** The frame's rendering phase (animation-frame callbacks through paint). */
  renderMs: number;
  /** The frame's own style and layout. */
  styleLayoutMs: number;
  /** Scripts that took longest, by what invoked them. */
  top: { what: string; ms: number }[];
}

/**
 * Raw figures of one VS Code launch. Every list holds one entry per repetition; the runner takes
 * medians across repetitions and launches.
 */
export interface LaunchFigures {
  launch?: string;
  vscodeVersion?: string;
  extensionHostNode?: string;
  windowFocused?: boolean;
  activation?: {
    order: string;
    trivial: { activateMs: number; drawnMs: number };
    runflow: {
      activateMs: number;
      signedInLoadMs: number;
      loadRequests: number;
      runsDrawn: number;
      /** Where the signed-in load's time goes: the list request reaching the server, the runs in the store. */
      requestSentMs: number;
      storeFilledMs: number;
    };
  };
  /** activate() with a list kept by an earlier launch in the same profile, the API answering after `listLatencyMs`. */
  keptActivation?: {
    order: string;
    listLatencyMs: number;
    trivial: { activateMs: number; drawnMs: number };
    runflow: {
      activateMs: number;
      /** activate() called → the kept rows drawn. */
      keptDrawnMs: number;
      keptRowsMatched: boolean;
      keptRuns: number;
      listRequestAtServerMs: number;
      /** activate() called → the first refresh merged. */
      refreshedMs: number;
    };
  };
  runsView?: Record<string, { runs: number; groups: number; rowsChecked: boolean; loadMs: number[]; loadRequests: number[]; refreshMs: number[]; refreshRequests: number[] }>;
  logs?: Record<
    string,
    {
      lines: number;
      readyMs: number[];
      newestMs: number[];
      domAtNewest: number[];
      heapBeforeMb: number[];
      heapAtNewestMb: number[];
      fullReadMs?: number;
      domAfterRead?: number;
      heapAfterReadMb?: number;
      readRequests?: number;
    }
  >;
  /** A bare webview panel (a script that answers one message): the floor any panel pays before it can show anything. */
  bareWebviewMs?: number[];
  /** The first run panel opened in a fresh VS Code (webview machinery cold), on the 10,000-line log. */
  firstPanel?: { readyMs: number; newestMs: number };
  editor?: Record<string, { lines: number; fetchMs: number[]; newestMs: number[]; heapBeforeMb: number[]; heapAfterMb: number[]; dom: number[]; error?: string }>;
  /** Per log size: every drag is one sweep from the first line to the last. */
  scroll?: Record<string, { lines: number; idle: FrameStats[]; drag: FrameStats[]; wheel: FrameStats[] }>;
  /** Searches across every run's logs, by kind ('plain': the server narrows by text; 'regex': every line read here). */
  logSearch?: Record<string, LogSearchFigures[]>;
  /** Show Spend over the last 30 days of SPEND_SEED.runs runs. */
  spend?: SpendFigures[];
  budget?: {
    timeScale: number;
    simulatedMinutes: number;
    activeIntervalS: number;
    scenarios: Record<
      string,
      {
        requests: number;
        listRequests: number;
        otherRequests: number;
        perMinute: number;
        lastHalfPerMinute: number;
        activeRuns: number;
        loadedRuns: number;
        /** With panels open: how many, the reads of single runs and of their logs, and the reads of each run, most first. */
        panels?: number;
        runRequests?: number;
        logRequests?: number;
        readsByRun?: number[];
      }
    >;
  };
}

export function frameStats(deltas: number[], pendingFrames?: number): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  return {
    frames: sorted.length,
    over50: sorted.filter((d) => d > 50).length,
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    ...(pendingFrames === undefined ? {} : { pendingFrames }),
  };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
