/**
 * Runs the hardening suite and writes test-results/hardening.md: what was tried and what survived.
 *
 *   tsx test/hardening/run.ts --ci     the part that fits in CI: fewer generated cases, half an hour of endurance
 *   tsx test/hardening/run.ts --full   everything: many more generated cases, a whole hour of endurance
 *
 * Three parts, one sentinel token for all of them (made fresh here, so finding it anywhere afterwards can
 * only mean the extension put it there):
 *   1. property tests in plain Node (test/hardening/node/*.prop.ts);
 *   2. a VS Code window for faults, hostile input, forged messages, fuzzed bodies and the token scan, its
 *      polling clock ×5 so backoffs play out in seconds, and a second one for the faults against the strict
 *      emulator (only what the API reference promises);
 *   3. a second window for the accelerated endurance hour (clock ×40), ending with its own token scan.
 * Then this process scans what the windows printed and what the suite wrote for the token too.
 *
 * Expects the bundles from `node esbuild.js --tests`. RUNFLOW_HARDENING_SEED replays other generated cases;
 * RUNFLOW_TEST_GREP narrows the VS Code parts as for the integration suite.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { runSuite, type SuiteSummary } from '../host/run-integration';
import { suiteVerdict } from '../host/verdict';
import { shared, type LedgerRow, type Rejection } from './support/ledger';

const root = path.resolve(__dirname, '..', '..');
const resultsDir = path.join(root, 'test-results');
const mode: 'ci' | 'full' = process.argv.includes('--full') ? 'full' : 'ci';
const sentinel = `rf-sentinel-${randomBytes(16).toString('hex')}`;
const seed = process.env.RUNFLOW_HARDENING_SEED ?? '20261122';

interface TestVerdict {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms: number;
  error?: string;
}

interface PartResult {
  name: string;
  seconds: number;
  tests: TestVerdict[];
  rows: LedgerRow[];
  rejections: Rejection[];
  /** The window's listeners heard a rejection left unhandled on purpose (undefined for the Node part). */
  listenersWork?: boolean;
  exitCode: number;
  note?: string;
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}

/** Part 1: the plain-Node properties, in this process. */
async function nodeProperties(): Promise<PartResult> {
  const started = Date.now();
  process.env.RUNFLOW_HARDENING_MODE = mode;
  process.env.RUNFLOW_HARDENING_SEED = seed;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 300_000 });
  const dir = path.join(__dirname, 'node');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.prop.ts')).sort()) mocha.addFile(path.join(dir, f));
  await mocha.loadFilesAsync();
  const tests: TestVerdict[] = [];
  const before = shared().rows.length;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('test', (t) => (shared().currentTest = t.fullTitle()));
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration ?? 0 }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending', ms: 0 }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', ms: t.duration ?? 0, error: String(err?.stack ?? err) }));
  });
  const count = (state: TestVerdict['state']) => tests.filter((t) => t.state === state).length;
  const skipped = tests.filter((t) => t.state === 'pending').map((t) => t.title);
  const verdict = suiteVerdict({ passed: count('passed'), failed: count('failed'), pending: skipped.length, skipped }, 0, process.env);
  for (const line of verdict.lines) console.log(line);
  return {
    name: 'Node properties',
    seconds: seconds(started),
    tests,
    rows: shared().rows.slice(before),
    rejections: [],
    exitCode: verdict.code,
  };
}

