import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import type { SearchOutcome } from '../../src/runs/logSearch';
import { click, hasBrowser, saveScreenshot } from './support/driver';
import { currentLine } from './support/panelLog';
import { emulatorModeName, emulatorStrictMode } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { paneMessage, paneRows, setPaneExpanded } from './support/runsPane';
import { waitFor, waitUntil } from './support/wait';

/** Text no seeded line holds, so that exactly the lines the test writes match it. */
const NEEDLE = 'Quokka allocator shard 7F3A exhausted';
const LOGS_ANY = '^/v1/runs/any/logs$';

const matchesViewRows = () => paneRows('Log Matches');
const matchesViewMessage = () => paneMessage('Log Matches');

describe(`Search logs across runs (${emulatorModeName()})`, function () {
  this.timeout(240_000);
  let emu: Emulator;
  let api: TestApi;
  /** The runs given the needle, with how many lines each. */
  const expected = new Map<string, number>();

  before(async () => {
    ({ emu, api } = await startFixture({ bigLogLines: 100_000 }));
    await vscode.workspace.getConfiguration('runflow').update('logSearch.maxLines', 1_000_000, vscode.ConfigurationTarget.Global);
    await showRunsView();
    await signedIn(api, emu);
    const runs = api.store.all().filter((r) => r.id !== emu.bigLogRunId);
    for (const [i, run] of [runs[3], runs[17], runs[30]].entries()) {
      const lines = Array.from({ length: i + 1 }, (_, k) => ({ level_code: 'error', message: `\u001b[31mRuntimeError\u001b[0m: ${NEEDLE} on try ${k + 1}` }));
      emu.appendLogs(run.id!, lines);
      expected.set(run.id!, lines.length);
    }
  });
  after(async () => {
    // The big-log run has the same id on every emulator of the suite: its panel must not outlive this one's.
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    // The container as the other suites expect it: Runs open, Log Matches closed.
    if (hasBrowser()) {
      await setPaneExpanded('Runs', true);
      await setPaneExpanded('Log Matches', false);
    }
    await vscode.workspace.getConfiguration('runflow').update('logSearch.maxLines', undefined, vscode.ConfigurationTarget.Global);
    api?.logMatches.clear();
    await stopFixture(emu, api);
  });

  it('lists exactly the runs whose logs hold the text, with their counts, and says once when it filters the pages itself', async () => {
    await emu.resetRequests();
    const outcome = (await vscode.commands.executeCommand('runflow.searchLogs', { text: 'quokka ALLOCATOR shard 7f3a', level: 'any', range: 'all' })) as SearchOutcome;
    assert.equal(outcome.stop, 'end', JSON.stringify(outcome));
    const results = api.logMatches.results!;
    const found = new Map(results.groups.groups().map((g) => [g.runId, g.matches.length]));
    assert.deepEqual(found, expected, 'exactly the three runs, with their line counts');
    const requests = await emu.requests({ method: 'GET', path: LOGS_ANY });
    const refused = requests.filter((r) => r.status === 400);
    if (emulatorStrictMode() === 'refuse-q') {
      assert.ok(results.fallback, 'the fallback is said');
      assert.equal(refused.length, 1, 'q is tried once, then the pages are filtered here');
      assert.ok(requests.slice(1).every((r) => r.query.q === undefined));
    } else {
      assert.equal(results.fallback, undefined);
      assert.equal(refused.length, 0);
      assert.ok(requests.every((r) => typeof r.query.q === 'string' && r.query.q.length > 0), 'the server narrows the search');
    }
    if (!hasBrowser()) return;
    // The Runs view's pane closed, as a user does to give the matches the room.
    assert.equal(await setPaneExpanded('Runs', false), false);
    const message = await waitUntil('the view to count what it found', matchesViewMessage, (m) => m.startsWith('6 matches in 3 runs ('), 20_000);
    if (emulatorStrictMode() === 'refuse-q') assert.match(message, /filter/i, 'the view says the pages are filtered here');
    await saveScreenshot(`log-matches-${emulatorStrictMode() || 'default'}`);
    // Collapsed, every run's row fits in the view: one row a run, with its count.
    await vscode.commands.executeCommand('workbench.actions.treeView.runflow.logMatches.collapseAll');
    const rows = await waitUntil('one row a run', matchesViewRows, (r) => r.length === 3, 20_000);
    assert.deepEqual(rows.map((r) => Number(/, (\d+) match(?:es)?\b/.exec(r)?.[1])).sort(), [1, 2, 3], JSON.stringify(rows));
  });

  it('opens the run panel on a clicked match, the line on screen and marked, the query in its search box', async function () {
    if (!hasBrowser()) this.skip();
    const runId = emu.bigLogRunId!;
    const query = 'line 8071 of';
    const outcome = (await vscode.commands.executeCommand('runflow.searchLogs', { text: query, level: 'any', range: 'all' })) as SearchOutcome;
    assert.equal(outcome.stop, 'end');
    // Out of the Runs view: the panel has to fetch the run by its id.
    await api.view.setFilter({ statuses: ['failed'] });
    await waitFor('the run out of the Runs view', () => api.store.get(runId) === undefined, 20_000);
    const group = api.logMatches.results!.groups.group(runId);
    assert.equal(group?.matches.length, 1, 'one line of the 100,000-line log');
    const rows = await waitUntil('the match row', matchesViewRows, (r) => r.some((l) => l.includes('line 8071 of 100000')), 20_000);
    assert.ok(rows.length >= 2);
    await click('workbench', '.pane .monaco-list-row[aria-label*="line 8071 of 100000"]');
    const shown = await waitUntil('the panel to show the line on screen, marked as the current match', () => currentLine(runId), (c) => c.onScreen && c.text.includes('line 8071 of 100000'), 60_000);
    assert.equal(shown.query, query, 'the search box holds the query');
    assert.equal(api.store.get(runId), undefined, 'the run is still not one the Runs view lists');
    await api.view.setFilter({});
    await saveScreenshot(`log-match-opened-${emulatorStrictMode() || 'default'}`);
  });

  it('stops its requests when cancelled', async () => {
    await emu.addFault({ path: LOGS_ANY, delayMs: 150, count: -1 });
    try {
      // A regular expression: no server narrows by it, so the search pages through every line until cancelled.
      const pending = vscode.commands.executeCommand('runflow.searchLogs', { text: '/no line holds this text/', level: 'any', range: 'all' }) as Thenable<SearchOutcome>;
      await waitFor('a few pages searched', () => api.logMatches.results?.request.text === '/no line holds this text/' && api.logMatches.results.progress.pages >= 2, 30_000);
      await vscode.commands.executeCommand('runflow.searchLogs.cancel');
      const outcome = await pending;
      assert.equal(outcome.stop, 'cancelled');
      const sent = (await emu.requests({ method: 'GET', path: LOGS_ANY })).length;
      // A request of the test's own, after the search ended: had the search sent another, it would be counted before this one.
      await api.connection.client.searchLogs('any', { limit: 1 });
      const after = await emu.requests({ method: 'GET', path: LOGS_ANY });
      assert.equal(after.length, sent + 1, 'nothing but the test request after the cancel');
      assert.equal(after[after.length - 1].query.limit, '1');
      if (hasBrowser()) await waitUntil('the view to say it was cancelled', matchesViewMessage, (m) => /^Cancelled/.test(m), 10_000);
    } finally {
      await emu.clearFaults();
    }
  });
});
