/**
 * A run's `cost_breakdown`, whose shape the reference leaves open (`{}`), as rows of a small table.
 * The shapes seen in practice, `{ currency, items: [{ label, amount, quantity?, unit? }], gpu_seconds }`
 * and a flat `{ part: cost }`, are read into label / quantity / cost; any part that does not fit is kept
 * as its JSON, never dropped, and a cost that is not a decimal stays text, never a price.
 */
import { describeCost, type CostDisplay } from './cost';
import { lookup } from './lookup';
import { asPlainObject as obj } from './plainObject';
import { singleLine } from './sanitize';

type Loose = Record<string, unknown>;

export interface BreakdownRow {
  label: string;
  /** "3.2 second", "1,024 tokens"; undefined when the part gives none. */
  quantity?: string;
  /** The part's cost through the one cost formatter; undefined when the part has none. */
  cost?: CostDisplay;
  /** A part whose shape is not understood, as compact JSON. */
  json?: string;
}

export interface BreakdownView {
  rows: BreakdownRow[];
  /** The currency the amounts are in, when the breakdown names one. */
  currency?: string;
  /** Parts left out to keep the table short. */
  omitted: number;
}

const MAX_ROWS = 30;
const MAX_JSON = 200;
const LABEL_KEYS = ['label', 'name', 'description', 'title', 'type', 'kind', 'item'];
const COST_KEYS = ['cost', 'amount', 'total', 'price', 'subtotal', 'value'];
const QUANTITY_KEYS = ['quantity', 'qty', 'units', 'count', 'usage'];
const UNIT_KEYS = ['unit', 'unit_code', 'units_label', 'uom'];
const CURRENCY_KEYS = ['currency', 'currency_code'];
/**
 * Top-level keys that measure something other than money: `gpu_seconds: "3.2"` is time, not $3.20. Any
 * other top-level value is read as the cost of the part its key names (`{ gpu: "0.01", storage: "0.002" }`).
 */
const QUANTITY_KEY = /(^|_)(seconds?|secs?|ms|millis(econds?)?|minutes?|mins?|hours?|duration|count|tokens?|units?|quantity|qty|steps?|images?|frames?|bytes|[kmgt]i?b|calls|requests)$/i;
const CURRENCY_CODE = /^[A-Za-z]{3}$/;

function first(o: Loose, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = lookup(o, k);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function scalar(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function compactJson(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return singleLine(s, MAX_JSON);
}

function quantityText(quantity: unknown, unit: unknown): string | undefined {
  if (!scalar(quantity)) return undefined;
  const q = typeof quantity === 'number' ? quantity.toLocaleString('en-US', { maximumFractionDigits: 6 }) : singleLine(quantity, 40);
  const u = scalar(unit) ? singleLine(String(unit), 30) : '';
  return u ? `${q} ${u}` : q;
}

/** One entry of `items`: understood when it has a label and a cost or quantity that are plain values. */
function itemRow(item: unknown, index: number, currency: string): BreakdownRow {
  const o = obj(item);
  if (!o) return { label: `item ${index + 1}`, json: compactJson(item) };
  const label = first(o, LABEL_KEYS);
  const cost = first(o, COST_KEYS);
  const quantity = first(o, QUANTITY_KEYS);
  const unit = first(o, UNIT_KEYS);
  const plain = (v: unknown) => v === undefined || scalar(v);
  const understood = scalar(label) && (cost !== undefined || quantity !== undefined) && plain(cost) && plain(quantity);
  if (!understood) return { label: scalar(label) ? singleLine(String(label), 60) : `item ${index + 1}`, json: compactJson(item) };
  const itemCurrency = first(o, CURRENCY_KEYS);
  return {
    label: singleLine(String(label), 60),
    quantity: quantityText(quantity, unit),
    cost: cost === undefined ? undefined : describeCost(cost, typeof itemCurrency === 'string' && CURRENCY_CODE.test(itemCurrency) ? itemCurrency : currency),
  };
}

/** Undefined when there is no breakdown to show (none sent, or an empty object). */
export function describeCostBreakdown(breakdown: unknown): BreakdownView | undefined {
  if (breakdown === undefined || breakdown === null) return undefined;
  const o = obj(breakdown);
  if (!o) return { rows: [{ label: 'breakdown', json: compactJson(breakdown) }], omitted: 0 };
  const keys = Object.keys(o);
  if (keys.length === 0) return undefined;
  const currencyValue = first(o, CURRENCY_KEYS);
  const currency = typeof currencyValue === 'string' && CURRENCY_CODE.test(currencyValue.trim()) ? currencyValue.trim().toUpperCase() : undefined;
  const rows: BreakdownRow[] = [];
  for (const key of keys) {
    const value = o[key];
    if (CURRENCY_KEYS.includes(key) && currency !== undefined) continue;
    if (key === 'items' && Array.isArray(value)) {
      value.forEach((item, i) => rows.push(itemRow(item, i, currency ?? 'USD')));
      continue;
    }
    const label = singleLine(key, 60) || '(no name)';
    if (scalar(value)) {
      rows.push(QUANTITY_KEY.test(key) ? { label, quantity: quantityText(value, undefined) } : { label, cost: describeCost(value, currency ?? 'USD') });
    } else if (value === null) {
      rows.push({ label });
    } else {
      rows.push({ label, json: compactJson(value) });
    }
  }
  if (rows.length === 0) return undefined;
  return { rows: rows.slice(0, MAX_ROWS), currency, omitted: Math.max(0, rows.length - MAX_ROWS) };
}
