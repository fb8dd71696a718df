/**
 * The "Get Started with Runflow" walkthrough ticks each step when the user does it, the way a user
 * does it: its buttons, the Runs view, a launch file's CodeLens, a click on a run's row.
 *
 * VS Code counts a completion event once per window, so this suite must see the steps done for the
 * first time: its file name sorts it right after the activation suite, before any other signs in,
 * launches or opens a run.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { isTerminalStatus } from '../../src/core/runModel';
import { click, evaluate, hasBrowser, saveScreenshot } from './support/driver';
import { startFixture, stopFixture, TOKEN } from './support/fixture';
import { typeIntoQuickInput } from './support/quickInput';
import { runRowSelector } from './support/runsPane';
import { waitFor, waitUntil } from './support/wait';

const WALKTHROUGH = 'runflow.runflow-vscode#runflow.gettingStarted';
const STEPS = ['signIn', 'seeRuns', 'newLaunchFile', 'runFromFile', 'openRun'] as const;
type Step = (typeof STEPS)[number];
const MODEL = 'runflow/sdxl-turbo';

function stepSelector(step: Step): string {
  return `button.getting-started-step[data-step-id="${WALKTHROUGH}#${step}"]`;
}

async function openWalkthrough(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
  await waitFor('the walkthrough page', () => evaluate<boolean>('workbench', `!!document.querySelector('${stepSelector('signIn')}')?.offsetParent`), 30_000);
}

/** Which steps the walkthrough page shows as done. */
async function ticks(): Promise<Record<Step, boolean>> {
  await openWalkthrough();
  return evaluate<Record<Step, boolean>>(
    'workbench',
    `Object.fromEntries(${JSON.stringify(STEPS)}.map(step => {
      const el = document.querySelector('button.getting-started-step[data-step-id="${WALKTHROUGH}#' + step + '"]');
      return [step, !!el && (el.getAttribute('aria-checked') === 'true' || !!el.querySelector('.codicon-getting-started-step-checked'))];
    }))`,
  );
}

/** Waits for `step` to tick, and checks that the steps after it have not. */
async function expectTicked(step: Step): Promise<void> {
  const shown = await waitUntil(`the step "${step}" to tick`, ticks, (t) => t[step], 20_000);
  const later = STEPS.slice(STEPS.indexOf(step) + 1).filter((s) => shown[s]);
  assert.deepEqual(later, [], `only the steps done so far are ticked (${JSON.stringify(shown)})`);
}

/** Opens a step and clicks the button in its description, as a user does. */
async function clickStepButton(step: Step, label: string): Promise<void> {
  await openWalkthrough();
  const selector = stepSelector(step);
  if ((await evaluate<string | null>('workbench', `document.querySelector('${selector}')?.getAttribute('aria-expanded') ?? null`)) !== 'true') await click('workbench', selector);
  await waitFor(`the ${label} button`, () =>
    evaluate<boolean>('workbench', `(() => {
      const button = [...document.querySelectorAll('${selector} a, ${selector} button')].find(b => b.innerText.trim() === ${JSON.stringify(label)} && b.offsetParent);
      if (!button) return false;
      document.querySelectorAll('[data-walkthrough-pick]').forEach(e => e.removeAttribute('data-walkthrough-pick'));
      button.setAttribute('data-walkthrough-pick', 'step');
      return true;
    })()`),
  );
  await click('workbench', '[data-walkthrough-pick="step"]');
}

function quickInputTitle(): Promise<string | undefined> {
  return evaluate<string | undefined>('workbench', `(() => { const w = document.querySelector('.quick-input-widget:not([style*="display: none"])'); return w ? (w.querySelector('.quick-input-title')?.textContent ?? '') : undefined; })()`);
}

