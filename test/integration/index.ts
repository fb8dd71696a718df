/**
 * Test entry run inside the VS Code extension host by either launcher: loads every bundled
 * `*.test.js` beside it into mocha, runs them, and writes a summary the launcher reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { saveScreenshot } from './support/driver';

/**
 * The suites of a window's first use run first: the walkthrough ticks "See your runs" the first time
 * this window shows runs, which any other suite signing in would already have done.
 */
const FIRST_USE = ['activation.test.js', 'gettingStarted.test.js'];
const firstUse = (file: string) => {
  const i = FIRST_USE.indexOf(file);
  return i < 0 ? FIRST_USE.length : i;
};

export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI), extension host Node ${process.version}`);
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: 60_000,
    grep: process.env.RUNFLOW_TEST_GREP,
  });
  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => firstUse(a) - firstUse(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  // Keep a picture of the workbench for every failing test.
  mocha.rootHooks({
    async afterEach(this: Mocha.Context) {
      const test = this.currentTest;
      if (test?.state === 'failed') await saveScreenshot(`failed-${test.fullTitle()}`).catch(() => undefined);
    },
  });

  const summary = { passed: 0, failed: 0, pending: 0, skipped: [] as string[], failures: [] as { title: string; error: string }[] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => summary.passed++);
    runner.on('pending', (test) => {
      summary.pending++;
      summary.skipped.push(test.fullTitle());
    });
    runner.on('fail', (test, err: Error) => {
      summary.failed++;
      summary.failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
  if (process.env.RUNFLOW_TEST_RESULTS) fs.writeFileSync(process.env.RUNFLOW_TEST_RESULTS, JSON.stringify(summary, null, 2));
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}
