/**
 * The packaged extension as a user gets it: installed from the .vsix (test/package/run.ts builds it),
 * with no development folder. An installed extension is not in test mode, so it hands out no test API:
 * everything here goes through what a user has — settings, commands, the workbench and the webview.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../emulator';
import { click, evaluate, hasBrowser, press, saveScreenshot } from '../integration/support/driver';
import { waitFor, waitUntil } from '../integration/support/wait';

const EXTENSION_ID = 'runflow.runflow-vscode';
const TOKEN = 'rf-package-token-0001';
const WALKTHROUGH = `${EXTENSION_ID}#runflow.gettingStarted`;

function installed(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name)).split(path.sep).join('/')]));
}

/** Text of the Runs view as the user sees it. */
function runsViewText(): Promise<string> {
  return evaluate<string>(
    'workbench',
    `(() => { const el = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs')); return el ? el.querySelector('.pane-body')?.innerText ?? '' : ''; })()`,
  );
}

/** Whether the walkthrough step with this title shows as done. */
function stepDone(title: string): Promise<boolean> {
  return evaluate<boolean>(
    'workbench',
    `[...document.querySelectorAll('.getting-started-step')].some(s => s.innerText.includes(${JSON.stringify(title)}) && (s.getAttribute('aria-checked') === 'true' || !!s.querySelector('.codicon-getting-started-step-checked')))`,
  );
}

/** Opens a walkthrough step and clicks the button in its description, as a user does. */
async function clickStepButton(stepId: string, label: string): Promise<void> {
  const step = `button.getting-started-step[data-step-id$="#${stepId}"]`;
  const expanded = await evaluate<boolean>('workbench', `document.querySelector('${step}')?.getAttribute('aria-expanded') === 'true'`);
  if (!expanded) await click('workbench', step);
  await waitFor(`the ${label} button`, () =>
    evaluate<boolean>('workbench', `(() => {
      const button = [...document.querySelectorAll('${step} a, ${step} button')].find(b => b.innerText.trim() === ${JSON.stringify(label)} && b.offsetParent);
      if (!button) return false;
      document.querySelectorAll('[data-package-pick]').forEach(e => e.removeAttribute('data-package-pick'));
      button.setAttribute('data-package-pick', 'step');
      return true;
    })()`),
  );
  await click('workbench', '[data-package-pick="step"]');
}

async function typeIntoQuickInput(text: string): Promise<void> {
  await waitFor('the input box', () => evaluate<boolean>('workbench', `!!document.querySelector('.quick-input-widget:not([style*="display: none"]) input')`), 20_000);
  await evaluate('workbench', `(() => { const i = document.querySelector('.quick-input-widget input'); i.focus(); return true; })()`);
  await evaluate('workbench', `document.execCommand('insertText', false, ${JSON.stringify(text)})`);
  await press('Enter');
}

