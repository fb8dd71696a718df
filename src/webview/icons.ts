/**
 * Codicons (the host page links the codicon stylesheet). Icons are decoration only: every icon sits
 * next to text or inside a button with an aria-label, so the panel still reads without the font.
 */
import { nodeRunState } from '../core/nodeRunState';
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
 * A run status as icon + label; colour comes from panel.css through `data-status`. The word carries the
 * status, never the colour alone, and a screen reader hears it named ("Status: Failed").
 */
export function statusBadge(status: string, testId?: string): HTMLSpanElement {
  const label = statusLabel(status);
  return el(
    'span',
    { class: 'status-badge', 'data-status': knownStatus(status), 'data-testid': testId, title: `Status: ${label}` },
    icon(statusIcon(status).codicon, 'status-icon'),
    el('span', { class: 'visually-hidden' }, 'Status: '),
    el('span', { class: 'status-label' }, label),
  );
}

/** A node run's state as icon + label, drawn as the Runs tree draws it (one mapping in src/core). */
export function nodeStateBadge(state: unknown): HTMLSpanElement {
  const view = nodeRunState(state);
  return el(
    'span',
    { class: 'status-badge', 'data-status': view.colorKey },
    icon(view.icon.codicon, 'status-icon'),
    el('span', { class: 'status-label' }, view.label),
  );
}

/** Statuses the stylesheet knows, matched as the tree matches them (`RUNNING` is `running`); anything else is styled as unknown. */
export function knownStatus(status: string): string {
  return knownStatusOf(status) ?? 'unknown';
}