describe('Get Started walkthrough', function () {
  this.timeout(240_000);
  let emu: Emulator;
  let api: TestApi;
  let launchFile: vscode.Uri | undefined;

  before(async function () {
    if (!hasBrowser()) this.skip();
    ({ emu, api } = await startFixture());
    // So that opening the run is a step of its own, done from the Runs view.
    await vscode.workspace.getConfiguration('runflow').update('launch.openPanel', false, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('runflow').update('launch.openPanel', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    if (launchFile) await vscode.workspace.fs.delete(launchFile).then(undefined, () => undefined);
    await stopFixture(emu, api);
  });

  it('ticks each of its five steps as the user does it', async () => {
    // The Runs view out of sight: seeing runs is a step of its own, not a side effect of signing in.
    await vscode.commands.executeCommand('workbench.view.explorer');
    const start = await ticks();
    assert.deepEqual(start, { signIn: false, seeRuns: false, newLaunchFile: false, runFromFile: false, openRun: false }, 'nothing done yet in this window');
    await saveScreenshot('walkthrough-start');

    // 1. Sign in from the step's button.
    await clickStepButton('signIn', 'Sign In');
    await typeIntoQuickInput(TOKEN);
    await waitFor('the token to be stored', async () => (await api.tokens.get(emu.url)) === TOKEN, 20_000);
    await expectTicked('signIn');

    // 2. The Runs view, once it shows runs.
    await clickStepButton('seeRuns', 'Show Runs');
    await waitFor('runs in the view', () => api.view.state === 'ready' && api.view.treeView.visible, 30_000);
    await expectTicked('seeRuns');

    // 3. A launch file from the step's button: named in the input box (after the model, if asked).
    await clickStepButton('newLaunchFile', 'New Launch File');
    const named = Date.now();
    for (;;) {
      const title = await waitFor('a question from New Launch File', quickInputTitle, 20_000);
      if (/^Runflow: new launch file$/i.test(title.trim())) break;
      // The model for the template, typed as owner/slug, as the picker offers.
      await evaluate('workbench', `(() => { const i = document.querySelector('.quick-input-widget input'); i.focus(); i.select(); return true; })()`);
      await typeIntoQuickInput(MODEL);
      if (Date.now() - named > 30_000) throw new Error(`New Launch File kept asking: ${title}`);
      await waitFor('the next question', async () => (await quickInputTitle()) !== title, 10_000);
    }
    await evaluate('workbench', `(() => { const i = document.querySelector('.quick-input-widget input'); i.focus(); i.select(); return true; })()`);
    await typeIntoQuickInput('walkthrough-first.runflow.json');
    launchFile = await waitFor('the launch file in the editor', () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      return uri?.path.endsWith('/walkthrough-first.runflow.json') ? uri : undefined;
    }, 20_000);
    await expectTicked('newLaunchFile');

    // 4. Fill in the input, save, and run it from the CodeLens above it.
    const doc = await vscode.workspace.openTextDocument(launchFile);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), `${JSON.stringify({ model: MODEL, input: { prompt: 'a lighthouse at dusk' } }, null, 2)}\n`);
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    await vscode.window.showTextDocument(doc);
    const lens = `.codelens-decoration a:has-text("Run on ${MODEL}")`;
    await waitFor('the Run CodeLens', () => evaluate<boolean>('workbench', `[...document.querySelectorAll('.codelens-decoration a')].some(a => a.textContent.includes(${JSON.stringify(`Run on ${MODEL}`)}))`), 30_000);
    await click('workbench', lens);
    const runId = await waitFor('the launched run', () => api.launchState.lastRun(launchFile!)?.runId, 30_000);
    assert.ok(!api.panels.openRunIds.includes(runId), 'its panel does not open by itself here');
    await expectTicked('runFromFile');

    // 5. Open it from its row in the Runs view, once it has settled in its group (a run that changes
    // status moves to another group, and a click at that instant lands on whatever row takes its place).
    await waitFor('the run to finish', () => isTerminalStatus(api.store.get(runId)?.status_code), 60_000);
    await api.view.reveal(runId);
    await waitFor('its row on screen', () => evaluate<boolean>('workbench', `!!document.querySelector('${runRowSelector(runId)}')`), 20_000);
    await click('workbench', runRowSelector(runId));
    await waitFor('its panel', () => api.panels.openRunIds.includes(runId), 20_000);
    await expectTicked('openRun');

    assert.deepEqual(await ticks(), { signIn: true, seeRuns: true, newLaunchFile: true, runFromFile: true, openRun: true });
    await saveScreenshot('walkthrough-done');
  });
});
