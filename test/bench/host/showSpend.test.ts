/**
 * Runflow: Show Spend over the last 30 days of 10,000 runs: how soon the walk is over and the page says so,
 * the requests it made, and the extension host's memory while it reads (it keeps aggregates, not runs).
 * The period's exact total is checked against the emulator's own sum.
 */
import * as vscode from 'vscode';
import { evaluate } from '../../integration/support/driver';
import { waitFor } from '../../integration/support/wait';
import type { TestApi } from '../../../src/extension';
import type { SpendPanel } from '../../../src/panels/spendPanel';
import { periodBounds } from '../../../src/runs/spendReport';
import type { SpendFigures } from '../shared';
import { emulator, type EmulatorControl } from './support/emulators';
import { MemorySampler } from './support/memory';
import { requireBrowser } from './support/page';
import { recordFigures, repetitions } from './support/results';
import { connectTo } from './support/runflow';

const RUNS = '^/v1/runs$';
const DONE = { selector: 'body[data-runflow-view="spend"] #app[data-state="done"][data-period="30d"]' };

describe('show spend', function () {
  this.timeout(600_000);
  let api: TestApi;
  let emu: EmulatorControl;

  before(async () => {
    requireBrowser();
    emu = emulator('spend');
    await emu.reset();
    api = await connectTo(emu, { autoRefresh: false });
  });

  after(() => api?.spend.open?.dispose());

  it('walks 30 days of 10,000 runs', async () => {
    const all: SpendFigures[] = [];
    for (let rep = 0; rep < repetitions(3); rep++) all.push(await measure());
    recordFigures((f) => {
      f.spend = all;
    });
    console.log(`show spend: ${JSON.stringify(all)}`);
  });

  async function measure(): Promise<SpendFigures> {
    api.spend.open?.dispose();
    await emu.resetRequests();
    const memory = MemorySampler.start();
    const t0 = Date.now();
    const panel = (await vscode.commands.executeCommand('runflow.showSpend', '30d')) as SpendPanel;
    const report = await panel.walk!.done;
    const resolvedMs = Date.now() - t0;
    await waitFor('the page to show the totals', () => evaluate<boolean>(DONE, 'true').catch(() => false), 60_000, 20);
    const shownMs = Date.now() - t0;
    const used = memory.stop();
    if (report.stop !== 'end') throw new Error(`the walk stopped early: ${report.stop} ${report.error ?? ''}`);
    const requests = (await emu.requests({ method: 'GET', path: RUNS })).filter((r) => r.query.limit === '500');
    const { fromMs, toMs } = periodBounds('30d', t0);
    const expected = await emu.costSum(fromMs, toMs);
    const shown = Object.fromEntries(report.total.currencies.map((c) => [c, report.total.amount(c)]));
    return {
      runsInPeriod: report.progress.runsInPeriod,
      runsRead: report.progress.runsRead,
      pages: report.progress.pages,
      requests: requests.length,
      bytes: requests.reduce((a, r) => a + (r.bytes ?? 0), 0),
      resolvedMs,
      shownMs,
      matchesEmulator: JSON.stringify(shown) === JSON.stringify(expected.sums) && report.progress.runsInPeriod === expected.runs,
      memory: used,
      clientMs: await clientWalk(report.progress.pages),
    };
  }

  /** The reference: the walk's pages read through the client as it asked for them, each let go. */
  async function clientWalk(pages: number): Promise<number> {
    const t0 = Date.now();
    let pq: string | undefined;
    for (let i = 0; i < pages; i++) {
      const page = await api.connection.client.searchRuns({ sort_by: 'created_at:desc', limit: 500, embed: ['model', 'flow', 'comfyui_workflow'], pq });
      if (!page.next) break;
      pq = page.next;
    }
    return Date.now() - t0;
  }
});
