/**
 * `npm run bench`: measures the extension in a real (headless) VS Code against emulators running in
 * their own processes, and writes bench-results/latest.json and latest.md. Figures are reported,
 * never judged: the exit code is non-zero only when a measurement could not be taken at all.
 *
 *   npm run bench                         everything (about fifteen minutes on two cores)
 *   npm run bench -- --reps 5             repetitions of each in-run measurement (default 3)
 *   npm run bench -- --activation-launches 4   extra VS Code launches for activation samples (default 2), and as
 *                                         many pairs for the start with a kept list (a launch that signs in, then one that
 *                                         starts from its profile)
 *   npm run bench -- --only main,walk     a subset of: sizes, walk, refresh, batch, main, budget, editor, activation, scroll, search, spend
 *   npm run bench -- --only scroll        only the scrolling of the 100,000- and 1,000,000-line logs (each opened once);
 *                                         `main` measures it too
 *   npm run bench -- --only search        only Search Logs Across Runs over 1,000 runs and a 1,000,000-line log, against
 *                                         the same pages read through the client (a VS Code launch of its own)
 *   npm run bench -- --only spend         only Runflow: Show Spend over 30 days of 10,000 runs (a VS Code launch of its own)
 *   npm run bench -- --only batch         only the 200-run batch against the same creates one at a time (plain Node)
 *   npm run bench -- --strict             the same against emulators that serve only what the API reference promises
 *
 * Steps: the production bundle (`node esbuild.js --production`: the sizes, and the build every launch
 * runs), the .vsix, the host suite (`node esbuild.js --tests`, which also puts the development build
 * back in dist/), then the client in plain Node (the walk, and how soon it lets go of a request:
 * cancellation.ts; what one refresh of a long Runs list costs: refreshCost.ts; and a 200-run batch: batchSend.ts), then the VS Code launches. The extension under measurement is a copy of the
 * production build staged in bench-results/.stage/, so that other builds of dist/ during the run cannot
 * change what is measured.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { freePort } from '../host/headless';
import { runSuite } from '../host/run-integration';
import { startEmulatorProcess, type EmulatorProcess } from './emulatorProcess';
import { describeMachine } from './machine';
import { buildReport, median, type BenchRun, type Sizes } from './report';
import { BenchEnv, LOG_SIZES, SEARCH_SEED, SPEND_SEED, type EmulatorRole, type LaunchFigures } from './shared';
import type { BatchSendResult } from './batchSend';
import type { CancellationResult } from './cancellation';
import type { WalkResult } from './clientWalk';
import type { RefreshCostResult } from './refreshCost';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench-results');
const STAGE = path.join(RESULTS, '.stage');
const TOKEN = 'rf-bench-token-0001';
const TIME_SCALE = 30;
const STEPS = ['sizes', 'walk', 'refresh', 'batch', 'main', 'budget', 'editor', 'activation', 'scroll', 'search', 'spend'] as const;
type Step = (typeof STEPS)[number];

interface Options {
  reps: number;
  activationLaunches: number;
  only: Set<Step>;
  /** The emulators serve only what the API reference promises (`--strict`: q refused; `--strict=ignore-q`). */
  strict: false | 'refuse-q' | 'ignore-q';
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const reps = Number(value('--reps') ?? 3);
  const activationLaunches = Number(value('--activation-launches') ?? 2);
  const only = value('--only')?.split(',').map((s) => s.trim()) ?? [...STEPS];
  for (const s of only) if (!STEPS.includes(s as Step)) throw new Error(`--only: unknown step ${s} (steps: ${STEPS.join(', ')})`);
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps needs a positive integer');
  if (!Number.isInteger(activationLaunches) || activationLaunches < 0) throw new Error('--activation-launches needs an integer >= 0');
  const strict = argv.includes('--strict') || argv.includes('--strict=refuse-q') ? 'refuse-q' : argv.includes('--strict=ignore-q') ? 'ignore-q' : false;
  return { reps, activationLaunches, only: new Set(only as Step[]), strict };
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

