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

describe('panel protocol: error lines and a node\'s first line', () => {
  it('accepts a request for the error lines with its id only', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'errorLines', requestId: 7 }), { type: 'errorLines', requestId: 7 });
    assert.deepEqual(parseWebviewMessage({ type: 'errorLines', requestId: 7, level: 'debug' }), { type: 'errorLines', requestId: 7 });
    for (const requestId of [-1, 1.5, '7', null, undefined, Number.MAX_SAFE_INTEGER + 2]) {
      assert.equal(parseWebviewMessage({ type: 'errorLines', requestId }), undefined, String(requestId));
    }
  });

  it('accepts a node asked for by a few short names, and nothing larger', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: ['node-1', 'upscale'] }), { type: 'nodeLine', requestId: 3, nodes: ['node-1', 'upscale'] });
    assert.equal(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: [] }), undefined, 'no name');
    assert.equal(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: ['a', 'b', 'c', 'd', 'e'] }), undefined, 'too many names');
    assert.equal(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: ['x'.repeat(201)] }), undefined, 'a name too long');
    assert.equal(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: [''] }), undefined, 'an empty name');
    assert.equal(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: [42] }), undefined, 'not a string');
    assert.equal(parseWebviewMessage({ type: 'nodeLine', requestId: 3, nodes: 'node-1' }), undefined, 'not a list');
    assert.equal(parseWebviewMessage({ type: 'nodeLine', nodes: ['node-1'] }), undefined, 'no request id');
  });

  it('refuses what only the extension sends', () => {
    assert.equal(parseWebviewMessage({ type: 'showMatch', query: 'x', position: 3 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'errorLinesResult', requestId: 1, positions: [], truncated: false }), undefined);
    assert.equal(parseWebviewMessage({ type: 'nodeLineResult', requestId: 1, position: 0 }), undefined);
  });
});
