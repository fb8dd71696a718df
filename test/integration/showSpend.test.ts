import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { localDayKey, localDaysBefore } from '../../src/core/localDay';
import type { SpendPanel } from '../../src/panels/spendPanel';
import { click, evaluate, hasBrowser } from './support/driver';
import { emulatorModeName } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { waitFor } from './support/wait';

const RUNS = '^/v1/runs$';
/** Show Spend asks for pages of 500; the Runs view for pages of 50 (see startFixture). */
const isSpendRequest = (r: { query: Record<string, string> }) => r.query.limit === '500';

/** The page of the Show Spend panel, once it shows `period` in `state`. */
function spendPage(period: string, state = 'done') {
  return { selector: `body[data-runflow-view="spend"] #app[data-state="${state}"][data-period="${period}"]` };
}

/** "USD:1.5 EUR:2" as a set, whatever the order. */
function exactSet(text: string | null | undefined): string[] {
  return (text ?? '').split(' ').filter(Boolean).sort();
}

describe(`Show Spend (${emulatorModeName()})`, function () {
  this.timeout(240_000);
  let emu: Emulator;
  let api: TestApi;
  let seededDay: string;
  let dayStart: number;

  before(async () => {
    ({ emu, api } = await startFixture({ runCount: 1_500 }));
    await showRunsView();
    await signedIn(api, emu);
    // A day with known costs: twenty decimal places, negative adjustments, euros beside dollars.
    dayStart = localDaysBefore(Date.now(), 3);
    const noon = dayStart + 12 * 3_600_000;
    const costs = ['0.10000000000000000001', '-0.05', '1234.00000000000000000009', '-0.00000000000000000003', '99.5'];
    for (const [i, cost] of costs.entries()) emu.insertRun({ status_code: 'succeeded', cost, created_at: new Date(noon + i * 1_000).toISOString() });
    emu.insertRun({ status_code: 'succeeded', cost: '3.75', cost_breakdown: { currency: 'EUR' }, created_at: new Date(noon + 9_000).toISOString() });
    seededDay = localDayKey(noon);
  });
  after(async () => {
    api?.spend.open?.dispose();
    emu?.clearFaults();
    api?.view.scheduler.resume();
    await stopFixture(emu, api);
  });

  it("totals a seeded day as the emulator's own exact sum, and a top run opens its panel", async () => {
    const panel = (await vscode.commands.executeCommand('runflow.showSpend', '7d')) as SpendPanel;
    const report = await panel.walk!.done;
    assert.equal(report.stop, 'end', report.error);
    const day = emu.costSum(dayStart, localDaysBefore(Date.now(), 2));
    const expectedDay = Object.entries(day.sums).map(([code, sum]) => `${code}:${sum}`).sort();
    assert.ok(expectedDay.some((e) => /^USD:.*\.\d{6}0{12}07$/.test(e)), `twenty decimal places: ${expectedDay.join(' ')}`);
    const row = report.byDay.get(seededDay)!;
    assert.deepEqual(row.total.currencies.map((c) => `${c}:${row.total.amount(c)}`).sort(), expectedDay);
    assert.equal(row.runs, day.runs);
    // The CSV holds the same exact amounts.
    const csvFile = vscode.Uri.file(path.join(os.tmpdir(), `runflow-spend-${process.pid}.csv`));
    await panel.exportCsv(csvFile);
    const csv = Buffer.from(await vscode.workspace.fs.readFile(csvFile)).toString('utf8').split('\r\n');
    await vscode.workspace.fs.delete(csvFile);
    for (const [code, sum] of Object.entries(day.sums)) assert.ok(csv.some((l) => l.startsWith(`day,${seededDay},${code},${sum},${day.runs},`)), `${code} ${sum} in the CSV`);
    if (!hasBrowser()) return;

    const page = spendPage('7d');
    // A webview starts slowly on a busy machine: the page is waited for as long as the walk may take.
    await waitFor('the page to show the finished walk', () => evaluate<boolean>(page, 'true').catch(() => false), 60_000);
    const shown = await evaluate<string | null>(page, `document.querySelector('[data-testid="day-row"][data-key="${seededDay}"] .amount')?.getAttribute('data-exact') ?? null`);
    assert.deepEqual(exactSet(shown), expectedDay, 'the page shows the emulator’s sum');
    const period = emu.costSum(localDaysBefore(Date.now(), 6), localDaysBefore(Date.now(), -1));
    const total = await evaluate<string | null>(page, `document.querySelector('[data-testid="total"] [data-exact]')?.getAttribute('data-exact') ?? null`);
    assert.deepEqual(exactSet(total), Object.entries(period.sums).map(([c, s]) => `${c}:${s}`).sort(), 'the period’s total too');

    const topId = await evaluate<string | null>(page, `document.querySelector('[data-testid="top-run"]')?.getAttribute('data-run-id') ?? null`);
    assert.ok(topId, 'a most expensive run is listed');
    await click(page, `[data-testid="top-run"][data-run-id="${topId}"] button[data-open-run]`);
    await waitFor('its run panel', () => api.panels.openRunIds.includes(topId));
    api.panels.panel(topId)?.dispose();
  });

  it('cancelled, sends no further /v1/runs request', async function () {
    if (!hasBrowser()) this.skip();
    // The Runs view's own polling is held, and the walk's requests are told apart by their page size.
    api.view.scheduler.halt();
    emu.addFault({ method: 'GET', path: RUNS, delayMs: 3_000, count: -1 });
    emu.resetRequests();
    const panel = (await vscode.commands.executeCommand('runflow.showSpend', '30d')) as SpendPanel;
    const walking = panel.walk!.done;
    const running = spendPage('30d', 'running');
    await waitFor('a page read', () => evaluate<boolean>(running, `Number(document.getElementById('app').dataset.pages) >= 1`), 30_000);
    await click(running, '[data-testid="cancel"]');
    const report = await walking;
    assert.equal(report.stop, 'cancelled');
    const sent = emu.requests({ method: 'GET', path: RUNS }).filter(isSpendRequest).length;
    assert.ok(sent >= 2, `${sent} requests: the cancel came during the walk`);
    await waitFor('the page to say it was cancelled', () => evaluate<boolean>(spendPage('30d', 'partial'), `/Cancelled/.test(document.querySelector('[data-testid="note"]')?.textContent ?? '')`));
    // Longer than a page takes: a walk still going would have asked again.
    await new Promise((r) => setTimeout(r, 7_000));
    assert.equal(emu.requests({ method: 'GET', path: RUNS }).filter(isSpendRequest).length, sent, 'no request after the cancel');
    emu.clearFaults();
    api.view.scheduler.resume();
  });
});
