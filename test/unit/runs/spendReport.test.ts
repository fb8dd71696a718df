/**
 * Show Spend's walk over real sockets: against the emulator (default and strict mode), whose own exact
 * sum the totals must equal, and against a tiny server that repeats its cursor. Every request is counted.
 */
import { strict as assert } from 'node:assert';
import { localDayKey, localDaysBefore } from '../../../src/core/localDay';
import { csvText, spendCsv } from '../../../src/runs/spendCsv';
import { periodBounds, walkSpend, type SpendReport } from '../../../src/runs/spendReport';
import { spendView } from '../../../src/runs/spendView';
import { RunflowClient } from '../../../src/api/client';
import type { StrictMode } from '../../emulator';
import { sendJson, startTinyServer } from '../api/http-fixtures';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'tok-spend-77a1';
const RUNS = '^/v1/runs$';

/** Each currency's exact sum, as the report holds it: `{ USD: '1.5' }`. */
function sums(total: SpendReport['total']): Record<string, string> {
  return Object.fromEntries(total.currencies.map((c) => [c, total.amount(c)!]));
}

for (const mode of [false, 'refuse-q'] as (StrictMode | false)[]) {
  describe(`Show Spend's walk (${mode || 'default'} emulator)`, function () {
    this.timeout(20_000);
    const suite = useEmulator(TOKEN, { strict: mode, runCount: 600 });

    /** Runs with known costs at noon, local, `daysAgo` days back. */
    function seedDay(daysAgo: number): string {
      const noon = localDaysBefore(Date.now(), daysAgo) + 12 * 3_600_000;
      const costs = ['0.10000000000000000001', '-0.05', '1234.00000000000000000009', '0.00000000000000000001', '7'];
      for (const [i, cost] of costs.entries()) suite.emu.insertRun({ status_code: 'succeeded', cost, created_at: new Date(noon + i * 1000).toISOString() });
      suite.emu.insertRun({ status_code: 'succeeded', cost: '2.5', cost_breakdown: { currency: 'EUR' }, created_at: new Date(noon + 9000).toISOString() });
      suite.emu.insertRun({ status_code: 'failed', cost: null, created_at: new Date(noon + 9500).toISOString() });
      return localDayKey(noon);
    }

    it('totals a day and the period exactly as the emulator sums them, per currency, never mixed', async () => {
      const day = seedDay(2);
      const report = await walkSpend(suite.client, { period: '7d', pageSize: 100 });
      assert.equal(report.stop, 'end');
      const dayStart = localDaysBefore(Date.now(), 2);
      const emuDay = suite.emu.costSum(dayStart, localDaysBefore(Date.now(), 1));
      const row = report.byDay.get(day)!;
      assert.deepEqual(sums(row.total), emuDay.sums);
      assert.equal(row.runs, emuDay.runs);
      assert.equal(row.total.none, emuDay.none);
      // 1e-20 + 1e-20 + 9e-20 at the twentieth place; the seeded runs' costs stop at the sixth.
      assert.match(row.total.amount('USD')!, /\.\d{6}0{12}11$/);
      assert.equal(row.total.amount('EUR'), emuDay.sums.EUR);
      const { fromMs, toMs } = periodBounds('7d', Date.now());
      const emuPeriod = suite.emu.costSum(fromMs, toMs);
      assert.deepEqual(sums(report.total), emuPeriod.sums);
      assert.equal(report.progress.runsInPeriod, emuPeriod.runs);
      assert.equal(report.byDay.size, 7, 'every day of the period, with or without runs');
      // The models' totals add up to the period's.
      const models = [...report.byModel.values()].reduce((n, r) => n + r.runs, 0);
      assert.equal(models, report.progress.runsInPeriod);
    });

    it('stops two pages after the period ends, without reading the older runs', async () => {
      const all = await walkSpend(suite.client, { period: '30d', pageSize: 50 });
      suite.emu.resetRequests();
      const today = await walkSpend(suite.client, { period: 'today', pageSize: 50 });
      assert.equal(today.stop, 'end');
      const requests = suite.emu.requests({ method: 'GET', path: RUNS }).length;
      assert.equal(requests, today.progress.pages);
      assert.ok(today.progress.pages < all.progress.pages, `${today.progress.pages} pages for today, ${all.progress.pages} for 30 days`);
      const { fromMs, toMs } = periodBounds('today', Date.now());
      assert.equal(today.progress.runsInPeriod, suite.emu.costSum(fromMs, toMs).runs);
    });

    it('keeps the most expensive runs by exact comparison', async () => {
      const at = new Date(localDaysBefore(Date.now(), 0) + 60_000).toISOString();
      for (const cost of ['100000.29999999999999999999', '100000.30000000000000000001', '100000.3']) suite.emu.insertRun({ status_code: 'succeeded', cost, created_at: at });
      const report = await walkSpend(suite.client, { period: 'today', topCount: 3 });
      const top = report.top.get('USD')!.map((r) => spendView(report, false).top.find((t) => t.id === r.id)!.exact);
      assert.deepEqual(top, ['USD:100000.30000000000000000001', 'USD:100000.3', 'USD:100000.29999999999999999999']);
    });

    it('stops at a cancel, aborting the request in flight and sending no other', async () => {
      suite.emu.addFault({ method: 'GET', path: RUNS, delayMs: 1_500, count: -1 });
      const controller = new AbortController();
      const walking = walkSpend(suite.client, { period: '30d', pageSize: 20, signal: controller.signal });
      await new Promise((r) => setTimeout(r, 300));
      controller.abort();
      const report = await walking;
      assert.equal(report.stop, 'cancelled');
      const sent = suite.emu.requests({ method: 'GET', path: RUNS }).length;
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(suite.emu.requests({ method: 'GET', path: RUNS }).length, sent, 'no request after the cancel');
      assert.equal(sent, 1);
    });

    it('stops at its run budget and says so', async () => {
      const report = await walkSpend(suite.client, { period: '30d', pageSize: 20, runBudget: 40 });
      assert.equal(report.stop, 'run_budget');
      assert.equal(report.progress.runsRead, 40);
      assert.equal(spendView(report, false).partial, true);
    });
  });
}

