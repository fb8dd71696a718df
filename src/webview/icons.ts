/**
 * Codicons (the host page links the codicon stylesheet). Icons are decoration only: every icon sits
 * next to text or inside a button with an aria-label, so the panel still reads without the font.
 */
import { lookup } from '../core/lookup';
import { knownStatusOf, statusIcon, statusLabel } from '../core/runModel';
import { el } from './dom';

/** `name` may carry a modifier, as in `sync~spin`. */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  const [base, modifier] = name.split('~');
  const classes = ['codicon', `codicon-${base}`];
  if (modifier) classes.push(`codicon-modifier-${modifier}`);
  if (extraClass) classes.push(extraClass);
  return el('span', { class: classes.join(' '), 'aria-hidden': 'true' });
}

/**
 * Status as icon + label; colour comes from panel.css through `data-status`. `lookAlike` picks the
 * icon and colour of a known status for states with other names (node states such as `completed`).
 */
export function statusBadge(status: string, testId?: string, lookAlike = status): HTMLSpanElement {
  return el(
    'span',
    { class: 'status-badge', 'data-status': knownStatus(lookAlike), 'data-testid': testId },
    icon(statusIcon(knownStatus(lookAlike) === 'unknown' ? status : lookAlike).codicon, 'status-icon'),
    el('span', { class: 'status-label' }, statusLabel(status)),
  );
}

const ALIASES: Record<string, string> = {
  completed: 'succeeded',
  complete: 'succeeded',
  success: 'succeeded',
  successful: 'succeeded',
  done: 'succeeded',
  finished: 'succeeded',
  error: 'failed',
  errored: 'failed',
  failure: 'failed',
  timeout: 'failed',
  timed_out: 'failed',
  pending: 'queued',
  waiting: 'queued',
  started: 'running',
  in_progress: 'running',
  processing: 'running',
  canceled: 'cancelled',
  skipped: 'cancelled',
  aborted: 'cancelled',
};

/** The run status a node state looks like, for its icon and colour. */
export function statusLookAlike(state: string): string {
  return lookup(ALIASES, state.trim().toLowerCase()) ?? state;
}

/** Statuses the stylesheet knows, matched as the tree matches them (`RUNNING` is `running`); anything else is styled as unknown. */
export function knownStatus(status: string): string {
  return knownStatusOf(status) ?? 'unknown';
}
