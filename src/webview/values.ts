/**
 * Values whose display depends on whether the server kept the reference's promises: a cost that is
 * not a decimal is its text and never a price; counts and durations that cannot be right are shown as
 * sent, with a muted mark that says why, and never drawn as a full bar or a number of hours.
 */
import { describeCost } from '../core/cost';
import { INCONSISTENT_MARK, type Shown } from '../core/runModel';
import { el } from './dom';

/** The muted "⚠" after numbers that cannot all be true; `reason` is its tooltip and its accessible name. */
export function inconsistentMark(reason: string): HTMLSpanElement {
  return el('span', { class: 'muted inconsistent-mark', role: 'img', title: reason, 'aria-label': reason, 'data-testid': 'inconsistent' }, INCONSISTENT_MARK);
}

/** The text of `shown`, followed by the mark when the server's numbers cannot be right. */
export function shownValue(shown: Shown, attrs: Record<string, string | undefined> = {}): HTMLSpanElement {
  return el(
    'span',
    { ...attrs, title: shown.inconsistent ?? attrs.title },
    shown.text,
    shown.inconsistent ? ' ' : null,
    shown.inconsistent ? inconsistentMark(shown.inconsistent) : null,
  );
}

/** A cost as the tree shows it (one formatter), as text when it is not a decimal, muted when there is none. */
export function costValue(value: unknown, testId?: string, extraClass = ''): HTMLSpanElement {
  const cost = describeCost(value);
  if (cost.kind === 'amount') return el('span', { class: extraClass || undefined, 'data-testid': testId, 'data-kind': 'amount' }, cost.text);
  if (cost.kind === 'none') return el('span', { class: `muted ${extraClass}`.trim(), 'data-testid': testId, 'data-kind': 'none' }, cost.text);
  return el(
    'span',
    { class: `muted cost-text ${extraClass}`.trim(), dir: 'auto', title: 'The server sent this cost as text, not as a decimal amount', 'data-testid': testId, 'data-kind': 'text' },
    cost.text,
  );
}
