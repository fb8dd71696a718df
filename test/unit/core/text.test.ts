import { strict as assert } from 'node:assert';
import { curlForGetRun } from '../../../src/core/curl';
import { notificationText, singleLine } from '../../../src/core/text';

describe('text for notifications and labels', () => {
  it('flattens to one line and strips ANSI and control characters', () => {
    assert.equal(singleLine('a\n\tb\u001b[31m red\u001b[0m\u0007 \u202Eevil'), 'a b red evil');
    assert.equal(singleLine(null), '');
    assert.equal(singleLine('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
  });

  it('defangs markdown links that notifications would make clickable', () => {
    const text = notificationText('[click me](command:workbench.action.terminal.new)');
    assert.ok(!text.includes('[') && !text.includes(']'));
    assert.match(text, /click me/);
  });
});

describe('curl command', () => {
  it('uses $RUNFLOW_TOKEN, never a token, and quotes what the shell would expand', () => {
    const cmd = curlForGetRun('https://api.runflow.io/', "run'; rm -rf /", "org'x");
    assert.equal(
      cmd,
      `curl -sS -H "Authorization: Bearer $RUNFLOW_TOKEN" -H 'X-Organization-Id: org'\\''x' 'https://api.runflow.io/v1/runs/run'\\''%3B%20rm%20-rf%20%2F'`,
    );
    assert.equal(curlForGetRun('http://127.0.0.1:4010', 'abc'), `curl -sS -H "Authorization: Bearer $RUNFLOW_TOKEN" 'http://127.0.0.1:4010/v1/runs/abc'`);
  });
});
