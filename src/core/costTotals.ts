/**
 * Sums of run costs, exact: every cost is read as a scaled integer (`parseCost`) and added as BigInt, so
 * that twenty decimal places and negative adjustments survive any number of runs. Amounts are kept per
 * currency and never added across currencies; a cost that is not a decimal, or a currency that cannot
 * be read, is counted as "not summed" instead of being guessed into a number.
 */
import { describeCost, formatScaled, parseCost, type ScaledDecimal } from './cost';
import { localDayStart, localDaysBefore } from './localDay';
import { lookup } from './lookup';
import { asPlainObject } from './plainObject';
import { parseTimestamp } from './time';

/** The currency every cost is in when the run does not say: the one `formatCost` shows. */
export const DEFAULT_CURRENCY = 'USD';
const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * The currency of a run's cost. The reference names none on the run; a breakdown may (`currency` or
 * `currency_code`). No currency named: the default. Something named that is not a three-letter code:
 * undefined, an unknown currency, so that its cost is never summed with dollars.
 */
export function runCurrency(run: { cost_breakdown?: unknown }): string | undefined {
  const breakdown = asPlainObject(run.cost_breakdown);
  const named = breakdown ? (lookup(breakdown, 'currency') ?? lookup(breakdown, 'currency_code')) : undefined;
  if (named === undefined || named === null || named === '') return DEFAULT_CURRENCY;
  if (typeof named !== 'string') return undefined;
  const code = named.trim().toUpperCase();
  return CURRENCY_CODE.test(code) ? code : undefined;
}

/** `a + b`, exact, at the larger of the two scales. */
export function addScaled(a: ScaledDecimal, b: ScaledDecimal): ScaledDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale };
}

export function negateScaled(a: ScaledDecimal): ScaledDecimal {
  return { units: -a.units, scale: a.scale };
}

