/**
 * The demo as a newcomer meets it, driven in Chromium through the UI only: `npm run demo`'s VS Code in the
 * browser (the extension installed, no test driver, so notifications show as toasts, as they do for users)
 * against the emulator. Each check waits for exactly what it asserts; the first failure skips the rest and
 * keeps a screenshot and VS Code's logs under test-results/demo/.
 *
 *   npm run test:demo          RUNFLOW_TEST_VERBOSE=1 also prints the server's output
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/lib/browser';
import { DEMO_TOKEN, startDemo, type Demo } from '../../scripts/demo';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'test-results');
const SHOTS = path.join(RESULTS, 'screenshots');
const EVIDENCE = path.join(RESULTS, 'demo');
const WAIT_MS = 30_000;
const PAGE_LOAD_MS = 90_000;
const verbose = !!process.env.RUNFLOW_TEST_VERBOSE;
/** Evaluated in the page as text: this file is type-checked without the DOM library. */
const BLUR_ACTIVE_ELEMENT = 'document.activeElement?.blur()';

// ---- driving the workbench the way a user does ----

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `demo-${name}.png`) });
}

/** Until the Runflow view shows runs: rows inside its status groups. */
async function waitForRuns(page: Page): Promise<void> {
  await page.locator('.part.sidebar [role="treeitem"][aria-level="2"]').first().waitFor({ state: 'visible', timeout: WAIT_MS });
}

/** Until the extension is known to the workbench (its view container shows): before, the palette lacks its commands. */
async function loadWorkbench(page: Page, load: () => Promise<unknown>): Promise<void> {
  await load();
  await page.locator('.part.activitybar .action-label[aria-label^="Runflow"]').waitFor({ state: 'visible', timeout: PAGE_LOAD_MS });
}

/**
 * Runs a command from the Command Palette by its title. The palette lists the commands known when it
 * opens, and a page that has just loaded may not know the extension's yet: then it is opened again.
 */
async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    // Keys typed while a webview has the focus go to its frame; the palette's key belongs to the workbench.
    await page.evaluate(BLUR_ACTIVE_ELEMENT);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: WAIT_MS });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
      continue;
    }
    // The command is listed: the click gets the whole wait, as a busy machine may take seconds to act on it,
    // and a click that was slow but went through must not be followed by a second one.
    await row.click({ timeout: WAIT_MS });
    return;
  }
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.evaluate(BLUR_ACTIVE_ELEMENT);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().click({ timeout: WAIT_MS });
  await page.locator('.part.editor .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: WAIT_MS });
}

/**
 * Answers the token box that Runflow: Sign In opens, until the box closes. The box shows before the
 * extension host has sent it its first state, and that state clears what was typed before it arrived:
 * a box that is still open and empty again after Enter ("Enter a token") is answered again.
 */
async function enterToken(page: Page): Promise<void> {
  const box = page.locator('.quick-input-widget input[type="password"]');
  const deadline = Date.now() + WAIT_MS;
  await box.waitFor({ state: 'visible', timeout: WAIT_MS });
  for (;;) {
    if ((await box.inputValue()) === '') {
      await box.fill(DEMO_TOKEN);
      await box.press('Enter');
    }
    try {
      await box.waitFor({ state: 'hidden', timeout: 2_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** A notification toast on screen (not only in the notification centre), and the labels of its buttons. */
async function toast(page: Page, text: string | RegExp): Promise<{ message: string; buttons: string[] }> {
  const item = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout: WAIT_MS });
  const message = await item.locator('.notification-list-item-message').innerText();
  const buttons = (await item.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((b) => b.trim());
  return { message, buttons };
}

async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** The (webview) frame that holds `selector`: run panels live in nested frames of their own. */
async function frameWith(page: Page, selector: string, timeoutMs = WAIT_MS): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no panel shows ${selector} within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(100);
  }
}

// ---- the checks ----

interface Context {
  demo: Demo;
  page: Page;
  /** Answers to the page's POST /mint-key, in order. */
  mintKeyStatuses: number[];
  launchedRunId?: string;
}

const checks: { name: string; run(c: Context): Promise<void> }[] = [
  {
    name: 'signs in from the Command Palette and lists the runs',
    async run({ page }) {
      await runCommand(page, 'Runflow: Sign In');
      await enterToken(page);
      await toast(page, 'signed in');
      await runCommand(page, 'View: Show Runflow');
      await waitForRuns(page);
      await screenshot(page, 'signed-in');
    },
  },
  {
    name: 'a launch file the checks refuse: a visible error toast that says why, with Show Problems',
    async run({ page }) {
      await clearNotifications(page);
      await openFile(page, 'broken-input.runflow.json');
      await runCommand(page, 'Runflow: Run Model from File');
      const { message, buttons } = await toast(page, 'broken-input.runflow.json was not launched');
      assert.match(message, /input/, 'the toast names the problem');
      assert.ok(buttons.includes('Show Problems'), `buttons: ${buttons.join(', ')}`);
      await screenshot(page, 'toast-refused-launch');
    },
  },
  {
    name: 'a launched run that finishes: a visible toast with Open, Show Logs and Run Again',
    async run(c) {
      const { page } = c;
      await clearNotifications(page);
      await openFile(page, 'sdxl-turbo.runflow.json');
      await runCommand(page, 'Runflow: Run Model from File');
      const { message, buttons } = await toast(page, /succeeded/);
      for (const action of ['Open', 'Show Logs', 'Run Again']) assert.ok(buttons.includes(action), `"${action}" in ${buttons.join(', ')} (${message})`);
      // The panel the launch opened beside the file, used below.
      const panel = await frameWith(page, '#app[data-ready="true"][data-run-id]');
      c.launchedRunId = (await panel.locator('#app').getAttribute('data-run-id')) ?? undefined;
      assert.ok(c.launchedRunId, 'the launched run has a panel');
      await screenshot(page, 'toast-finished-run');
    },
  },
  {
    name: 'signed out, the open panel and the one restored by a window reload show one Sign In state (no spinner, no error); its button signs in',
    async run(c) {
      const { page } = c;
      const signedOut = `#app[data-run-id="${c.launchedRunId}"] [data-testid="signed-out"]`;
      await runCommand(page, 'Runflow: Sign Out');
      await toast(page, 'signed out');
      await frameWith(page, signedOut);
      // VS Code's own reload saves the open editors first, so the panel is restored deterministically.
      const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: PAGE_LOAD_MS });
      await runCommand(page, 'Developer: Reload Window');
      await navigated;
      await loadWorkbench(page, () => Promise.resolve());
      // The panel comes back once the restarted extension host has activated Runflow: part of the page load.
      const panel = await frameWith(page, signedOut, PAGE_LOAD_MS);
      assert.equal(await panel.locator('.codicon-modifier-spin').count(), 0, 'no spinner');
      assert.equal(await panel.locator('.run-error:not([hidden])').count(), 0, 'no error banner');
      assert.equal(await panel.locator('button').count(), 1, 'one button');
      // The Runs view beside it says the same, with its own Sign In button.
      await page
        .locator('.part.sidebar .welcome-view-content', { hasText: 'Sign in with a Runflow API token' })
        .locator('.monaco-button', { hasText: 'Sign In' })
        .waitFor({ state: 'visible', timeout: WAIT_MS });
      await screenshot(page, 'restored-panel-signed-out');
      await panel.locator('[data-testid="sign-in"]').click({ timeout: WAIT_MS });
      await enterToken(page);
      await frameWith(page, `#app[data-ready="true"][data-run-id="${c.launchedRunId}"]`);
    },
  },
  {
    name: "a reload of the browser page keeps the token: the runs come back without signing in",
    async run(c) {
      const { page } = c;
      c.mintKeyStatuses.length = 0;
      await loadWorkbench(page, () => page.reload());
      await runCommand(page, 'View: Show Runflow');
      await waitForRuns(page);
      assert.ok(c.mintKeyStatuses.includes(200), `the page got the server's key half (POST /mint-key: ${c.mintKeyStatuses.join(', ') || 'not asked'})`);
      await screenshot(page, 'reloaded-signed-in');
    },
  },
];

