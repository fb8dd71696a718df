/**
 * Run costs arrive as decimal strings (pattern `^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$`). Floats would turn
 * "0.1" + "0.2" into 0.30000000000000004, so sums are done on BigInt-scaled integers and results
 * stay strings.
 *
 * Values that do not match the pattern (or are absurdly long) are not guessed at: `sumCosts`
 * ignores them, and `sumCostsDetailed` reports how many were skipped so a UI can flag the total.
 */

import { lookup } from './lookup';

const COST_PATTERN = /^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/;
/** Longer strings are rejected instead of being fed to BigInt. */
const MAX_COST_LENGTH = 120;

/** `units / 10^scale` */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

export function isValidCost(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_COST_LENGTH && COST_PATTERN.test(value);
}

export function parseCost(value: string | null | undefined): ScaledDecimal | undefined {
  if (!isValidCost(value)) return undefined;
  const negative = value.startsWith('-');
  const unsigned = value.replace(/^[+-]/, '');
  const [intPart = '', fracPart = ''] = unsigned.split('.');
  const digits = `${intPart}${fracPart}` || '0';
  const units = BigInt(digits);
  return { units: negative ? -units : units, scale: fracPart.length };
}

/** Canonical decimal text: no leading zeros, no trailing fractional zeros, never "-0". */
export function formatScaled({ units, scale }: ScaledDecimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const fracPart = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = fracPart ? `${intPart}.${fracPart}` : intPart;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

export interface CostSum {
  /** Exact sum in canonical form, "0" when nothing was counted. */
  total: string;
  /** Values that were added. */
  counted: number;
  /** null / undefined entries (a run without a cost yet). */
  missing: number;
  /** Strings that do not match the cost pattern; left out of `total`. */
  invalid: number;
}

export function sumCostsDetailed(values: Iterable<string | null | undefined>): CostSum {
  let units = 0n;
  let scale = 0;
  let counted = 0;
  let missing = 0;
  let invalid = 0;
  for (const value of values) {
    if (value === null || value === undefined) {
      missing++;
      continue;
    }
    const parsed = parseCost(value);
    if (!parsed) {
      invalid++;
      continue;
    }
    if (parsed.scale > scale) {
      units *= 10n ** BigInt(parsed.scale - scale);
      scale = parsed.scale;
    }
    units += parsed.units * 10n ** BigInt(scale - parsed.scale);
    counted++;
  }
  return { total: formatScaled({ units, scale }), counted, missing, invalid };
}

/** Exact sum of decimal cost strings; null, undefined and invalid entries are ignored. */
export function sumCosts(values: Iterable<string | null | undefined>): string {
  return sumCostsDetailed(values).total;
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

/** What `formatCost` shows for a run without a cost. */
export const NO_COST = '—';

/**
 * Display form of a cost: "$0.0125", "$1,234.50", "-$0.30", "12.00 CHF".
 * Every significant digit is kept (no rounding: sub-cent prices are the norm); trailing zeros are
 * trimmed down to two decimals. Null, undefined and '' give `NO_COST`; a string that is not a valid
 * cost is shown as received (trimmed, shortened) rather than hidden. The value comes from the server as
 * is, so a number is shown as its digits and any other type as no cost.
 */
export function formatCost(value: unknown, currency: string = 'USD'): string {
  if (typeof value === 'number' && Number.isFinite(value)) return formatCost(String(value), currency);
  if (typeof value !== 'string' || value.trim() === '') return NO_COST;
  const parsed = parseCost(value.trim());
  if (!parsed) return value.trim().slice(0, 40);
  const canonical = formatScaled(parsed);
  const negative = canonical.startsWith('-');
  const [intPart, fracPart = ''] = canonical.replace(/^-/, '').split('.');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = `${grouped}.${fracPart.padEnd(2, '0')}`;
  const code = currency.trim().toUpperCase();
  const symbol = lookup(CURRENCY_SYMBOLS, code);
  const body = symbol !== undefined ? `${symbol}${number}` : code ? `${number} ${code}` : number;
  return negative ? `-${body}` : body;
}
