import { strict as assert } from 'node:assert';
import type { ModelPricing, Run } from '../../../src/api/types';
import { batchFinished, batchOutcome, describeBatchProgress, estimateBatchCost, sendSummary, statusCounts } from '../../../src/core/batchSummary';

const run = (status_code: string, cost?: string | null, created_at = '2026-12-01T10:00:00Z'): Run => ({ id: `r-${Math.random()}`, status_code, cost, created_at });
const perSecond: ModelPricing = { pricing_model_code: 'per_second', unit_code: 'second', price: '0.00025', currency_code: 'USD' };

describe('Batch summaries', () => {
  describe('estimateBatchCost', () => {
    it('multiplies a flat price per run, exactly', () => {
      const e = estimateBatchCost(6, [{ pricing_model_code: 'per_run', unit_code: 'run', price: '0.0123456789', currency_code: 'usd' }], []);
      assert.equal(e.amount, 'about $0.0740740734');
      assert.match(e.basis, /^estimate: 6 × the model's price per run/);
    });

    it('goes by the median cost of recent succeeded runs when the price depends on run time', () => {
      const runs = [run('succeeded', '0.3'), run('succeeded', '0.1'), run('succeeded', '0.2'), run('succeeded', 'abc'), run('succeeded', null)];
      const e = estimateBatchCost(10, [perSecond], runs);
      assert.equal(e.amount, 'about $2.00');
      assert.match(e.basis, /median cost of the last 3 succeeded runs/);
    });

    it('says why there is no estimate, and never invents one', () => {
      assert.equal(estimateBatchCost(4, [perSecond], []).amount, undefined);
      assert.match(estimateBatchCost(4, [perSecond], []).basis, /^no estimate: the price depends on what each run does/);
      assert.match(estimateBatchCost(4, null, []).basis, /^no estimate: the model states no pricing/);
    });

    it('ignores disabled prices and does not pick among several', () => {
      const flat: ModelPricing = { pricing_model_code: 'per_run', unit_code: 'run', price: '1', currency_code: 'USD' };
      assert.equal(estimateBatchCost(2, [flat, { ...flat, price: '2', disabled_at: '2026-01-01T00:00:00Z' }], []).amount, 'about $2.00');
      assert.equal(estimateBatchCost(2, [flat, { ...flat, price: '2' }], []).amount, undefined);
    });
  });

  describe('batchOutcome', () => {
    it('is succeeded only when every entry ran and succeeded', () => {
      assert.equal(batchOutcome(2, [run('succeeded'), run('succeeded')]), 'succeeded');
      assert.equal(batchOutcome(3, [run('succeeded'), run('succeeded')]), 'unsettled');
    });
    it('counts an unknown status as active: it may not be over', () => {
      assert.equal(batchOutcome(2, [run('succeeded'), run('rebalancing')]), 'active');
      assert.equal(batchOutcome(2, [run('succeeded'), run('running')]), 'active');
    });
    it('tells failures from a batch that was stopped', () => {
      assert.equal(batchOutcome(2, [run('succeeded'), run('failed')]), 'problems');
      assert.equal(batchOutcome(2, [run('cancelled'), run('cancelled')]), 'stopped');
      assert.equal(batchOutcome(2, [run('cancelled'), run('succeeded')]), 'problems');
    });
  });

  it('batchFinished waits for every run to be over', () => {
    assert.equal(batchFinished([]), false);
    assert.equal(batchFinished([run('succeeded'), run('queued')]), false);
    assert.equal(batchFinished([run('succeeded'), run('failed')]), true);
    assert.equal(batchFinished([run('succeeded'), run('something-new')]), false);
  });

  it('describes progress, counts, what is missing and the exact cost so far', () => {
    const runs = [run('succeeded', '0.1'), run('succeeded', '0.2'), run('running', null), run('failed', '0.000000000000000001')];
    assert.deepEqual(statusCounts(runs).map(([s]) => s).includes('running'), true);
    const text = describeBatchProgress(6, 5, runs);
    assert.match(text, /^3\/6 · /);
    assert.match(text, /2 succeeded/);
    assert.match(text, /1 running/);
    assert.match(text, /1 failed/);
    assert.match(text, /1 not loaded · 1 not launched · \$0\.300000000000000001$/);
  });

  it('sums up a send in one sentence', () => {
    assert.equal(sendSummary(['launched', 'launched', 'refused', 'unknown']), '2 launched, 1 refused by the server, 1 unknown');
    assert.equal(sendSummary(['launched', 'pending', 'failed']), '1 launched, 0 refused by the server, 1 not created (the request failed), 1 not sent, 0 unknown');
  });
});
