import { strict as assert } from 'node:assert';
import { CostTotal, costDelta, describeTotal, describeTotalLines, readCost, runAmount, runCurrency, todaysTotal, totalOf } from '../../../src/core/costTotals';
import { localDayKey, localDaysBefore, localDayStart } from '../../../src/core/localDay';

describe('costTotals', () => {
  it('sums exactly, with twenty decimal places and negative adjustments', () => {
    const total = new CostTotal();
    for (const c of ['0.10000000000000000001', '0.2', '-0.05', '1234567890123.00000000000000000009', '-0.00000000000000000010']) total.add(c, 'USD');
    assert.equal(total.amount('USD'), '1234567890123.25');
    assert.equal(total.summed, 5);
    assert.equal(describeTotal(total), '$1,234,567,890,123.25');
    const floats = 0.1 + 0.2;
    assert.notEqual(String(floats), '0.3', 'the float sum this avoids');
    const t = new CostTotal();
    t.add('0.1', 'USD');
    t.add('0.2', 'USD');
    assert.equal(t.amount('USD'), '0.3');
  });

  it('never adds across currencies, and says what it could not sum', () => {
    const total = new CostTotal();
    total.addRun({ cost: '1.5' });
    total.addRun({ cost: '2', cost_breakdown: { currency: 'eur' } });
    total.addRun({ cost: '0.5', cost_breakdown: { currency: 'USD' } });
    total.addRun({ cost: '9', cost_breakdown: { currency: 'dollars' } });
    total.addRun({ cost: 'abc' });
    total.addRun({ cost: null });
    assert.deepEqual(total.currencies, ['USD', 'EUR']);
    assert.equal(total.amount('USD'), '2');
    assert.equal(total.amount('EUR'), '2');
    assert.equal(total.notSummed, 2);
    assert.equal(total.none, 1);
    assert.equal(total.isSingle, false);
    assert.equal(describeTotal(total), '$2.00 + €2.00 + 2 not summed');
    assert.equal(describeTotal(new CostTotal()), undefined);
  });

  it('reads the currency a breakdown names, or none it can trust', () => {
    assert.equal(runCurrency({}), 'USD');
    assert.equal(runCurrency({ cost_breakdown: { currency_code: 'gbp' } }), 'GBP');
    assert.equal(runCurrency({ cost_breakdown: { currency: 7 } }), undefined);
    assert.equal(runCurrency({ cost_breakdown: { currency: '€€' } }), undefined);
    assert.equal(runCurrency({ cost_breakdown: JSON.parse('{"__proto__": {"currency": "EUR"}}') }), 'USD');
  });

  it('gives the signed difference of two costs in one currency', () => {
    assert.equal(costDelta({ cost: '0.0100' }, { cost: '0.0131' }), '+$0.0031');
    assert.equal(costDelta({ cost: '1.5' }, { cost: '0.3' }), '-$1.20');
    assert.equal(costDelta({ cost: '1.5' }, { cost: '1.50' }), '±$0.00');
    assert.equal(costDelta({ cost: '1' }, { cost: '1', cost_breakdown: { currency: 'EUR' } }), undefined);
    assert.equal(costDelta({ cost: null }, { cost: '1' }), undefined);
  });
});

describe('costTotals for views', () => {
  it('reads each cost by one rule: none, not summed, or an exact amount in its currency', () => {
    assert.equal(readCost(null, 'USD'), 'none');
    assert.equal(readCost('  ', 'USD'), 'none');
    assert.equal(readCost('1e3', 'USD'), 'not_summed');
    assert.equal(readCost('1', undefined), 'not_summed');
    assert.deepEqual(readCost(' -0.50 ', 'eur'), { amount: { units: -50n, scale: 2 }, currency: 'EUR' });
    assert.deepEqual(runAmount({ cost: '2', cost_breakdown: { currency: 'gbp' } }), { amount: { units: 2n, scale: 0 }, currency: 'GBP' });
  });

  it('describes a total line by line: each currency, then what it leaves out', () => {
    const total = totalOf([{ cost: '0.10000000000000000001' }, { cost: '-0.05' }, { cost: '3', cost_breakdown: { currency: 'EUR' } }, { cost: null }, { cost: 'n/a' }]);
    assert.deepEqual(describeTotalLines(total), ['$0.05000000000000000001 (USD)', '€3.00 (EUR)', '1 without cost', '1 not summed: not a decimal, or an unknown currency']);
    assert.deepEqual(describeTotalLines(new CostTotal()), []);
  });

  it("totals today's runs by their parsed local day", () => {
    const now = new Date(2026, 2, 7, 15, 0, 0).getTime();
    const at = (d: Date) => d.toISOString();
    const runs = [
      { created_at: at(new Date(2026, 2, 7, 0, 0, 0)), cost: '1.25' },
      { created_at: at(new Date(2026, 2, 7, 23, 59, 59)), cost: '0.00000000000000000001' },
      { created_at: at(new Date(2026, 2, 6, 23, 59, 59)), cost: '100' },
      { created_at: at(new Date(2026, 2, 8, 0, 0, 0)), cost: '100' },
      { created_at: 'yesterday', cost: '100' },
      { created_at: at(new Date(2026, 2, 7, 9, 0, 0)), cost: null },
    ];
    const today = todaysTotal(runs, now);
    assert.equal(today.runs, 3);
    assert.equal(today.total.amount('USD'), '1.25000000000000000001');
    assert.equal(today.total.none, 1);
  });

  it('counts local days by the calendar', () => {
    const now = new Date(2026, 2, 31, 1, 0, 0).getTime();
    assert.equal(localDayKey(now), '2026-03-31');
    assert.equal(localDayKey(localDaysBefore(now, 30)), '2026-03-01');
    assert.equal(localDaysBefore(now, 0), localDayStart(now));
    assert.equal(localDayKey(localDaysBefore(now, -1)), '2026-04-01');
  });
});
