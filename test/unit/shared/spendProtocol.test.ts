import { strict as assert } from 'node:assert';
import { parseSpendMessage } from '../../../src/shared/spendProtocol';

describe('Show Spend messages from the page', () => {
  it('takes only the messages the extension understands, checked field by field', () => {
    assert.deepEqual(parseSpendMessage({ type: 'period', period: '7d' }), { type: 'period', period: '7d' });
    assert.deepEqual(parseSpendMessage({ type: 'openRun', runId: 'r1', extra: 1 }), { type: 'openRun', runId: 'r1' });
    assert.deepEqual(parseSpendMessage({ type: 'cancel' }), { type: 'cancel' });
    for (const bad of [null, [], 'cancel', { type: 'period', period: '365d' }, { type: 'openRun', runId: '' }, { type: 'openRun', runId: 'x'.repeat(201) }, { type: 'eval' }]) {
      assert.equal(parseSpendMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
