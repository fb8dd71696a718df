import { strict as assert } from 'node:assert';
import { suiteVerdict } from '../../../test/host/verdict';

describe('suite verdict', () => {
  const clean = { passed: 12, failed: 0, pending: 0, skipped: [] };

  it('passes a run where everything passed, in CI or not', () => {
    assert.deepEqual(suiteVerdict(clean, 0, {}), { code: 0, lines: [] });
    assert.deepEqual(suiteVerdict(clean, 0, { CI: 'true' }), { code: 0, lines: [] });
  });

  it('fails on a failed test, a VS Code that exited badly, or a run where nothing passed', () => {
    assert.equal(suiteVerdict({ ...clean, failed: 1 }, 0).code, 1);
    assert.equal(suiteVerdict(clean, 1).code, 1);
    assert.equal(suiteVerdict({ passed: 0, failed: 0, pending: 0 }, 0).code, 1);
  });

  it('lists skipped tests by title, and lets them pass outside CI only', () => {
    const summary = { passed: 11, failed: 0, pending: 1, skipped: ['Runs view opens a run in the browser'] };
    const local = suiteVerdict(summary, 0, {});
    assert.equal(local.code, 0);
    assert.deepEqual(local.lines, ['  skipped: Runs view opens a run in the browser']);
    const ci = suiteVerdict(summary, 0, { CI: 'true' });
    assert.equal(ci.code, 1);
    assert.deepEqual(ci.lines, ['  skipped: Runs view opens a run in the browser', '  failed: 1 skipped, which CI does not accept']);
  });

  it('counts skips a summary did not name, and reads CI=false as not CI', () => {
    const summary = { passed: 3, failed: 0, pending: 2 };
    assert.equal(suiteVerdict(summary, 0, { CI: '1' }).code, 1);
    assert.ok(suiteVerdict(summary, 0, { CI: '1' }).lines.includes('  skipped: 2 more, without a title'));
    assert.equal(suiteVerdict(summary, 0, { CI: 'false' }).code, 0);
    assert.equal(suiteVerdict(summary, 0, { CI: '' }).code, 0);
  });
});
