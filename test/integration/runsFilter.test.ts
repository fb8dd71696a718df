import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { isActiveStatus } from '../../src/core/runModel';
import { isEmptyFilter } from '../../src/core/runFilter';
import { click, hasBrowser, saveScreenshot } from './support/driver';
import { emulatorStrictMode } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { runsViewRows, statusBarText } from './support/runsPane';
import { waitFor, waitUntil } from './support/wait';

const PAGE = 50;

describe('Runs view filtered: the filter in sight, the active count true', function () {
  this.timeout(180_000);
  let emu: Emulator;
  let api: TestApi;

  /** Active runs among the user's newest page, asked of the server without any filter. */
  async function activeRuns(): Promise<string[]> {
    const page = await api.connection.client.searchRuns({ sort_by: 'created_at:desc', limit: PAGE });
    return page.items.filter((r) => isActiveStatus(r.status_code)).map((r) => r.id!);
  }

  before(async () => {
    ({ emu, api } = await startFixture());
    const now = Date.now();
    for (let i = 0; i < 6; i++) emu.insertRun({ status_code: 'running', created_at: new Date(now - i * 3_000).toISOString(), started_at: new Date(now - i * 3_000).toISOString() });
    for (let i = 0; i < 3; i++) emu.insertRun({ status_code: 'queued', created_at: new Date(now - 30_000 - i * 3_000).toISOString() });
    await showRunsView();
    await signedIn(api, emu);
  });
  after(async () => stopFixture(emu, api));

  it('names the filter in the first row, counts every active run in the status bar, and clears on a click', async function () {
    if (!hasBrowser()) this.skip();
    const active = await activeRuns();
    assert.ok(active.length >= 9, `active runs among the newest ${PAGE}: ${active.length}`);
    await waitUntil('the status bar to count the active runs', statusBarText, (t) => t === `${active.length} active`, 20_000);

    const strict = emulatorStrictMode() === 'refuse-q';
    await api.view.setFilter({ statuses: ['failed'] });
    if (strict) {
      // This server refuses q: the filter is then checked on the newest runs here.
      await waitFor('the refused filter', () => api.view.state === 'badFilter', 20_000);
      assert.equal(await statusBarText(), `${active.length} active`, 'a refused filter does not change the count');
      await vscode.commands.executeCommand('runflow.filterLocally');
    }
    await waitFor('the failed runs', () => api.store.state.kind === 'ready' && api.store.size > 0, 20_000);
    assert.ok(api.store.all().every((r) => r.status_code === 'failed'));
    assert.equal(api.store.activeRuns().length, 0, 'no active run passes the filter');
    const label = strict ? 'Filtered: Failed · filtered locally' : 'Filtered: Failed';
    const rows = await waitUntil('the filter as the first row', runsViewRows, (r) => r.length > 1 && r[0].startsWith(label), 20_000);
    assert.match(rows[1], /^Failed, \d+ runs?(, .+)?$/, `the groups follow it: ${JSON.stringify(rows.slice(0, 3))}`);
    const shown = await waitUntil('the status bar while filtered', statusBarText, (t) => t === `${active.length} active`, 20_000);
    assert.equal(shown, `${active.length} active`, 'every active run is counted, not only those the filter shows');
    await saveScreenshot(strict ? 'runs-filtered-locally-row' : 'runs-filtered-row');

    // A run that finishes outside the filter lowers the count while the view stays filtered.
    emu.resetRequests();
    emu.updateRun(active[0], { status_code: 'succeeded', completed_at: new Date().toISOString() });
    await waitUntil('the count to follow a run that finished', statusBarText, (t) => t === `${active.length - 1} active`, 20_000);
    const lists = emu.requests({ method: 'GET', path: '^/v1/runs$' });
    const counts = lists.filter((r) => r.query.fields === 'id,status_code');
    if (strict) {
      // Filtered here, the refresh asks without q: the count comes from its answer.
      assert.equal(counts.length, 0, 'no request of its own for the count');
      assert.ok(lists.every((r) => r.query.q === undefined));
    } else {
      const filtered = lists.filter((r) => r.query.q);
      assert.ok(counts.length >= 1 && Math.abs(counts.length - filtered.length) <= 1, `one count per refresh: ${counts.length} counts, ${filtered.length} refreshes`);
      for (const r of counts) {
        assert.equal(r.query.q, undefined);
        assert.equal(r.query.embed, undefined);
        assert.equal(r.query.limit, String(PAGE));
      }
    }

    await click('workbench', `.monaco-list-row[aria-label^="${label}"]`);
    await waitFor('the filter cleared', () => isEmptyFilter(api.store.filter));
    await waitUntil('the first row a group again', runsViewRows, (r) => r.length > 0 && !r[0].startsWith('Filtered'), 20_000);
    assert.equal(api.view.treeView.description, undefined);
  });

  it('asks for nothing more than the refresh while no filter is set', async () => {
    await waitFor('unfiltered runs', () => api.store.state.kind === 'ready' && api.store.all().some((r) => r.status_code !== 'failed'), 20_000);
    emu.resetRequests();
    await api.view.refresh();
    await api.view.refresh();
    const lists = emu.requests({ method: 'GET', path: '^/v1/runs$' });
    assert.ok(lists.length >= 1 && lists.length <= 3, `refreshes: ${lists.length}`);
    assert.ok(lists.every((r) => r.query.fields === undefined), 'no count request without a filter');
  });
});