function run(cmd: string, args: string[], cwd = ROOT): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return `${res.stdout}${res.stderr}`;
}

function fileSize(file: string): { bytes: number; gzipBytes: number } {
  const data = fs.readFileSync(file);
  return { bytes: data.length, gzipBytes: zlib.gzipSync(data, { level: 9 }).length };
}

/** The production build: its sizes, a staged copy of the extension to measure, and the .vsix. */
function productionBuild(): { sizes: Sizes; extensionDir: string } {
  log('node esbuild.js --production');
  run(process.execPath, ['esbuild.js', '--production']);
  const extensionDir = path.join(STAGE, 'extension');
  fs.rmSync(extensionDir, { recursive: true, force: true });
  fs.mkdirSync(extensionDir, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media']) fs.cpSync(path.join(ROOT, entry), path.join(extensionDir, entry), { recursive: true });
  fs.rmSync(path.join(extensionDir, 'dist', 'extension.js.map'), { force: true });
  fs.rmSync(path.join(extensionDir, 'dist', 'webview.js.map'), { force: true });
  const sizes: Sizes = {
    extensionJs: fileSize(path.join(extensionDir, 'dist', 'extension.js')),
    webviewJs: fileSize(path.join(extensionDir, 'dist', 'webview.js')),
    vsix: packageVsix(),
  };
  return { sizes, extensionDir };
}

/** The .vsix as it would be published: `npm run package` when the project has it, vsce otherwise. */
function packageVsix(): Sizes['vsix'] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  try {
    let out: string;
    let how: string;
    if (scripts.package) {
      how = 'npm run package';
      log(how);
      out = run('npm', ['run', 'package']);
    } else {
      how = 'vsce package --no-dependencies';
      log(how);
      out = run(vsceBin(), ['package', '--no-dependencies', '-o', path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-bench-vsix-')), 'runflow.vsix')]);
    }
    const m = /Packaged:\s+(\S+\.vsix)\s+\((\d+) files?/.exec(out);
    if (!m) throw new Error(`${how} did not say where the .vsix went:\n${out.slice(-2000)}`);
    const file = path.resolve(ROOT, m[1]);
    return { bytes: fs.statSync(file).size, files: Number(m[2]), how };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n').slice(0, 3).join(' ') : String(err) };
  }
}

function vsceBin(): string {
  return path.join(ROOT, 'node_modules', '.bin', 'vsce');
}

/** The extension-host suite (and, as a side effect, the development build back in dist/ for everyone else). */
function hostSuite(): string {
  log('node esbuild.js --tests');
  run(process.execPath, ['esbuild.js', '--tests']);
  const staged = path.join(STAGE, 'host');
  fs.rmSync(staged, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'out', 'test', 'bench', 'host'), staged, { recursive: true });
  return path.join(staged, 'index.js');
}

function trivialVsix(): string {
  const file = path.join(STAGE, 'bench-trivial.vsix');
  run(vsceBin(), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', file], path.join(__dirname, 'trivial-extension'));
  return file;
}

async function clientWalks(reps: number): Promise<WalkResult[]> {
  // About 85% of seeded runs land in the default organisation: 12,000 leaves more than 10,000 to walk.
  const emu = await startEmulatorProcess({ token: TOKEN, runs: 12_000 });
  const results: WalkResult[] = [];
  try {
    for (const [pageSize, mode] of [[500, 'keep'], [50, 'keep'], [500, 'stream']] as const) {
      for (let i = 0; i < reps; i++) {
        const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'clientWalk.ts'), emu.url, TOKEN, String(pageSize), '10000', mode], { cwd: ROOT, encoding: 'utf8' });
        const result = JSON.parse(out.trim().split('\n').pop()!) as WalkResult;
        log(`client walk ${pageSize}/page ${mode}: ${result.ms} ms, peak RSS ${result.peakRssMb} MB`);
        results.push(result);
      }
    }
  } finally {
    await emu.stop();
  }
  return results;
}

