import { strict as assert } from 'node:assert';
import type { BatchSendResult } from '../batchSend';
import type { CancellationResult } from '../cancellation';
import { batchSendRows, buildReport, cancellationRows, DRAG_TARGET, fineMs, logSearchRows, median, refreshCostRows, scrollRows, SEARCH_HEAP_BOUND_MB, spendRows, summarize, type BenchRun } from '../report';
import { frameStats, type LaunchFigures, type LogSearchFigures, type MemorySpan } from '../shared';
import { showsRows } from '../host/support/runsSignature';
import { firstShownAt } from '../host/support/page';

const machine = { cpus: 2, cpuModel: 'Test CPU', ramGb: 8, os: 'Linux', node: 'v20', loadAverage: [0, 0, 0] };

function benchRun(figures: LaunchFigures[], extra: Partial<BenchRun> = {}): BenchRun {
  return {
    date: '2026-01-02T03:04:05.000Z',
    seconds: 1,
    machine,
    reps: 3,
    timeScale: 30,
    walks: [],
    launches: figures.map((f, i) => ({ name: `l${i}`, ok: true, seconds: 1, figures: f })),
    problems: [],
    ...extra,
  };
}

const row = (run: BenchRun, start: string) => summarize(run).find((r) => r.measure.startsWith(start));