/** Parts 2 and 3: a VS Code window running some of the extension-host files. */
async function window(name: string, files: string, env: Record<string, string>, output: string[]): Promise<PartResult> {
  const started = Date.now();
  const original = console.log;
  // Everything the window prints (the extension host's console included) is kept to be searched for the token.
  console.log = (...args: unknown[]) => {
    output.push(args.map(String).join(' '));
    original(...args);
  };
  let exitCode: number;
  try {
    process.env.RUNFLOW_TEST_IGNORE_HTTPS_ERRORS = '1';
    exitCode = await runSuite({
      name,
      entry: path.join(root, 'out', 'test', 'hardening', 'index.js'),
      extensionDevelopmentPath: root,
      env: {
        RUNFLOW_HARDENING_FILES: files,
        RUNFLOW_HARDENING_TOKEN: sentinel,
        RUNFLOW_HARDENING_MODE: mode,
        RUNFLOW_HARDENING_SEED: seed,
        RUNFLOW_TEST_IGNORE_HTTPS_ERRORS: '1',
        ...env,
      },
      timeoutMs: 30 * 60_000,
    });
  } finally {
    console.log = original;
  }
  const summaryFile = path.join(resultsDir, `${name}-summary.json`);
  let summary: (SuiteSummary & { tests?: TestVerdict[]; rows?: LedgerRow[]; rejections?: Rejection[]; listenersWork?: boolean }) | undefined;
  try {
    summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  } catch {
    /* the window never got to write it */
  }
  return {
    name,
    seconds: seconds(started),
    tests: summary?.tests ?? [],
    rows: summary?.rows ?? [],
    rejections: summary?.rejections ?? [],
    listenersWork: summary?.listenersWork ?? false,
    exitCode,
    note: summary ? undefined : 'the window wrote no summary: it did not run (see the output above)',
  };
}

/** The strict window runs the same tests: its titles and rows say so, so the report keeps both verdicts apart. */
function strictPart(part: PartResult): PartResult {
  const title = (t: string) => `[strict emulator] ${t}`;
  return {
    ...part,
    tests: part.tests.map((t) => ({ ...t, title: title(t.title) })),
    rows: part.rows.map((r) => ({ ...r, attack: `${r.attack} (strict emulator)`, ...(r.test ? { test: title(r.test) } : {}) })),
  };
}

/** The token in what the windows printed and in every file the suite left in test-results/. */
function scanLeftovers(output: string[]): { places: number; leaks: string[] } {
  const leaks: string[] = [];
  const printed = output.join('\n');
  if (printed.includes(sentinel)) leaks.push('the VS Code windows\' output (extension host console included)');
  let places = 1;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        places++;
        if (fs.readFileSync(p).includes(sentinel)) leaks.push(path.relative(root, p));
      }
    }
  };
  if (fs.existsSync(resultsDir)) walk(resultsDir);
  return { places, leaks };
}

const AREAS = ['Faults', 'Endurance', 'Token', 'Hostile input', 'Forged webview messages', 'Fuzzing'];

