import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator, NodeRun } from '../emulator';
import type { TestApi } from '../../src/extension';
import { GroupNode, type RunNode } from '../../src/views/runsTree';
import { nodeNamesOf, nodeRunLabel } from '../../src/core/nodeNames';
import { STATUS_ORDER, statusLabel, statusOf } from '../../src/core/runModel';
import { singleLine } from '../../src/core/sanitize';
import { evaluate, hasBrowser, press, saveScreenshot } from './support/driver';
import { emulatorStrictMode } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture, TOKEN } from './support/fixture';
import { typeIntoQuickInput } from './support/quickInput';
import { waitFor } from './support/wait';
import { CostTotal, describeTotal } from '../../src/core/costTotals';

/** Text of the Runs view as the user sees it in the workbench. */
function viewText(): Promise<string> {
  return evaluate<string>('workbench', `(() => { const el = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs')); return el ? el.innerText : ''; })()`);
}

/** Only a server that refuses q refuses a status filter. */
const refusesQ = emulatorStrictMode() === 'refuse-q';

/** A test that applies to some emulators only: left out (not skipped) where `absent` holds. */
function itUnless(absent: boolean, title: string, fn: Mocha.AsyncFunc): void {
  if (!absent) it(title, fn);
}

describe('Runs view', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let api: TestApi;

  before(async () => {
    ({ emu, api } = await startFixture());
    await showRunsView();
  });
  after(async () => stopFixture(emu, api));

  it('shows the signed-out welcome with a Sign In button', async () => {
    await waitFor('signed-out state', () => api.view.state === 'signedOut');
    assert.equal(await api.tokens.get(emu.url), undefined);
    if (hasBrowser()) {
      const text = await waitFor('the welcome text with its Sign In button', async () => {
        const t = await viewText();
        return t.includes('Sign in with a Runflow API token') && /Sign In/.test(t) ? t : undefined;
      });
      assert.match(text, /Sign In/);
      assert.doesNotMatch(text, /no longer accepts/, 'a missing token is not a refused one');
    }
    assert.notEqual(api.store.state.kind, 'unauthorized');
    assert.equal(emu.requests().length, 0, 'nothing is asked of the server before a sign-in');
    await saveScreenshot('runs-signed-out');
  });

  it('refuses a wrong token without storing it, then signs in with the right one', async function () {
    if (!hasBrowser()) this.skip();
    emu.resetRequests();
    void vscode.commands.executeCommand('runflow.signIn');
    await typeIntoQuickInput('not-a-valid-token');
    await waitFor('the refusal', async () => (await evaluate<string>('workbench', 'document.body.innerText')).includes('refused the token'));
    await saveScreenshot('runs-sign-in-refused');
    assert.equal(await api.tokens.get(emu.url), undefined, 'a refused token is not stored');
    const checks = emu.requests({ method: 'GET', path: '^/v1/runs$' });
    assert.equal(checks.length, 1);
    assert.equal(checks[0].headers.authorization, 'Bearer not-a-valid-token');
    assert.equal(checks[0].status, 401);
    await press('Escape');

    void vscode.commands.executeCommand('runflow.signIn');
    await typeIntoQuickInput(TOKEN);
    await waitFor('the token to be stored', async () => (await api.tokens.get(emu.url)) === TOKEN, 20_000);
    await waitFor('runs to load', () => api.store.size > 0 && api.view.state === 'ready', 20_000);
  });

  it('groups the runs by status, active first, with counts', async () => {
    if (!(await api.tokens.get(emu.url))) await signedIn(api, emu);
    const groups = (await api.view.tree.getChildren()).filter((n): n is GroupNode => n.kind === 'group');
    const statuses = groups.map((g) => g.status);
    const known = statuses.filter((s) => STATUS_ORDER.includes(s));
    assert.deepEqual(known, STATUS_ORDER.filter((s) => known.includes(s)), 'known groups in the fixed order');
    assert.ok(known.length >= 5, `most statuses present in the first page: ${statuses.join(', ')}`);
    assert.equal(api.store.size, 50);
    let total = 0;
    for (const g of groups) {
      const item = api.view.tree.getTreeItem(g);
      const runs = await api.view.tree.getChildren(g);
      // The count, then what the group's runs cost, summed exactly (the cost totals' own test checks the sum).
      const sum = new CostTotal();
      for (const r of runs) sum.addRun(api.store.get((r as RunNode).runId)!);
      const cost = describeTotal(sum);
      assert.equal(item.description, cost ? `${runs.length} · ${cost}` : String(runs.length), `${g.status} count and cost`);
      // statusOf: the group of a run whatever the case of its status (`RUNNING` is Running).
      for (const r of runs) assert.equal(statusOf(api.store.get((r as RunNode).runId)!), g.status);
      total += runs.length;
    }
    assert.equal(total, 50);
    if (hasBrowser()) {
      const text = await waitFor('the Failed group and an active group on screen', async () => {
        const t = await viewText();
        return t.includes('Failed') && /Running|Queued|Dispatching/.test(t) ? t : undefined;
      });
      assert.match(text, /Running|Queued|Dispatching/);
    }
    await saveScreenshot('runs-grouped');
  });

  it('expands a run into its node runs', async () => {
    if (!(await api.tokens.get(emu.url))) await signedIn(api, emu);
    const group = (await api.view.tree.getChildren()).find((n): n is GroupNode => n.kind === 'group' && n.status === 'failed');
    assert.ok(group, 'a Failed group');
    const runs = (await api.view.tree.getChildren(group)) as RunNode[];
    let withNodes = runs.find((r) => (emu.getRun(r.runId)?.node_runs?.length ?? 0) > 0);
    if (!withNodes) {
      const now = new Date().toISOString();
      const inserted = emu.insertRun({
        status_code: 'failed',
        created_at: now,
        node_runs: [
          { id: 'expand-n0', node_id: 'expand-node-0', state_code: 'succeeded' },
          { id: 'expand-n1', node_id: 'expand-node-1', state_code: 'failed', error_message: 'boom' },
        ] as unknown as NodeRun[],
      });
      await api.store.refresh();
      withNodes = await waitFor('a failed run with node runs in the tree', () => api.view.tree.nodeFor(inserted.id!));
    }
    emu.resetRequests();
    const children = await api.view.tree.getChildren(withNodes);
    const fetched = emu.requests({ method: 'GET', path: `^/v1/runs/${withNodes.runId}$` });
    assert.equal(fetched.length, 1);
    assert.equal(fetched[0].query.embed, 'node_runs');
    await api.view.tree.getChildren(withNodes);
    assert.equal(emu.requests({ method: 'GET', path: `^/v1/runs/${withNodes.runId}$` }).length, 1, 'cached until the run changes');

    // A row per node run the server sent, drawn from it: a failed load shows one warning row, which must not pass.
    const served = (await api.connection.client.getRun(withNodes.runId, { embed: ['node_runs'] })).node_runs ?? [];
    assert.ok(served.length > 0, 'the emulator sends node runs for this run');
    assert.deepEqual(children.map((c) => c.kind), served.map(() => 'nodeRun'), 'node-run rows, not an error or info row');
    const names = nodeNamesOf(api.store.get(withNodes.runId) ?? {});
    children.forEach((child, i) => {
      const item = api.view.tree.getTreeItem(child);
      const sent = served[i];
      assert.equal(item.id, `node:${withNodes!.runId}:${sent.id ?? i}`);
      assert.equal(item.label, singleLine(nodeRunLabel(sent.node_id, i, names).text, 60), 'named as the server named the node');
      const state = typeof sent.state_code === 'string' && sent.state_code ? sent.state_code : 'unknown';
      assert.ok(String(item.description).startsWith(statusLabel(state)), `"${item.description}" starts with the node run's state ${statusLabel(state)}`);
    });
  });

  it('loads more with the API cursor', async () => {
    emu.resetRequests();
    const before = api.store.size;
    await vscode.commands.executeCommand('runflow.loadMore');
    assert.equal(api.store.size, before + 50);
    const req = emu.requests({ method: 'GET', path: '^/v1/runs$' }).find((r) => r.query.pq);
    assert.ok(req, 'the next page was asked for with pq');
    await saveScreenshot('runs-load-more');
  });

  // A server that refuses q refuses this filter; the next test covers that one. Each of the two is
  // registered only for the emulators it applies to: in CI a skipped test fails the run.
  itUnless(refusesQ, 'narrows to a filter, shows it on the view, and clears it', async function () {
    emu.resetRequests();
    await api.view.setFilter({ statuses: ['failed'] });
    // setFilter may join a refresh that was already in flight, whose answer the new filter discards.
    await waitFor('the filtered runs to load', () => api.store.state.kind === 'ready' && api.store.size > 0, 20_000);
    assert.ok(api.store.size > 0);
    assert.ok(api.store.all().every((r) => r.status_code === 'failed'));
    assert.match(api.view.treeView.description ?? '', /Failed/);
    const sent = emu.requests({ method: 'GET', path: '^/v1/runs$' }).map((r) => r.query.q);
    assert.ok(sent.some((q) => q && q.includes("status_code = 'failed'")), `q sent: ${sent.join(' | ')}`);
    await saveScreenshot('runs-filtered');
    await vscode.commands.executeCommand('runflow.clearFilter');
    assert.equal(api.view.treeView.description, undefined);
    await waitFor('the unfiltered runs to load', () => api.store.state.kind === 'ready' && api.store.all().some((r) => r.status_code !== 'failed'), 20_000);
    assert.ok(api.store.all().some((r) => r.status_code !== 'failed'));
  });

  itUnless(!refusesQ, 'says in one line which filter the server refused, and filters the loaded runs locally on request', async function () {
    emu.resetRequests();
    await api.view.setFilter({ statuses: ['failed'] });
    await waitFor('the refused filter', () => api.store.state.kind === 'bad_filter' && api.view.state === 'badFilter', 20_000);
    const message = api.view.treeView.message ?? '';
    assert.match(message, /^The server refused the filter “Failed” \(400\)\./);
    assert.doesNotMatch(message, /can't reach/i);
    if (hasBrowser()) {
      const text = await waitFor('the refusal and the offer on screen', async () => {
        const t = await viewText();
        return t.includes('The server refused the filter') && t.includes('Filter the loaded runs locally') ? t : undefined;
      });
      assert.doesNotMatch(text, /can't reach/i);
      await saveScreenshot('runs-filter-refused');
    }
    await vscode.commands.executeCommand('runflow.filterLocally');
    await waitFor('the runs filtered locally', () => api.store.state.kind === 'ready' && api.store.size > 0, 20_000);
    assert.ok(api.store.all().every((r) => r.status_code === 'failed'));
    assert.match(api.view.treeView.description ?? '', /Failed · filtered locally/);
    const last = emu.requests({ method: 'GET', path: '^/v1/runs$' }).at(-1);
    assert.equal(last?.query.q, undefined, 'a local filter sends no q');
    await vscode.commands.executeCommand('runflow.clearFilter');
    await waitFor('the unfiltered runs to load', () => api.store.state.kind === 'ready' && api.store.all().some((r) => r.status_code !== 'failed'), 20_000);
  });

  it('moves a run to its new group without a manual refresh', async () => {
    const running = api.store.all().find((r) => r.status_code === 'running');
    assert.ok(running?.id, 'a running run is loaded');
    emu.updateRun(running.id, { status_code: 'succeeded', completed_at: new Date().toISOString() });
    await waitFor('the run in Succeeded', () => api.store.get(running.id!)?.status_code === 'succeeded', 20_000);
    const succeeded = await api.view.tree.getChildren(new GroupNode('succeeded'));
    assert.ok(succeeded.some((n) => (n as RunNode).runId === running.id));
    const stillRunning = await api.view.tree.getChildren(new GroupNode('running'));
    assert.ok(!stillRunning.some((n) => (n as RunNode).runId === running.id));
    await saveScreenshot('runs-state-change');
  });

  it('asks before cancelling, and cancels an active run with PATCH', async () => {
    const active = api.store.all().find((r) => r.status_code === 'queued' || r.status_code === 'running');
    assert.ok(active?.id);
    emu.resetRequests();
    // The test workbench dismisses modal dialogs: an unanswered confirmation must send nothing.
    await vscode.commands.executeCommand('runflow.cancelRun', active.id);
    assert.equal(emu.requests({ method: 'PATCH' }).length, 0, 'nothing is cancelled without a yes');
    const config = vscode.workspace.getConfiguration('runflow');
    await config.update('confirm.cancelRun', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('runflow.cancelRun', active.id);
    } finally {
      await config.update('confirm.cancelRun', undefined, vscode.ConfigurationTarget.Global);
    }
    const patch = emu.requests({ method: 'PATCH' });
    assert.equal(patch.length, 1);
    assert.equal(emu.getRun(active.id)?.status_code, 'cancelled');
    assert.equal(api.store.get(active.id)?.status_code, 'cancelled', 'the view shows it at once');
    await saveScreenshot('runs-cancelled');
  });

  it('stops polling while the view is hidden and catches up when shown', async () => {
    emu.insertRun({ status_code: 'running', created_at: new Date().toISOString() });
    await waitFor('active runs keep it polling', () => api.store.activeRuns().length > 0);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('view hidden', () => !api.view.treeView.visible);
    // A refresh that started before the view hid still makes its request: count from when none is left.
    await waitFor('the view to stop polling (none in flight, none planned)', () => !api.view.scheduler.isRefreshing && api.view.scheduler.nextRefreshAt === undefined);
    emu.resetRequests();
    await new Promise((r) => setTimeout(r, 6_000));
    assert.equal(emu.requests().length, 0, 'no request while hidden');
    await showRunsView();
    await waitFor('a refresh once visible again', () => emu.requests({ path: '^/v1/runs$' }).length > 0, 5_000);
  });

  it('says once that the token was rejected and stops asking', async () => {
    emu.addFault({ path: '^/v1/runs$', status: 401, count: -1 });
    await waitFor('unauthorized state', () => api.view.state === 'unauthorized', 20_000);
    await waitFor('the notice', async () =>
      !hasBrowser() || (await evaluate<string>('workbench', 'document.body.innerText')).includes('no longer accepts the stored token'),
    );
    await saveScreenshot('runs-unauthorized');
    await waitFor('the view to stop polling (none in flight, none planned)', () => !api.view.scheduler.isRefreshing && api.view.scheduler.nextRefreshAt === undefined);
    emu.resetRequests();
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(emu.requests().length, 0, 'no polling loop after a 401');
    emu.clearFaults();
    await vscode.commands.executeCommand('runflow.refresh');
    await waitFor('ready again', () => api.view.state === 'ready');
  });
});
