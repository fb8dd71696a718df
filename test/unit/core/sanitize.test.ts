import { strict as assert } from 'node:assert';
import { curlForGetRun } from '../../../src/core/curl';
import { neutralizeBidi, notificationText, singleLine } from '../../../src/core/sanitize';

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

describe('bidirectional controls in text from the API', () => {
  const SPOOF = 'invoice-model\u202Efdp.exe';

  it('neutralizeBidi keeps the logical order: the name reads as sent, never as "invoice-modelexe.pdf"', () => {
    assert.equal(neutralizeBidi(SPOOF), 'invoice-modelfdp.exe');
    assert.equal(neutralizeBidi('a\u061Cb\u200Ec\u200Fd\u202Ae\u202Bf\u202Cg\u202Dh\u202Ei\u2066j\u2067k\u2068l\u2069m'), 'abcdefghijklm');
    assert.equal(neutralizeBidi('line one\nline two\ttab \u001b[31mred'), 'line one\nline two\ttab \u001b[31mred', 'nothing else is touched');
    assert.equal(neutralizeBidi('שלום عربي'), 'שלום عربي', 'right-to-left letters stay');
  });

  it('singleLine and notificationText drop them too', () => {
    assert.equal(singleLine(SPOOF), 'invoice-modelfdp.exe');
    assert.equal(notificationText(`Runflow: ${SPOOF} failed`), 'Runflow: invoice-modelfdp.exe failed');
    assert.equal(notificationText('\u2067[x](command:a)\u2069'), '⟦x⟧(command:a)');
  });
});
