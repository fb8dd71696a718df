/**
 * The `q` filter language. The real grammar is not published, so this is a small, documented
 * stand-in (see README.md): a tokenizer, a recursive-descent parser and an evaluator.
 *
 *   query      := orExpr EOF
 *   orExpr     := andExpr ( 'or' andExpr )*
 *   andExpr    := unary ( 'and' unary )*
 *   unary      := 'not' unary | primary
 *   primary    := '(' orExpr ')' | predicate
 *   predicate  := path compareOp literal
 *               | path [ 'not' ] 'in' '(' literal ( ',' literal )* ')'
 *               | path ( '~' | 'contains' ) STRING
 *   compareOp  := '=' | '==' | '!=' | '>' | '>=' | '<' | '<='
 *   literal    := STRING | NUMBER | 'true' | 'false' | 'null'
 *   path       := IDENT ( '.' (IDENT | DIGITS) )*
 *
 * Keywords are case-insensitive. Positions in errors are 0-based character offsets into `q`.
 */

export class QueryError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; raw: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export type QueryNode =
  | { type: 'or'; left: QueryNode; right: QueryNode }
  | { type: 'and'; left: QueryNode; right: QueryNode }
  | { type: 'not'; expr: QueryNode }
  | { type: 'compare'; path: string[]; position: number; op: CompareOp; value: Literal }
  | { type: 'in'; path: string[]; position: number; negated: boolean; values: Literal[] }
  | { type: 'contains'; path: string[]; position: number; value: string };

