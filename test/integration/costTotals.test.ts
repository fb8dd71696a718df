import { strict as assert } from 'node:assert';
import type { Emulator } from '../emulator';
import { sumDecimals } from '../emulator/money';
import type { TestApi } from '../../src/extension';
import type { Run } from '../../src/api/types';
import { describeCost } from '../../src/core/cost';
import { statusOf } from '../../src/core/runModel';
import type { GroupNode } from '../../src/views/runsTree';
import { todaySpendLine } from '../../src/views/runsStatusBar';
import { hasBrowser } from './support/driver';
import { emulatorModeName } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { runsViewRows } from './support/runsPane';
import { waitFor } from './support/wait';

/** Costs with twenty decimal places and negative adjustments: a float sum would lose them. */
const COSTS = ['0.10000000000000000001', '-0.05', '1234.00000000000000000009', '-0.00000000000000000003', '2.5'];

/**
 * The description a group's row should show, computed here apart from the extension: its loaded runs'
 * costs summed as exact decimals by the emulator's own arithmetic, per currency, never across them.
 */
function expectedGroupText(runs: readonly Run[]): string {
  const byCurrency = new Map<string, string[]>();
  let notSummed = 0;
  for (const run of runs) {
    if (run.cost === null || run.cost === undefined || (typeof run.cost === 'string' && run.cost.trim() === '')) continue;
    const named = (run.cost_breakdown as { currency?: unknown } | null | undefined)?.currency;
    const currency = named === undefined || named === null || named === '' ? 'USD' : typeof named === 'string' && /^[A-Za-z]{3}$/.test(named.trim()) ? named.trim().toUpperCase() : undefined;
    if (typeof run.cost !== 'string' || currency === undefined) {
      notSummed++;
      continue;
    }
    byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), run.cost.trim()]);
  }
  const parts: string[] = [];
  for (const code of [...byCurrency.keys()].sort((a, b) => (a === 'USD' ? -1 : b === 'USD' ? 1 : a.localeCompare(b)))) {
    const { sum, skipped } = sumDecimals(byCurrency.get(code)!);
    notSummed += skipped;
    if (skipped < byCurrency.get(code)!.length) parts.push(describeCost(sum, code).text);
  }
  if (notSummed) parts.push(`${notSummed} not summed`);
  return parts.length ? `${runs.length} · ${parts.join(' + ')}` : String(runs.length);
}

describe(`Cost totals (${emulatorModeName()})`, function () {
  this.timeout(180_000);
  let emu: Emulator;
  let api: TestApi;
  const failed = { kind: 'group', status: 'failed' } as GroupNode;
  const failedRuns = () => api.store.all().filter((r) => statusOf(r) === 'failed');

  before(async () => {
    ({ emu, api } = await startFixture());
    await showRunsView();
    await signedIn(api, emu);
  });
  after(() => stopFixture(emu, api));

  it('shows each status group the exact sum of its loaded runs, per currency, and redraws it when a cost changes', async () => {
    const now = new Date().toISOString();
    const inserted = COSTS.map((cost) => emu.insertRun({ status_code: 'failed', cost, created_at: now }).id);
    inserted.push(emu.insertRun({ status_code: 'failed', cost: '3.75', cost_breakdown: { currency: 'EUR' }, created_at: now }).id);
    await api.view.refresh();
    await waitFor('the inserted runs in the view', () => inserted.every((id) => api.store.get(id)));

    const expected = expectedGroupText(failedRuns());
    // 1e-20 + 9e-20 − 3e-20 at the twentieth place; the seeded runs' costs stop at the sixth.
    assert.match(expected, /\.\d{6}0{12}07 \+ €3\.75/, `twenty decimal places, and euros kept apart: ${expected}`);
    await waitFor('the Failed group to show its total', () => api.view.tree.getTreeItem(failed).description === expected);
    const tooltip = String(api.view.tree.getTreeItem(failed).tooltip);
    assert.ok(tooltip.includes('(USD)') && tooltip.includes('€3.75 (EUR)'), tooltip);
    if (hasBrowser()) {
      const label = `Failed, ${failedRuns().length} runs, ${expected.split(' · ')[1]}`;
      await waitFor(`the row "${label}" in the workbench`, async () => (await runsViewRows()).includes(label), 20_000);
    }

    // A member's cost changes: its group's total follows.
    emu.updateRun(inserted[1], { cost: '-0.06000000000000000001' });
    await api.view.refresh();
    await waitFor('the new cost in the store', () => api.store.get(inserted[1])?.cost === '-0.06000000000000000001');
    const moved = expectedGroupText(failedRuns());
    assert.notEqual(moved, expected);
    await waitFor('the Failed group to show its new total', () => api.view.tree.getTreeItem(failed).description === moved);
    if (hasBrowser()) {
      const label = `Failed, ${failedRuns().length} runs, ${moved.split(' · ')[1]}`;
      await waitFor(`the row "${label}" in the workbench`, async () => (await runsViewRows()).includes(label), 20_000);
    }
  });

  it("says in the status bar's tooltip what today's loaded runs cost", () => {
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    const end = new Date(start);
    end.setDate(end.getDate() + 1);
    const today = api.store.all().filter((r) => {
      const t = Date.parse(String(r.created_at));
      return t >= start.getTime() && t < end.getTime();
    });
    assert.ok(today.length >= COSTS.length + 1, `${today.length} runs today`);
    const [, text] = expectedGroupText(today).split(' · ');
    assert.equal(todaySpendLine(api.store.all(), Date.now()), `Today: ${text} across ${today.length} loaded runs`);
  });
});
