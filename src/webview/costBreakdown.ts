/** The cost breakdown as a small table: part, quantity, cost; parts of another shape as their JSON. */
import { describeCostBreakdown, type BreakdownRow } from '../core/costBreakdown';
import type { CostDisplay } from '../core/cost';
import { el } from './dom';

function costCell(cost: CostDisplay | undefined): HTMLTableCellElement {
  if (!cost || cost.kind === 'none') return el('td', { class: 'col-num muted' }, '—');
  if (cost.kind === 'text') {
    return el('td', { class: 'col-num muted cost-text', dir: 'auto', title: 'The server sent this cost as text, not as a decimal amount', 'data-kind': 'text' }, cost.text);
  }
  return el('td', { class: 'col-num', 'data-kind': 'amount' }, cost.text);
}

function row(r: BreakdownRow): HTMLTableRowElement {
  const label = el('th', { scope: 'row', dir: 'auto' }, r.label);
  if (r.json !== undefined) {
    return el('tr', { 'data-testid': 'cost-part', 'data-shape': 'json' }, label, el('td', { colspan: 2, class: 'mono muted breakdown-json', dir: 'auto' }, r.json));
  }
  return el('tr', { 'data-testid': 'cost-part' }, label, el('td', { class: 'col-num' }, r.quantity ?? el('span', { class: 'muted' }, '—')), costCell(r.cost));
}

/** Null when the run has no breakdown worth a table. */
export function renderCostBreakdown(breakdown: unknown): HTMLElement | null {
  const view = describeCostBreakdown(breakdown);
  if (!view) return null;
  const caption = view.currency ? `Cost breakdown (${view.currency})` : 'Cost breakdown';
  return el(
    'table',
    { class: 'table cost-breakdown', 'data-testid': 'cost-breakdown', 'aria-label': caption },
    el(
      'thead',
      null,
      el('tr', null, el('th', { scope: 'col' }, 'Part'), el('th', { scope: 'col', class: 'col-num' }, 'Quantity'), el('th', { scope: 'col', class: 'col-num' }, 'Cost')),
    ),
    el(
      'tbody',
      null,
      ...view.rows.map(row),
      view.omitted > 0 ? el('tr', null, el('td', { colspan: 3, class: 'muted' }, `${view.omitted.toLocaleString('en-US')} more parts not shown`)) : null,
    ),
  );
}