describe('bench report', () => {
  it('takes medians of odd and even counts and ignores what is not a number', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([NaN, 5]), 5);
    assert.ok(Number.isNaN(median([])));
  });

  it('summarises frame times', () => {
    const stats = frameStats([16.7, 16.7, 60, 16.6, 120]);
    assert.equal(stats.frames, 5);
    assert.equal(stats.over50, 2);
    assert.equal(stats.maxMs, 120);
    assert.equal(stats.p50Ms, 16.7);
  });

  it('judges every scrollbar drag sweep on its own, per log size', () => {
    const smooth = frameStats([16.7, 16.7, 16.6, 33.4], 0);
    const oneSlow = { ...frameStats([16.7, 66.7, 16.6, 16.7], 2), slowFrames: { count: 1, ms: 67, scriptMs: 40, forcedLayoutMs: 12, renderMs: 50, styleLayoutMs: 20, top: [{ what: 'FrameRequestCallback', ms: 30 }] } };
    const scroll = (drag: ReturnType<typeof frameStats>[]) => ({ lines: 1_000_000, idle: [smooth], drag, wheel: [smooth] });
    const met = scrollRows('log1m', [scroll([smooth, smooth, smooth, smooth, smooth])]);
    assert.equal(met[0].target, DRAG_TARGET);
    assert.equal(met[0].standing, 'meets');
    assert.equal(met[0].samples, 5);
    assert.match(met[0].measure, /^1,000,000 lines, scrollbar drag/);
    assert.match(met[0].value, /^0 \/ 0 \/ 0 \/ 0 \/ 0; worst 33\.4 \/ 33\.4 \/ 33\.4 \/ 33\.4 \/ 33\.4 ms; p95 33\.4 /);
    // One slow frame in one sweep misses, although the median sweep has none.
    const missed = scrollRows('log1m', [scroll([smooth, smooth]), scroll([oneSlow, smooth, smooth])]);
    assert.equal(missed[0].standing, 'misses');
    assert.match(missed[0].value, /^0 \/ 0 \/ 1 \/ 0 \/ 0; worst 33\.4 \/ 33\.4 \/ 66\.7 /);
    assert.match(missed[0].value, /slow frames: 1 of 67 ms, scripts 40 ms \(forced layout 12 ms; FrameRequestCallback 30 ms\), style and layout 20 ms/);
    assert.deepEqual(missed.slice(1).map((r) => r.standing), [undefined, 'meets'], 'the baseline is not judged, the wheel is');
    assert.deepEqual(scrollRows('log1m', []), []);
    const both = summarize(benchRun([{ scroll: { log100k: { ...scroll([smooth]), lines: 100_000 }, log1m: scroll([oneSlow]) } }])).filter((r) => r.target === DRAG_TARGET);
    assert.deepEqual(both.map((r) => [r.measure.slice(0, 15), r.standing]), [['100,000 lines, ', 'meets'], ['1,000,000 lines', 'misses']]);
  });

  it('reads the row count from a Runs view signature', () => {
    assert.ok(showsRows('902px|22px|8|15 running runs loaded', 41));
    assert.ok(!showsRows('902px|22px|8|15 running runs loaded', 40));
    assert.ok(!showsRows('none', 0));
  });

  it('finds when the final picture first appeared after the action', () => {
    const entries = [
      { t: 5, sig: 'final' },
      { t: 10, sig: 'empty' },
      { t: 20, sig: 'final' },
      { t: 30, sig: 'other' },
      { t: 40, sig: 'final' },
    ];
    assert.deepEqual(firstShownAt(entries, 8), { t: 20, sig: 'final' });
    assert.equal(firstShownAt([{ t: 1, sig: 'final' }], 8), undefined, 'nothing changed after the action');
  });

  it('compares activation within each launch against the 1.5× target', () => {
    const launch = (trivialDrawn: number, runflow: number): LaunchFigures => ({
      activation: {
        order: 'trivial-first',
        trivial: { activateMs: 10, drawnMs: trivialDrawn },
        runflow: { activateMs: runflow / 2, signedInLoadMs: runflow / 2, loadRequests: 1, runsDrawn: 50, requestSentMs: 5, storeFilledMs: 9 },
      },
    });
    const near = row(benchRun([launch(100, 140), launch(200, 280), launch(100, 400)]), 'ratio Runflow / trivial, activate() → view populated');
    assert.equal(near?.value, '1.4×');
    assert.equal(near?.standing, 'meets');
    const far = row(benchRun([launch(100, 400)]), 'ratio Runflow / trivial, activate() → view populated');
    assert.equal(far?.standing, 'misses');
  });

  it('sets the newest lines on screen against the bare webview of the same launch, per log size', () => {
    const logs = (newestMs: number[]) => ({ lines: 100_000, readyMs: [], newestMs, domAtNewest: [], heapBeforeMb: [], heapAtNewestMb: [] });
    const launch = (bare: number[], newest: number[]): LaunchFigures => ({ bareWebviewMs: bare, logs: { log100k: logs(newest) } });
    const measure = '100,000 lines: newest lines on screen / bare webview heard back (same launch)';
    // 250 / 200 in one launch, 600 / 400 in a slower one: each launch against its own bare webview.
    const near = row(benchRun([launch([190, 200, 210], [240, 250, 260]), launch([400], [600])]), measure);
    assert.equal(near?.value, '1.38×');
    assert.equal(near?.samples, 2);
    assert.equal(near?.target, '≤ 1.5×');
    assert.equal(near?.standing, 'meets');
    assert.equal(row(benchRun([launch([180], [427])]), measure)?.standing, 'misses');
    assert.equal(row(benchRun([{ logs: { log100k: logs([300]) } }]), measure), undefined, 'no ratio without a bare webview in the launch');
  });

  it('judges sizes and the request budget by their targets', () => {
    const sizes = { extensionJs: { bytes: 210 * 1024, gzipBytes: 50 * 1024 }, webviewJs: { bytes: 100 * 1024, gzipBytes: 30 * 1024 }, vsix: { bytes: 300 * 1024, files: 9, how: 'vsce' } };
    const budget: LaunchFigures['budget'] = {
      timeScale: 30,
      simulatedMinutes: 10,
      activeIntervalS: 5,
      scenarios: {
        hidden: { requests: 1, listRequests: 1, otherRequests: 0, perMinute: 0.1, lastHalfPerMinute: 0, activeRuns: 10, loadedRuns: 30 },
        'visible, nothing active': { requests: 12, listRequests: 12, otherRequests: 0, perMinute: 1.2, lastHalfPerMinute: 1, activeRuns: 0, loadedRuns: 20 },
        '100 active': { requests: 121, listRequests: 121, otherRequests: 0, perMinute: 12.1, lastHalfPerMinute: 12, activeRuns: 100, loadedRuns: 120 },
        '5 panels, one on screen': { requests: 240, listRequests: 120, otherRequests: 120, perMinute: 24, lastHalfPerMinute: 24, activeRuns: 10, loadedRuns: 30, panels: 5, runRequests: 104, logRequests: 20, readsByRun: [100, 1, 1, 1, 1] },
        '5 panels, all polling': { requests: 220, listRequests: 120, otherRequests: 100, perMinute: 22, lastHalfPerMinute: 22, activeRuns: 10, loadedRuns: 30, panels: 5, runRequests: 100, logRequests: 0, readsByRun: [20, 20, 20, 20, 20] },
      },
    };
    const run = benchRun([{ budget }], { sizes });
    assert.equal(row(run, '`dist/extension.js`')?.standing, 'misses');
    const rows = summarize(run).filter((r) => r.area === 'Request budget');
    assert.deepEqual(rows.map((r) => r.standing), ['misses', 'meets', 'misses', 'meets', 'misses']);
    assert.match(rows[3].value, /run reads 104 \(per run with a panel: 100, 1, 1, 1, 1; the one on screen 0\.83 per interval\); log reads 20/);
  });

  it('keeps the precision a figure near one millisecond needs', () => {
    assert.equal(fineMs(0.4567), '0.46 ms');
    assert.equal(fineMs(12.34), '12.3 ms');
    assert.equal(fineMs(1234.5), '1235 ms');
    assert.equal(fineMs(NaN), 'n/a');
  });

  it('sets each cancellation figure against the reference request of the same run', () => {
    const cancellation: CancellationResult = {
      rounds: 3,
      timeoutMs: 100,
      retryAfterS: 10,
      referenceMs: [4, 2, 3],
      abortHangMs: [1, 1.5, 0.5],
      timeoutOvershootMs: [2, 9, 4],
      abortRetryWaitMs: [0.2, 0.3, 0.25],
    };
    const rows = cancellationRows(cancellation);
    assert.equal(rows[0].value, '3 ms');
    assert.equal(rows[0].standing, undefined, 'the reference is not judged');
    assert.deepEqual(
      rows.slice(1).map((r) => [r.value, r.standing]),
      [
        ['1 ms = 0.33× the reference', 'meets'],
        ['4 ms = 1.33× the reference', 'misses'],
        ['0.25 ms = 0.08× the reference', 'meets'],
      ],
    );
    assert.ok(rows.slice(1).every((r) => r.target === '≤ 1× the reference' && r.samples === 3));
    assert.deepEqual(summarize(benchRun([], { cancellation })).map((r) => r.value), rows.map((r) => r.value), 'the summary carries the rows');
    assert.equal(summarize(benchRun([])).length, 0, 'no rows without the measurement');
  });

  it('misses the target when no reference was measured rather than dividing by nothing', () => {
    const rows = cancellationRows({ rounds: 0, timeoutMs: 100, retryAfterS: 10, referenceMs: [], abortHangMs: [], timeoutOvershootMs: [], abortRetryWaitMs: [] });
    assert.equal(rows[1].value, 'n/a, no reference to set it against');
    assert.equal(rows[1].standing, 'misses');
  });

  it('writes a table with the date and the machine', () => {
    const { markdown } = buildReport(benchRun([{ vscodeVersion: '1.139.1' }]));
    assert.match(markdown, /2026-01-02 · 2 CPUs \(Test CPU\) · 8 GB RAM/);
    assert.match(markdown, /VS Code 1\.139\.1/);
    assert.match(markdown, /\| area \| measure \| median \| samples \| target \| standing \|/);
  });
  it('sets each refresh of a long list beside the whole window, and judges whether its bytes grow with what is loaded', () => {
    const at = (loaded: number, bytes: number, limit: number, wholeBytes: number, wholeLimit: number) => ({
      loaded,
      active: 10,
      activeSpan: 19,
      refresh: { requests: 1, bytes, limit },
      wholeWindow: { requests: 1, bytes: wholeBytes, limit: wholeLimit },
    });
    const steady = { emulator: 'default' as const, pageSize: 50, rows: [at(50, 40_000, 69, 40_000, 100), at(500, 55_000, 69, 400_000, 500), at(5_000, 56_000, 69, 400_000, 500)] };
    const growing = { emulator: 'strict' as const, pageSize: 50, rows: [at(500, 55_000, 69, 400_000, 500), at(5_000, 400_000, 500, 400_000, 500)] };
    const rows = refreshCostRows([steady, growing]);
    assert.equal(rows.length, 10, 'a row per size and its whole-window row beside it');
    const judged = rows.filter((r) => r.standing);
    assert.deepEqual(judged.map((r) => r.standing), ['meets', 'meets', 'meets', 'meets', 'misses']);
    assert.equal(judged[1].value, '1 request(s), 53.7 KB (limit 69) = 0.138× the whole window');
    assert.equal(rows[3].measure, 'default emulator, 500 loaded, 10 active (the 19 newest), page 50: for comparison, the whole loaded window, as before');
    assert.equal(rows[3].value, '1 request(s), 390.6 KB (limit 500)');
    assert.ok(judged.every((r) => r.target === 'bytes do not grow with the loaded count beyond the active span'));
    const report = buildReport(benchRun([], { refreshCost: [steady] }));
    assert.match(report.markdown, /\| Runs list refresh \(plain Node\) \| default emulator, 5,000 loaded/);
  });

  it('sets a batch against the same creates one at a time, and flags a peak above its concurrency or a run sent twice', () => {
    const batch: BatchSendResult = {
      rounds: 3,
      runs: 200,
      concurrency: 3,
      createLatencyMs: 100,
      batchMs: [7_000, 7_400, 7_200],
      sequentialMs: [21_000, 21_600, 21_200],
      batchPeak: [3, 3, 3],
      batchRequests: [200, 200, 200],
      sequentialRequests: [200, 200, 200],
      batchRuns: [200, 200, 200],
      duplicates: [0, 0, 0],
    };
    const rows = batchSendRows(batch);
    assert.deepEqual(
      rows.map((r) => r.value),
      ['21200 ms, 1 requests per run', '7200 ms = 0.34× the reference (1/3 = 0.33× at best)', '3 (3 / 3 / 3)', '1; 200 runs, each client_ref once'],
    );
    assert.deepEqual(
      rows.map((r) => r.standing),
      [undefined, undefined, 'meets', 'meets'],
    );
    const over = batchSendRows({ ...batch, batchPeak: [3, 4, 3], batchRequests: [201, 201, 201], duplicates: [0, 1, 0] });
    assert.equal(over[2].standing, 'misses', 'one round above the concurrency is enough');
    assert.equal(over[2].value, '4 (3 / 4 / 3)');
    assert.equal(over[3].standing, 'misses');
    assert.match(over[3].value, /1 client_refs with more than one run/);
    assert.match(buildReport(benchRun([], { batchSend: batch })).markdown, /\| Batch send \(plain Node\) \| 200 runs, every create held 100 ms/);
  });

  it('sets each log search against the same pages read through the client in its launch, and judges its heap growth', () => {
    const memory = (baseline: number, peak: number): MemorySpan => ({ baselineHeapMb: baseline, peakHeapMb: peak, baselineRssMb: 400, peakRssMb: 450, samples: 100, gcBefore: false });
    const search = (firstMatchMs: number, endMs: number, refFirst: number, refEnd: number, peak: number): LogSearchFigures => ({
      text: '/line \\d+000 of/',
      serverNarrowed: false,
      stop: 'end',
      firstMatchMs,
      resolvedMs: endMs,
      endShownMs: endMs - 5,
      endMs,
      pages: 2_086,
      lines: 1_042_864,
      matches: 1_130,
      matchRuns: 12,
      requests: 2_086,
      bytes: 300 * 1024 * 1024,
      memory: memory(50, peak),
      reference: { firstPageMs: 10, firstMatchPageMs: refFirst, firstMatchPage: 3, endMs: refEnd, pages: 2_086, lines: 1_042_864, requests: 2_086, bytes: 300 * 1024 * 1024, memory: memory(50, 70) },
    });
    const rows = logSearchRows({ regex: [search(300, 90_000, 100, 60_000, 80)] });
    assert.equal(rows.length, 4);
    assert.match(rows[0].measure, /^regex, every line read here \(`\/line/);
    assert.match(rows[0].measure, /1,000 runs and a 1,000,000-line log: command → first match on screen/);
    assert.equal(rows[0].value, '300 ms / 90000 ms; 2,086 pages in 2,086 requests (300 MB), 1,042,864 lines read, 1,130 matches in 12 runs, q not sent');
    assert.equal(rows[1].value, '10 ms / 100 ms (page 3) / 60000 ms');
    assert.equal(rows[2].value, '3× / 1.5×');
    assert.equal(rows[3].target, `memory flat: heap growth < the client's alone + ${SEARCH_HEAP_BOUND_MB} MB`);
    assert.equal(rows[3].standing, 'meets');
    assert.match(rows[3].value, /^50 → 80 MB \(\+30 MB\) while reading 300 MB of pages; RSS 400 → 450 MB; the client alone \+20 MB: the search \+10 MB beyond it/);
    // The worst repetition is judged, not the median one.
    const grown = logSearchRows({ plain: [search(10, 20, 5, 10, 60), search(10, 20, 5, 10, 70 + SEARCH_HEAP_BOUND_MB)] });
    assert.equal(grown[3].standing, 'misses');
    assert.match(grown[3].value, /the search \+64 MB beyond it/);
    assert.match(grown[0].measure, /^plain text the server narrows by/);
    const report = buildReport(benchRun([{ logSearch: { regex: [search(300, 90_000, 100, 60_000, 80)] } }]));
    assert.match(report.markdown, /\| Log search \| regex, every line read here/);
  });

  it('reports Show Spend: times, requests, whether the totals equal the emulator, and the worst heap growth', () => {
    const memory = (baseline: number, peak: number): MemorySpan => ({ baselineHeapMb: baseline, peakHeapMb: peak, baselineRssMb: 400, peakRssMb: 450, samples: 100, gcBefore: false });
    const spend = (resolvedMs: number, peak: number, matchesEmulator = true) => ({
      runsInPeriod: 10_000,
      runsRead: 10_000,
      pages: 21,
      requests: 21,
      bytes: 40 * 1024 * 1024,
      resolvedMs,
      shownMs: resolvedMs + 50,
      matchesEmulator,
      memory: memory(50, peak),
      clientMs: resolvedMs / 2,
    });
    const rows = spendRows([spend(2_000, 60), spend(3_000, 90), spend(2_500, 70)]);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].value, "2500 ms / 2550 ms; 10,000 runs in 21 requests (40 MB), totals equal the emulator's exact sum; the same pages through the client alone 1250 ms (walk 2×)");
    assert.match(rows[1].value, /^50 → 90 MB \(\+40 MB\)/);
    assert.match(spendRows([spend(1, 1, false)])[0].value, /totals differ from the emulator's exact sum/);
    assert.match(buildReport(benchRun([{ spend: [spend(2_000, 60)] }])).markdown, /\| Show Spend \| Show Spend, 30 days of 10,000 runs: command → walk over/);
  });
});