describe('the installed package', function () {
  this.timeout(180_000);
  let emu: Emulator | undefined;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (emu) await vscode.commands.executeCommand('runflow.signOut').then(undefined, () => undefined);
    for (const key of ['apiBaseUrl', 'refresh.auto']) {
      await vscode.workspace.getConfiguration('runflow').update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await emu?.close();
  });

  it('is installed from the .vsix, not loaded from the source folder, and holds only what runs', () => {
    const ext = installed();
    const root = process.env.RUNFLOW_TEST_ROOT;
    assert.ok(root, 'the launcher names the source folder');
    const relative = path.relative(fs.realpathSync(root), fs.realpathSync(ext.extensionPath));
    assert.ok(relative.startsWith('..') || path.isAbsolute(relative), `installed outside the source folder: ${ext.extensionPath}`);
    assert.match(path.basename(ext.extensionPath), /^runflow\.runflow-vscode-\d+\.\d+\.\d+/);
    const source = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(ext.packageJSON.version, source.version);

    const files = listFiles(ext.extensionPath).filter((f) => f !== '.vsixmanifest');
    // vsce stores the readme, changelog and licence as readme.md, changelog.md and LICENSE.txt.
    for (const needed of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'dist/extension.js', 'dist/webview.js', 'dist/spend.js', 'dist/codicons/codicon.ttf', 'media/panel.css', 'media/spend.css', 'media/icon.png', 'media/runflow.svg']) {
      assert.ok(files.includes(needed), `the package holds ${needed}`);
    }
    const stray = files.filter((f) => /^(src|test|out|scripts|node_modules|docs|\.vscode-test|test-results)\//.test(f) || /\.(ts|map)$/.test(f));
    assert.deepEqual(stray, [], 'no sources, tests, source maps or dependencies in the package');
    // axe-core audits the panel in the tests (injected by the test driver); it never ships.
    const withAxe = files.filter((f) => /\.(js|css|html)$/.test(f) && /axe-core|Deque Systems/.test(fs.readFileSync(path.join(ext.extensionPath, f), 'utf8')));
    assert.deepEqual(withAxe, [], 'no accessibility test engine in the package');
    const configuration = ext.packageJSON.contributes.configuration as { title?: string; properties: Record<string, Record<string, unknown>> };
    assert.ok(configuration.title, 'the settings have a section title');
    for (const [key, setting] of Object.entries(configuration.properties)) {
      assert.ok(setting.title, `${key} has a title`);
      assert.ok(setting.description || setting.markdownDescription, `${key} has a description`);
      assert.ok('default' in setting, `${key} has a default`);
    }
    for (const field of ['icon', 'repository', 'license', 'displayName', 'description', 'categories', 'keywords']) {
      assert.ok(ext.packageJSON[field], `package.json has ${field} for the Marketplace page`);
    }
    for (const step of ext.packageJSON.contributes.walkthroughs[0].steps as { media: { markdown?: string; image?: string } }[]) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && files.includes(media), `walkthrough media ${media} is in the package`);
    }
  });

  it('activates in production mode when its view opens, with every command registered', async () => {
    const ext = installed();
    assert.equal(ext.isActive, false, 'nothing activated it before its view opened');
    await vscode.commands.executeCommand('workbench.view.extension.runflow');
    await waitFor('the extension to activate', () => ext.isActive, 30_000);
    assert.equal(ext.exports, undefined, 'an installed extension runs in production mode and hands out no test API');
    const registered = await vscode.commands.getCommands(true);
    for (const { command } of ext.packageJSON.contributes.commands as { command: string }[]) {
      assert.ok(registered.includes(command), `${command} is registered`);
    }
  });

  it('walks a first-time user from its walkthrough’s Sign In button to the emulator’s runs', async function () {
    if (!hasBrowser()) this.skip();
    emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, speed: 40 });
    const settings = vscode.workspace.getConfiguration('runflow');
    await settings.update('apiBaseUrl', emu.url, vscode.ConfigurationTarget.Global);
    // Only a click refreshes: so the Refresh check below cannot be satisfied by the polling.
    await settings.update('refresh.auto', false, vscode.ConfigurationTarget.Global);

    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    const steps = ['Sign in with your API token', 'See your runs', 'Create a launch file', 'Run it', 'Open the run'];
    const walkthrough = await waitUntil(
      'the walkthrough with its title and every step',
      () => evaluate<string>('workbench', `document.querySelector('.gettingStartedContainer')?.innerText ?? ''`),
      (t) => t.includes('Get Started with Runflow') && steps.every((step) => t.includes(step)),
      30_000,
    );
    for (const step of steps) {
      assert.ok(walkthrough.includes(step), `the walkthrough shows the step "${step}"`);
    }
    assert.equal(await stepDone('Sign in with your API token'), false, 'signed out: the sign-in step is not done yet');
    await saveScreenshot('package-walkthrough');

    await clickStepButton('signIn', 'Sign In');
    await typeIntoQuickInput(TOKEN);
    const checked = await waitFor('the token check', () => emu!.requests({ method: 'GET', path: '^/v1/runs$' }).find((r) => r.status === 200), 30_000);
    assert.equal(checked.headers.authorization, `Bearer ${TOKEN}`);
    await waitFor('the sign-in step to be done', () => stepDone('Sign in with your API token'), 20_000);

    await clickStepButton('seeRuns', 'Show Runs');
    const text = await waitFor('runs grouped by status', async () => {
      const t = await runsViewText();
      // A group row: its status, its count, and what its runs cost when any has a cost ("Failed 6 · $0.35").
      const group = (status: string) => new RegExp(`^${status}\\s*\\d+(\\s*·\\s*\\S.*)?$`, 'm');
      return group('Running').test(t) && group('Failed').test(t) ? t : undefined;
    }, 30_000);
    assert.ok(!text.includes('Sign in with a Runflow API token'), 'the welcome is gone');
    // The group rows come first; the runs of the expanded groups are drawn after them.
    const rows = await waitUntil(
      'more than 5 tree rows on screen',
      () => evaluate<number>('workbench', `document.querySelectorAll('.pane-body .monaco-list-row').length`),
      (n) => n > 5,
      30_000,
    );
    assert.ok(rows > 5, `tree rows on screen: ${rows}`);
    await waitFor('the see-your-runs step to be done', () => stepDone('See your runs'), 20_000);
    await saveScreenshot('package-runs-view');
  });

  it('shows a new run after its Refresh button, and opens its panel from the tree with the packaged webview', async function () {
    if (!hasBrowser() || !emu) this.skip();
    const run = emu.insertRun({
      status_code: 'failed',
      created_at: new Date().toISOString(),
      failure_stage_code: 'execution',
      failure_code: 'PACKAGE_CHECK',
      failure_message: 'Raised by the package check on purpose',
      has_logs: true,
    });
    emu.appendLogs(run.id!, [{ level_code: 'error', message: 'package check: the log reaches the panel' }]);
    emu.resetRequests();
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(emu.requests({ method: 'GET', path: '^/v1/runs$' }).length, 0, 'with automatic refresh off, nothing polls');
    await click('workbench', '.title-actions .action-label[aria-label="Refresh Runs"], .pane-header .action-label[aria-label="Refresh Runs"]');
    await waitFor('the refresh request', () => emu!.requests({ method: 'GET', path: '^/v1/runs$' }).some((r) => r.status === 200), 20_000);

    // The newest failed run is the first row under the Failed group.
    await waitFor('the new run under Failed', () =>
      evaluate<boolean>(
        'workbench',
        `(() => {
          const rows = [...document.querySelectorAll('.pane-body .monaco-list-row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
          const group = rows.findIndex(r => r.innerText.trim().startsWith('Failed'));
          const row = group >= 0 ? rows[group + 1] : undefined;
          if (!row || !row.innerText.includes('just now')) return false;
          document.querySelectorAll('[data-package-pick]').forEach(e => e.removeAttribute('data-package-pick'));
          row.setAttribute('data-package-pick', '1');
          return true;
        })()`,
      ),
    30_000);
    await click('workbench', '[data-package-pick="1"]');

    const frame = { selector: `#app[data-ready="true"][data-run-id="${run.id}"]` };
    const failure = await waitFor('the panel of the clicked run', () =>
      evaluate<string>(frame, `document.querySelector('[data-testid="failure-message"]')?.innerText ?? ''`, 5_000).then((t) => t || undefined),
    60_000);
    assert.match(failure, /Raised by the package check on purpose/);
    const styled = await evaluate<{ sheets: number; hiddenIsHidden: boolean }>(
      frame,
      `(() => { const probe = document.createElement('div'); probe.hidden = true; probe.style.display = 'block'; document.body.append(probe);
        const r = { sheets: document.styleSheets.length, hiddenIsHidden: getComputedStyle(probe).display === 'none' }; probe.remove(); return r; })()`,
    );
    assert.ok(styled.sheets >= 1 && styled.hiddenIsHidden, 'media/panel.css from the package applies in the webview');
    await waitFor('the log line', () =>
      evaluate<boolean>(frame, `(() => { document.querySelector('[data-section="logs"]')?.scrollIntoView(); return (document.querySelector('[data-testid="log-viewport"]')?.textContent ?? '').includes('the log reaches the panel'); })()`),
    30_000);
    await waitFor('the codicon font from dist/codicons', () =>
      evaluate<boolean>(frame, `[...document.fonts].some(f => /codicon/i.test(f.family) && f.status === 'loaded')`),
    20_000);
    await saveScreenshot('package-run-panel');
  });
});