type Token =
  | { kind: '(' | ')' | ',' | 'eof'; pos: number; text: string }
  | { kind: 'op'; op: CompareOp | '~'; pos: number; text: string }
  | { kind: 'string'; value: string; pos: number; text: string }
  | { kind: 'number'; value: number; raw: string; pos: number; text: string }
  | { kind: 'word'; value: string; pos: number; text: string };

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const OPERATORS: Array<[string, CompareOp | '~']> = [
  ['==', '='],
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  ['=', '='],
  ['>', '>'],
  ['<', '<'],
  ['~', '~'],
];

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, pos: i, text: c });
      i++;
      continue;
    }
    const op = OPERATORS.find(([text]) => src.startsWith(text, i));
    if (op) {
      tokens.push({ kind: 'op', op: op[1], pos: i, text: op[0] });
      i += op[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new QueryError(`unterminated string starting at position ${start}`, start);
        const ch = src[i];
        if (ch === c) {
          i++;
          break;
        }
        if (ch === '\\') {
          const next = src[i + 1];
          if (next === undefined) throw new QueryError(`unterminated string starting at position ${start}`, start);
          if (next === 'u') {
            const hex = src.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new QueryError(`invalid \\u escape at position ${i}`, i);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
          value += escapes[next] ?? next;
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: 'string', value, pos: start, text: src.slice(start, i) });
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), raw: num[0], pos: i, text: num[0] });
      i += num[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(src);
    if (word) {
      tokens.push({ kind: 'word', value: word[0], pos: i, text: word[0] });
      i += word[0].length;
      continue;
    }
    throw new QueryError(`unexpected character '${c}' at position ${i}`, i);
  }
  tokens.push({ kind: 'eof', pos: src.length, text: '' });
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null']);

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode {
    const node = this.orExpr();
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, 'expected "and", "or" or the end of the expression');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private advance(): Token {
    return this.tokens[this.i++];
  }

  private isKeyword(t: Token, kw: string): boolean {
    return t.kind === 'word' && t.value.toLowerCase() === kw;
  }

  private fail(t: Token, expected: string): never {
    const what = t.kind === 'eof' ? 'end of input' : `'${t.text}'`;
    throw new QueryError(`unexpected ${what} at position ${t.pos} (${expected})`, t.pos);
  }

  private orExpr(): QueryNode {
    let left = this.andExpr();
    while (this.isKeyword(this.peek(), 'or')) {
      this.advance();
      left = { type: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): QueryNode {
    let left = this.unary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.advance();
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): QueryNode {
    if (this.isKeyword(this.peek(), 'not')) {
      this.advance();
      return { type: 'not', expr: this.unary() };
    }
    return this.primary();
  }

  private primary(): QueryNode {
    const t = this.peek();
    if (t.kind === '(') {
      this.advance();
      const inner = this.orExpr();
      const close = this.peek();
      if (close.kind !== ')') this.fail(close, "expected ')'");
      this.advance();
      return inner;
    }
    return this.predicate();
  }

  private predicate(): QueryNode {
    const field = this.peek();
    if (field.kind !== 'word' || KEYWORDS.has(field.value.toLowerCase())) this.fail(field, 'expected a field name');
    this.advance();
    const path = field.value.split('.');
    const position = field.pos;
    const t = this.peek();
    if (t.kind === 'op') {
      this.advance();
      if (t.op === '~') return { type: 'contains', path, position, value: this.stringLiteral() };
      return { type: 'compare', path, position, op: t.op, value: this.literal() };
    }
    if (this.isKeyword(t, 'contains')) {
      this.advance();
      return { type: 'contains', path, position, value: this.stringLiteral() };
    }
    let negated = false;
    if (this.isKeyword(t, 'not')) {
      this.advance();
      negated = true;
      if (!this.isKeyword(this.peek(), 'in')) this.fail(this.peek(), "expected 'in' after 'not'");
    }
    if (this.isKeyword(this.peek(), 'in')) {
      this.advance();
      const open = this.peek();
      if (open.kind !== '(') this.fail(open, "expected '(' after 'in'");
      this.advance();
      const values = [this.literal()];
      while (this.peek().kind === ',') {
        this.advance();
        values.push(this.literal());
      }
      const close = this.peek();
      if (close.kind !== ')') this.fail(close, "expected ',' or ')'");
      this.advance();
      return { type: 'in', path, position, negated, values };
    }
    this.fail(t, 'expected an operator: = != > >= < <= in ~ contains');
  }

  private stringLiteral(): string {
    const t = this.peek();
    if (t.kind !== 'string') this.fail(t, 'expected a quoted string');
    this.advance();
    return t.value;
  }

  private literal(): Literal {
    const t = this.peek();
    if (t.kind === 'string') {
      this.advance();
      return { kind: 'string', value: t.value };
    }
    if (t.kind === 'number') {
      this.advance();
      return { kind: 'number', value: t.value, raw: t.raw };
    }
    if (t.kind === 'word') {
      const kw = t.value.toLowerCase();
      if (kw === 'true' || kw === 'false') {
        this.advance();
        return { kind: 'boolean', value: kw === 'true' };
      }
      if (kw === 'null') {
        this.advance();
        return { kind: 'null' };
      }
    }
    this.fail(t, 'expected a value: a quoted string, a number, true, false or null');
  }
}

export function parseQuery(src: string): QueryNode | null {
  const tokens = tokenize(src);
  if (tokens.length === 1) return null;
  return new Parser(tokens).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

export function isDecimalString(s: string): boolean {
  return DECIMAL.test(s);
}

/** Compares two decimal strings exactly (no float rounding): -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const parse = (s: string) => {
    const neg = s.startsWith('-');
    const body = s.replace(/^[+-]/, '');
    const [int = '', frac = ''] = body.split('.');
    return { neg, int: int.replace(/^0+/, ''), frac: frac.replace(/0+$/, '') };
  };
  const x = parse(a);
  const y = parse(b);
  const xZero = x.int === '' && x.frac === '';
  const yZero = y.int === '' && y.frac === '';
  const xNeg = x.neg && !xZero;
  const yNeg = y.neg && !yZero;
  if (xNeg !== yNeg) return xNeg ? -1 : 1;
  let c: number;
  if (x.int.length !== y.int.length) c = x.int.length < y.int.length ? -1 : 1;
  else if (x.int !== y.int) c = x.int < y.int ? -1 : 1;
  else {
    const len = Math.max(x.frac.length, y.frac.length);
    const xf = x.frac.padEnd(len, '0');
    const yf = y.frac.padEnd(len, '0');
    c = xf === yf ? 0 : xf < yf ? -1 : 1;
  }
  return xNeg ? -c : c;
}

/** Plain code-unit string order (locale-independent so paging and filtering agree everywhere). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders a field value against a literal; null when they are not comparable. */
function order(value: unknown, lit: Literal): number | null {
  if (lit.kind === 'number') {
    if (typeof value === 'number') return value < lit.value ? -1 : value > lit.value ? 1 : 0;
    if (typeof value === 'string' && isDecimalString(value)) return compareDecimal(value, lit.raw);
    return null;
  }
  if (lit.kind === 'string' && typeof value === 'string') return compareStrings(value, lit.value);
  if (lit.kind === 'boolean' && typeof value === 'boolean') return Number(value) - Number(lit.value);
  return null;
}

function equals(value: unknown, lit: Literal): boolean {
  if (Array.isArray(value)) return value.some((v) => equals(v, lit));
  if (lit.kind === 'null') return value === null || value === undefined;
  return order(value, lit) === 0;
}

function contains(value: unknown, needle: string): boolean {
  if (Array.isArray(value)) return value.some((v) => contains(v, needle));
  return typeof value === 'string' && value.toLowerCase().includes(needle.toLowerCase());
}

/** Turns a field path into a getter, or returns null when the field is unknown. */
export type FieldResolver<T> = (path: string[]) => ((item: T) => unknown) | null;

export type Predicate<T> = (item: T) => boolean;

/** Parses and binds `src`; throws QueryError on syntax errors and unknown fields. Empty = match all. */
export function compileQuery<T>(src: string, resolve: FieldResolver<T>): Predicate<T> {
  const ast = parseQuery(src);
  if (!ast) return () => true;
  return bind(ast, resolve);
}

function bind<T>(node: QueryNode, resolve: FieldResolver<T>): Predicate<T> {
  switch (node.type) {
    case 'or': {
      const l = bind(node.left, resolve);
      const r = bind(node.right, resolve);
      return (x) => l(x) || r(x);
    }
    case 'and': {
      const l = bind(node.left, resolve);
      const r = bind(node.right, resolve);
      return (x) => l(x) && r(x);
    }
    case 'not': {
      const e = bind(node.expr, resolve);
      return (x) => !e(x);
    }
    default:
      break;
  }
  const get = resolve(node.path);
  if (!get) throw new QueryError(`unknown field '${node.path.join('.')}' at position ${node.position}`, node.position);
  switch (node.type) {
    case 'contains': {
      const needle = node.value;
      return (x) => contains(get(x), needle);
    }
    case 'in': {
      const { values, negated } = node;
      return (x) => {
        const v = get(x);
        return values.some((lit) => equals(v, lit)) !== negated;
      };
    }
    case 'compare': {
      const { op, value: lit } = node;
      if (op === '=') return (x) => equals(get(x), lit);
      if (op === '!=') return (x) => !equals(get(x), lit);
      return (x) => {
        const v = get(x);
        const c = Array.isArray(v) ? null : order(v, lit);
        if (c === null) return false;
        return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
      };
    }
  }
}

/** Follows a dotted path into plain objects and arrays. */
export function dig(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined ? null : cur;
}
