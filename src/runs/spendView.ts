/** A spend report as the Show Spend page shows it: every amount exact decimal text, formatted here. */
import { describeCost, formatScaled } from '../core/cost';
import { compareScaled, describeTotal, type CostTotal } from '../core/costTotals';
import { localDayKey, localDaysBefore } from '../core/localDay';
import type { SpendAmountView, SpendRowView, SpendTopRunView, SpendView } from '../shared/spendProtocol';
import type { SpendReport, SpendRow, SpendStop } from './spendReport';

const STOP_NOTES: Record<SpendStop, string> = {
  end: '',
  cancelled: 'Cancelled: the figures cover the runs read until then.',
  run_budget: 'Stopped at the run budget: older runs of the period are not counted.',
  time_budget: 'Stopped at the time budget: older runs of the period are not counted.',
  repeated_cursor: 'The server repeated a page cursor: the figures cover the runs read until then.',
  empty_page: 'The server sent an empty page that pointed further: the figures cover the runs read until then.',
  error: 'The API failed',
};

export function amountView(total: CostTotal): SpendAmountView {
  return {
    text: describeTotal(total) ?? describeCost(null).text,
    exact: total.currencies.map((code) => `${code}:${total.amount(code)}`),
    summed: total.summed,
    none: total.none,
    notSummed: total.notSummed,
  };
}

function rowView(key: string, row: SpendRow): SpendRowView {
  return { key, runs: row.runs, total: amountView(row.total) };
}

/** Models by what they cost (the default currency's exact sum), then by name; days newest first. */
export function spendView(report: SpendReport, running: boolean): SpendView {
  const models = [...report.byModel].sort(([ka, a], [kb, b]) => compareRows(a, b) || ka.localeCompare(kb));
  const top: SpendTopRunView[] = [...report.top.values()].flat().map((r) => ({
    id: r.id,
    label: r.label,
    created: new Date(r.createdMs).toLocaleString(),
    cost: describeCost(formatScaled(r.cost.amount), r.cost.currency).text,
    exact: `${r.cost.currency}:${formatScaled(r.cost.amount)}`,
  }));
  const stopNote = running ? '' : STOP_NOTES[report.stop];
  return {
    period: report.period,
    fromDay: localDayKey(report.fromMs),
    toDay: localDayKey(localDaysBefore(report.toMs, 1)),
    running,
    pages: report.progress.pages,
    runsRead: report.progress.runsRead,
    runsInPeriod: report.progress.runsInPeriod,
    note: report.stop === 'error' && !running ? `${stopNote}: ${report.error ?? 'unknown error'}` : stopNote,
    partial: running || report.stop !== 'end',
    total: amountView(report.total),
    models: models.map(([key, row]) => rowView(key, row)),
    days: [...report.byDay].map(([key, row]) => rowView(key, row)),
    top,
  };
}

/** Descending by the first currency's exact sum; a row with no sum after those with one. */
function compareRows(a: SpendRow, b: SpendRow): number {
  const code = a.total.currencies[0] ?? b.total.currencies[0];
  const sa = code ? a.total.scaled(code) : undefined;
  const sb = code ? b.total.scaled(code) : undefined;
  if (!sa || !sb) return sa ? -1 : sb ? 1 : 0;
  return compareScaled(sb, sa);
}
