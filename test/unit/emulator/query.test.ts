import { strict as assert } from 'node:assert';
import { compareDecimal, compileQuery, dig, parseQuery, QueryError, type FieldResolver } from '../../emulator/query';

type Row = Record<string, unknown>;

const KNOWN = new Set(['status', 'cost', 'n', 'name', 'flag', 'created_at', 'metadata', 'tags', 'missing']);
const resolve: FieldResolver<Row> = (path) => (KNOWN.has(path[0]) ? (row) => dig(row, path) : null);

const rows: Row[] = [
  { id: 1, status: 'failed', cost: '0.0125', n: 3, name: 'Red Fox', flag: true, created_at: '2024-05-01T10:00:00.000Z', metadata: { batch: 'b-1' }, tags: ['a', 'nightly'] },
  { id: 2, status: 'succeeded', cost: '0.5', n: 10, name: 'blue whale', flag: false, created_at: '2024-06-01T10:00:00.000Z', metadata: { batch: 'b-2' }, tags: [] },
  { id: 3, status: 'cancelled', cost: null, n: null, name: "it's \"quoted\"", flag: null, created_at: null, metadata: null, tags: null },
  { id: 4, status: 'running', cost: '12', n: -2, name: 'café ☕', flag: true, created_at: '2024-07-01T10:00:00.000Z', metadata: { batch: 'b-1', nested: { x: 1 } }, tags: ['nightly'] },
];

function ids(q: string): number[] {
  const p = compileQuery(q, resolve);
  return rows.filter(p).map((r) => r.id as number);
}