async function keepEvidence(page: Page | undefined, scratch: string): Promise<void> {
  fs.rmSync(EVIDENCE, { recursive: true, force: true });
  fs.mkdirSync(EVIDENCE, { recursive: true });
  if (page) await page.screenshot({ path: path.join(EVIDENCE, 'failure-workbench.png') }).catch(() => undefined);
  const server = path.join(scratch, 'vscode-server');
  for (const [from, to] of [
    [path.join(server, 'data', 'logs'), 'vscode-logs'],
    [path.join(server, 'server.log'), 'server.log'],
  ]) {
    if (fs.existsSync(from)) fs.cpSync(from, path.join(EVIDENCE, to), { recursive: true });
  }
  console.log(`[demo-test] kept a screenshot and VS Code's logs in ${path.relative(ROOT, EVIDENCE)}/`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-demo-test-'));
  const log = (line: string) => {
    if (verbose || !line.startsWith('[server]')) console.log(line);
  };
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const results: { name: string; ok: boolean | undefined; error?: string }[] = checks.map((c) => ({ name: c.name, ok: undefined }));
  try {
    // Free ports for both servers; a launched run finishes in a second or two, and the panel looks every 2 s.
    demo = await startDemo(
      { mode: 'web', apiPort: 0, uiPort: 0, live: false, speed: 20, strict: false, verbose, extraSettings: { 'runflow.refresh.activeIntervalSeconds': 2 } },
      scratch,
      log,
    );
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const context: Context = { demo, page, mintKeyStatuses: [] };
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/mint-key') context.mintKeyStatuses.push(r.status());
    });
    const opened = Date.now();
    await loadWorkbench(page, () => page!.goto(demo!.url!));
    console.log(`[demo-test] VS Code ready ${seconds(started)} s after start (page ${seconds(opened)} s)`);

    for (const [i, check] of checks.entries()) {
      const t = Date.now();
      try {
        await check.run(context);
        results[i].ok = true;
        console.log(`  ✓ ${check.name} (${seconds(t)} s)`);
      } catch (err) {
        results[i].ok = false;
        results[i].error = err instanceof Error ? err.message : String(err);
        console.log(`  ✗ ${check.name} (${seconds(t)} s)\n      ${results[i].error.split('\n').join('\n      ')}`);
        break;
      }
    }
  } catch (err) {
    console.log(`[demo-test] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    results.push({ name: 'the demo starts', ok: false, error: String(err) });
  }
  const failed = results.filter((r) => r.ok === false);
  if (failed.length) await keepEvidence(page, scratch);
  await browser?.close().catch(() => undefined);
  await demo?.stop();
  fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });

  const summary = {
    passed: results.filter((r) => r.ok === true).length,
    failed: failed.length,
    pending: results.filter((r) => r.ok === undefined).length,
    failures: failed.map((r) => ({ title: r.name, error: r.error ?? '' })),
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'demo-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\ndemo: ${summary.passed} passed, ${summary.failed} failed, ${summary.pending} skipped (${seconds(started)} s)`);
  return summary.failed === 0 && summary.pending === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
