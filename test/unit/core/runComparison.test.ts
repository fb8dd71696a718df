import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import { compareRuns, durationDelta, nodeRunLines, sentFindings } from '../../../src/core/runComparison';

const NOW = Date.parse('2026-11-30T12:00:00Z');

function run(fields: Partial<Run>): Run {
  return {
    id: '11111111-0000-4000-8000-000000000001',
    target_type: 'model',
    model_id: 'model-1',
    status_code: 'succeeded',
    created_at: '2026-11-30T10:00:00Z',
    duration_ms: 10_000,
    cost: '0.0100',
    input: { prompt: 'a cat', seed: 42, steps: 4 },
    metadata: { batch: 'a' },
    node_runs: [],
    ...fields,
  };
}

describe('comparing two runs', () => {
  const left = run({});
  const right = run({ id: '22222222-0000-4000-8000-000000000002', status_code: 'failed', duration_ms: 11_200, cost: '0.0131', input: { steps: 8, prompt: 'a cat', seed: 7 } });

  it('names exactly the input paths that differ when nothing else the user sent does', () => {
    assert.deepEqual(sentFindings(left, right), ['only the input differs: seed 42 → 7, steps 4 → 8']);
  });

  it('says the target and metadata differ too when they do', () => {
    const other = run({ model_id: 'model-2', metadata: { batch: 'b' }, input: { prompt: 'a cat', seed: 7, steps: 4 } });
    assert.deepEqual(sentFindings(left, other), ['input differs: seed 42 → 7', 'target: model-2 vs model-1', 'metadata differs: batch "a" → "b"']);
    assert.deepEqual(sentFindings(left, run({})), ['input: the same']);
  });

  it('sums up status, duration, cost and node runs with their deltas, right against left', () => {
    const c = compareRuns(left, { ...right, node_runs: [{ node_id: 'n1', state_code: 'failed' }] }, NOW);
    assert.deepEqual(c.summary.slice(1), ['status: failed vs succeeded', 'duration: 11 s vs 10 s (+1.2 s)', 'cost: $0.0131 vs $0.01 (+$0.0031)', 'node runs: 1 vs 0 (+1)']);
    assert.equal(c.title, '11111111 ↔ 22222222 (failed vs succeeded, +1.2 s, +$0.0031, +1 node runs)');
  });

  it('takes no cost difference across currencies, and durations from the times when no duration_ms is sent', () => {
    const euro = run({ cost: '0.02', cost_breakdown: { currency: 'EUR' }, duration_ms: null, started_at: '2026-11-30T10:00:00Z', completed_at: '2026-11-30T10:00:12.5Z' });
    const c = compareRuns(left, euro, NOW);
    assert.ok(c.summary.includes('cost: €0.02 vs $0.01 (other currencies: no difference taken)'), c.summary.join('\n'));
    assert.ok(c.summary.includes('duration: 13 s vs 10 s (+2.5 s)'), c.summary.join('\n'));
    assert.equal(durationDelta(1000, 150), '-850 ms');
    assert.equal(durationDelta(5, 5), '±0 ms');
  });

  it('writes each side as sections holding the canonical JSON, with the same summary above both', () => {
    const c = compareRuns(left, right, NOW);
    const sections = (doc: string) => doc.split('\n').filter((l) => l.startsWith('# '));
    assert.deepEqual(sections(c.left), ['# run', '# input', '# output', '# metadata', '# node runs']);
    assert.ok(c.right.includes('# input\n{\n  "prompt": "a cat",\n  "seed": 7,\n  "steps": 8\n}\n'));
    assert.equal(c.left.slice(0, c.left.indexOf('# run')), c.right.slice(0, c.right.indexOf('# run')));
    assert.ok(c.right.includes('\nstatus: failed\n'));
  });

  it('writes bidirectional controls as escapes, so no text shows in another order than it is', () => {
    const c = compareRuns(left, run({ input: { name: 'invoice\u202Efdp.exe' } }), NOW);
    assert.ok(c.right.includes('"name": "invoice\\u202efdp.exe"'));
    assert.ok(!/[\u202a-\u202e]/.test(c.right + c.left + c.summary.join('')));
  });

  it('lists node runs one a line, named from the flow where it names them', () => {
    const flowRun = run({
      target_type: 'flow',
      flow: { nodes: [{ id: 'load', label: 'Load image' }] } as unknown as Run['flow'],
      node_runs: [
        { node_id: 'load', state_code: 'completed', duration_ms: 1200, cost: '0.001' },
        { node_id: 'b0c1d2e3-0000-4000-8000-000000000000', state_code: 'failed', started_at: '2026-11-30T10:00:00Z', completed_at: '2026-11-30T10:00:00.5Z' },
      ],
    });
    assert.deepEqual(nodeRunLines(flowRun), ['Load image (load) · completed · 1.2 s · $0.001', 'b0c1d2e3 · failed · 500 ms · —']);
    assert.deepEqual(nodeRunLines(run({ node_runs: undefined })), ['(the run came without its node runs)']);
    assert.deepEqual(nodeRunLines(flowRun, 1).slice(-1), ['… 1 more node runs not listed']);
  });
});
