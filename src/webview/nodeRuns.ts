/** The run's node runs as a table: node (by name where the run's flow or workflow gives one), state, duration, cost, retries, error. */
import { NODE_RUNS_ERROR_FIELD, type RunPayload } from '../shared/protocol';
import { nodeNamesOf, nodeNamingNote, nodeRunLabel, type NodeNames } from '../core/nodeNames';
import { button, el, setAttr, setText } from './dom';
import { num, obj, str } from './format';
import { icon, nodeStateBadge } from './icons';
import type { NodeLogLinks } from './nodeLogLinks';
import { nodeRunDuration, nodeRunState } from '../core/nodeRunState';
import { emptyState } from './sections';
import { costValue, shownValue } from './values';

/** Rows drawn at first and per "Show more"; keeps the page's DOM small for flows with thousands of nodes. */
const PAGE = 100;
const ERROR_PREVIEW_CHARS = 300;

function errorCell(message: string | undefined): HTMLElement {
  const cell = el('td', { class: 'col-error' });
  if (!message) {
    cell.append(el('span', { class: 'muted' }, '—'));
    return cell;
  }
  const textEl = el('span', { class: 'error-text', dir: 'auto' });
  if (message.length <= ERROR_PREVIEW_CHARS) {
    setText(textEl, message);
    cell.append(textEl);
    return cell;
  }
  setText(textEl, `${message.slice(0, ERROR_PREVIEW_CHARS)}…`);
  const more = button('Show the whole error', { class: 'link-button', 'aria-expanded': 'false' }, 'more');
  more.addEventListener('click', () => {
    const expanded = more.getAttribute('aria-expanded') === 'true';
    setText(textEl, expanded ? `${message.slice(0, ERROR_PREVIEW_CHARS)}…` : message);
    setText(more, expanded ? 'more' : 'less');
    setAttr(more, 'aria-expanded', expanded ? 'false' : 'true');
  });
  cell.append(textEl, ' ', more);
  return cell;
}

function row(nr: Record<string, unknown>, index: number, names: NodeNames, links: NodeLogLinks | undefined): HTMLTableRowElement {
  const nodeId = str(nr.node_id);
  const label = nodeRunLabel(nodeId, index, names);
  const state = str(nr.state_code) ?? 'unknown';
  const retries = num(nr.retry_count);
  // A failed node's first log line, when the log names its nodes (by id, or by the name the run gives it).
  const logLink = links && nodeRunState(state).colorKey === 'failed' ? links.link([nodeId, nodeId ? names.names.get(nodeId) : undefined]) : undefined;
  const errors = errorCell(str(nr.error_message));
  if (logLink) errors.append(' ', logLink);
  return el(
    'tr',
    { 'data-testid': 'node-run', 'data-index': index, 'data-state': state.slice(0, 40) },
    el(
      'td',
      { class: 'col-node' },
      label.named
        ? el('span', { dir: 'auto', title: nodeId, 'data-testid': 'node-name' }, label.text)
        : nodeId
          ? el('span', { class: 'mono', dir: 'auto', title: nodeId }, label.text)
          : el('span', { class: 'muted' }, `#${index + 1}`),
    ),
    el('td', { class: 'col-state' }, nodeStateBadge(state)),
    el('td', { class: 'col-num' }, shownValue(nodeRunDuration(nr))),
    el('td', { class: 'col-num' }, costValue(nr.cost, undefined, 'mono')),
    el('td', { class: 'col-num' }, retries !== undefined ? String(retries) : '—'),
    errors,
  );
}

export function renderNodeRuns(run: RunPayload, links?: NodeLogLinks): HTMLElement {
  const list = Array.isArray(run.node_runs) ? run.node_runs.map((x) => obj(x)).filter((x): x is Record<string, unknown> => !!x) : [];
  if (list.length === 0) {
    // Set by the extension while the run's own GET fails: the node runs are not on their way.
    const unavailable = Array.isArray(run.node_runs) ? undefined : str(run[NODE_RUNS_ERROR_FIELD]);
    if (unavailable && run.has_node_runs !== false) return emptyState(`Could not load node runs: ${unavailable}`, 'warning');
    return emptyState(run.has_node_runs === true && !Array.isArray(run.node_runs) ? 'Loading node runs…' : 'No node runs');
  }
  const names = nodeNamesOf(run);
  const note = nodeNamingNote(
    run,
    list.map((nr) => str(nr.node_id)),
    names,
  );
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
  const wrapper = el('div', { class: 'table-wrapper' }, note ? el('p', { class: 'node-naming-note muted', 'data-testid': 'node-naming-note' }, icon('info'), note) : null, table);
  let shown = 0;
  const more = button('Show more node runs', { class: 'link-button show-more' });
  const showMore = () => {
    const next = Math.min(list.length, shown + PAGE);
    for (let i = shown; i < next; i++) tbody.append(row(list[i], i, names, links));
    shown = next;
    setText(more, `Show ${Math.min(PAGE, list.length - shown)} more of ${(list.length - shown).toLocaleString('en-US')} remaining`);
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