function areaRank(area: string): number {
  const i = AREAS.indexOf(area);
  return i < 0 ? AREAS.length : i;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

function writeReport(parts: PartResult[], leftovers: { places: number; leaks: string[] }, totalSeconds: number): string {
  const verdicts = new Map<string, TestVerdict>();
  for (const p of parts) for (const t of p.tests) verdicts.set(t.title, t);
  const lines: string[] = [];
  const passed = parts.flatMap((p) => p.tests).filter((t) => t.state === 'passed').length;
  const failed = parts.flatMap((p) => p.tests).filter((t) => t.state === 'failed').length;
  const skipped = parts.flatMap((p) => p.tests).filter((t) => t.state === 'pending').length;
  lines.push('# Hardening report', '');
  lines.push(
    `\`npm run test:hardening${mode === 'ci' ? ':ci' : ''}\` (${mode === 'ci' ? 'the CI part' : 'the full suite'}), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
      `**${passed} passed, ${failed} failed, ${skipped} skipped** in ${totalSeconds} s ` +
      `(${parts.map((p) => `${p.name} ${p.seconds} s`).join(', ')}). Generated cases from seed ${seed}; one sentinel token for the whole run.`,
    '',
  );
  lines.push('| Area | Fault / attack | What was tried | Result |', '| --- | --- | --- | --- |');
  const recorded = new Set<string>();
  const rows = parts
    .flatMap((p) => p.rows.map((row) => ({ row, part: p.name })))
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => areaRank(a.row.area) - areaRank(b.row.area) || a.i - b.i);
  for (const { row, part } of rows) {
    const v = row.test ? verdicts.get(row.test) : undefined;
    if (row.test) recorded.add(row.test);
    const ok = v?.state === 'passed';
    const result = ok ? `✅ ${row.observed}` : `❌ ${v?.error?.split('\n')[0] ?? 'did not finish'} — seen so far: ${row.observed}`;
    const where = part === 'hardening-endurance' && row.area === 'Token' ? ' (endurance window)' : '';
    lines.push(`| ${cell(row.area)} | ${cell(row.attack + where)} | ${cell(row.tried)} | ${cell(result)} |`);
  }
  for (const p of parts) {
    for (const t of p.tests) {
      if (recorded.has(t.title)) continue;
      if (t.state === 'failed') lines.push(`| ${cell(p.name)} | ${cell(t.title)} | (failed before recording what it saw) | ❌ ${cell(t.error?.split('\n').slice(0, 3).join(' ') ?? '')} |`);
      if (t.state === 'pending') lines.push(`| ${cell(p.name)} | ${cell(t.title)} | — | ⏭ skipped |`);
    }
    if (p.note) lines.push(`| ${cell(p.name)} | the window | — | ❌ ${cell(p.note)} |`);
  }
  const unhandled = parts.flatMap((p) => p.rejections).filter((r) => !r.handledLater);
  lines.push(
    `| Token | What the suite left behind | the output of both VS Code windows (extension host console included) and ${leftovers.places - 1} files in test-results/ | ${
      leftovers.leaks.length ? `❌ found in ${cell(leftovers.leaks.join(', '))}` : '✅ absent everywhere'
    } |`,
  );
  const windows = parts.filter((p) => p.listenersWork !== undefined);
  const deaf = windows.filter((p) => !p.listenersWork).map((p) => p.name);
  lines.push(
    `| Faults | Unhandled rejections, whole run | process-level unhandledRejection / uncaughtException listeners for the whole of both windows, each first shown to hear a rejection left unhandled on purpose | ${
      deaf.length
        ? `❌ the listeners of ${deaf.join(', ')} did not hear the control`
        : unhandled.length
          ? `❌ ${unhandled.length}: ${cell(unhandled.map((r) => r.message).join('; ').slice(0, 500))}`
          : '✅ the control was heard in both windows; nothing else'
    } |`,
  );
  lines.push('');
  lines.push('The tests: `test/hardening/` (extension host: `*.test.ts`; plain Node: `node/*.prop.ts`). Screenshots: `test-results/screenshots/hardening-*.png`.');
  lines.push('');
  const text = lines.join('\n');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'hardening.md'), text);
  return text;
}

async function main(): Promise<number> {
  const started = Date.now();
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const f of ['hardening-summary.json', 'hardening-strict-summary.json', 'hardening-endurance-summary.json']) fs.rmSync(path.join(resultsDir, f), { force: true });
  for (const f of fs.existsSync(path.join(resultsDir, 'screenshots')) ? fs.readdirSync(path.join(resultsDir, 'screenshots')) : []) {
    if (f.startsWith('hardening-')) fs.rmSync(path.join(resultsDir, 'screenshots', f), { force: true });
  }
  const output: string[] = [];
  const parts: PartResult[] = [];
  console.log(`[hardening] ${mode} run, seed ${seed}`);
  parts.push(await nodeProperties());
  parts.push(await window('hardening', '^[0-79]-', { RUNFLOW_TEST_TIME_SCALE: '5' }, output));
  // The faults again, against the emulator that serves only what the API reference promises.
  parts.push(strictPart(await window('hardening-strict', '^1-', { RUNFLOW_TEST_TIME_SCALE: '5', RUNFLOW_EMULATOR_STRICT: 'refuse-q' }, output)));
  parts.push(await window('hardening-endurance', '^[89]-', { RUNFLOW_TEST_TIME_SCALE: '40' }, output));
  const leftovers = scanLeftovers(output);
  const report = writeReport(parts, leftovers, seconds(started));
  console.log('');
  console.log(report);
  const tests = parts.flatMap((p) => p.tests);
  const failed = tests.filter((t) => t.state === 'failed').length;
  console.log(`hardening: ${tests.filter((t) => t.state === 'passed').length} passed, ${failed} failed, ${tests.filter((t) => t.state === 'pending').length} skipped in ${seconds(started)} s`);
  const unhandled = parts.flatMap((p) => p.rejections).filter((r) => !r.handledLater).length;
  const deaf = parts.some((p) => p.listenersWork === false);
  return failed === 0 && unhandled === 0 && !deaf && leftovers.leaks.length === 0 && parts.every((p) => p.exitCode === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
