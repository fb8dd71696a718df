/**
 * Show Spend's CSV export: one row per model, per day and per top run, each total per currency on its
 * own row, amounts as exact decimal text. Cells are quoted when they must be, and a cell a spreadsheet
 * would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is prefixed with `'`:
 * model names come from strangers. Amounts are never prefixed: a negative adjustment is a number.
 */
import { formatScaled } from '../core/cost';
import type { CostTotal } from '../core/costTotals';
import { localDayKey, localDaysBefore } from '../core/localDay';
import type { SpendReport } from './spendReport';

const HEADER = ['section', 'key', 'currency', 'amount', 'runs', 'runs_without_cost', 'runs_not_summed', 'run_id', 'created_at'];

/** A cell of text from the API or the user, safe to open in a spreadsheet. */
export function csvText(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return csvCell(guarded);
}

/** Quotes a cell when it holds a comma, a quote or a line break. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function totalRows(section: string, key: string, runs: number, total: CostTotal): string[][] {
  const counts = [String(runs), String(total.none), String(total.notSummed)];
  const currencies = total.currencies;
  if (currencies.length === 0) return [[section, csvText(key), '', '', ...counts, '', '']];
  return currencies.map((code) => [section, csvText(key), code, total.amount(code) ?? '', ...counts, '', '']);
}

export function spendCsv(report: SpendReport): string {
  const rows: string[][] = [HEADER];
  const period = `${localDayKey(report.fromMs)}..${localDayKey(localDaysBefore(report.toMs, 1))}`;
  rows.push(...totalRows('period', period, report.progress.runsInPeriod, report.total));
  for (const [model, row] of report.byModel) rows.push(...totalRows('model', model, row.runs, row.total));
  for (const [day, row] of report.byDay) rows.push(...totalRows('day', day, row.runs, row.total));
  for (const [code, runs] of report.top) {
    for (const r of runs) rows.push(['top_run', csvText(r.label), code, formatScaled(r.cost.amount), '1', '0', '0', csvText(r.id), new Date(r.createdMs).toISOString()]);
  }
  return `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
}
