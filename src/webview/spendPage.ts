/**
 * The Show Spend page: a period picker, the walk's progress with a Cancel, the totals per model and per
 * local day, the most expensive runs (each opens its panel) and a CSV export. Every figure arrives as
 * text from the extension (exact decimals formatted there); the page does no arithmetic on money.
 */
import { isPlainObject } from '../core/plainObject';
import { shortId } from '../core/runModel';
import { SPEND_PERIODS, type SpendAmountView, type SpendPeriod, type SpendRowView, type SpendTopRunView, type SpendView, type SpendWebviewMessage } from '../shared/spendProtocol';
import { button, el, replace, setAttr } from './dom';
import { icon } from './icons';
import { loadState, post, saveState, takeEarlyMessages } from './vscodeApi';

const send = (message: SpendWebviewMessage) => post<SpendWebviewMessage>(message);
const app = document.getElementById('app') ?? document.body.appendChild(el('div', { id: 'app' }));
let view: SpendView | undefined;

function isView(v: unknown): v is SpendView {
  return isPlainObject(v) && typeof v.period === 'string' && isPlainObject(v.total) && Array.isArray(v.models) && Array.isArray(v.days) && Array.isArray(v.top);
}

function amountCell(total: SpendAmountView): HTMLElement {
  const left = [total.none ? `${total.none} without cost` : '', total.notSummed ? `${total.notSummed} not summed` : ''].filter(Boolean).join(', ');
  return el(
    'td',
    { class: 'amount', 'data-exact': total.exact.join(' '), title: left || undefined },
    total.text,
    left ? el('span', { class: 'muted' }, ` (${left})`) : null,
  );
}

function rowsTable(title: string, keyHeader: string, rows: SpendRowView[], testId: string): HTMLElement {
  const body = rows.length
    ? rows.map((r) => el('tr', { 'data-testid': testId, 'data-key': r.key }, el('td', { class: 'key' }, r.key), el('td', { class: 'count' }, r.runs.toLocaleString('en-US')), amountCell(r.total)))
    : [el('tr', null, el('td', { colspan: 3, class: 'muted' }, 'No runs in this period.'))];
  return el(
    'section',
    { class: 'spend-section', 'aria-label': title },
    el('h2', null, title),
    el('table', null, el('thead', null, el('tr', null, el('th', { scope: 'col' }, keyHeader), el('th', { scope: 'col', class: 'count' }, 'Runs'), el('th', { scope: 'col', class: 'amount' }, 'Cost'))), el('tbody', null, ...body)),
  );
}