/** Compares exactly: negative when a < b, 0 when equal, positive when a > b. */
export function compareScaled(a: ScaledDecimal, b: ScaledDecimal): number {
  const d = addScaled(a, negateScaled(b)).units;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** A cost that can be summed: an exact amount in a known currency. */
export interface RunAmount {
  amount: ScaledDecimal;
  currency: string;
}

/**
 * How a cost counts, the one rule behind every total: no cost at all (null, missing, blank); a cost that
 * cannot be summed (not a decimal, or in a currency that cannot be read); or an exact amount.
 */
export function readCost(cost: unknown, currency: string | undefined): RunAmount | 'none' | 'not_summed' {
  if (cost === null || cost === undefined || (typeof cost === 'string' && cost.trim() === '')) return 'none';
  const parsed = typeof cost === 'string' ? parseCost(cost.trim()) : undefined;
  if (!parsed || currency === undefined) return 'not_summed';
  return { amount: parsed, currency: currency.trim().toUpperCase() };
}

/** A run's cost as `readCost` counts it, in the run's own currency. */
export function runAmount(run: { cost?: unknown; cost_breakdown?: unknown }): RunAmount | 'none' | 'not_summed' {
  return readCost(run.cost, runCurrency(run));
}

/** A running total of costs, per currency. */
export class CostTotal {
  private readonly sums = new Map<string, ScaledDecimal>();
  /** Runs whose cost was added. */
  summed = 0;
  /** Runs with a cost that could not be added: not a decimal, or in a currency that cannot be read. */
  notSummed = 0;
  /** Runs without a cost. */
  none = 0;

  /** Adds one run's cost (`cost` as the API sends it) in `currency` (undefined: unknown, never summed). */
  add(cost: unknown, currency: string | undefined): void {
    const read = readCost(cost, currency);
    if (read === 'none') this.none++;
    else if (read === 'not_summed') this.notSummed++;
    else {
      const before = this.sums.get(read.currency);
      this.sums.set(read.currency, before ? addScaled(before, read.amount) : read.amount);
      this.summed++;
    }
  }

  /** Adds a run: its cost in its currency. */
  addRun(run: { cost?: unknown; cost_breakdown?: unknown }): void {
    this.add(run.cost, runCurrency(run));
  }

  /** Currencies with a sum, the default first, then by code. */
  get currencies(): string[] {
    return [...this.sums.keys()].sort((a, b) => (a === DEFAULT_CURRENCY ? -1 : b === DEFAULT_CURRENCY ? 1 : a.localeCompare(b)));
  }

  /** The exact sum in one currency, as canonical decimal text ("12.0000000000000000001"). */
  amount(currency: string): string | undefined {
    const sum = this.sums.get(currency);
    return sum ? formatScaled(sum) : undefined;
  }

  scaled(currency: string): ScaledDecimal | undefined {
    return this.sums.get(currency);
  }

  /** Whether the total is one amount in one currency, with every cost summed. */
  get isSingle(): boolean {
    return this.sums.size === 1 && this.notSummed === 0;
  }
}

/**
 * The total for display: "$1.2345"; "$1.20 + €0.50" (mixed currencies, never one number); "+ 2 not
 * summed" when some costs could not be added. Undefined when no run had a cost at all.
 */
export function describeTotal(total: CostTotal): string | undefined {
  const parts = total.currencies.map((code) => describeCost(total.amount(code), code).text);
  if (parts.length === 0 && total.notSummed === 0) return undefined;
  const amounts = parts.length ? parts.join(' + ') : '';
  if (total.notSummed === 0) return amounts;
  const rest = `${total.notSummed} not summed`;
  return amounts ? `${amounts} + ${rest}` : rest;
}

/** The total of some runs' costs. */
export function totalOf(runs: Iterable<{ cost?: unknown; cost_breakdown?: unknown }>): CostTotal {
  const total = new CostTotal();
  for (const run of runs) total.addRun(run);
  return total;
}

/** The runs created on the local day holding `now` (parsed times; a run without one is not counted), and their total. */
export function todaysTotal<R extends { created_at?: unknown; cost?: unknown; cost_breakdown?: unknown }>(runs: Iterable<R>, now: number): { runs: number; total: CostTotal } {
  const from = localDayStart(now);
  const to = localDaysBefore(now, -1);
  const total = new CostTotal();
  let count = 0;
  for (const run of runs) {
    const created = parseTimestamp(run.created_at);
    if (created === undefined || created < from || created >= to) continue;
    count++;
    total.addRun(run);
  }
  return { runs: count, total };
}

/**
 * The total in lines for a tooltip: each currency's exact sum on its own line ("$1.2345", "€0.50"), then
 * what it leaves out ("2 without cost", "1 not summed: not a decimal, or an unknown currency").
 */
export function describeTotalLines(total: CostTotal): string[] {
  const lines = total.currencies.map((code) => `${describeCost(total.amount(code), code).text} (${code})`);
  if (total.none) lines.push(`${total.none} without cost`);
  if (total.notSummed) lines.push(`${total.notSummed} not summed: not a decimal, or an unknown currency`);
  return lines;
}

/**
 * The difference `b − a` of two costs for a comparison: "+$0.0031", "-$1.20", "±$0.00". Undefined when
 * either cost is missing, not a decimal, or the two are in different currencies.
 */
export function costDelta(a: { cost?: unknown; cost_breakdown?: unknown }, b: { cost?: unknown; cost_breakdown?: unknown }): string | undefined {
  const ca = runCurrency(a);
  const cb = runCurrency(b);
  if (ca === undefined || ca !== cb) return undefined;
  const pa = typeof a.cost === 'string' ? parseCost(a.cost.trim()) : undefined;
  const pb = typeof b.cost === 'string' ? parseCost(b.cost.trim()) : undefined;
  if (!pa || !pb) return undefined;
  const d = addScaled(pb, negateScaled(pa));
  if (d.units === 0n) return `±${describeCost('0', ca).text}`;
  const text = describeCost(formatScaled(d), ca).text;
  return d.units > 0n ? `+${text}` : text;
}
