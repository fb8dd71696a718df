import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import type { Run } from '../../src/api/types';
import { shortId, statusOf } from '../../src/core/runModel';
import type { GroupNode, RunNode, RunsTreeNode } from '../../src/views/runsTree';
import { click, evaluate, hasBrowser, press, saveScreenshot } from './support/driver';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { notificationsText, runRowSelector, setPaneExpanded, shownRunIds } from './support/runsPane';
import { waitFor } from './support/wait';

const CLICKS = 20;

/**
 * Changes runs every second, as a busy account does: two running runs make progress (their rows redraw
 * under the pointer), and every third second the bottom run of Running finishes (VS Code redraws the
 * group, and Succeeded) and a new run is queued (on top of Queued). Nothing is added above the rows
 * clicked: a run added on top of a group moves every row below it down by one, and a click at that
 * instant lands on the run that took the place (where runs go is the next test's business).
 */
function startUpdates(emu: Emulator, api: TestApi, finishing: string[]): { stop(): void; readonly ticks: number } {
  let ticks = 0;
  const left = [...finishing].reverse();
  const timer = setInterval(() => {
    ticks++;
    const running = api.store.activeRuns().filter((r) => statusOf(r) === 'running' && emu.getRun(r.id!));
    for (let k = 0; k < 2 && running.length; k++) {
      const run = running[(ticks * 2 + k) % running.length];
      emu.updateRun(run.id!, { cost: (ticks / 1000 + k / 10_000).toFixed(6) });
    }
    if (ticks % 3 === 0) {
      const now = new Date().toISOString();
      const done = left.shift();
      if (done) emu.updateRun(done, { status_code: 'succeeded', completed_at: now });
      emu.insertRun({ status_code: 'queued', created_at: now });
    }
  }, 1_000);
  return {
    stop: () => clearInterval(timer),
    get ticks() {
      return ticks;
    },
  };
}

async function groupOrder(api: TestApi): Promise<Map<string, string[]>> {
  const order = new Map<string, string[]>();
  for (const group of (await api.view.tree.getChildren()).filter((n): n is GroupNode => n.kind === 'group')) {
    order.set(group.status, ((await api.view.tree.getChildren(group)) as RunNode[]).map((n) => n.runId));
  }
  return order;
}

function quickInputOpen(): Promise<boolean> {
  return evaluate<boolean>('workbench', `!!document.querySelector('.quick-input-widget:not([style*="display: none"])')`);
}

