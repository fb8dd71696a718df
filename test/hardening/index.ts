/**
 * Entry of the hardening suite inside the extension host. Like the integration entry it loads every
 * bundled `*.test.js` beside it into mocha, but first it starts listening for unhandled rejections and
 * uncaught exceptions in the whole process (the tests assert none came from the extension), and at the
 * end it writes, next to the summary, every test's verdict with the rows the tests recorded: the runner
 * turns them into test-results/hardening.md.
 *
 * RUNFLOW_HARDENING_FILES (a regular expression) picks the test files of this launch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { saveScreenshot } from '../integration/support/driver';
import { shared, type Rejection } from './support/ledger';

function describeReason(reason: unknown): { message: string; stack: string } {
  if (reason instanceof Error) return { message: `${reason.name}: ${reason.message}`, stack: reason.stack ?? '' };
  return { message: String(reason), stack: '' };
}

function listenForUnhandled(): () => void {
  const pending = new WeakMap<Promise<unknown>, Rejection>();
  const onRejection = (reason: unknown, promise: Promise<unknown>) => {
    const entry: Rejection = { kind: 'unhandledRejection', ...describeReason(reason), at: Date.now() };
    pending.set(promise, entry);
    shared().rejections.push(entry);
  };
  const onHandled = (promise: Promise<unknown>) => {
    const entry = pending.get(promise);
    if (entry) entry.handledLater = true;
  };
  const onException = (err: unknown) => {
    shared().rejections.push({ kind: 'uncaughtException', ...describeReason(err), at: Date.now() });
  };
  process.on('unhandledRejection', onRejection);
  process.on('rejectionHandled', onHandled);
  process.on('uncaughtExceptionMonitor', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('rejectionHandled', onHandled);
    process.off('uncaughtExceptionMonitor', onException);
  };
}

/**
 * The control: one rejection left unhandled on purpose must reach the listeners, or their silence later
 * would prove nothing. It is taken off the list again.
 */
async function listenersHearARejection(): Promise<boolean> {
  const marker = `hardening control ${Date.now()}`;
  const control = Promise.reject(new Error(marker));
  await new Promise((r) => setTimeout(r, 200));
  // Handled after all, before VS Code would report it.
  control.catch(() => undefined);
  const list = shared().rejections;
  const i = list.findIndex((r) => r.message.includes(marker));
  if (i >= 0) list.splice(i, 1);
  return i >= 0;
}

export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version}, extension host Node ${process.version}: hardening suite`);
  const stopListening = listenForUnhandled();
  const listenersWork = await listenersHearARejection();
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 120_000, grep: process.env.RUNFLOW_TEST_GREP });
  const only = process.env.RUNFLOW_HARDENING_FILES ? new RegExp(process.env.RUNFLOW_HARDENING_FILES) : undefined;
  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js') && (!only || only.test(f)))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  mocha.rootHooks({
    async afterEach(this: Mocha.Context) {
      const test = this.currentTest;
      if (test?.state === 'failed') await saveScreenshot(`hardening-failed-${test.fullTitle()}`).catch(() => undefined);
    },
  });

  const summary = {
    passed: 0,
    failed: 0,
    pending: 0,
    skipped: [] as string[],
    failures: [] as { title: string; error: string }[],
    tests: [] as { title: string; state: 'passed' | 'failed' | 'pending'; ms: number; error?: string }[],
    rows: shared().rows,
    rejections: shared().rejections,
    listenersWork,
  };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('test', (test) => (shared().currentTest = test.fullTitle()));
    runner.on('pass', (test) => {
      summary.passed++;
      summary.tests.push({ title: test.fullTitle(), state: 'passed', ms: test.duration ?? 0 });
    });
    runner.on('pending', (test) => {
      summary.pending++;
      summary.skipped.push(test.fullTitle());
      summary.tests.push({ title: test.fullTitle(), state: 'pending', ms: 0 });
    });
    runner.on('fail', (test, err: Error) => {
      summary.failed++;
      const error = String(err?.stack ?? err);
      summary.failures.push({ title: test.fullTitle(), error });
      summary.tests.push({ title: test.fullTitle(), state: 'failed', ms: test.duration ?? 0, error });
    });
  });
  stopListening();
  if (process.env.RUNFLOW_TEST_RESULTS) fs.writeFileSync(process.env.RUNFLOW_TEST_RESULTS, JSON.stringify(summary, null, 2));
  if (!listenersWork) throw new Error('the unhandled-rejection listeners did not hear the control rejection');
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}
