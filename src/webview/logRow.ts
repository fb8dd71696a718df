/** Filling one log row element: timestamp, level, message with ANSI colours and search marks, truncation. */
import type { LogLine, LogStatus } from '../shared/protocol';
import { ansi256ToHex, type AnsiColor, type AnsiStyle } from '../core/ansi';
import { levelSeverity } from '../core/logLevels';
import { lookup } from '../core/lookup';
import type { TextMatcher } from '../core/searchText';
import { append, el, setText } from './dom';
import { logTime } from './format';
import { icon } from './icons';
import { lineText } from './logText';

export interface RowOptions {
  timestamps: boolean;
  wrap: boolean;
  /** The search's matcher, whose matches are marked; undefined without a (valid) search. */
  matcher: TextMatcher | undefined;
  current: boolean;
}

const LEVEL_LABELS: Record<string, string> = {
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARN',
  warn: 'WARN',
  error: 'ERROR',
  critical: 'CRIT',
  fatal: 'FATAL',
  trace: 'TRACE',
};

/** Levels the stylesheet colours; others are drawn neutral. */
export function levelClass(level: string): string {
  return levelSeverity(level);
}

export function levelLabel(level: string): string {
  return lookup(LEVEL_LABELS, level.toLowerCase()) ?? level.slice(0, 5).toUpperCase();
}

function colorClassOrValue(node: HTMLElement, which: 'fg' | 'bg', color: AnsiColor | 'inverse'): void {
  if (color === 'inverse') node.classList.add(`ansi-${which}-inverse`);
  else if (typeof color === 'number' && color < 16) node.classList.add(`ansi-${which}-${color}`);
  else {
    // Only values the parser produced: a palette index or a validated #rrggbb.
    const value = typeof color === 'number' ? ansi256ToHex(color) : /^#[0-9a-f]{6}$/i.test(color) ? color : undefined;
    if (!value) return;
    if (which === 'fg') node.style.color = value;
    else node.style.backgroundColor = value;
  }
}

function styled(node: HTMLElement, style: AnsiStyle): void {
  let fg: AnsiColor | 'inverse' | undefined = style.fg;
  let bg: AnsiColor | 'inverse' | undefined = style.bg;
  if (style.inverse) {
    fg = style.bg ?? 'inverse';
    bg = style.fg ?? 'inverse';
  }
  if (fg !== undefined) colorClassOrValue(node, 'fg', fg);
  if (bg !== undefined) colorClassOrValue(node, 'bg', bg);
  if (style.bold) node.classList.add('ansi-bold');
  if (style.dim) node.classList.add('ansi-dim');
  if (style.italic) node.classList.add('ansi-italic');
  if (style.underline) node.classList.add('ansi-underline');
  if (style.strikethrough) node.classList.add('ansi-strike');
}

/** The line's time of day; a time the server sent that is not a time says so, and the line keeps its place. */
function timestampCell(timestamp: string): HTMLElement {
  const shown = logTime(timestamp);
  if (shown || !timestamp) return el('span', { class: 'log-ts', role: 'gridcell', title: timestamp || undefined }, shown);
  return el('span', { class: 'log-ts muted', role: 'gridcell', title: `Unreadable time: ${timestamp.slice(0, 200)}` }, '??:??:??');
}

/**
 * Numbers a row for screen readers: the log is a grid whose `aria-rowcount` is the whole log, and each
 * drawn row says which line it is (1-based), so a reader hears "line 8,072 of 100,000" though only a
 * screenful is in the page.
 */
export function placeRow(row: HTMLElement, position: number): void {
  row.setAttribute('data-index', String(position));
  row.setAttribute('aria-rowindex', String(position + 1));
}

/** Rebuilds `row` for `line` (or a placeholder while the line is on its way). */
export function fillRow(row: HTMLElement, position: number, line: LogLine | undefined, options: RowOptions): void {
  row.replaceChildren();
  placeRow(row, position);
  row.setAttribute('role', 'row');
  row.className = 'log-row';
  if (!line) {
    row.classList.add('pending');
    row.removeAttribute('data-line');
    row.removeAttribute('data-level');
    if (options.timestamps) row.append(el('span', { class: 'log-ts', role: 'gridcell' }));
    row.append(el('span', { class: 'log-msg log-placeholder', role: 'gridcell', 'aria-label': 'Loading' }, '…'));
    return;
  }
  row.setAttribute('data-line', String(line.index));
  const cls = levelClass(line.level);
  row.setAttribute('data-level', cls);
  if (options.current) row.classList.add('current-match');
  if (options.timestamps) row.append(timestampCell(line.timestamp));
  row.append(el('span', { class: `log-level level-${cls}`, role: 'gridcell' }, line.level ? levelLabel(line.level) : ''));

  const msg = el('span', { class: 'log-msg', role: 'gridcell' });
  const text = lineText(line.message, { wrap: options.wrap, matcher: options.matcher });
  let firstMark = true;
  for (const seg of text.segments) {
    // Without wrap a row is one screen line: a newline inside the message is shown as a symbol.
    const t = options.wrap ? seg.text : seg.text.replace(/\r?\n/g, '↵');
    if (!seg.style && !seg.mark) {
      append(msg, t);
      continue;
    }
    const node = seg.mark ? el('mark', { class: `log-mark${options.current && firstMark ? ' current' : ''}` }, t) : el('span', null, t);
    if (seg.mark) firstMark = false;
    if (seg.style) styled(node, seg.style);
    msg.append(node);
  }
  if (text.hiddenChars > 0) {
    msg.append(el('span', { class: 'log-trunc', title: 'Line shortened; copy it or open the log in an editor to see all of it' }, ` … +${text.hiddenChars.toLocaleString('en-US')} chars`));
  }
  row.append(msg);
  // For the mouse; the keyboard copies the focused line with Ctrl+C (logView.ts), so the button stays out
  // of the tab order and out of the grid a screen reader walks.
  row.append(el('button', { type: 'button', class: 'icon-button log-copy', tabindex: -1, title: 'Copy line', 'aria-hidden': 'true' }, icon('copy')));
}

/** What an empty log says, from its status. */
export function emptyLogMessage(s: LogStatus | undefined): string {
  if (!s) return 'Loading…';
  if (s.level) return `No ${levelLabel(s.level)} lines`;
  // The banner above says why; "Loading…" would promise what is not happening.
  if (s.error && !s.complete) return 'The log could not be read';
  if (s.live) return 'Waiting for logs…';
  if (!s.complete) return 'Loading…';
  return 'No logs';
}

/** Shows `message` in the log's empty-state element, or hides it (undefined). */
export function showEmptyState(node: HTMLElement, message: string | undefined): void {
  if (message === undefined) {
    if (!node.hidden) node.hidden = true;
    return;
  }
  setText(node, message);
  node.hidden = false;
}
