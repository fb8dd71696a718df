import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Run } from '../../src/api/types';
import type { TestApi } from '../../src/extension';
import { shortId } from '../../src/core/runModel';
import type { Emulator } from '../emulator';
import { evaluate, hasBrowser } from './support/driver';
import { showRunsView, signedIn, startFixture, stopFixture, TOKEN } from './support/fixture';
import { shownRunIds } from './support/runsPane';
import { waitFor, waitUntil } from './support/wait';

/** What the Runs view keeps in globalState for `baseUrl`: storage key and entry. */
function keptFor(api: TestApi, baseUrl: string): { key: string; entry: { version: number; savedAt: number; runs: Run[] } }[] {
  return api.globalState
    .keys()
    .filter((k) => k.startsWith('runflow.runsList:') && k.includes(JSON.stringify(baseUrl)))
    .map((key) => ({ key, entry: api.globalState.get(key)! }));
}

/** Text of the Runs view pane as the user sees it, its message line included. */
function paneText(): Promise<string> {
  return evaluate<string>('workbench', `(() => { const el = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs')); return el ? el.innerText : ''; })()`);
}

describe('Runs view kept list', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let api: TestApi;

  before(async () => {
    ({ emu, api } = await startFixture());
    await showRunsView();
  });
  after(async () => stopFixture(emu, api));

  it('keeps the first page of a refresh, and nothing of the token', async () => {
    await signedIn(api, emu);
    const firstPage = api.store.firstPage().map((r) => r.id);
    assert.equal(firstPage.length, 50);
    const [kept] = await waitUntil(
      'the first page kept in globalState',
      () => keptFor(api, emu.url),
      (k) => k.length === 1 && JSON.stringify(k[0].entry.runs.map((r) => r.id)) === JSON.stringify(firstPage),
    );
    const text = `${kept.key}${JSON.stringify(kept.entry)}`;
    assert.ok(!text.includes(TOKEN), 'no token in the kept list');
    assert.equal(kept.entry.runs.length, 50, 'at most the first page');
  });

  it('draws the kept runs at start before the list request is answered, then refreshes them', async () => {
    const [kept] = keptFor(api, emu.url);
    assert.ok(kept, 'a list kept by the test before');
    // As left by a window three hours ago, with a run that has gone since.
    const gone = { ...kept.entry.runs[0], id: 'kept-run-gone-since' } as Run;
    await api.globalState.update(kept.key, { ...kept.entry, savedAt: Date.now() - 3 * 3_600_000, runs: [gone, ...kept.entry.runs] });
    // Every list request held, a poll that may be on its way included: the start's own is the one awaited.
    // Held longer than the two looks at the screen below may take (3 s each), so they see the start unanswered.
    emu.resetRequests();
    emu.addFault({ path: '^/v1/runs$', delayMs: 10_000, count: -1 });

    let started = false;
    const start = api.view.start().then(() => (started = true));
    assert.equal(api.store.size, 50, 'the kept runs, a page of them, drawn before anything is asked');
    assert.ok(api.store.get(gone.id!), 'the kept list as it was');
    assert.equal(api.view.treeView.message, 'Updated 3 h ago · refreshing…');
    assert.equal(api.view.state, 'ready');
    if (hasBrowser()) {
      const wanted = kept.entry.runs.slice(0, 5).map((r) => shortId(r.id!));
      await waitUntil('kept rows on screen', () => shownRunIds(), (ids) => wanted.some((id) => ids.includes(id)), 3_000);
      await waitUntil('the message on screen', () => paneText(), (t) => t.includes('Updated 3 h ago · refreshing…'), 3_000);
    }
    const list = emu.requests({ method: 'GET', path: '^/v1/runs$' });
    assert.ok(list.every((r) => r.status === null), 'no list request answered yet');
    assert.equal(started, false);

    await start;
    emu.clearFaults();
    assert.equal(api.store.staleSince, undefined);
    assert.equal(api.store.get(gone.id!), undefined, 'a kept run the newest page does not list leaves');
    assert.equal(api.store.size, 50);
    assert.equal(api.view.treeView.message ?? '', '', 'the message goes once the refresh landed');
    if (hasBrowser()) await waitUntil('the message gone from the screen', () => paneText(), (t) => !t.includes('refreshing…'), 3_000);
  });

  it('clears the kept lists of the server on sign-out, and at a start that finds no token', async () => {
    const [kept] = await waitUntil('a kept list', () => keptFor(api, emu.url), (k) => k.length === 1);
    await vscode.commands.executeCommand('runflow.signOut');
    await waitUntil('the kept list cleared', () => keptFor(api, emu.url), (k) => k.length === 0);
    await waitFor('the signed-out view', () => api.view.state === 'signedOut');

    // A list left behind (by a window that closed before it could clear it): a start without a token drops it.
    await api.globalState.update(kept.key, kept.entry);
    await api.view.start();
    assert.equal(api.store.size, 0);
    assert.equal(api.view.state, 'signedOut');
    assert.deepEqual(keptFor(api, emu.url), []);
  });
});
