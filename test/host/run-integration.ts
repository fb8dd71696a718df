/**
 * Runs the integration suite (test/integration, bundled to out/test/integration) inside a real VS Code.
 *
 *   RUNFLOW_TEST_HOST=headless (default)  VS Code server + Debian Chromium, installed on first use into .vscode-test/
 *   RUNFLOW_TEST_HOST=desktop             @vscode/test-electron (downloads VS Code, or RUNFLOW_VSCODE_EXECUTABLE)
 *   RUNFLOW_TEST_GREP=<regex>             run only the matching tests
 *   RUNFLOW_TEST_VERBOSE=1                also print the server's own output
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDesktop } from './desktop';
import { runHeadless } from './headless';
import type { LaunchOptions } from './launch-options';
import { suiteVerdict, type SuiteCounts } from './verdict';

export interface SuiteSummary extends SuiteCounts {
  failures: { title: string; error: string }[];
}

export async function runSuite(opts: {
  name: string;
  entry: string;
  extensionDevelopmentPath?: string;
  installExtensions?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  profile?: LaunchOptions['profile'];
}): Promise<number> {
  const root = path.resolve(__dirname, '..', '..');
  const resultsDir = path.join(root, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-workspace-'));
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspacePath, { recursive: true });
  const summaryFile = path.join(resultsDir, `${opts.name}-summary.json`);
  fs.rmSync(summaryFile, { force: true });

  const host = process.env.RUNFLOW_TEST_HOST ?? 'headless';
  const launch: LaunchOptions = {
    extensionDevelopmentPath: opts.extensionDevelopmentPath,
    extensionTestsPath: opts.entry,
    workspacePath,
    resultsDir,
    env: {
      ...opts.env,
      RUNFLOW_TEST_RESULTS: summaryFile,
      RUNFLOW_TEST_RESULTS_DIR: resultsDir,
      RUNFLOW_TEST_ROOT: root,
      ...(process.env.RUNFLOW_TEST_GREP ? { RUNFLOW_TEST_GREP: process.env.RUNFLOW_TEST_GREP } : {}),
    },
    installExtensions: opts.installExtensions,
    profile: opts.profile,
    timeoutMs: opts.timeoutMs ?? 20 * 60_000,
    verbose: !!process.env.RUNFLOW_TEST_VERBOSE,
    log: (line) => console.log(line),
  };
  const started = Date.now();
  const result = host === 'desktop' ? await runDesktop(launch) : await runHeadless(launch);
  fs.rmSync(workspacePath, { recursive: true, force: true });

  let summary: SuiteSummary | undefined;
  try {
    summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as SuiteSummary;
  } catch {
    /* the suite never got to write it */
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log('');
  console.log(`[host] ${opts.name} suite in VS Code ${result.vscodeVersion}: exit ${result.exitCode} after ${seconds} s`);
  if (!summary) {
    console.log(`[host] the suite wrote no summary: it did not run (see the output above and ${resultsDir})`);
    console.log(`${opts.name}: 0 passed, 1 failed`);
    return 1;
  }
  console.log(`${opts.name}: ${summary.passed} passed, ${summary.failed} failed, ${summary.pending} skipped`);
  const verdict = suiteVerdict(summary, result.exitCode, process.env);
  for (const line of verdict.lines) console.log(line);
  return verdict.code;
}

/**
 * The emulators the suite runs against, in order: the default one and the strict one (only what the API
 * reference promises). RUNFLOW_EMULATOR_MODES=default (or refuse-q, ignore-q, comma-separated) picks.
 */
export function emulatorModes(): string[] {
  const wanted = (process.env.RUNFLOW_EMULATOR_MODES ?? 'default,refuse-q').split(',').map((m) => m.trim()).filter(Boolean);
  const known = ['default', 'refuse-q', 'ignore-q'];
  const unknown = wanted.filter((m) => !known.includes(m));
  if (unknown.length) throw new Error(`RUNFLOW_EMULATOR_MODES: unknown mode ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return wanted;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  (async () => {
    let code = 0;
    for (const mode of emulatorModes()) {
      const strict = mode !== 'default';
      console.log(`[host] integration suite against the ${strict ? `strict emulator (${mode})` : 'default emulator'}`);
      const result = await runSuite({
        name: strict ? `integration-strict-${mode}` : 'integration',
        entry: path.join(root, 'out', 'test', 'integration', 'index.js'),
        extensionDevelopmentPath: root,
        env: strict ? { RUNFLOW_EMULATOR_STRICT: mode } : {},
      });
      code ||= result;
    }
    return code;
  })().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