describe("Show Spend's walk against a server that repeats its cursor", () => {
  it('stops on the repeated cursor and counts a run sent twice once', async () => {
    const created = new Date().toISOString();
    const server = await startTinyServer((_req, res) => sendJson(res, 200, { items: [{ id: 'r1', cost: '1.5', created_at: created }], next: 'same' }));
    try {
      const client = new RunflowClient({ baseUrl: server.url, getToken: () => TOKEN, retry: { maxAttempts: 1 } });
      const report = await walkSpend(client, { period: 'today' });
      assert.equal(report.stop, 'repeated_cursor');
      assert.equal(report.progress.pages, 2);
      assert.equal(report.total.amount('USD'), '1.5');
    } finally {
      await server.close();
    }
  });
});

describe('Show Spend CSV', () => {
  it('guards cells a spreadsheet would run, quotes what needs it, and keeps amounts exact', () => {
    assert.equal(csvText('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvText('+1'), "'+1");
    assert.equal(csvText('@a'), "'@a");
    assert.equal(csvText('-2'), "'-2");
    assert.equal(csvText('a,b'), '"a,b"');
    assert.equal(csvText('plain'), 'plain');
  });

  it('writes the period, models, days and top runs', async () => {
    const created = new Date().toISOString();
    const items = [
      { id: 'r1', cost: '0.10000000000000000001', created_at: created, model: { name: '=evil' } },
      { id: 'r2', cost: '-0.05', created_at: created, model: { name: '=evil' } },
    ];
    const server = await startTinyServer((_req, res) => sendJson(res, 200, { items, next: null }));
    try {
      const client = new RunflowClient({ baseUrl: server.url, getToken: () => TOKEN, retry: { maxAttempts: 1 } });
      const csv = spendCsv(await walkSpend(client, { period: 'today' })).split('\r\n');
      assert.equal(csv[0], 'section,key,currency,amount,runs,runs_without_cost,runs_not_summed,run_id,created_at');
      assert.ok(csv.includes("model,'=evil,USD,0.05000000000000000001,2,0,0,,"), csv.join('\n'));
      assert.ok(csv.some((l) => l.startsWith(`day,${localDayKey(Date.now())},USD,0.05000000000000000001,2`)));
      assert.ok(csv.some((l) => l.startsWith("top_run,'=evil,USD,-0.05,1,0,0,r2,")));
    } finally {
      await server.close();
    }
  });
});