/** Rounds per repetition: a sample of a millisecond or two is at the mercy of the scheduler, so a median needs more of them than a walk's. */
const CANCELLATION_ROUNDS_PER_REP = 10;

async function cancellation(reps: number): Promise<CancellationResult> {
  // An emulator of its own: the walk's 12,000 runs would make the reference request dearer than a plain one.
  const emu = await startEmulatorProcess({ token: TOKEN, runs: 300 });
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cancellation.ts'), emu.url, TOKEN, String(reps * CANCELLATION_ROUNDS_PER_REP)], { cwd: ROOT, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as CancellationResult;
    const m = (values: number[]) => median(values).toFixed(2);
    log(
      `cancellation, ${result.rounds} rounds: reference GET ${m(result.referenceMs)} ms; abort of a held request ${m(result.abortHangMs)} ms, ` +
        `past a ${result.timeoutMs} ms timeout ${m(result.timeoutOvershootMs)} ms, abort of a Retry-After wait ${m(result.abortRetryWaitMs)} ms`,
    );
    return result;
  } finally {
    await emu.stop();
  }
}

/** Loaded runs, 10 of them active, whose refresh is measured. */
const REFRESH_LOADED = [50, 500, 5_000];

/** One refresh of a long list, against the default emulator and the strict one (each seeded through its control API). */
async function refreshCosts(): Promise<NonNullable<BenchRun['refreshCost']>> {
  const results: NonNullable<BenchRun['refreshCost']> = [];
  for (const strict of [false, 'refuse-q'] as const) {
    const emu = await startEmulatorProcess({ token: TOKEN, runs: 0, strict });
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'refreshCost.ts'), emu.url, TOKEN, REFRESH_LOADED.join(',')], { cwd: ROOT, encoding: 'utf8' });
      const result = JSON.parse(out.trim().split('\n').pop()!) as RefreshCostResult;
      for (const r of result.rows) {
        log(`refresh, ${strict ? 'strict' : 'default'} emulator, ${r.loaded} loaded: ${r.refresh.requests} request(s), ${r.refresh.bytes} bytes (limit ${r.refresh.limit}); whole window ${r.wholeWindow.bytes} bytes (limit ${r.wholeWindow.limit})`);
      }
      results.push({ emulator: strict ? 'strict' : 'default', ...result });
    } finally {
      await emu.stop();
    }
  }
  return results;
}

/** A 200-run batch and the same creates one at a time, both in every round, against an emulator with no runs of its own. */
async function batchSends(reps: number): Promise<BatchSendResult> {
  const emu = await startEmulatorProcess({ token: TOKEN, runs: 0 });
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'batchSend.ts'), emu.url, TOKEN, String(reps)], { cwd: ROOT, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as BatchSendResult;
    const peak = Math.max(...result.batchPeak);
    log(
      `batch of ${result.runs}, concurrency ${result.concurrency}, creates held ${result.createLatencyMs} ms: ${Math.round(median(result.batchMs))} ms, ` +
        `one at a time ${Math.round(median(result.sequentialMs))} ms; peak in flight ${peak}${peak > result.concurrency ? ' (ABOVE THE CONCURRENCY)' : ''}; ` +
        `${median(result.batchRequests) / result.runs} requests per run`,
    );
    return result;
  } finally {
    await emu.stop();
  }
}

interface Launch {
  name: string;
  grep: string;
  order: 'trivial-first' | 'runflow-first';
  env?: Record<string, string>;
  timeoutMs: number;
  /** Repetitions for this launch when not the run's. */
  reps?: number;
  /** Launches naming the same profile share it (see LaunchOptions.profile); the first of them starts it afresh. */
  profile?: string;
}

