/**
 * A collapsible JSON tree. Children are built only when their parent is expanded, big containers
 * start collapsed, and long child lists and strings are drawn in pages, so a large input or output
 * costs DOM only for what the user opens. Strings are shown as JSON string literals (quoted, escaped),
 * as text.
 */
import { isWebUrl } from '../shared/protocol';
import { button, el, setAttr, setText } from './dom';
import { plural } from './format';
import { icon } from './icons';
import { post } from './vscodeApi';

/** Children drawn per container before a "Show more" button. */
const CHILD_PAGE = 100;
/** Containers with more entries than this start collapsed. */
const AUTO_EXPAND_MAX_ENTRIES = 20;
/** Nesting depth expanded by default (1 = the root's children). */
const AUTO_EXPAND_DEPTH = 2;
/** Characters of a string drawn before "show all". */
const STRING_PREVIEW_CHARS = 1_000;

export interface JsonTreeOptions {
  /** Expanded state the user chose earlier, by path; overrides the defaults. */
  toggles: ReadonlyMap<string, boolean>;
  onToggle(path: string, expanded: boolean): void;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

function entriesOf(v: Container): [string, unknown][] {
  return Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
}

function sizeOf(v: Container): number {
  return Array.isArray(v) ? v.length : Object.keys(v).length;
}

/** JSON Pointer of a child, so any key (dots, slashes, brackets) gives a distinct path. */
function childPath(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function summary(v: Container): string {
  const n = sizeOf(v);
  return Array.isArray(v) ? plural(n, 'item') : plural(n, 'key');
}

function scalar(v: unknown): HTMLElement {
  if (typeof v === 'string') return stringValue(v);
  if (typeof v === 'number') return el('span', { class: 'jt-number' }, String(v));
  if (typeof v === 'boolean') return el('span', { class: 'jt-boolean' }, String(v));
  if (v === null) return el('span', { class: 'jt-null' }, 'null');
  return el('span', { class: 'jt-null' }, String(v));
}

function stringValue(s: string): HTMLElement {
  if (s.length <= 2_048 && isWebUrl(s)) {
    // Opening goes through the extension, which asks VS Code to confirm external links.
    const link = button(`Open ${s}`, { class: 'jt-string jt-link', title: `Open ${s}` }, JSON.stringify(s));
    link.addEventListener('click', () => post({ type: 'openLink', url: s }));
    return link;
  }
  if (s.length <= STRING_PREVIEW_CHARS) return el('span', { class: 'jt-string', dir: 'auto' }, JSON.stringify(s));
  const span = el('span', { class: 'jt-string', dir: 'auto' }, `${JSON.stringify(s.slice(0, STRING_PREVIEW_CHARS)).slice(0, -1)}…`);
  const more = button('Show the whole string', { class: 'link-button jt-more' }, `${s.length.toLocaleString('en-US')} chars, show all`);
  more.addEventListener('click', () => {
    setText(span, JSON.stringify(s));
    more.remove();
  });
  return el('span', { class: 'jt-long' }, span, ' ', more);
}

export function renderJsonTree(value: unknown, options: JsonTreeOptions): HTMLElement {
  const root = el('div', { class: 'json-tree', role: 'group' });
  if (!isContainer(value)) {
    root.append(el('div', { class: 'jt-row jt-root-scalar' }, scalar(value)));
    return root;
  }
  if (sizeOf(value) === 0) {
    root.append(el('div', { class: 'jt-row muted' }, Array.isArray(value) ? '[] (empty array)' : '{} (empty object)'));
    return root;
  }
  appendChildren(root, value, '', 1, options);
  return root;
}

function appendChildren(container: HTMLElement, value: Container, path: string, depth: number, options: JsonTreeOptions): void {
  const entries = entriesOf(value);
  let shown = 0;
  const more = button('Show more entries', { class: 'link-button jt-show-more' });
  const page = () => {
    const next = Math.min(entries.length, shown + CHILD_PAGE);
    const frag = document.createDocumentFragment();
    for (let i = shown; i < next; i++) frag.append(node(entries[i][0], entries[i][1], childPath(path, entries[i][0]), depth, Array.isArray(value), options));
    container.insertBefore(frag, more.isConnected ? more : null);
    shown = next;
    const rest = entries.length - shown;
    setText(more, `Show ${Math.min(CHILD_PAGE, rest)} more (${rest.toLocaleString('en-US')} remaining)`);
    if (rest <= 0) more.remove();
    else if (!more.isConnected) container.append(more);
  };
  more.addEventListener('click', page);
  page();
}

function node(key: string, value: unknown, path: string, depth: number, inArray: boolean, options: JsonTreeOptions): HTMLElement {
  const keyEl = el('span', { class: inArray ? 'jt-index' : 'jt-key', dir: inArray ? undefined : 'auto' }, inArray ? key : JSON.stringify(key));
  if (!isContainer(value)) {
    return el('div', { class: 'jt-node', 'data-path': path.slice(0, 500) }, el('div', { class: 'jt-row' }, el('span', { class: 'jt-spacer' }), keyEl, el('span', { class: 'jt-colon' }, ': '), scalar(value)));
  }
  const size = sizeOf(value);
  const opener = Array.isArray(value) ? '[' : '{';
  const closer = Array.isArray(value) ? ']' : '}';
  if (size === 0) {
    return el(
      'div',
      { class: 'jt-node', 'data-path': path.slice(0, 500) },
      el('div', { class: 'jt-row' }, el('span', { class: 'jt-spacer' }), keyEl, el('span', { class: 'jt-colon' }, ': '), el('span', { class: 'jt-punct' }, `${opener}${closer}`)),
    );
  }
  const defaultExpanded = depth < AUTO_EXPAND_DEPTH && size <= AUTO_EXPAND_MAX_ENTRIES;
  let expanded = options.toggles.get(path) ?? defaultExpanded;
  const chevron = icon(expanded ? 'chevron-down' : 'chevron-right', 'jt-chevron');
  const hint = el('span', { class: 'jt-summary' });
  const toggle = button(`${expanded ? 'Collapse' : 'Expand'} ${key}`, { class: 'jt-toggle', 'aria-expanded': expanded ? 'true' : 'false' }, chevron, keyEl);
  const children = el('div', { class: 'jt-children', role: 'group' });
  const wrapper = el('div', { class: 'jt-node', 'data-path': path.slice(0, 500) }, el('div', { class: 'jt-row' }, toggle, el('span', { class: 'jt-colon' }, ': '), hint), children);
  let built = false;
  const apply = () => {
    chevron.className = `codicon codicon-${expanded ? 'chevron-down' : 'chevron-right'} jt-chevron`;
    setAttr(toggle, 'aria-expanded', expanded ? 'true' : 'false');
    setAttr(toggle, 'aria-label', `${expanded ? 'Collapse' : 'Expand'} ${key}`);
    setText(hint, expanded ? opener : `${opener}…${closer} ${summary(value)}`);
    children.hidden = !expanded;
    if (expanded && !built) {
      built = true;
      appendChildren(children, value, path, depth + 1, options);
      children.append(el('div', { class: 'jt-close jt-punct' }, closer));
    }
  };
  toggle.addEventListener('click', () => {
    expanded = !expanded;
    options.onToggle(path, expanded);
    apply();
  });
  apply();
  return wrapper;
}

/** Pretty JSON for copying; undefined when the value cannot be serialised. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch {
    return String(value);
  }
}
