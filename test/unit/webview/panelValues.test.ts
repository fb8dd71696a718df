import { strict as assert } from 'node:assert';
import { installDom, uninstallDom, type ShimElement } from './domShim';
import { formatCost } from '../../../src/core/cost';
import { renderEvaluation } from '../../../src/webview/evaluation';
import { logTime } from '../../../src/webview/format';
import { renderHeader } from '../../../src/webview/header';
import { knownStatus, statusBadge } from '../../../src/webview/icons';
import { fillRow } from '../../../src/webview/logRow';
import { renderNodeRuns } from '../../../src/webview/nodeRuns';
import { hasFailure, isActive } from '../../../src/webview/runFields';
import { RunView } from '../../../src/webview/runView';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const asNode = (x: unknown) => x as ShimElement;

function header(run: Record<string, unknown>): ShimElement {
  return asNode(renderHeader(run, NOW).root);
}

function runView(): RunView {
  return new RunView({ isCollapsed: () => false, setCollapsed: () => undefined, treeToggles: () => new Map(), setTreeToggle: () => undefined }, { allowedOrigins: [] });
}

describe('webview: costs, times, counts, statuses and evaluation as the server sent them', () => {
  before(() => installDom());
  after(() => uninstallDom());

  it('shows costs with the tree\'s formatter: abc as text, 000.000100 as $0.0001, -0.30 as -$0.30', () => {
    const cost = (value: unknown) => header({ id: 'r', cost: value }).querySelector('[data-testid="cost"]')!;
    assert.equal(cost('abc').textContent, 'abc');
    assert.equal(cost('abc').getAttribute('data-kind'), 'text');
    assert.match(cost('abc').getAttribute('title')!, /not as a decimal/);
    assert.equal(cost('000.000100').textContent, '$0.0001');
    assert.equal(cost('-0.30').textContent, '-$0.30');
    assert.equal(cost('-0.30').textContent, formatCost('-0.30'), 'the same text as the tree');
    assert.equal(cost('1234.5').textContent, '$1,234.50');
    assert.equal(cost(0.5).textContent, '$0.50');
    assert.equal(cost(1e21).textContent, '1e+21');
    assert.equal(cost(null).textContent, '—');
    assert.equal(cost(undefined).getAttribute('data-kind'), 'none');
  });

  it('formats the cost breakdown and node run costs with the same formatter', () => {
    const root = header({ id: 'r', cost: '1', cost_breakdown: { gpu: '000.000100', storage: -0.3, note: 'abc', nested: { a: 1 } } });
    const values = root.querySelectorAll('[data-testid="cost-part"]').map((r) => r.querySelectorAll('td').at(-1)!.textContent);
    assert.deepEqual(values, ['$0.0001', '-$0.30', 'abc', '{"a":1}']);
    const nodes = asNode(renderNodeRuns({ node_runs: [{ node_id: 'a', cost: 'abc' }, { node_id: 'b', cost: '000.000100' }, { node_id: 'c', cost: '-0.30' }] }));
    const costs = nodes.querySelectorAll('tr[data-testid="node-run"]').map((r) => r.querySelectorAll('td')[3].textContent);
    assert.deepEqual(costs, ['abc', '$0.0001', '-$0.30']);
    assert.ok(!nodes.textContent.includes('$abc') && !nodes.textContent.includes('$-') && !nodes.textContent.includes('$000'));
  });

  it('shows 7 of 3 nodes as sent, with a muted mark and no bar', () => {
    const root = header({ id: 'r', nodes_completed: 7, nodes_total: 3 });
    const text = root.querySelector('[data-testid="progress-text"]')!;
    assert.equal(text.textContent, '7 of 3 nodes ⚠');
    assert.match(text.getAttribute('title')!, /inconsistent/);
    const mark = root.querySelector('[data-testid="inconsistent"]')!;
    assert.ok(mark.classList.contains('muted'));
    assert.match(mark.getAttribute('aria-label')!, /inconsistent/);
    assert.equal(root.querySelector('.progress-bar'), null, 'no bar, full or otherwise');
    const negative = header({ id: 'r', nodes_completed: -2, nodes_total: 3 });
    assert.equal(negative.querySelector('[data-testid="progress-text"]')!.textContent, '-2 of 3 nodes ⚠');
    assert.equal(negative.querySelector('.progress-bar'), null);
  });

  it('draws the bar for counts that agree', () => {
    const root = header({ id: 'r', nodes_completed: 3, nodes_total: 4 });
    assert.equal(root.querySelector('[data-testid="progress-text"]')!.textContent, '3 of 4 nodes');
    assert.equal(root.querySelector('.progress-fill')!.style.width, '75%');
    assert.equal(root.querySelector('.progress-bar')!.getAttribute('aria-valuenow'), '3');
    assert.equal(root.querySelector('[data-testid="inconsistent"]'), null);
  });

  it('shows a duration of 1e308 or below zero as the raw number with a mark, never as e+301h', () => {
    const duration = (run: Record<string, unknown>) => header({ id: 'r', ...run }).querySelector('[data-testid="duration"]')!;
    assert.equal(duration({ duration_ms: 1e308 }).textContent, '1e+308 ms ⚠');
    assert.doesNotMatch(duration({ duration_ms: 1e308 }).textContent, /e\+301h/);
    assert.equal(duration({ duration_ms: -5 }).textContent, '-5 ms ⚠');
    assert.equal(duration({ duration_ms: 12_300 }).textContent, '12 s');
    const nodes = asNode(renderNodeRuns({ node_runs: [{ node_id: 'a', duration_ms: 1e308 }, { node_id: 'b', duration_ms: -1 }, { node_id: 'c', duration_ms: 850 }] }));
    const cells = nodes.querySelectorAll('tr[data-testid="node-run"]').map((r) => r.querySelectorAll('td')[2].textContent);
    assert.deepEqual(cells, ['1e+308 ms ⚠', '-1 ms ⚠', '850 ms']);
  });

  it('keeps a running duration ticking, and its mark when the start is absurd', () => {
    const view = renderHeader({ id: 'r', status_code: 'RUNNING', started_at: '2026-11-22T11:59:00Z' }, NOW);
    const el = asNode(view.root).querySelector('[data-testid="duration"]')!;
    assert.equal(el.textContent, '1m 00s');
    view.tick(NOW + 5_000);
    assert.equal(el.textContent, '1m 05s', 'an upper-case RUNNING is active and ticks');
    const absurd = asNode(renderHeader({ id: 'r', status_code: 'running', started_at: '0001-01-01T00:00:00Z' }, NOW).root);
    assert.equal(absurd.querySelector('[data-testid="duration"]')!.textContent, '— ⚠');
  });

  it('shows dates far in the future or past as dates, and an unreadable time as such', () => {
    const created = (value: unknown) => header({ id: 'r', created_at: value }).querySelector('[data-testid="created"] dd')!;
    const future = created('2999-01-01T00:00:00Z').textContent;
    assert.ok(future.includes('2999'), future);
    assert.ok(future.endsWith(' · 2999-01-01'), `not "just now": ${future}`);
    assert.ok(created('0001-01-01T00:00:00Z').textContent.endsWith(' · 0001-01-01'));
    assert.ok(created('2026-11-22T11:59:50.123456+00:00').textContent.endsWith(' · just now'));
    const unreadable = created('yesterday');
    assert.equal(unreadable.textContent, 'unreadable time');
    assert.match(unreadable.querySelector('span')!.getAttribute('title')!, /"yesterday", which is not a time/);
    assert.equal(created(null).textContent, '—');
    const started = (a: string, c: string) => header({ id: 'r', started_at: a, completed_at: c }).querySelector('[data-testid="duration"]')!.textContent;
    assert.equal(started('2026-11-22T11:00:09Z', '2026-11-22T11:00:09.500Z'), '500 ms', 'times in mixed precision are read as instants');
  });

  it('log timestamps in every precision, and an unreadable one marked in place', () => {
    assert.equal(logTime('2026-11-22T11:00:09Z').length, 12);
    assert.equal(logTime('2026-11-22T11:00:09.123456Z').slice(-4), '.123');
    assert.equal(logTime('March 7'), '', 'Date.parse would have guessed');
    const row = asNode(document.createElement('div'));
    fillRow(row as unknown as HTMLElement, 3, { index: 3, level: 'info', timestamp: 'March 7', message: 'kept' }, { timestamps: true, wrap: false, matcher: undefined, current: false });
    const ts = row.querySelector('.log-ts')!;
    assert.equal(ts.textContent, '??:??:??');
    assert.match(ts.getAttribute('title')!, /Unreadable time: March 7/);
    assert.ok(row.textContent.includes('kept'));
  });

  it('matches the seven statuses case-insensitively for the badge, icon, actions and failure', () => {
    const badge = asNode(statusBadge('RUNNING'));
    assert.equal(badge.getAttribute('data-status'), 'running');
    assert.ok(badge.querySelector('.codicon-sync'));
    assert.equal(badge.querySelector('.status-label')!.textContent, 'Running');
    // Named for a screen reader by words, never by its colour alone.
    assert.equal(badge.textContent, 'Status: Running');
    assert.equal(knownStatus(' Failed '), 'failed');
    assert.equal(knownStatus('timed_out'), 'unknown');
    assert.equal(asNode(statusBadge('timed_out')).querySelector('.status-label')!.textContent, 'Timed out');
    assert.ok(asNode(statusBadge('timed_out')).querySelector('.codicon-question'));
    assert.ok(isActive({ status_code: 'RUNNING' }));
    assert.ok(hasFailure({ status_code: 'FAILED' }));
    const h = header({ id: 'r', status_code: 'RUNNING', input: {} });
    assert.equal(h.getAttribute('data-status'), 'running');
    assert.ok(h.querySelector('[data-action="cancel"]'), 'an upper-case RUNNING run can be cancelled');
    const nodes = asNode(renderNodeRuns({ node_runs: [{ node_id: 'a', state_code: 'FAILED' }, { node_id: 'b', state_code: 'Completed' }] }));
    const states = nodes.querySelectorAll('.status-badge').map((b) => b.getAttribute('data-status'));
    assert.deepEqual(states, ['failed', 'succeeded']);
  });

  it('renders the evaluation: passed, failed, not evaluated, a score, and an unknown status as text', () => {
    const verdict = (s: unknown) => asNode(renderEvaluation(s)).querySelector('[data-testid="evaluation-verdict"]')!;
    assert.equal(verdict({ passed: true, status_code: 'passed', score: 0.82 }).getAttribute('data-state'), 'passed');
    assert.equal(verdict({ passed: true, status_code: 'passed', score: 0.82 }).textContent, 'Passed');
    assert.equal(asNode(renderEvaluation({ passed: true, score: 0.82 })).querySelector('[data-testid="evaluation-score"]')!.textContent, '0.82');
    assert.equal(verdict({ passed: false }).textContent, 'Failed');
    assert.equal(verdict(null).textContent, 'Not evaluated');
    assert.equal(verdict({ passed: null, status_code: 'not_evaluated', score: null }).textContent, 'Not evaluated');
    assert.equal(verdict({ score: 0.5 }).getAttribute('data-verdict'), 'scored');
    assert.equal(verdict({ score: 0.5 }).getAttribute('data-state'), 'unknown', 'muted by the stylesheet');
    assert.equal(verdict({ status_code: 'pending_review' }).textContent, 'Pending review');
    assert.equal(verdict({ status_code: 'pending_review' }).getAttribute('data-verdict'), 'other');
    assert.equal(asNode(renderEvaluation({ passed: true, status_code: 'failed' })).querySelector('[data-testid="evaluation-status"]')!.textContent, 'failed');
    assert.equal(renderEvaluation(undefined), null);
  });

  it('fills the evaluation section whenever the run carries the field, and only then', () => {
    const view = runView();
    const section = () => asNode(view.root).querySelector('[data-section="evaluation"]');
    view.update({ id: 'r', status_code: 'succeeded' }, NOW);
    assert.equal(section(), null, 'no field, no section');
    view.update({ id: 'r', status_code: 'succeeded', current_evaluation_summary: null }, NOW);
    assert.equal(section()!.querySelector('[data-testid="evaluation-verdict"]')!.textContent, 'Not evaluated');
    view.update({ id: 'r', status_code: 'succeeded', current_evaluation_summary: { passed: true, status_code: 'passed', score: 0.82 } }, NOW);
    assert.equal(section()!.querySelector('[data-testid="evaluation-verdict"]')!.textContent, 'Passed');
    assert.equal(section()!.querySelector('[data-testid="evaluation-score"]')!.textContent, '0.82');
  });
});