function plannedLaunches(opts: Options): Launch[] {
  const launches: Launch[] = [];
  if (opts.only.has('main')) launches.push({ name: 'main', grep: '^(activation|runs view|logs) ', order: 'trivial-first', timeoutMs: 12 * 60_000 });
  // The panel openings that scroll, once each: the openings themselves are `main`'s to repeat.
  if (opts.only.has('scroll') && !opts.only.has('main')) launches.push({ name: 'scroll', grep: '^logs opens a (100,000|1,000,000)-line log in the panel', order: 'trivial-first', timeoutMs: 10 * 60_000, reps: 1 });
  if (opts.only.has('budget')) {
    launches.push({ name: 'budget', grep: '^(activation|request budget) ', order: 'runflow-first', env: { RUNFLOW_TEST_TIME_SCALE: String(TIME_SCALE) }, timeoutMs: 8 * 60_000 });
  }
  // A million lines walked twice (the search, then the same pages read through the client): a launch of its own.
  if (opts.only.has('search')) launches.push({ name: 'search', grep: '^log search ', order: 'trivial-first', timeoutMs: 20 * 60_000 });
  if (opts.only.has('spend')) launches.push({ name: 'spend', grep: '^show spend ', order: 'trivial-first', timeoutMs: 12 * 60_000 });
  if (opts.only.has('editor')) launches.push({ name: 'editor-1m', grep: '^(activation|large log in the editor) ', order: 'trivial-first', timeoutMs: 8 * 60_000 });
  if (opts.only.has('activation')) {
    for (let i = 0; i < opts.activationLaunches; i++) {
      launches.push({ name: `activation-${i + 1}`, grep: '^activation ', order: i % 2 === 0 ? 'runflow-first' : 'trivial-first', timeoutMs: 4 * 60_000 });
    }
    // A signed-in user's next window: one launch signs in and keeps the list, the next starts from that profile.
    for (let i = 0; i < Math.max(1, opts.activationLaunches); i++) {
      const profile = `kept-${i + 1}`;
      launches.push({ name: `kept-prime-${i + 1}`, grep: '^kept list prime ', order: 'runflow-first', timeoutMs: 4 * 60_000, profile });
      launches.push({ name: `kept-activation-${i + 1}`, grep: '^kept list activation ', order: i % 2 === 0 ? 'runflow-first' : 'trivial-first', timeoutMs: 4 * 60_000, profile });
    }
  }
  return launches;
}

/** Profiles shared by launches of this run: a folder under the stage and the port the workbench's origin needs. */
const profiles = new Map<string, { dir: string; port: number }>();

