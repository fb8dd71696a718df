/**
 * Run costs arrive as decimal strings (pattern `^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$`). They are read into
 * BigInt-scaled integers, never floats, so that every digit of a sub-cent price survives display.
 * Values that do not match the pattern (or are absurdly long) are not guessed at: they are shown as text.
 */

import { lookup } from './lookup';
import { singleLine } from './sanitize';

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

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

/** What `formatCost` shows for a run without a cost. */
export const NO_COST = '—';

/** Characters of a cost that is not a decimal shown before it is cut. */
const MAX_TEXT_COST_CHARS = 40;

/**
 * A cost for display. `amount`: a decimal, formatted with its currency. `text`: the server sent
 * something that is not a decimal, shown as its text and never with a currency sign, so that `abc` or
 * `1e3` can not pass for a price. `none`: no cost.
 */
export interface CostDisplay {
  kind: 'amount' | 'text' | 'none';
  text: string;
}

/**
 * Intl formats a decimal string exactly (no float in between) where the engine implements
 * NumberFormat v3, as Node 20 and VS Code's Chromium do; it caps fraction digits at 20 there.
 */
const MAX_INTL_FRACTION_DIGITS = 20;
const numberFormats = new Map<number, Intl.NumberFormat>();

function numberFormat(fractionDigits: number): Intl.NumberFormat {
  let f = numberFormats.get(fractionDigits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits, useGrouping: true });
    numberFormats.set(fractionDigits, f);
  }
  return f;
}

/** `1,234.50` from the unsigned canonical `1234.5`: grouped, at least two decimals, every digit kept. */
function groupedDecimal(unsigned: string): string {
  const [intPart, fracPart = ''] = unsigned.split('.');
  const fractionDigits = Math.max(2, fracPart.length);
  const expected = `${intPart}${fracPart.padEnd(fractionDigits, '0')}`;
  if (fractionDigits <= MAX_INTL_FRACTION_DIGITS) {
    // A string argument, never a Number: a float would lose digits of long or sub-cent values.
    const formatted = numberFormat(fractionDigits).format(unsigned as unknown as number);
    // An engine that reads the string as a float, or rounds, would change the digits; then the plain path below is exact.
    if (formatted.replace(/\D/g, '') === expected) return formatted;
  }
  return `${intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fracPart.padEnd(fractionDigits, '0')}`;
}

function textCost(text: string): CostDisplay {
  return { kind: 'text', text: singleLine(text, MAX_TEXT_COST_CHARS) || NO_COST };
}

/**
 * Display form of a cost: "$0.0125", "$1,234.50", "-$0.30", "12.00 CHF".
 * Every significant digit is kept (no rounding: sub-cent prices are the norm); trailing zeros are
 * trimmed down to two decimals. Null, undefined and '' give `NO_COST`. A string that is not a decimal
 * is its text (one line, shortened). The reference says a string, but a server may send a JSON number:
 * its shortest digits are what the server wrote in most cases, so a number that reads as a plain
 * decimal is an amount and any other (`1e+21`) is text.
 */
export function describeCost(value: unknown, currency: string = 'USD'): CostDisplay {
  if (value === null || value === undefined) return { kind: 'none', text: NO_COST };
  if (typeof value === 'number') return Number.isFinite(value) ? describeCost(String(value), currency) : { kind: 'text', text: String(value) };
  if (typeof value === 'boolean') return textCost(String(value));
  if (typeof value !== 'string') {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    return json ? textCost(json) : { kind: 'none', text: NO_COST };
  }
  const trimmed = value.trim();
  if (trimmed === '') return { kind: 'none', text: NO_COST };
  const parsed = parseCost(trimmed);
  if (!parsed) return textCost(trimmed);
  const canonical = formatScaled(parsed);
  const negative = canonical.startsWith('-');
  const number = groupedDecimal(canonical.replace(/^-/, ''));
  const code = currency.trim().toUpperCase();
  const symbol = lookup(CURRENCY_SYMBOLS, code);
  const body = symbol !== undefined ? `${symbol}${number}` : code ? `${number} ${code}` : number;
  return { kind: 'amount', text: negative ? `-${body}` : body };
}

/** The text of `describeCost` in dollars: the one formatter behind every cost the tree and the panel show. */
export function formatCost(value: unknown): string {
  return describeCost(value).text;
}
