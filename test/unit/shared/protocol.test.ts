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

describe('panel protocol: the signed-out panel', () => {
  it('accepts Sign In with nothing carried over from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'signIn' }), { type: 'signIn' });
    // Whatever else the webview sends along (a token, a server) is dropped: the extension asks for the token itself.
    assert.deepEqual(parseWebviewMessage({ type: 'signIn', token: 'x', baseUrl: 'http://evil' }), { type: 'signIn' });
    assert.equal(parseWebviewMessage({ type: 'SignIn' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'action', action: 'signIn' }), undefined);
  });
});
