import { strict as assert } from 'node:assert';
import { formatCost, isValidCost, parseCost, sumCosts, sumCostsDetailed } from '../../../src/core/cost';

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

  it('sums exactly, without floating point', () => {
    assert.equal(sumCosts(['0.1', '0.2']), '0.3');
    assert.equal(sumCosts(['0.0125', '0.0075']), '0.02');
    assert.equal(sumCosts(['1', '2.5', '.25']), '3.75');
    assert.equal(sumCosts(['-0.5', '0.5']), '0');
    assert.equal(sumCosts(['-1.25', '0.25']), '-1');
    assert.equal(sumCosts([]), '0');
    assert.equal(sumCosts(['99999999999999999999.000000000000000001', '0.000000000000000001']), '99999999999999999999.000000000000000002');
    const many = Array.from({ length: 1000 }, () => '0.001');
    assert.equal(sumCosts(many), '1');
  });

  it('ignores null, undefined and invalid values, and reports them', () => {
    assert.equal(sumCosts(['1.5', null, undefined, 'garbage', '1e3', '0.5']), '2');
    assert.deepEqual(sumCostsDetailed(['1.5', null, undefined, 'garbage', '0.5']), { total: '2', counted: 2, missing: 2, invalid: 1 });
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
    assert.equal(formatCost('2', 'eur'), '€2.00');
    assert.equal(formatCost('2', 'CHF'), '2.00 CHF');
    assert.equal(formatCost('2', ''), '2.00');
  });

  it('formats missing and invalid values without throwing', () => {
    assert.equal(formatCost(null), '—');
    assert.equal(formatCost(undefined), '—');
    assert.equal(formatCost('  '), '—');
    assert.equal(formatCost('n/a'), 'n/a');
    assert.equal(formatCost(' 12 '), '$12.00');
  });
});
