import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import {
  formatAgo,
  formatDuration,
  formatProgress,
  groupByStatus,
  isActiveStatus,
  isTerminalStatus,
  runDescription,
  runDurationMs,
  runTarget,
  statusIcon,
  statusLabel,
} from '../../../src/core/runModel';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('run model', () => {
  it('groups by status with active groups first and keeps unknown statuses', () => {
    const runs: Run[] = [
      { id: 'a', status_code: 'succeeded', created_at: '2026-11-22T10:00:00Z' },
      { id: 'b', status_code: 'running', created_at: '2026-11-22T09:00:00Z' },
      { id: 'c', status_code: 'paused_for_review', created_at: '2026-11-22T08:00:00Z' },
      { id: 'd', status_code: 'failed', created_at: '2026-11-22T11:00:00Z' },
      { id: 'e', status_code: 'queued', created_at: null },
      { id: 'f', status_code: null },
      { id: 'g', status_code: 'succeeded', created_at: '2026-11-22T11:30:00Z' },
    ];
    const groups = groupByStatus(runs);
    assert.deepEqual([...groups.keys()], ['running', 'queued', 'failed', 'succeeded', 'paused_for_review', 'unknown']);
    assert.deepEqual(groups.get('succeeded')!.map((r) => r.id), ['g', 'a']);
    assert.equal(statusLabel('paused_for_review'), 'Paused for review');
    assert.equal(statusIcon('paused_for_review').codicon, 'question');
    assert.equal(statusLabel('partial_succeeded'), 'Partially succeeded');
  });

  it('knows active and terminal statuses, and an unknown one is neither', () => {
    assert.ok(isActiveStatus('running') && isActiveStatus('queued') && isActiveStatus('dispatching'));
    assert.ok(isTerminalStatus('partial_succeeded') && !isTerminalStatus('running'));
    assert.ok(!isActiveStatus('mystery') && !isTerminalStatus('mystery') && !isActiveStatus(null));
  });

  it('names the target from embedded objects, then ids, then a placeholder', () => {
    assert.deepEqual(runTarget({ target_type: 'model', model: { name: 'SDXL Turbo', slug: 'sdxl-turbo' } } as Run), {
      kind: 'model',
      label: 'SDXL Turbo',
      slug: 'sdxl-turbo',
    });
    assert.equal(runTarget({ target_type: 'flow', flow: { slug: 'caption-flow', name: null } } as Run).label, 'caption-flow');
    assert.equal(runTarget({ comfyui_workflow_id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } as Run).label, '3c90c3cc');
    assert.deepEqual(runTarget({}), { kind: 'unknown', label: 'Unknown target' });
  });

  it('times runs that finished, that are running, and that say nothing', () => {
    assert.equal(runDurationMs({ duration_ms: 1234 }, NOW), 1234);
    assert.equal(runDurationMs({ started_at: '2026-11-22T11:59:00Z', completed_at: '2026-11-22T11:59:30Z' }, NOW), 30_000);
    assert.equal(runDurationMs({ status_code: 'running', started_at: '2026-11-22T11:58:00Z' }, NOW), 120_000);
    assert.equal(runDurationMs({ status_code: 'failed', started_at: '2026-11-22T11:58:00Z' }, NOW), undefined);
    assert.equal(runDurationMs({ started_at: 'garbage' }, NOW), undefined);
    assert.equal(
      runDescription({ status_code: 'running', created_at: '2026-11-22T11:55:00Z', started_at: '2026-11-22T11:58:55Z' }, NOW),
      '5 min ago · running 1m 05s',
    );
  });

  it('formats durations, ages and progress', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(4_560), '4.6 s');
    assert.equal(formatDuration(12_340), '12 s');
    assert.equal(formatDuration(245_000), '4m 05s');
    assert.equal(formatDuration(7_380_000), '2h 03m');
    assert.equal(formatDuration(null), '—');
    assert.equal(formatAgo('2026-11-22T11:59:50Z', NOW), 'just now');
    assert.equal(formatAgo('2026-11-22T09:00:00Z', NOW), '3 h ago');
    assert.equal(formatAgo('2026-01-02T00:00:00Z', NOW), '2026-01-02');
    assert.equal(formatAgo(null, NOW), 'unknown time');
    assert.equal(formatProgress({ nodes_total: 7, nodes_completed: 3 }), '3/7');
    assert.equal(formatProgress({ nodes_total: 0 }), undefined);
    assert.equal(formatProgress({ nodes_total: 4, nodes_completed: null }), '0/4');
  });
});
