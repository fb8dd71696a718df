import { strict as assert } from 'node:assert';
import {
  and,
  assertFieldName,
  combineQuery,
  compare,
  eq,
  inList,
  levelIn,
  literal,
  logOfRuns,
  messageContains,
  quoteString,
  raw,
  sourceIs,
  statusIn,
} from '../../../src/api/filters';

describe('filters', () => {
  describe('literals', () => {
    it('quotes strings and escapes backslash and quote', () => {
      assert.equal(quoteString('plain'), "'plain'");
      assert.equal(quoteString("it's"), "'it\\'s'");
      assert.equal(quoteString('a\\b'), "'a\\\\b'");
      // A backslash right before a quote must not be able to un-escape it.
      assert.equal(quoteString("\\'"), "'\\\\\\''");
      assert.equal(quoteString(''), "''");
    });

    it('writes numbers, booleans, null and dates', () => {
      assert.equal(literal(42), '42');
      assert.equal(literal(-1.5), '-1.5');
      assert.equal(literal(10n), '10');
      assert.equal(literal(true), 'true');
      assert.equal(literal(false), 'false');
      assert.equal(literal(null), 'null');
      assert.equal(literal(new Date('2024-05-01T10:00:00Z')), "'2024-05-01T10:00:00.000Z'");
    });

    it('refuses numbers the grammar cannot spell', () => {
      assert.throws(() => literal(Number.NaN), RangeError);
      assert.throws(() => literal(Infinity), RangeError);
      assert.throws(() => literal(1e-9), RangeError);
      assert.throws(() => literal(new Date('nope')), RangeError);
    });
  });

  describe('field names', () => {
    it('accepts identifiers and dotted paths', () => {
      for (const f of ['status_code', 'metadata.batch', '_x', 'a.b_c.d9']) assert.equal(assertFieldName(f), f);
    });

    it('rejects anything that could inject syntax', () => {
      for (const f of ['', 'a b', "a'", 'a=1', 'a.', '.a', 'a..b', '9a', 'a;b', 'a)', 'and', 'metadata.OR', 'x'.repeat(201)]) {
        assert.throws(() => assertFieldName(f), TypeError, f);
      }
      assert.throws(() => eq('status_code = 1 or x', 'y'), TypeError);
    });
  });

  describe('builders', () => {
    it('builds comparisons', () => {
      assert.equal(eq('status_code', 'running').text, "status_code = 'running'");
      assert.equal(compare('nodes_total', '!=', 0).text, 'nodes_total != 0');
      assert.equal(compare('duration_ms', '>=', 1000).text, 'duration_ms >= 1000');
      assert.equal(compare('metadata.note', '~', "O'Brien").text, "metadata.note ~ 'O\\'Brien'");
      assert.equal(eq('client_ref', null).text, 'client_ref = null');
      assert.equal(String(eq('x', 1)), 'x = 1');
    });

    it('builds in-lists and refuses empty ones', () => {
      assert.equal(inList('status_code', ['a', "b'c"]).text, "status_code in ('a', 'b\\'c')");
      assert.throws(() => inList('status_code', []), RangeError);
    });

    it('uses the run fields for the domain helpers', () => {
      assert.equal(sourceIs("api'1").text, "source_code = 'api\\'1'");
      assert.equal(statusIn(['running', 'queued']).text, "status_code in ('running', 'queued')");
      assert.equal(statusIn(['failed']).text, "status_code = 'failed'");
    });

    it('combines with and, parenthesising only a user expression', () => {
      const a = eq('a', 1);
      const b = eq('b', 2);
      const c = eq('c', 3);
      assert.equal(and(a, b)?.text, 'a = 1 and b = 2');
      assert.equal(and(a, and(b, c))?.text, 'a = 1 and b = 2 and c = 3');
      assert.equal(and(a, raw('b = 2 or c = 3'))?.text, 'a = 1 and (b = 2 or c = 3)');
      assert.equal(and(undefined, a, null, false)?.text, 'a = 1');
      assert.equal(and(), undefined);
    });
  });

  describe('log search clauses', () => {
    it('writes message, level and run clauses of a log search', () => {
      assert.equal(messageContains("CUDA isn't").text, "message ~ 'CUDA isn\\'t'");
      assert.equal(levelIn(['error']).text, "level_code = 'error'");
      assert.equal(levelIn(['error', 'fatal']).text, "level_code in ('error', 'fatal')");
      assert.equal(logOfRuns(['r1', 'r2']).text, "run_id in ('r1', 'r2')");
      assert.equal(
        combineQuery(undefined, messageContains('oom'), levelIn(['error', 'err'])),
        "message ~ 'oom' and level_code in ('error', 'err')",
      );
    });

    it('refuses an empty level list', () => {
      assert.throws(() => levelIn([]), RangeError);
    });
  });

  describe('combineQuery', () => {
    it('passes the user expression through verbatim, parenthesised when combined', () => {
      const user = "status_code = 'failed' or metadata.batch ~ 'x'";
      assert.equal(combineQuery(user), user);
      assert.equal(combineQuery(`  ${user}  `), user);
      assert.equal(
        combineQuery(user, eq('client_ref', 'r1'), compare('created_at', '>', '2024-01-01T00:00:00Z')),
        `(${user}) and client_ref = 'r1' and created_at > '2024-01-01T00:00:00Z'`,
      );
    });

    it('returns undefined when there is nothing to filter on', () => {
      assert.equal(combineQuery(undefined), undefined);
      assert.equal(combineQuery('   '), undefined);
      assert.equal(combineQuery(null, undefined), undefined);
      assert.equal(combineQuery('', eq('a', 1)), 'a = 1');
    });

    it('refuses a user expression that would escape its parentheses', () => {
      assert.throws(() => combineQuery("a = 1) or (b = 2", eq('c', 3)), RangeError);
      assert.throws(() => raw("name ~ 'open"), RangeError);
      // Parentheses and escaped quotes inside strings do not count.
      assert.equal(raw("name ~ ')(' and x = 'it\\'s ('")?.text, "name ~ ')(' and x = 'it\\'s ('");
      assert.equal(raw('name ~ "a)" and b = \'"\'')?.text, 'name ~ "a)" and b = \'"\'');
      assert.throws(() => raw('name ~ "open'), RangeError);
    });
  });
});
