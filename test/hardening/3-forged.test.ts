/**
 * Messages the run panel never sends, posted from inside its frame through the very channel its own
 * `acquireVsCodeApi().postMessage` uses (the webview host's `__vscode_post_message__`): the extension
 * must ignore each one, log it, and do nothing.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { evaluate, saveScreenshot } from '../integration/support/driver';
import { waitFor } from '../integration/support/wait';
import { extensionLog, openPanel, panelFrame, withHarness } from './support/harness';
import { record } from './support/ledger';
import { describeRejections, rejectionMark, unhandledSince } from './support/rejections';

/** Built in the frame, so oversized payloads do not travel through the driver. */
const FORGED: { name: string; expr: string; type: string }[] = [
  { name: 'unknown type', expr: `({ type: 'runCommand', command: 'runflow.signOut' })`, type: 'runCommand' },
  { name: 'a command id as the type', expr: `({ type: 'runflow.signOut' })`, type: 'runflow.signOut' },
  { name: 'a command id as the action', expr: `({ type: 'action', action: 'workbench.action.quit' })`, type: 'action' },
  { name: 'a file: URL to open', expr: `({ type: 'openLink', url: 'file:///etc/passwd' })`, type: 'openLink' },
  { name: 'a command: URL to open', expr: `({ type: 'openLink', url: 'command:runflow.signOut' })`, type: 'openLink' },
  { name: 'a javascript: URL to open', expr: `({ type: 'openLink', url: 'javascript:alert(1)' })`, type: 'openLink' },
  { name: 'a vscode: URL to open', expr: `({ type: 'openLink', url: 'vscode://runflow.runflow-vscode/signOut' })`, type: 'openLink' },
  { name: 'an oversized URL', expr: `({ type: 'openLink', url: 'https://example.invalid/' + 'a'.repeat(9000) })`, type: 'openLink' },
  { name: 'an oversized copy (6 MB)', expr: `({ type: 'copy', text: 'x'.repeat(6 * 1024 * 1024) })`, type: 'copy' },
  { name: 'an oversized search', expr: `({ type: 'search', requestId: 1, query: 'q'.repeat(100000) })`, type: 'search' },
  { name: 'an oversized log range', expr: `({ type: 'logRange', requestId: 1, start: 0, end: 50000000 })`, type: 'logRange' },
  { name: 'a prototype key', expr: `({ type: 'setOption', key: '__proto__', value: true })`, type: 'setOption' },
  { name: 'a path as the level', expr: `({ type: 'setLevel', level: '../../../etc/passwd' })`, type: 'setLevel' },
  { name: 'a string', expr: `'ready'`, type: 'string' },
  { name: 'null', expr: `null`, type: 'object' },
  { name: 'an array', expr: `[{ type: 'ready' }]`, type: 'undefined' },
];

/** Posts `expr` the way the panel's own script posts, from inside the panel's frame. */
function postFromFrame(expr: string): string {
  return `(() => {
    const message = ${expr};
    for (let i = 0; i < top.frames.length; i++) {
      const host = top.frames[i];
      let isHost = false;
      try {
        for (let j = 0; j < host.frames.length; j++) if (host.frames[j] === window) isHost = true;
      } catch { continue; }
      if (isHost && typeof host.__vscode_post_message__ === 'function') {
        host.__vscode_post_message__('onmessage', { message });
        return true;
      }
    }
    return false;
  })()`;
}

function ignoredLines(log: string): number {
  return (log.match(/Ignored a malformed message from the run panel/g) ?? []).length;
}

describe('Forged webview messages', function () {
  this.timeout(180_000);
  const harness = withHarness();

  it('are ignored, logged and change nothing', async () => {
    const { emu, api } = harness();
    const mark = rejectionMark();
    const run = api.store.all().find((r) => r.status_code === 'running') ?? api.store.all()[0];
    await openPanel(api, run.id!);
    const frame = panelFrame(run.id!);

    // The channel is the panel's own: a well-formed message sent this way is acted on. A copy is the
    // control because only the message can cause it (a refresh could as well be the panel's own polling).
    const logBefore = extensionLog();
    const control = `copied by a genuine message ${Date.now()}`;
    assert.equal(await evaluate<boolean>(frame, postFromFrame(`({ type: 'copy', text: ${JSON.stringify(control)} })`)), true, 'the panel frame reaches its host');
    await waitFor('the copy the genuine message asked for, on the clipboard', async () => (await vscode.env.clipboard.readText()) === control, 20_000);

    const clipboardMark = `clipboard before forging ${Date.now()}`;
    await vscode.env.clipboard.writeText(clipboardMark);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).sort();
    const ignoredBefore = ignoredLines(logBefore);
    emu.resetRequests();
    for (const f of FORGED) assert.equal(await evaluate<boolean>(frame, postFromFrame(f.expr), 30_000), true, `posted ${f.name}`);

    const lineOf = (f: (typeof FORGED)[number]) => `Ignored a malformed message from the run panel (type ${JSON.stringify(f.type)})`;
    const log = await waitFor('the log line of every forged message', () => {
      const text = extensionLog();
      const fresh = text.slice(logBefore.length);
      return ignoredLines(text) - ignoredBefore >= FORGED.length && FORGED.every((f) => fresh.includes(lineOf(f))) ? text : undefined;
    }, 30_000);
    const fresh = log.slice(logBefore.length);
    for (const f of FORGED) {
      assert.ok(fresh.includes(lineOf(f)), `${f.name} is logged as ignored (type ${f.type})`);
    }
    assert.ok(fresh.split('\n').every((line) => line.length < 400), 'no oversized payload copied into the log');

    // Nothing happened.
    assert.equal(await api.tokens.get(emu.url).then(Boolean), true, 'still signed in');
    assert.equal(await vscode.env.clipboard.readText(), clipboardMark, 'the clipboard is untouched');
    assert.deepEqual(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).sort(), tabs, 'no editor or page was opened');
    assert.equal(emu.requests({ method: 'POST' }).length + emu.requests({ method: 'PATCH' }).length, 0, 'nothing was created or changed on the server');
    assert.ok(api.panels.panel(run.id!), 'the panel is still open');
    const dialogs = await evaluate<number>('workbench', `document.querySelectorAll('.monaco-dialog-box').length`);
    assert.equal(dialogs, 0, 'no dialog opened');
    assert.equal(await evaluate<boolean>(frame, `document.getElementById('app').getAttribute('data-run-id') === ${JSON.stringify(run.id)}`), true, 'the panel still shows its run');
    await saveScreenshot('hardening-forged-messages');
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    record({
      area: 'Forged webview messages',
      attack: `${FORGED.length} forged messages`,
      tried: `posted from inside the panel frame through the host's __vscode_post_message__ (the channel acquireVsCodeApi uses; a genuine copy sent that way was acted on): ${FORGED.map((f) => f.name).join(', ')}`,
      observed: `each logged as "Ignored a malformed message from the run panel (type …)", no log line over 400 characters; still signed in, clipboard untouched, no editor or dialog opened, 0 POST/PATCH, panel alive`,
    });
  });
});
