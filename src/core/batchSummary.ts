/**
 * What a batch amounts to, free of VS Code: the estimate shown before sending, the counts of its runs by
 * status, the one outcome its icon shows, and the sentence that ends a send.
 */
import type { ModelPricing, Run } from '../api/types';
import { describeCost, formatScaled, parseCost, type ScaledDecimal } from './cost';
import { compareScaled, describeTotal, runCurrency, totalOf, DEFAULT_CURRENCY } from './costTotals';
import { compareStatuses, isFailureStatus, isTerminalStatus, statusLabel, statusOf } from './runModel';

export interface CostEstimate {
  /** "about $0.0985", or undefined when nothing allows an estimate. */
  amount?: string;
  /** Where the figure comes from, or why there is none: always said, as an estimate is not a price. */
  basis: string;
}

/** Prices per run from the model's pricing: only a flat price per run allows an estimate from pricing alone. */
function pricePerRun(pricing: readonly (ModelPricing | null | undefined)[] | null | undefined): { amount: ScaledDecimal; currency: string } | undefined {
  const active = (pricing ?? []).filter((p): p is ModelPricing => !!p && !p.disabled_at);
  if (active.length !== 1) return undefined;
  const [p] = active;
  const perRun = /^(run|request|call|prediction)s?$/i.test(p.unit_code ?? '') || /^(per_run|flat|fixed)$/i.test(p.pricing_model_code ?? '');
  const amount = parseCost(p.price ?? undefined);
  return perRun && amount ? { amount, currency: (p.currency_code ?? DEFAULT_CURRENCY).trim().toUpperCase() || DEFAULT_CURRENCY } : undefined;
}

function times(a: ScaledDecimal, n: number): ScaledDecimal {
  return { units: a.units * BigInt(n), scale: a.scale };
}

/**
 * An estimate of what `count` runs of a model cost: from a flat price per run in its pricing, else from the
 * median cost of its recent succeeded runs (pricing per second or per token depends on what the run does).
 */
export function estimateBatchCost(count: number, pricing: readonly (ModelPricing | null | undefined)[] | null | undefined, recentSucceeded: readonly Run[]): CostEstimate {
  const flat = pricePerRun(pricing);
  if (flat) {
    return { amount: `about ${describeCost(formatScaled(times(flat.amount, count)), flat.currency).text}`, basis: `estimate: ${count} × the model's price per run` };
  }
  const costs: ScaledDecimal[] = [];
  let currency: string | undefined;
  for (const run of recentSucceeded.slice(0, 20)) {
    const c = typeof run.cost === 'string' ? parseCost(run.cost.trim()) : undefined;
    const cur = runCurrency(run) ?? DEFAULT_CURRENCY;
    if (!c || (currency !== undefined && cur !== currency)) continue;
    currency = cur;
    costs.push(c);
  }
  if (!costs.length || currency === undefined) {
    return { basis: pricing?.length ? 'no estimate: the price depends on what each run does, and no succeeded run of this model is loaded' : 'no estimate: the model states no pricing, and no succeeded run of it is loaded' };
  }
  costs.sort(compareScaled);
  const median = costs[Math.floor((costs.length - 1) / 2)];
  return {
    amount: `about ${describeCost(formatScaled(times(median, count)), currency).text}`,
    basis: `estimate: ${count} × the median cost of the last ${costs.length} succeeded run${costs.length === 1 ? '' : 's'} of this model`,
  };
}

/** A batch's runs by status, most pressing first: "3 running, 2 succeeded". */
export function statusCounts(runs: readonly Run[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(statusOf(r), (counts.get(statusOf(r)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => compareStatuses(a[0], b[0]));
}

export function describeCounts(counts: readonly [string, number][]): string {
  return counts.map(([s, n]) => `${n} ${statusLabel(s).toLowerCase()}`).join(', ');
}

/**
 * The one word a batch's icon shows. `active`: a run may still change (an unknown status counts, as it
 * may not be over); `problems`: one failed; `unsettled`: runs not loaded or entries not launched;
 * `stopped`: all cancelled; `succeeded` only when every entry's run succeeded.
 */
export type BatchOutcome = 'active' | 'problems' | 'succeeded' | 'stopped' | 'unsettled';

export function batchOutcome(entries: number, runs: readonly Run[]): BatchOutcome {
  const statuses = runs.map(statusOf);
  if (statuses.some((s) => !isTerminalStatus(s))) return 'active';
  if (statuses.some(isFailureStatus)) return 'problems';
  if (runs.length < entries) return 'unsettled';
  if (statuses.length && statuses.every((s) => s === 'cancelled')) return 'stopped';
  return statuses.every((s) => s === 'succeeded') ? 'succeeded' : 'problems';
}

/** Whether every run is over: what its one finish notice waits for. */
export function batchFinished(runs: readonly Run[]): boolean {
  return runs.length > 0 && runs.every((r) => isTerminalStatus(statusOf(r)));
}

/** "14 launched, 2 refused by the server, 0 unknown", with the not sent and failed ones when there are any. */
export function sendSummary(states: readonly string[]): string {
  const n = (s: string) => states.filter((x) => x === s).length;
  const parts = [`${n('launched')} launched`, `${n('refused')} refused by the server`];
  if (n('failed')) parts.push(`${n('failed')} not created (the request failed)`);
  if (n('pending')) parts.push(`${n('pending')} not sent`);
  parts.push(`${n('unknown')} unknown`);
  return parts.join(', ');
}

/**
 * "4/6 · 3 succeeded, 1 failed, 2 running · $0.10": runs over of all entries, counts by status, the runs
 * launched but not loaded, the entries not launched, and the cost so far (an exact sum per currency).
 */
export function describeBatchProgress(entries: number, launched: number, runs: readonly Run[]): string {
  const over = runs.filter((r) => isTerminalStatus(statusOf(r))).length;
  const parts = [`${over}/${entries}`];
  const counts = describeCounts(statusCounts(runs));
  if (counts) parts.push(counts);
  if (launched > runs.length) parts.push(`${launched - runs.length} not loaded`);
  if (entries > launched) parts.push(`${entries - launched} not launched`);
  const cost = describeTotal(totalOf(runs));
  if (cost) parts.push(cost);
  return parts.join(' · ');
}
