import { strict as assert } from 'node:assert';
import { parseWebviewMessage } from '../../../src/shared/protocol';

describe('panel protocol', () => {
  it("accepts the logs section's Retry as an action, and nothing like it", () => {
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'retryLog' }), { type: 'action', action: 'retryLog' });
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'retryLog', extra: 'ignored' }), { type: 'action', action: 'retryLog' });
    assert.equal(parseWebviewMessage({ type: 'action', action: 'RetryLog' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'retryLog' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'action', action: ['retryLog'] }), undefined);
  });
});
