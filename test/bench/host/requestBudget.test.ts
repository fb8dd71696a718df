/**
 * Requests over ten simulated minutes. RUNFLOW_TEST_TIME_SCALE speeds up the extension's poll clocks
 * (and nothing else), so ten minutes of polling take a few seconds; the runs are inserted as static
 * ones, so an active run stays active for the whole stretch. The emulator's request log counts.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { waitFor } from '../../integration/support/wait';
import type { LaunchFigures } from '../shared';
import { emulator, type EmulatorControl } from './support/emulators';
import { sleep } from './support/page';
import { recordFigures } from './support/results';
import { closeAllPanels, connectTo, hideRunsView, showRunsView } from './support/runflow';

const SIMULATED_MINUTES = 10;
/** Large enough for the view to hold every run of the busiest scenario. */
const PAGE_SIZE = 200;

interface Scenario {
  name: string;
  active: number;
  visible: boolean;
  /** Panels of active runs opened as tabs of one editor group: the last one is on screen. */
  panels?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'hidden', active: 10, visible: false },
  { name: 'visible, nothing active', active: 0, visible: true },
  { name: '10 active', active: 10, visible: true },
  { name: '100 active', active: 100, visible: true },
  { name: '10 active, 5 panels open', active: 10, visible: true, panels: 5 },
];

async function seed(emu: EmulatorControl, active: number): Promise<void> {
  await emu.reset();
  const now = Date.now();
  for (let i = 0; i < 20; i++) {
    await emu.insertRun({ status_code: 'succeeded', created_at: new Date(now - 3_600_000 - i * 60_000).toISOString() });
  }
  for (let i = 0; i < active; i++) {
    await emu.insertRun({ status_code: 'running', created_at: new Date(now - i * 1_000).toISOString() });
  }
}

/** How many times each run was read, most first. */
function readsByRun(paths: string[]): number[] {
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => b - a);
}

describe('request budget', function () {
  this.timeout(600_000);

  it('counts requests over ten simulated minutes: hidden, idle, 10 and 100 active runs, 5 panels open', async () => {
    const scale = Number(process.env.RUNFLOW_TEST_TIME_SCALE);
    assert.ok(Number.isFinite(scale) && scale > 1, 'RUNFLOW_TEST_TIME_SCALE speeds up the poll clocks for this suite');
    const activeIntervalS = vscode.workspace.getConfiguration('runflow').get<number>('refresh.activeIntervalSeconds') ?? 5;
    const emu = emulator('budget');
    const scenarios: NonNullable<LaunchFigures['budget']>['scenarios'] = {};
    for (const scenario of SCENARIOS) {
      await seed(emu, scenario.active);
      const api = await connectTo(emu, { pageSize: PAGE_SIZE, autoRefresh: true });
      closeAllPanels(api);
      if (scenario.visible) {
        await showRunsView();
        await waitFor('the Runs view to be visible', () => api.view.treeView.visible);
      } else {
        await hideRunsView(api);
      }
      assert.equal(api.store.activeRuns().length, scenario.active, 'the view holds every active run');
      const loadedRuns = api.store.size;
      const panelRuns = api.store.activeRuns().slice(0, scenario.panels ?? 0).map((r) => r.id!);
      for (const id of panelRuns) api.panels.open(id);
      await waitFor('the panels open', () => panelRuns.every((id) => api.panels.openRunIds.includes(id)));
      if (panelRuns.length) {
        // Counted once the tabs have settled: the last one on screen with its page up, the others behind it.
        // Each was on screen for a moment as it opened, which the sped-up clocks would stretch into intervals.
        const last = panelRuns[panelRuns.length - 1];
        await waitFor('one panel on screen, its page ready, the others behind it', () =>
          panelRuns.every((id) => api.panels.panel(id)?.panel.visible === (id === last)) && api.panels.panel(last)?.readyAt !== undefined,
        );
      }

      await emu.resetRequests();
      const t0 = Date.now();
      const spanMs = (SIMULATED_MINUTES * 60_000) / scale;
      await sleep(spanMs);
      const records = (await emu.requests({ path: '^/v1/' })).filter((r) => r.at <= t0 + spanMs);
      const list = records.filter((r) => r.path === '/v1/runs');
      const runReads = records.filter((r) => /^\/v1\/runs\/[^/]+$/.test(r.path));
      const logReads = records.filter((r) => /^\/v1\/runs\/[^/]+\/logs$/.test(r.path));
      const lastHalf = records.filter((r) => r.at >= t0 + spanMs / 2);
      scenarios[scenario.name] = {
        requests: records.length,
        listRequests: list.length,
        otherRequests: records.length - list.length,
        perMinute: records.length / SIMULATED_MINUTES,
        lastHalfPerMinute: lastHalf.length / (SIMULATED_MINUTES / 2),
        activeRuns: scenario.active,
        loadedRuns,
        ...(panelRuns.length ? { panels: panelRuns.length, runRequests: runReads.length, logRequests: logReads.length, readsByRun: readsByRun(runReads.map((r) => r.path)) } : {}),
      };
      closeAllPanels(api);
      console.log(`request budget, ${scenario.name}: ${JSON.stringify(scenarios[scenario.name])} (refresh interval with active runs ${activeIntervalS} s)`);
    }
    const api = await connectTo(emu, { pageSize: 50, autoRefresh: false });
    await hideRunsView(api);
    recordFigures((f) => {
      f.windowFocused = vscode.window.state.focused;
      f.budget = { timeScale: scale, simulatedMinutes: SIMULATED_MINUTES, activeIntervalS, scenarios };
    });
  });
});