describe('Runs tree: rows that hold still', function () {
  this.timeout(300_000);
  let emu: Emulator;
  let api: TestApi;
  let updates: ReturnType<typeof startUpdates> | undefined;

  before(async () => {
    ({ emu, api } = await startFixture());
    const now = Date.now();
    // Enough active runs on the first screen that most clicks land on rows that redraw.
    for (let i = 0; i < 16; i++) {
      const at = new Date(now - i * 7_000).toISOString();
      emu.insertRun({ status_code: 'running', created_at: at, started_at: at });
    }
    for (let i = 0; i < 4; i++) emu.insertRun({ status_code: 'queued', created_at: new Date(now - 90_000 - i * 5_000).toISOString() });
    await showRunsView();
    // Every running row on screen: the Runs view has the container to itself.
    if (hasBrowser()) await setPaneExpanded('Log Matches', false);
    await signedIn(api, emu);
  });
  after(async () => {
    updates?.stop();
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopFixture(emu, api);
  });

  it(`opens the panel of each of ${CLICKS} rows clicked in a row while runs update every second`, async function () {
    if (!hasBrowser()) this.skip();
    await waitFor('run rows on screen', async () => (await shownRunIds()).length >= 10, 20_000);
    // The rows clicked are those of Running, above the runs that finish during the clicks (the bottom of
    // the group, in the order shown): those leave their rows, and the rows below them move up.
    const shownRunning = ((await api.view.tree.getChildren({ kind: 'group', status: 'running' } as GroupNode)) as RunNode[]).map((n) => n.runId);
    assert.ok(shownRunning.length >= CLICKS + 6, `running runs: ${shownRunning.length}`);
    const finishing = shownRunning.slice(-6);
    const clickable = new Set(shownRunning.slice(0, -6));
    updates = startUpdates(emu, api, finishing);
    const clicked: string[] = [];
    const times: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      // Clicks come faster than the updates: every other click waits for the next one, so that the
      // twenty clicks span ten updates whatever the machine's speed.
      const tick = Math.ceil(i / 2);
      await waitFor(`update ${tick} before click ${i + 1}`, () => updates!.ticks >= tick, 20_000);
      // A running row on screen, spread over the group; one not clicked before while there are.
      const run = await waitFor(`a row to click (${i + 1})`, async () => {
        const runs = (await shownRunIds())
          .map((short) => api.store.all().find((r) => r.id && shortId(r.id) === short))
          .filter((r): r is Run & { id: string } => !!r && clickable.has(r.id!));
        const fresh = runs.filter((r) => !clicked.includes(r.id));
        const pick = fresh.length ? fresh : runs;
        return pick[(i * 7) % Math.max(1, pick.length)];
      }, 20_000);
      assert.equal(await quickInputOpen(), false, 'no picker is open before the click');
      const started = Date.now();
      await click('workbench', runRowSelector(run.id));
      try {
        await waitFor(`the panel of click ${i + 1} (run ${run.id}, ${statusOf(run)})`, () => api.panels.openRunIds.includes(run.id), 20_000);
      } catch (err) {
        const open = api.panels.openRunIds;
        if (open.length) throw new Error(`click ${i + 1} on ${run.id} opened ${open.join(', ')} instead`, { cause: err });
        if (await quickInputOpen()) {
          await press('Escape');
          throw new Error(`click ${i + 1} asked for a run instead of opening ${run.id}: the extension did not know the selected row`, {
            cause: err,
          });
        }
        throw err;
      }
      times.push(Date.now() - started);
      clicked.push(run.id);
      api.panels.panel(run.id)?.dispose();
      await waitFor('the panel to close', () => !api.panels.openRunIds.includes(run.id));
    }
    updates.stop();
    assert.equal(clicked.length, CLICKS);
    console.log(`      ${CLICKS} clicks, ${updates.ticks} updates; click to panel: median ${times.sort((a, b) => a - b)[times.length >> 1]} ms, slowest ${times[times.length - 1]} ms`);

    await vscode.commands.executeCommand('notifications.showList');
    const notes = await notificationsText();
    await vscode.commands.executeCommand('notifications.hideList');
    assert.doesNotMatch(notes, /command not found|Actual command/i, 'no click ran a command VS Code had forgotten');
    await saveScreenshot('runs-tree-after-clicks');
  });

  it('keeps each run in its place while others change, and puts runs new to a group on top of it', async () => {
    updates?.stop();
    // What the last updates changed, in the view before the picture is taken.
    await api.view.refresh();
    await api.view.refresh();
    const before = await groupOrder(api);
    const running = before.get('running') ?? [];
    const queued = before.get('queued') ?? [];
    assert.ok(running.length >= 4 && queued.length >= 1, `running ${running.length}, queued ${queued.length}`);
    const now = new Date().toISOString();
    const [finished, , changed] = running;
    const promoted = queued[queued.length - 1];
    // In one go, so that a single refresh brings every change.
    emu.updateRun(changed, { cost: '7.654321' });
    emu.updateRun(finished, { status_code: 'succeeded', completed_at: now });
    emu.updateRun(promoted, { status_code: 'running', started_at: now });
    const fresh = emu.insertRun({ status_code: 'running', created_at: now, started_at: now });
    await waitFor('the changes in the view', () =>
      api.store.get(fresh.id!) && api.store.get(finished)?.status_code === 'succeeded' && api.store.get(promoted)?.status_code === 'running' && api.store.get(changed)?.cost === '7.654321',
    20_000);
    const after = await groupOrder(api);
    assert.deepEqual(after.get('running'), [fresh.id, promoted, ...running.filter((id) => id !== finished)], 'new to Running: on top, newest first; the others where they were');
    assert.deepEqual(after.get('succeeded'), [finished, ...(before.get('succeeded') ?? [])], 'a run that finished: on top of Succeeded');
    assert.deepEqual(after.get('queued'), queued.filter((id) => id !== promoted));
    for (const status of ['failed', 'cancelled', 'partial_succeeded']) assert.deepEqual(after.get(status), before.get(status), `${status} unchanged`);
    // Every row keeps one id for as long as it is shown.
    for (const [status, ids] of after) {
      for (const id of ids) assert.equal(api.view.tree.getTreeItem({ kind: 'run', runId: id, status } as RunNode).id, `run:${status}:${id}`);
    }
  });

  it('redraws a row only when what it shows changes', async () => {
    updates?.stop();
    await api.view.refresh();
    await api.view.refresh();
    // The list's polling is held for the whole test, so that no poll lands between a step and its count.
    api.view.scheduler.halt();
    const fired: RunsTreeNode[] = [];
    let whole = 0;
    const sub = api.view.tree.onDidChangeTreeData((e) => {
      if (e === undefined) whole++;
      else fired.push(...(Array.isArray(e) ? e : [e]));
    });
    try {
      await waitFor('no list refresh in flight', () => !api.view.scheduler.isRefreshing, 20_000);
      const running = { kind: 'group', status: 'running' } as GroupNode;
      // The clock redraws the rows VS Code has drawn; the last refresh may still be on its way to the screen.
      const shownRunning = await waitFor('VS Code to draw every running row', async () => {
        const rows = (await api.view.tree.getChildren(running)) as RunNode[];
        return rows.length > 0 && rows.every((r) => api.view.tree.isDrawn(r)) ? rows : undefined;
      }, 20_000);
      const now = Date.now();
      api.view.tree.refreshClockDependent(now);
      fired.length = 0;
      api.view.tree.refreshClockDependent(now);
      assert.equal(fired.length, 0, 'the same minute: no row redrawn');

      // A minute on, the running times have moved; a run finished long ago reads the same.
      api.view.tree.refreshClockDependent(now + 61_000);
      const redrawn = new Set(fired.map((n) => (n as RunNode).runId));
      for (const r of shownRunning) assert.ok(redrawn.has(r.runId), `running ${r.runId} redrawn a minute later`);
      const shownRows = (await groupOrder(api)).get('failed') ?? [];
      assert.ok(shownRows.some((id) => !redrawn.has(id)), 'rows whose text did not move are left alone');

      // Back to the real clock: nothing but the change below differs from what is drawn.
      api.view.tree.refreshClockDependent(Date.now());
      // One run's data changes: that row alone is redrawn. The answer goes into the store in one
      // synchronous step, so that no clock tick lands between it and the count.
      const target = shownRunning[shownRunning.length - 1].runId;
      const change = async (patch: Parameters<Emulator['updateRun']>[1]) => {
        emu.updateRun(target, patch);
        const answer = await api.connection.client.getRun(target, { embed: ['model', 'flow', 'comfyui_workflow'] });
        fired.length = 0;
        whole = 0;
        api.store.upsert(answer);
      };
      await change({ client_ref: 'redraw-check' });
      assert.equal(api.store.get(target)?.client_ref, 'redraw-check');
      assert.equal(whole, 0, 'no whole-tree redraw');
      assert.deepEqual(fired.map((n) => (n.kind === 'run' ? n.runId : n.kind)), [target], 'that row alone is redrawn');

      // Its cost changes: the group's total moves, so the group row is redrawn (VS Code asks for its rows
      // with it), and nothing else.
      await change({ cost: '1.234567' });
      assert.equal(api.store.get(target)?.cost, '1.234567');
      assert.equal(whole, 0, 'no whole-tree redraw');
      assert.deepEqual(fired.map((n) => (n.kind === 'group' ? `group:${n.status}` : n.kind)), ['group:running'], 'its group alone is redrawn');
    } finally {
      api.view.scheduler.resume();
      sub.dispose();
    }
  });
});