async function profileFor(name: string | undefined): Promise<{ dir: string; port: number } | undefined> {
  if (!name) return undefined;
  let profile = profiles.get(name);
  if (!profile) {
    const dir = path.join(STAGE, `profile-${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
    profile = { dir, port: await freePort() };
    profiles.set(name, profile);
  }
  return profile;
}

async function runLaunch(launch: Launch, ctx: { entry: string; extensionDir: string; trivial: string; emulators: Record<string, string>; reps: number }): Promise<BenchRun['launches'][number]> {
  const out = path.join(STAGE, `raw-${launch.name}.json`);
  fs.rmSync(out, { force: true });
  log(`VS Code launch "${launch.name}" (${launch.order})`);
  const started = Date.now();
  const code = await runSuite({
    name: `bench-${launch.name}`,
    entry: ctx.entry,
    extensionDevelopmentPath: ctx.extensionDir,
    installExtensions: [ctx.trivial],
    timeoutMs: launch.timeoutMs,
    profile: await profileFor(launch.profile),
    env: {
      ...launch.env,
      RUNFLOW_TEST_GREP: launch.grep,
      [BenchEnv.out]: out,
      [BenchEnv.emulators]: JSON.stringify(ctx.emulators),
      [BenchEnv.token]: TOKEN,
      [BenchEnv.order]: launch.order,
      [BenchEnv.reps]: String(launch.reps ?? ctx.reps),
    },
  });
  const figures = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as LaunchFigures) : {};
  return { name: launch.name, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), figures: { ...figures, launch: launch.name } };
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  // Each launch picks its own tests; a grep left in the environment would override that choice.
  delete process.env.RUNFLOW_TEST_GREP;
  const started = Date.now();
  fs.mkdirSync(STAGE, { recursive: true });
  const machine = describeMachine();
  const problems: string[] = [];

  const launches = plannedLaunches(opts);
  let sizes: Sizes | undefined;
  let extensionDir = path.join(STAGE, 'extension');
  if (opts.only.has('sizes') || launches.length) {
    const built = productionBuild();
    extensionDir = built.extensionDir;
    if (opts.only.has('sizes')) sizes = built.sizes;
    if (built.sizes.vsix.error) problems.push(`.vsix: ${built.sizes.vsix.error}`);
  }
  const entry = launches.length ? hostSuite() : '';

  let walks: WalkResult[] = [];
  let cancelled: CancellationResult | undefined;
  if (opts.only.has('walk')) {
    try {
      walks = await clientWalks(opts.reps);
    } catch (err) {
      problems.push(`client walk: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      cancelled = await cancellation(opts.reps);
    } catch (err) {
      problems.push(`cancellation: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  let refreshCost: BenchRun['refreshCost'];
  if (opts.only.has('refresh')) {
    try {
      refreshCost = await refreshCosts();
    } catch (err) {
      problems.push(`refresh cost: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  let batchSend: BenchRun['batchSend'];
  if (opts.only.has('batch')) {
    try {
      batchSend = await batchSends(opts.reps);
    } catch (err) {
      problems.push(`batch: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const results: BenchRun['launches'] = [];
  if (launches.length) {
    const trivial = trivialVsix();
    const roles: [EmulatorRole, { runs: number; bigLogLines?: number }][] = [
      ['activation', { runs: 300 }],
      ['runs', { runs: 1200 }],
      ['budget', { runs: 0 }],
      ['log10k', { runs: 5, bigLogLines: LOG_SIZES.log10k }],
      ['log100k', { runs: 5, bigLogLines: LOG_SIZES.log100k }],
      ['log1m', { runs: 5, bigLogLines: LOG_SIZES.log1m }],
      ['search', { runs: SEARCH_SEED.runs, bigLogLines: SEARCH_SEED.bigLogLines }],
      ['spend', { runs: SPEND_SEED.runs }],
    ];
    const emulators: EmulatorProcess[] = [];
    try {
      const urls: Record<string, string> = {};
      for (const [role, o] of roles) {
        const emu = await startEmulatorProcess({ token: TOKEN, ...o, strict: opts.strict });
        emulators.push(emu);
        urls[role] = emu.url;
      }
      for (const launch of launches) {
        const result = await runLaunch(launch, { entry, extensionDir, trivial, emulators: urls, reps: opts.reps });
        if (!result.ok) problems.push(`launch ${launch.name}: the suite failed (see its output above)`);
        results.push(result);
      }
    } finally {
      await Promise.all(emulators.map((e) => e.stop()));
      for (const profile of profiles.values()) fs.rmSync(profile.dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  const bench: BenchRun = {
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    machine,
    reps: opts.reps,
    timeScale: TIME_SCALE,
    sizes,
    walks,
    cancellation: cancelled,
    refreshCost,
    batchSend,
    launches: results,
    problems,
  };
  const report = buildReport(bench);
  if (opts.strict) report.markdown = `Emulators in strict mode (${opts.strict}): only what the API reference promises.\n\n${report.markdown}`;
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify({ ...bench, summary: report.summary }, null, 2));
  fs.writeFileSync(path.join(RESULTS, 'latest.md'), report.markdown);
  console.log('');
  console.log(report.markdown);
  log(`written: bench-results/latest.md and latest.json (${bench.seconds} s)`);
  for (const p of problems) log(`PROBLEM: ${p}`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