function topTable(top: SpendTopRunView[]): HTMLElement {
  const body = top.length
    ? top.map((r) =>
        el(
          'tr',
          { 'data-testid': 'top-run', 'data-run-id': r.id },
          el('td', null, button(`Open run ${shortId(r.id)}`, { class: 'link', 'data-open-run': r.id }, r.label, el('span', { class: 'muted mono' }, ` ${shortId(r.id)}`))),
          el('td', { class: 'muted' }, r.created),
          el('td', { class: 'amount', 'data-exact': r.exact }, r.cost),
        ),
      )
    : [el('tr', null, el('td', { colspan: 3, class: 'muted' }, 'No run of this period has a cost.'))];
  return el(
    'section',
    { class: 'spend-section', 'aria-label': 'Most expensive runs' },
    el('h2', null, 'Most expensive runs'),
    el('table', null, el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Run'), el('th', { scope: 'col' }, 'Created'), el('th', { scope: 'col', class: 'amount' }, 'Cost'))), el('tbody', null, ...body)),
  );
}

/** The toolbar is built once and only its state changes, so that a button stays under the pointer while pages arrive. */
const periodButtons = SPEND_PERIODS.map((p) => button(p.label, { class: 'period', 'data-period': p.id }, p.label));
const cancelButton = button('Cancel', { 'data-testid': 'cancel', hidden: true }, icon('debug-stop'), ' Cancel');
const exportButton = button('Export CSV…', { 'data-testid': 'export', disabled: true }, icon('desktop-download'), ' Export CSV…');
const statusSlot = el('div', { class: 'slot' });
const content = el('div', { class: 'spend-content' });

function updateToolbar(v: SpendView | undefined, period: SpendPeriod): void {
  for (const b of periodButtons) {
    const selected = b.getAttribute('data-period') === period;
    b.classList.toggle('selected', selected);
    setAttr(b, 'aria-pressed', selected ? 'true' : 'false');
  }
  setAttr(cancelButton, 'hidden', !v?.running);
  setAttr(exportButton, 'disabled', !v || v.running);
}

function statusLine(v: SpendView): HTMLElement {
  const read = `${v.pages.toLocaleString('en-US')} page${v.pages === 1 ? '' : 's'}, ${v.runsRead.toLocaleString('en-US')} runs read`;
  const text = v.running
    ? `Reading runs… ${read}, ${v.runsInPeriod.toLocaleString('en-US')} in the period so far`
    : `${v.fromDay === v.toDay ? v.fromDay : `${v.fromDay} to ${v.toDay}`} (local days) · ${v.runsInPeriod.toLocaleString('en-US')} runs · ${read}`;
  return el('p', { class: 'spend-status', role: 'status', 'data-testid': 'status' }, v.running ? icon('sync~spin') : null, text, v.note ? el('span', { class: 'note', 'data-testid': 'note' }, ` ${v.note}`) : null);
}

function render(): void {
  const period = view?.period ?? storedPeriod();
  app.setAttribute('aria-busy', view?.running === false ? 'false' : 'true');
  if (view) {
    app.setAttribute('data-state', view.running ? 'running' : view.partial ? 'partial' : 'done');
    app.setAttribute('data-period', view.period);
    app.setAttribute('data-pages', String(view.pages));
  }
  updateToolbar(view, period);
  replace(statusSlot, view ? statusLine(view) : el('p', { class: 'spend-status', role: 'status' }, 'Starting…'));
  if (!view) return;
  replace(
    content,
    el(
      'div',
      { class: 'spend-total', 'data-testid': 'total' },
      el('span', { class: 'muted' }, view.partial && !view.running ? 'Total of the runs read' : 'Total'),
      el('span', { class: 'big', 'data-exact': view.total.exact.join(' ') }, view.total.text),
    ),
    rowsTable('By model', 'Model', view.models, 'model-row'),
    rowsTable('By day', 'Day', view.days, 'day-row'),
    topTable(view.top),
  );
}

function storedPeriod(): SpendPeriod {
  const s = loadState();
  const p = isPlainObject(s) ? s.period : undefined;
  return SPEND_PERIODS.find((x) => x.id === p)?.id ?? 'today';
}

function onMessage(data: unknown): void {
  if (!isPlainObject(data) || data.type !== 'spend' || !isView(data.view)) return;
  view = data.view;
  saveState({ period: view.period });
  render();
}

app.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest('button');
  if (!target || target.disabled) return;
  const period = target.getAttribute('data-period');
  const run = target.getAttribute('data-open-run');
  if (period) {
    const chosen = SPEND_PERIODS.find((p) => p.id === period);
    if (chosen) send({ type: 'period', period: chosen.id });
  } else if (run) send({ type: 'openRun', runId: run });
  else if (target.getAttribute('data-testid') === 'cancel') send({ type: 'cancel' });
  else if (target.getAttribute('data-testid') === 'export') send({ type: 'exportCsv' });
});

replace(
  app,
  el('h1', null, 'Spend'),
  el('div', { class: 'spend-toolbar' }, el('div', { class: 'periods', role: 'group', 'aria-label': 'Period' }, ...periodButtons), cancelButton, exportButton),
  statusSlot,
  content,
);
window.addEventListener('message', (event: MessageEvent) => onMessage(event.data));
window.addEventListener(
  'load',
  () => {
    for (const link of document.querySelectorAll('link[data-runflow-icons]')) link.removeAttribute('disabled');
  },
  { once: true },
);
render();
const early = takeEarlyMessages();
if (early) for (const message of early) onMessage(message);
else send({ type: 'ready' });
