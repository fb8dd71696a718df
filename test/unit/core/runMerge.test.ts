import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import { mergeRun } from '../../../src/core/runMerge';

const full: Run = {
  id: 'run-1',
  status_code: 'running',
  client_ref: 'lighthouse-v2',
  model: { slug: 'sdxl-turbo', name: 'SDXL Turbo' } as Run['model'],
  node_runs: [{ id: 'n1', node_id: 'prompt', state_code: 'succeeded' }],
  failure_code: null,
  failure_message: null,
  cost: '0.0125',
};

describe('mergeRun', () => {
  it('keeps what a narrower answer leaves out: target, node runs, client_ref', () => {
    const patched = mergeRun(full, { id: 'run-1', status_code: 'cancelled' });
    assert.equal(patched.status_code, 'cancelled');
    assert.equal(patched.client_ref, 'lighthouse-v2');
    assert.equal((patched.model as { name?: string }).name, 'SDXL Turbo');
    assert.equal(patched.node_runs?.length, 1);
  });

  it('never lets nulls erase what was known (the answer {"id": null, "status_code": null})', () => {
    const merged = mergeRun(full, { id: null, status_code: null } as Run);
    assert.equal(merged.id, 'run-1');
    assert.equal(merged.status_code, 'running');
  });

  it('keeps failure details a later list item does not carry', () => {
    const failed = mergeRun(full, { id: 'run-1', status_code: 'failed', failure_code: 'OOM', failure_message: 'CUDA out of memory' });
    const listed = mergeRun(failed, { id: 'run-1', status_code: 'failed', failure_code: null, failure_message: null, node_runs: [] });
    assert.equal(listed.failure_code, 'OOM');
    assert.equal(listed.failure_message, 'CUDA out of memory');
    assert.equal(listed.node_runs?.length, 1, 'an empty node-run list does not erase the known one');
  });

  it('takes everything a wider answer says, fields it does not know included', () => {
    const merged = mergeRun(full, { id: 'run-1', status_code: 'succeeded', cost: '0.02', node_runs: [{ id: 'n1' }, { id: 'n2' }], extra_field: 7 } as Run);
    assert.equal(merged.status_code, 'succeeded');
    assert.equal(merged.cost, '0.02');
    assert.equal(merged.node_runs?.length, 2);
    assert.equal((merged as Record<string, unknown>).extra_field, 7);
  });

  it('starts from the answer when nothing was known', () => {
    const fresh: Run = { id: 'run-2', status_code: null };
    assert.equal(mergeRun(undefined, fresh), fresh);
  });
});
