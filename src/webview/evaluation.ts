/** The run's current evaluation (`current_evaluation_summary`), when the server included one. */
import { el } from './dom';
import { num, obj, str } from './format';
import { icon } from './icons';

export function renderEvaluation(summary: unknown): HTMLElement | null {
  const s = obj(summary);
  if (!s) return null;
  const passed = typeof s.passed === 'boolean' ? s.passed : undefined;
  const score = num(s.score);
  const statusCode = str(s.status_code);
  const verdict = passed === true ? 'Passed' : passed === false ? 'Failed' : 'Not judged';
  const state = passed === true ? 'passed' : passed === false ? 'failed' : 'unknown';
  return el(
    'section',
    { class: 'section evaluation', 'data-section': 'evaluation', 'aria-label': 'Evaluation' },
    el(
      'div',
      { class: 'evaluation-row' },
      el('span', { class: 'evaluation-title' }, 'Evaluation'),
      el(
        'span',
        { class: 'evaluation-verdict', 'data-state': state, 'data-testid': 'evaluation-verdict' },
        icon(passed === true ? 'pass' : passed === false ? 'error' : 'circle-outline'),
        el('span', null, verdict),
      ),
      score !== undefined ? el('span', { class: 'evaluation-score' }, el('span', { class: 'muted' }, 'Score '), el('span', { class: 'mono', 'data-testid': 'evaluation-score' }, formatScore(score))) : null,
      statusCode ? el('span', { class: 'muted evaluation-status' }, statusCode) : null,
    ),
  );
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : String(Math.round(score * 1000) / 1000);
}
