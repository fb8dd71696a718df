/** The run's node runs as a table: node, state, duration, cost, retries, error. */
import type { RunPayload } from '../shared/protocol';
import { formatDuration, shortId } from '../core/runModel';
import { button, el } from './dom';
import { costText, num, obj, str } from './format';
import { statusBadge, statusLookAlike } from './icons';
import { emptyState } from './sections';

/** Rows drawn at first and per "Show more"; keeps the page's DOM small for flows with thousands of nodes. */
const PAGE = 100;
const ERROR_PREVIEW_CHARS = 300;

/** Node names from an embedded flow, when the server sent one. */
function nodeNames(run: RunPayload): Map<string, string> {
  const names = new Map<string, string>();
  const nodes = obj(run.flow)?.nodes;
  if (!Array.isArray(nodes)) return names;
  for (const n of nodes.slice(0, 10_000)) {
    const node = obj(n);
    const id = str(node?.id);
    const name = str(node?.name) ?? str(node?.title) ?? str(node?.label) ?? str(node?.slug);
    if (id && name) names.set(id, name);
  }
  return names;
}

/** UUIDs are shortened like everywhere else; readable node ids are kept (up to a sane length). */
function nodeLabel(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return shortId(id);
  return id.length > 48 ? `${id.slice(0, 47)}…` : id;
}

function durationOf(nr: Record<string, unknown>): string {
  const ms = num(nr.duration_ms);
  if (ms !== undefined) return formatDuration(ms);
  const started = Date.parse(String(nr.started_at ?? ''));
  const completed = Date.parse(String(nr.completed_at ?? ''));
  return Number.isFinite(started) && Number.isFinite(completed) ? formatDuration(Math.max(0, completed - started)) : '—';
}

function errorCell(message: string | undefined): HTMLElement {
  const cell = el('td', { class: 'col-error' });
  if (!message) {
    cell.append(el('span', { class: 'muted' }, '—'));
    return cell;
  }
  const textEl = el('span', { class: 'error-text' });
  if (message.length <= ERROR_PREVIEW_CHARS) {
    textEl.textContent = message;
    cell.append(textEl);
    return cell;
  }
  textEl.textContent = `${message.slice(0, ERROR_PREVIEW_CHARS)}…`;
  const more = button('Show the whole error', { class: 'link-button', 'aria-expanded': 'false' }, 'more');
  more.addEventListener('click', () => {
    const expanded = more.getAttribute('aria-expanded') === 'true';
    textEl.textContent = expanded ? `${message.slice(0, ERROR_PREVIEW_CHARS)}…` : message;
    more.textContent = expanded ? 'more' : 'less';
    more.setAttribute('aria-expanded', expanded ? 'false' : 'true');
  });
  cell.append(textEl, ' ', more);
  return cell;
}

function row(nr: Record<string, unknown>, index: number, names: Map<string, string>): HTMLTableRowElement {
  const nodeId = str(nr.node_id);
  const name = nodeId ? names.get(nodeId) : undefined;
  const state = str(nr.state_code) ?? 'unknown';
  const retries = num(nr.retry_count);
  const cost = costText(nr.cost);
  return el(
    'tr',
    { 'data-testid': 'node-run', 'data-index': index, 'data-state': state.slice(0, 40) },
    el(
      'td',
      { class: 'col-node' },
      name
        ? el('span', { title: nodeId }, name)
        : nodeId
          ? el('span', { class: 'mono', title: nodeId }, nodeLabel(nodeId))
          : el('span', { class: 'muted' }, `#${index + 1}`),
    ),
    el('td', { class: 'col-state' }, statusBadge(state, undefined, statusLookAlike(state))),
    el('td', { class: 'col-num' }, durationOf(nr)),
    el('td', { class: 'col-num mono' }, cost ?? '—'),
    el('td', { class: 'col-num' }, retries !== undefined ? String(retries) : '—'),
    errorCell(str(nr.error_message)),
  );
}

export function renderNodeRuns(run: RunPayload): HTMLElement {
  const list = Array.isArray(run.node_runs) ? run.node_runs.map((x) => obj(x)).filter((x): x is Record<string, unknown> => !!x) : [];
  if (list.length === 0) {
    return emptyState(run.has_node_runs === true && !Array.isArray(run.node_runs) ? 'Loading node runs…' : 'No node runs');
  }
  const names = nodeNames(run);
  const tbody = el('tbody');
  const table = el(
    'table',
    { class: 'table node-runs', 'data-testid': 'node-runs' },
    el(
      'thead',
      null,
      el(
        'tr',
        null,
        el('th', { scope: 'col', class: 'col-node' }, 'Node'),
        el('th', { scope: 'col', class: 'col-state' }, 'State'),
        el('th', { scope: 'col', class: 'col-num' }, 'Duration'),
        el('th', { scope: 'col', class: 'col-num' }, 'Cost'),
        el('th', { scope: 'col', class: 'col-num' }, 'Retries'),
        el('th', { scope: 'col', class: 'col-error' }, 'Error'),
      ),
    ),
    tbody,
  );
  const wrapper = el('div', { class: 'table-wrapper' }, table);
  let shown = 0;
  const more = button('Show more node runs', { class: 'link-button show-more' });
  const showMore = () => {
    const next = Math.min(list.length, shown + PAGE);
    for (let i = shown; i < next; i++) tbody.append(row(list[i], i, names));
    shown = next;
    more.textContent = `Show ${Math.min(PAGE, list.length - shown)} more of ${(list.length - shown).toLocaleString('en-US')} remaining`;
    more.hidden = shown >= list.length;
  };
  more.addEventListener('click', showMore);
  showMore();
  wrapper.append(more);
  return wrapper;
}

export function nodeRunCount(run: RunPayload): number {
  return Array.isArray(run.node_runs) ? run.node_runs.length : 0;
}
