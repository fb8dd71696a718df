import { strict as assert } from 'node:assert';
import { isAtLeast, levelCodesAtLeast, levelSeverity } from '../../../src/core/logLevels';

describe('log level severity', () => {
  it('ranks known codes whatever their case, and anything else as other', () => {
    assert.equal(levelSeverity('ERROR'), 'error');
    assert.equal(levelSeverity(' Fatal '), 'error');
    assert.equal(levelSeverity('warn'), 'warning');
    assert.equal(levelSeverity('trace'), 'debug');
    assert.equal(levelSeverity('verbose-ish'), 'other');
    assert.equal(levelSeverity(null), 'other');
    assert.equal(levelSeverity('__proto__'), 'other');
  });

  it('says whether a level is at least error or warning', () => {
    assert.ok(isAtLeast('critical', 'error'));
    assert.ok(!isAtLeast('warning', 'error'));
    assert.ok(isAtLeast('warning', 'warning'));
    assert.ok(isAtLeast('error', 'warning'));
    assert.ok(!isAtLeast('info', 'warning'));
    assert.ok(!isAtLeast(undefined, 'warning'));
  });

  it('lists the codes a server filter names for each threshold', () => {
    assert.ok(levelCodesAtLeast('error').includes('fatal'));
    assert.ok(!levelCodesAtLeast('error').includes('warning'));
    assert.ok(levelCodesAtLeast('warning').includes('warn'));
  });
});
