/**
 * The run's current evaluation (`current_evaluation_summary`), whenever the run carries the field:
 * passed, failed, not evaluated (the server sent null), or a score alone; a status_code nobody
 * documented is shown as the server's words.
 */
import { runEvaluation, type EvaluationState } from '../core/runModel';
import { el } from './dom';
import { icon } from './icons';

const ICONS: Record<EvaluationState, string> = {
  passed: 'pass',
  failed: 'error',
  not_evaluated: 'circle-outline',
  scored: 'circle-outline',
  other: 'question',
};

export function renderEvaluation(summary: unknown): HTMLElement | null {
  const view = runEvaluation(summary);
  if (!view) return null;
  return el(
    'section',
    { class: 'section evaluation', 'data-section': 'evaluation', 'aria-label': 'Evaluation' },
    el(
      'div',
      { class: 'evaluation-row' },
      el('span', { class: 'evaluation-title' }, 'Evaluation'),
      el(
        'span',
        {
          class: 'evaluation-verdict',
          // The stylesheet colours passed and failed and mutes the rest.
          'data-state': view.state === 'passed' || view.state === 'failed' ? view.state : 'unknown',
          'data-verdict': view.state,
          'data-testid': 'evaluation-verdict',
        },
        icon(ICONS[view.state]),
        el('span', { dir: 'auto' }, view.label),
      ),
      view.score !== undefined
        ? el('span', { class: 'evaluation-score' }, el('span', { class: 'muted' }, 'Score '), el('span', { class: 'mono', 'data-testid': 'evaluation-score' }, view.score))
        : null,
      view.statusText ? el('span', { class: 'muted evaluation-status', dir: 'auto', 'data-testid': 'evaluation-status', title: 'The evaluation status the server sent' }, view.statusText) : null,
    ),
  );
}
