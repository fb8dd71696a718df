import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import {
  compareRunsNewestFirst,
  describeDuration,
  evaluationBrief,
  evaluationText,
  formatAgo,
  formatDuration,
  formatProgress,
  formatRunningTime,
  groupByStatus,
  isActiveStatus,
  isFailureStatus,
  isKnownStatus,
  isTerminalStatus,
  markedText,
  runDescription,
  runDuration,
  runDurationMs,
  runEvaluation,
  runProgress,
  runTarget,
  shortId,
  statusIcon,
  statusLabel,
  statusOf,
  statusToken,
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
      '5 min ago · running 1 min',
    );
  });

  it('shows the running time of an active run to the minute, so its row changes once a minute at most', () => {
    assert.equal(formatRunningTime(0), '< 1 min');
    assert.equal(formatRunningTime(59_999), '< 1 min');
    assert.equal(formatRunningTime(60_000), '1 min');
    assert.equal(formatRunningTime(59 * 60_000 + 59_999), '59 min');
    assert.equal(formatRunningTime(2 * 3_600_000 + 5 * 60_000 + 30_000), '2 h 05 min');
    assert.equal(formatRunningTime(3 * 86_400_000 + 4 * 3_600_000), '3 d 04 h');
    assert.equal(formatRunningTime(Number.NaN), '< 1 min');
    const run: Run = { status_code: 'running', created_at: '2026-11-22T11:55:00Z', started_at: '2026-11-22T11:57:00Z' };
    // Read every second for ten minutes, the row's text changes twice a minute at most: once for its age,
    // once for its running time.
    let changes = 0;
    for (let s = 1; s < 600; s++) if (runDescription(run, NOW + s * 1000) !== runDescription(run, NOW + (s - 1) * 1000)) changes++;
    assert.ok(changes <= 20, `${changes} changes in ten minutes`);
    assert.equal(runDescription(run, NOW), '5 min ago · running 3 min');
    assert.equal(runDescription(run, NOW + 59_000), '6 min ago · running 3 min');
    assert.equal(runDescription(run, NOW + 60_000), '6 min ago · running 4 min');
    // A duration the server sends for an active run is shown at the same grain.
    assert.equal(runDescription({ status_code: 'queued', created_at: '2026-11-22T11:59:50Z', duration_ms: 12_345 }, NOW), 'just now · running < 1 min');
    // A finished run's duration does not move: it stays exact.
    assert.equal(runDescription({ status_code: 'succeeded', created_at: '2026-11-22T11:55:00Z', duration_ms: 65_000 }, NOW), '5 min ago · 1m 05s');
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

describe('run model against a server that keeps only the reference', () => {
  it('matches the seven statuses whatever their case and surrounding blanks', () => {
    for (const s of ['RUNNING', 'Running', ' running ', 'running\n']) {
      assert.equal(statusOf({ status_code: s }), 'running', JSON.stringify(s));
      assert.equal(statusLabel(s), 'Running');
      assert.equal(statusToken(s), 'running');
      assert.equal(statusIcon(s).codicon, 'sync~spin');
      assert.ok(isActiveStatus(s) && !isTerminalStatus(s) && isKnownStatus(s));
    }
    assert.ok(isTerminalStatus('SUCCEEDED') && isTerminalStatus(' Partial_Succeeded '));
    assert.ok(isFailureStatus('FAILED') && isFailureStatus('Partial_succeeded') && !isFailureStatus('CANCELLED'));
    assert.equal(statusLabel('PARTIAL_SUCCEEDED'), 'Partially succeeded');
    const groups = groupByStatus([
      { id: 'a', status_code: 'running' },
      { id: 'b', status_code: 'RUNNING' },
      { id: 'c', status_code: ' Running ' },
    ]);
    assert.deepEqual([...groups.keys()], ['running']);
    assert.equal(groups.get('running')!.length, 3);
  });

  it('keeps unknown statuses in their own groups, with their own labels, and never as known', () => {
    for (const s of ['timed_out', 'paused', '', 'unknown', 'running!', 'run ning']) {
      assert.equal(isKnownStatus(s), false, JSON.stringify(s));
      assert.equal(isActiveStatus(s) || isTerminalStatus(s), false);
      assert.equal(statusToken(s), 'other');
      assert.equal(statusIcon(s).codicon, 'question');
    }
    assert.equal(isKnownStatus(null) || isKnownStatus(undefined) || isKnownStatus(3), false);
    assert.equal(statusOf({ status_code: 'timed_out' }), 'timed_out');
    assert.equal(statusOf({ status_code: ' paused ' }), 'paused');
    assert.equal(statusOf({ status_code: '' }), 'unknown');
    assert.equal(statusLabel('timed_out'), 'Timed out');
    assert.equal(statusLabel('paused'), 'Paused');
    assert.equal(statusLabel(statusOf({ status_code: '' })), 'No status');
    const keys = [...groupByStatus([{ id: 'a', status_code: 'timed_out' }, { id: 'b', status_code: 'paused' }, { id: 'c', status_code: '' }, { id: 'd', status_code: 'QUEUED' }]).keys()];
    assert.deepEqual(keys, ['queued', 'paused', 'timed_out', 'unknown']);
  });

  it('reads times in every precision and offset, and orders runs by instant, not by string', () => {
    const a = { id: 'a', created_at: '2026-11-22T11:00:09Z' };
    const b = { id: 'b', created_at: '2026-11-22T11:00:09.500Z' };
    const c = { id: 'c', created_at: '2026-11-22T12:00:08+01:00' };
    const d = { id: 'd', created_at: 'not a time' };
    assert.deepEqual([d, a, c, b].sort(compareRunsNewestFirst).map((r) => r.id), ['b', 'a', 'c', 'd']);
    assert.equal(formatAgo('2026-11-22T11:59:50.123456Z', NOW), 'just now');
    assert.equal(formatAgo('2026-11-22T14:00:00+02:00', NOW), 'just now');
    assert.equal(formatAgo('2026-11-22T06:00:00-03:00', NOW), '3 h ago');
  });

  it('shows times far in the future or past as dates, and says when a time cannot be read', () => {
    assert.equal(formatAgo('2999-01-01T00:00:00Z', NOW), '2999-01-01', 'a future date is not "just now"');
    assert.equal(formatAgo('2026-11-22T12:30:00Z', NOW), '2026-11-22', 'half an hour ahead is beyond clock skew');
    assert.equal(formatAgo('2026-11-22T12:00:30Z', NOW), 'just now', 'half a minute ahead is clock skew');
    assert.equal(formatAgo('0001-01-01T00:00:00Z', NOW), '0001-01-01');
    assert.equal(formatAgo('1970-01-01T00:00:00Z', NOW), '1970-01-01');
    assert.equal(formatAgo('yesterday', NOW), 'unreadable time');
    assert.equal(formatAgo('2026-11-22', NOW), '12 h ago', 'a date alone is midnight UTC');
    assert.equal(formatAgo('1732276800', NOW), 'unreadable time');
    assert.equal(formatAgo('', NOW), 'unknown time');
    assert.equal(formatAgo(undefined, NOW), 'unknown time');
  });

  it('shows impossible node counts as sent, with a reason, and never as a fraction', () => {
    const p = runProgress({ nodes_completed: 7, nodes_total: 3 })!;
    assert.equal(p.text, '7 of 3 nodes');
    assert.equal(p.fraction, undefined);
    assert.match(p.inconsistent!, /inconsistent/);
    assert.equal(formatProgress({ nodes_completed: 7, nodes_total: 3 }), '7/3 ⚠');
    assert.equal(runProgress({ nodes_completed: -1, nodes_total: 3 })!.inconsistent !== undefined, true);
    assert.equal(runProgress({ nodes_completed: 1, nodes_total: -3 })!.text, '1 of -3 nodes');
    assert.equal(runProgress({ nodes_completed: 1, nodes_total: -3 })!.inconsistent !== undefined, true);
    assert.equal(runProgress({ nodes_completed: 1.5, nodes_total: 3 })!.inconsistent !== undefined, true);
    assert.equal(runProgress({ nodes_completed: 2, nodes_total: 0 })!.text, '2 of 0 nodes');
    assert.equal(runProgress({ nodes_completed: 1, nodes_total: 1e308 })!.text, '1 of 1e+308 nodes');
    assert.deepEqual(runProgress({ nodes_completed: 3, nodes_total: 7 }), { done: 3, total: 7, text: '3 of 7 nodes', fraction: 3 / 7 });
    assert.deepEqual(runProgress({ nodes_completed: 3, nodes_total: 3 })!.fraction, 1);
    assert.equal(runProgress({ nodes_total: 0 }), undefined);
    assert.equal(runProgress({ nodes_total: null, nodes_completed: 5 }), undefined);
  });

  it('shows absurd durations as the raw number with a reason, never as hours', () => {
    const huge = runDuration({ duration_ms: 1e308 }, NOW)!;
    assert.equal(huge.text, '1e+308 ms');
    assert.match(huge.inconsistent!, /cannot be right/);
    assert.doesNotMatch(huge.text, /h/);
    assert.equal(runDuration({ duration_ms: -5 }, NOW)!.text, '-5 ms');
    assert.ok(runDuration({ duration_ms: -5 }, NOW)!.inconsistent);
    assert.equal(runDurationMs({ duration_ms: 1e308 }, NOW), undefined, 'not a duration anything may add up');
    assert.equal(runDurationMs({ duration_ms: -5 }, NOW), undefined);
    assert.equal(formatDuration(1e308), '1e+308 ms');
    assert.deepEqual(describeDuration(1234), { text: '1.2 s' });
    assert.equal(describeDuration(null), undefined);
    assert.equal(runDescription({ created_at: '2026-11-22T11:55:00Z', duration_ms: 1e308, status_code: 'succeeded' }, NOW), '5 min ago · 1e+308 ms ⚠');
    assert.equal(runDescription({ created_at: '2026-11-22T11:55:00Z', duration_ms: 1e308, status_code: 'RUNNING' }, NOW), '5 min ago · 1e+308 ms ⚠');
    const backwards = runDuration({ started_at: '2026-11-22T11:00:00Z', completed_at: '2026-11-22T10:00:00Z' }, NOW)!;
    assert.equal(backwards.text, '—');
    assert.match(backwards.inconsistent!, /completed before it started/);
    assert.match(runDuration({ status_code: 'running', started_at: '0001-01-01T00:00:00Z' }, NOW)!.inconsistent!, /more than a year/);
    assert.deepEqual(runDuration({ status_code: 'running', started_at: '2026-11-22T12:00:20Z' }, NOW), { text: '0 ms' }, 'a start a little ahead is clock skew');
    assert.equal(runDuration({ started_at: '2026-11-22T11:59:00.250Z', completed_at: '2026-11-22T11:59:30+00:00' }, NOW)!.text, '30 s');
  });

  it('reads the evaluation summary: passed, failed, not evaluated, a score, an unknown status as text', () => {
    assert.deepEqual(runEvaluation({ passed: true, status_code: 'passed', score: 0.82 }), { state: 'passed', label: 'Passed', score: '0.82' });
    assert.deepEqual(runEvaluation({ passed: false, status_code: null, score: null }), { state: 'failed', label: 'Failed' });
    assert.deepEqual(runEvaluation({ passed: null, status_code: 'FAILED', score: null }), { state: 'failed', label: 'Failed' });
    assert.deepEqual(runEvaluation({ passed: null, status_code: 'not_evaluated', score: null }), { state: 'not_evaluated', label: 'Not evaluated' });
    assert.deepEqual(runEvaluation(null), { state: 'not_evaluated', label: 'Not evaluated' });
    assert.deepEqual(runEvaluation({ passed: null, status_code: null, score: null }), { state: 'not_evaluated', label: 'Not evaluated' });
    assert.deepEqual(runEvaluation({ passed: null, status_code: null, score: 0.82 }), { state: 'scored', label: 'Scored', score: '0.82' });
    assert.deepEqual(runEvaluation({ passed: null, status_code: 'pending_review', score: null }), { state: 'other', label: 'Pending review' });
    assert.deepEqual(runEvaluation({ passed: true, status_code: 'failed' }), { state: 'passed', label: 'Passed', statusText: 'failed' }, 'a disagreeing status is shown');
    assert.deepEqual(runEvaluation({ passed: true, score: 0.123456 }), { state: 'passed', label: 'Passed', score: '0.123' });
    assert.equal(runEvaluation({ score: 1e308 })!.score, '1e+308');
    assert.equal(runEvaluation({ status_code: '[x](command:y)\u202E' })!.label, '⟦x⟧(command:y)');
    assert.equal(runEvaluation(undefined), undefined);
    assert.equal(runEvaluation('passed'), undefined);
  });

  it('puts a short verdict in the tree description', () => {
    assert.equal(evaluationBrief(runEvaluation({ passed: true })), 'evaluation passed');
    assert.equal(evaluationBrief(runEvaluation({ passed: false, score: 0.4 })), 'evaluation failed, score 0.4');
    assert.equal(evaluationBrief(runEvaluation({ score: 0.82 })), 'score 0.82');
    assert.equal(evaluationBrief(runEvaluation(null)), undefined);
    assert.equal(evaluationBrief(runEvaluation({ status_code: 'pending_review' })), 'evaluation pending review');
    const run = { created_at: '2026-11-22T11:55:00Z', duration_ms: 12_300, status_code: 'succeeded', current_evaluation_summary: { passed: true, status_code: 'passed', score: 0.82 } };
    assert.equal(runDescription(run, NOW), '5 min ago · 12 s · evaluation passed, score 0.82');
    assert.equal(runDescription({ ...run, current_evaluation_summary: null }, NOW), '5 min ago · 12 s');
  });

  it('gives the tree tooltip one line per verdict and keeps the mark on impossible numbers', () => {
    assert.equal(evaluationText(runEvaluation({ passed: true, status_code: 'passed', score: 0.82 })!), 'Passed · score 0.82');
    assert.equal(evaluationText(runEvaluation({ passed: true, status_code: 'failed' })!), 'Passed · status failed');
    assert.equal(evaluationText(runEvaluation(null)!), 'Not evaluated');
    assert.equal(markedText(runProgress({ nodes_completed: 7, nodes_total: 3 })!), '7 of 3 nodes ⚠');
    assert.equal(markedText(runProgress({ nodes_completed: 2, nodes_total: 3 })!), '2 of 3 nodes');
    assert.equal(markedText(describeDuration(1e308)!), '1e+308 ms ⚠');
  });

  it('shows ids without the server\'s bidirectional controls', () => {
    assert.equal(shortId('invoice-model\u202Efdp.exe'), 'invoice-');
    assert.equal(shortId('abc\u202Edef'), 'abcdef');
    assert.equal(runTarget({ model: { name: 'invoice-model\u202Efdp.exe' } } as Run).label, 'invoice-model\u202Efdp.exe', 'runTarget keeps the name; each display cleans it');
  });
});
