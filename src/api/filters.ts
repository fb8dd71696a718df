/**
 * Builders for the `q` filter expressions the extension writes itself. The reference does not
 * publish the grammar; this file assumes the one the project's emulator implements:
 *
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | compare
 *   compare := path ("=" | "!=" | ">" | ">=" | "<" | "<=" | "~") value | path "in" "(" value ("," value)* ")"
 *   value   := 'single-quoted, with \\ and \' escaped' | number | true | false | null
 *   path    := identifier ("." identifier)*
 *
 * `~` is a case-insensitive "contains". Following the real server's grammar later means changing
 * this file only: nothing else in the extension concatenates filter text.
 *
 * Builders return `FilterClause` objects; `String(clause)` or `clause.text` is the expression.
 * A user's own expression is parenthesised when combined, so the result does not depend on how the
 * server ranks `and` against `or`.
 */
import type { KnownRunStatus, RunStatus } from './types';

export type FilterValue = string | number | bigint | boolean | null | Date;
export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

type ClauseKind = 'compare' | 'and' | 'raw';

export class FilterClause {
  /** @internal Use the builder functions. */
  constructor(
    readonly text: string,
    readonly kind: ClauseKind,
  ) {}

  toString(): string {
    return this.text;
  }
}

/** Run fields the built-in helpers filter on; one place to rename them if the server differs. */
export const RUN_FILTER_FIELDS = {
  status: 'status_code',
} as const;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_FIELD_LENGTH = 200;

/** Throws unless `field` is a plain dotted path such as `status_code` or `metadata.batch`. */
export function assertFieldName(field: string): string {
  if (typeof field !== 'string' || field.length === 0 || field.length > MAX_FIELD_LENGTH) {
    throw new TypeError('filter field name must be a non-empty dotted identifier');
  }
  for (const part of field.split('.')) {
    if (!IDENTIFIER.test(part) || KEYWORDS.has(part.toLowerCase())) {
      throw new TypeError(`invalid filter field name: ${JSON.stringify(field.slice(0, 60))}`);
    }
  }
  return field;
}

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Renders a literal value. Dates become quoted ISO-8601 strings. */
export function literal(value: FilterValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    const text = String(value);
    // The grammar has plain decimals only: no NaN, Infinity or exponent notation.
    if (!Number.isFinite(value) || /e/i.test(text)) {
      throw new RangeError(`number cannot be written in a filter: ${text}`);
    }
    return text;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('invalid Date in filter');
    return quoteString(value.toISOString());
  }
  if (typeof value === 'string') return quoteString(value);
  throw new TypeError(`unsupported filter value type: ${typeof value}`);
}

export function compare(field: string, op: ComparisonOperator, value: FilterValue): FilterClause {
  return new FilterClause(`${assertFieldName(field)} ${op} ${literal(value)}`, 'compare');
}

export function eq(field: string, value: FilterValue): FilterClause {
  return compare(field, '=', value);
}

/**
 * `field in (...)`. An empty list throws: "matches nothing" has no spelling in the grammar, and a
 * caller with nothing selected should not search at all.
 */
export function inList(field: string, values: readonly FilterValue[]): FilterClause {
  if (values.length === 0) throw new RangeError('inList needs at least one value');
  return new FilterClause(`${assertFieldName(field)} in (${values.map(literal).join(', ')})`, 'compare');
}

type ClauseInput = FilterClause | undefined | null | false;

/** Conjunction; `undefined`/`null`/`false` parts are skipped so optional clauses compose easily. */
export function and(...clauses: ClauseInput[]): FilterClause | undefined {
  const parts = clauses.filter((c): c is FilterClause => c instanceof FilterClause);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return new FilterClause(parts.map((c) => (c.kind === 'raw' ? `(${c.text})` : c.text)).join(' and '), 'and');
}

/**
 * A user-written expression, passed through as written; it is parenthesised when combined with
 * other clauses. Unbalanced parentheses (outside quoted strings) are rejected, since `a) or (b`
 * would otherwise escape the parentheses and change the meaning of the clauses it is combined with.
 */
export function raw(expression: string): FilterClause | undefined {
  const text = expression.trim();
  if (text === '') return undefined;
  if (!parenthesesBalanced(text)) throw new RangeError('unbalanced parentheses or quotes in filter expression');
  return new FilterClause(text, 'raw');
}

function parenthesesBalanced(text: string): boolean {
  let depth = 0;
  // Users may write double-quoted strings too; the quote that opened a string closes it.
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')' && --depth < 0) {
      return false;
    }
  }
  return depth === 0 && quote === undefined;
}

export function statusIs(status: RunStatus): FilterClause {
  return eq(RUN_FILTER_FIELDS.status, status);
}

export function statusIn(statuses: readonly (KnownRunStatus | RunStatus)[]): FilterClause {
  return statuses.length === 1 ? statusIs(statuses[0]) : inList(RUN_FILTER_FIELDS.status, statuses);
}

/**
 * The `q` to send: the user's own expression (kept verbatim inside parentheses) and-ed with the
 * clauses the extension adds. Returns undefined when there is nothing to filter on, so the
 * parameter is left out of the request.
 */
export function combineQuery(userQuery: string | null | undefined, ...clauses: ClauseInput[]): string | undefined {
  const user = userQuery ? raw(userQuery) : undefined;
  return and(user, ...clauses)?.text;
}

export function sourceIs(source: string): FilterClause {
  return eq('source_code', source);
}

/** Log line fields the search across runs narrows by; one place to rename them if the server differs. */
export const LOG_FILTER_FIELDS = {
  message: 'message',
  level: 'level_code',
  run: 'run_id',
} as const;

/** `message ~ '...'`: the line's message contains `text` (the grammar's `~` ignores case). */
export function messageContains(text: string): FilterClause {
  return compare(LOG_FILTER_FIELDS.message, '~', text);
}

/** `level_code in (...)`: one of these level codes. */
export function levelIn(codes: readonly string[]): FilterClause {
  return codes.length === 1 ? eq(LOG_FILTER_FIELDS.level, codes[0]) : inList(LOG_FILTER_FIELDS.level, codes);
}

/** `run_id in (...)`: lines of these runs. */
export function logOfRuns(runIds: readonly string[]): FilterClause {
  return runIds.length === 1 ? eq(LOG_FILTER_FIELDS.run, runIds[0]) : inList(LOG_FILTER_FIELDS.run, runIds);
}