function error(q: string): QueryError {
  try {
    compileQuery(q, resolve);
  } catch (e) {
    assert.ok(e instanceof QueryError, `expected a QueryError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${q} to fail`);
}

describe('emulator q grammar', () => {
  it('matches everything when empty or blank', () => {
    assert.deepEqual(ids(''), [1, 2, 3, 4]);
    assert.deepEqual(ids('   '), [1, 2, 3, 4]);
  });

  it('supports each comparison operator', () => {
    assert.deepEqual(ids('status = "failed"'), [1]);
    assert.deepEqual(ids('status == "failed"'), [1]);
    assert.deepEqual(ids('status != "failed"'), [2, 3, 4]);
    assert.deepEqual(ids('n > 3'), [2]);
    assert.deepEqual(ids('n >= 3'), [1, 2]);
    assert.deepEqual(ids('n < 3'), [4]);
    assert.deepEqual(ids('n <= 3'), [1, 4]);
    assert.deepEqual(ids('n > -3'), [1, 2, 4]);
  });

  it('compares decimal strings with numbers exactly', () => {
    assert.deepEqual(ids('cost > 0.01'), [1, 2, 4]);
    assert.deepEqual(ids('cost >= 0.5'), [2, 4]);
    assert.deepEqual(ids('cost = 12.000'), [4]);
    assert.deepEqual(ids('cost < 1'), [1, 2]);
    assert.equal(compareDecimal('0.0125', '0.01250'), 0);
    assert.equal(compareDecimal('-1', '0'), -1);
    assert.equal(compareDecimal('10', '9.99'), 1);
  });

  it('compares ISO timestamps as strings', () => {
    assert.deepEqual(ids('created_at >= "2024-06-01"'), [2, 4]);
    assert.deepEqual(ids('created_at < "2024-06-01T10:00:00.000Z"'), [1]);
  });

  it('supports in and not in', () => {
    assert.deepEqual(ids('status in ("failed", "cancelled")'), [1, 3]);
    assert.deepEqual(ids("status not in ('failed', 'cancelled')"), [2, 4]);
    assert.deepEqual(ids('n in (3, null)'), [1, 3]);
  });

  it('supports ~ and contains, case-insensitively, also on arrays', () => {
    assert.deepEqual(ids('name ~ "fox"'), [1]);
    assert.deepEqual(ids('name contains "WHALE"'), [2]);
    assert.deepEqual(ids('name ~ "CAFÉ"'), [4]);
    assert.deepEqual(ids('tags ~ "night"'), [1, 4]);
    assert.deepEqual(ids('tags = "nightly"'), [1, 4]);
  });

  it('handles true, false and null', () => {
    assert.deepEqual(ids('flag = true'), [1, 4]);
    assert.deepEqual(ids('flag = false'), [2]);
    assert.deepEqual(ids('flag = null'), [3]);
    assert.deepEqual(ids('flag != null'), [1, 2, 4]);
    assert.deepEqual(ids('missing = null'), [1, 2, 3, 4]);
    // Ordering against null never matches.
    assert.deepEqual(ids('n > null'), []);
  });

  it('follows dotted paths into objects', () => {
    assert.deepEqual(ids('metadata.batch = "b-1"'), [1, 4]);
    assert.deepEqual(ids('metadata.nested.x = 1'), [4]);
    assert.deepEqual(ids('metadata.batch = null'), [3]);
  });

  it('gives not > and > or precedence, and parentheses override it', () => {
    // or binds loosest: status = failed or (status = running and n = 10) -> only 1
    assert.deepEqual(ids('status = "failed" or status = "running" and n = 10'), [1]);
    assert.deepEqual(ids('(status = "failed" or status = "running") and n = 3'), [1]);
    // not binds tightest: (not flag = true) and n = 10
    assert.deepEqual(ids('not flag = true and n = 10'), [2]);
    assert.deepEqual(ids('not (flag = true and n = 3)'), [2, 3, 4]);
    assert.deepEqual(ids('not not status = "failed"'), [1]);
  });

  it('accepts keywords in any case', () => {
    assert.deepEqual(ids('status = "failed" OR status = "running" AnD n = -2'), [1, 4]);
    assert.deepEqual(ids('flag = TRUE and NOT n = 3'), [4]);
  });

  it('unescapes strings in both quote styles', () => {
    assert.deepEqual(ids(`name = 'it\\'s "quoted"'`), [3]);
    assert.deepEqual(ids(`name = "it's \\"quoted\\""`), [3]);
    assert.deepEqual(ids('name = "caf\\u00e9 ☕"'), [4]);
  });

  it('builds the expected tree', () => {
    assert.deepEqual(parseQuery('a = 1 or b = 2 and not c = 3'), {
      type: 'or',
      left: { type: 'compare', path: ['a'], position: 0, op: '=', value: { kind: 'number', value: 1, raw: '1' } },
      right: {
        type: 'and',
        left: { type: 'compare', path: ['b'], position: 9, op: '=', value: { kind: 'number', value: 2, raw: '2' } },
        right: { type: 'not', expr: { type: 'compare', path: ['c'], position: 23, op: '=', value: { kind: 'number', value: 3, raw: '3' } } },
      },
    });
  });

  describe('errors name the position', () => {
    const cases: Array<[string, RegExp, number]> = [
      ['status = "failed")', /^unexpected '\)' at position 17/, 17],
      ['(status = "failed"', /^unexpected end of input at position 18 \(expected '\)'\)/, 18],
      ['status = ', /^unexpected end of input at position 9 \(expected a value/, 9],
      ['status = and', /^unexpected 'and' at position 9 \(expected a value/, 9],
      ['status ~ 5', /^unexpected '5' at position 9 \(expected a quoted string\)/, 9],
      ['status "x"', /^unexpected '"x"' at position 7 \(expected an operator/, 7],
      ['= "x"', /^unexpected '=' at position 0 \(expected a field name\)/, 0],
      ['status in "x"', /^unexpected '"x"' at position 10 \(expected '\(' after 'in'\)/, 10],
      ['status in ("a" "b")', /^unexpected '"b"' at position 15 \(expected ',' or '\)'\)/, 15],
      ['status = "abc', /^unterminated string starting at position 9/, 9],
      ['status = # 1', /^unexpected character '#' at position 9/, 9],
      ['n = 1 n = 2', /^unexpected 'n' at position 6/, 6],
      ['status = "a" and bogus = 1', /^unknown field 'bogus' at position 17/, 17],
      ['metadata.batch = 1 or nope.x = 2', /^unknown field 'nope\.x' at position 22/, 22],
    ];
    for (const [q, message, position] of cases) {
      it(q, () => {
        const e = error(q);
        assert.match(e.message, message);
        assert.equal(e.position, position);
      });
    }
  });
});
