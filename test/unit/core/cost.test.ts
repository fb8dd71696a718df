import { strict as assert } from 'node:assert';
import { describeCost, formatCost, isValidCost, parseCost } from '../../../src/core/cost';

describe('cost', () => {
  it('validates against the reference pattern', () => {
    for (const ok of ['0', '0.0125', '12', '+3', '-0.5', '.5', '5.', '007.10', '0000']) assert.ok(isValidCost(ok), ok);
    for (const bad of ['', '.', '-', '+.', '1e3', '1,5', ' 1', 'abc', '1.2.3', '--1', 'NaN', '1'.repeat(121)]) {
      assert.ok(!isValidCost(bad), bad);
    }
    assert.ok(!isValidCost(3));
  });

  it('parses into scaled integers', () => {
    assert.deepEqual(parseCost('0.0125'), { units: 125n, scale: 4 });
    assert.deepEqual(parseCost('-.5'), { units: -5n, scale: 1 });
    assert.deepEqual(parseCost('5.'), { units: 5n, scale: 0 });
    assert.equal(parseCost('x'), undefined);
    assert.equal(parseCost(null), undefined);
  });

  it('formats for display, keeping every significant digit', () => {
    assert.equal(formatCost('0.0125'), '$0.0125');
    assert.equal(formatCost('0.012500'), '$0.0125');
    assert.equal(formatCost('1.5'), '$1.50');
    assert.equal(formatCost('12'), '$12.00');
    assert.equal(formatCost('1234567.891'), '$1,234,567.891');
    assert.equal(formatCost('007.10'), '$7.10');
    assert.equal(formatCost('.5'), '$0.50');
    assert.equal(formatCost('+3'), '$3.00');
    assert.equal(formatCost('-0.3'), '-$0.30');
    assert.equal(formatCost('-0.000'), '$0.00');
    assert.equal(formatCost('0.000000000123'), '$0.000000000123');
    assert.equal(describeCost('2', 'eur').text, '€2.00');
    assert.equal(describeCost('2', 'CHF').text, '2.00 CHF');
    assert.equal(describeCost('2', '').text, '2.00');
  });

  it('formats missing and invalid values without throwing', () => {
    assert.equal(formatCost(null), '—');
    assert.equal(formatCost(undefined), '—');
    assert.equal(formatCost('  '), '—');
    assert.equal(formatCost('n/a'), 'n/a');
    assert.equal(formatCost(' 12 '), '$12.00');
  });
});

describe('one cost formatter for the tree and the panel', () => {
  it('shows the inputs from the issue as the tree does: abc as text, 000.000100 and -0.30 as amounts', () => {
    assert.deepEqual(describeCost('abc'), { kind: 'text', text: 'abc' });
    assert.equal(formatCost('abc'), 'abc');
    assert.equal(formatCost('000.000100'), '$0.0001');
    assert.equal(formatCost('-0.30'), '-$0.30');
    assert.equal(describeCost('-0.30').kind, 'amount');
  });

  it('formats decimal strings exactly through Intl, with grouping and at least two decimals', () => {
    assert.equal(formatCost('0.000100'), '$0.0001');
    assert.equal(formatCost('1234.5'), '$1,234.50');
    assert.equal(formatCost('1234567890123456789012345678901234567890'), '$1,234,567,890,123,456,789,012,345,678,901,234,567,890.00');
    assert.equal(formatCost('1234567890123456789.0123456789012345678901'), '$1,234,567,890,123,456,789.0123456789012345678901', 'more than 20 decimals: every digit kept');
    assert.equal(formatCost('0.00000000000000000001'), '$0.00000000000000000001');
    assert.equal(formatCost('-1234567.5'), '-$1,234,567.50');
  });

  it('rests on Intl formatting a decimal string without a float in between (Node 20, as in Chromium)', () => {
    const exact = new Intl.NumberFormat('en-US', { minimumFractionDigits: 20, maximumFractionDigits: 20 });
    // 40 significant digits: a float would keep about 17 of them.
    assert.equal(exact.format('12345678901234567890.12345678901234567891' as unknown as number), '12,345,678,901,234,567,890.12345678901234567891');
    assert.equal(formatCost('12345678901234567890.12345678901234567891'), '$12,345,678,901,234,567,890.12345678901234567891');
  });

  it('never puts a currency sign on something that is not a decimal', () => {
    for (const v of ['abc', '1e3', '1,5', 'NaN', 'Infinity', '$5', '--1', '1.2.3', '0x10']) {
      const shown = describeCost(v);
      assert.equal(shown.kind, 'text', v);
      assert.equal(shown.text, v.trim());
    }
    assert.equal(formatCost('\u202Eabc\n<b>'), 'abc <b>', 'one line, without controls');
    assert.equal(formatCost('x'.repeat(100)).length, 40);
  });

  it('shows a number from a server that broke the reference as a cost when its digits read as a decimal, else as text', () => {
    assert.deepEqual(describeCost(0.5), { kind: 'amount', text: '$0.50' });
    assert.deepEqual(describeCost(-0.3), { kind: 'amount', text: '-$0.30' });
    assert.deepEqual(describeCost(1e21), { kind: 'text', text: '1e+21' });
    assert.deepEqual(describeCost(5e-7), { kind: 'text', text: '5e-7' });
    assert.deepEqual(describeCost(true), { kind: 'text', text: 'true' });
    assert.deepEqual(describeCost({ usd: '1' }), { kind: 'text', text: '{"usd":"1"}' });
    assert.deepEqual(describeCost(null), { kind: 'none', text: '—' });
    assert.deepEqual(describeCost(''), { kind: 'none', text: '—' });
  });
});
