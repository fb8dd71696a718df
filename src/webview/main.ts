/**
 * The run detail panel's script: builds the page on `init`, routes the extension's messages to the
 * parts of the page, and keeps UI state across reloads.
 */
import type { HostMessage, LogLine, LogStatus, MediaPolicy, PanelOptions, RunPayload } from '../shared/protocol';
import { isPlainObject } from '../core/plainObject';
import { isFailureStatus } from '../core/runModel';
import { el, replace } from './dom';
import { icon } from './icons';
import { LogsSection } from './logsSection';
import { NodeLogLinks } from './nodeLogLinks';
import { isSettled } from './runFields';
import { RunView } from './runView';
import type { SectionId } from './sections';
import { defaultUiState, parseUiState, UiStateStore, withTreeToggle, type UiState } from './state';
import { loadState, post, saveState, takeEarlyMessages } from './vscodeApi';

// Where the page's start goes, read by the benchmarks from the page's performance timeline.
performance.mark('runflow:script');

interface Page {
  runId: string;
  store: UiStateStore;
  runView: RunView;
  logs: LogsSection;
  nodeLinks: NodeLogLinks;
  errorBanner: HTMLElement;
}

/** A node's first log line, from its "Show in log" link. */
function showNodeLine(position: number): void {
  if (!page) return;
  page.logs.showLine(position);
  focusSection('logs');
}

function runFailed(run: RunPayload): boolean {
  return isFailureStatus(typeof run.status_code === 'string' ? run.status_code : null);
}

function positions(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((p): p is number => typeof p === 'number' && Number.isInteger(p) && p >= 0) : [];
}

const app = document.getElementById('app') ?? document.body.appendChild(el('main', { id: 'app' }));
let page: Page | undefined;
let ticker: ReturnType<typeof setInterval> | undefined;

// ---- message checking: the extension is trusted, but the run inside its messages is not typed ----

function toOptions(v: unknown): PanelOptions {
  const o = isPlainObject(v) ? v : {};
  return { timestamps: o.timestamps !== false, wrap: o.wrap === true, follow: o.follow !== false };
}

function toMedia(v: unknown): MediaPolicy {
  const list = isPlainObject(v) && Array.isArray(v.allowedOrigins) ? v.allowedOrigins : [];
  return { allowedOrigins: list.filter((x): x is string => typeof x === 'string') };
}

function toStatus(v: unknown): LogStatus | undefined {
  if (!isPlainObject(v)) return undefined;
  const levels: Record<string, number> = {};
  if (isPlainObject(v.levels)) for (const [k, n] of Object.entries(v.levels)) if (typeof n === 'number' && Number.isFinite(n)) levels[k] = n;
  const total = typeof v.total === 'number' && Number.isFinite(v.total) ? Math.max(0, Math.floor(v.total)) : 0;
  return {
    total,
    complete: v.complete === true,
    live: v.live === true,
    levels,
    level: typeof v.level === 'string' ? v.level : '',
    error: typeof v.error === 'string' ? v.error : '',
    incomplete: typeof v.incomplete === 'string' ? v.incomplete : '',
    retry: v.retry === true,
    epoch: typeof v.epoch === 'number' && Number.isFinite(v.epoch) ? v.epoch : 0,
  };
}

function toLines(v: unknown): LogLine[] {
  if (!Array.isArray(v)) return [];
  return v.map((x, i) => {
    const o = isPlainObject(x) ? x : {};
    return {
      index: typeof o.index === 'number' && Number.isFinite(o.index) ? o.index : i,
      level: typeof o.level === 'string' ? o.level : '',
      timestamp: typeof o.timestamp === 'string' ? o.timestamp : '',
      message: typeof o.message === 'string' ? o.message : o.message === undefined || o.message === null ? '' : String(o.message),
    };
  });
}

// ---- page ----

function initPage(runId: string, run: RunPayload | null, options: PanelOptions, media: MediaPolicy, focus: 'logs' | undefined): void {
  page?.logs.dispose();
  page?.nodeLinks.dispose();
  const saved = parseUiState(loadState());
  const restored = saved && saved.runId === runId ? saved : undefined;
  const state: UiState = restored ?? defaultUiState(runId);
  const store = new UiStateStore({ ...state, options }, (s) => saveState(s));

  const collapsed = new Set<string>(state.collapsed);
  const nodeLinks = new NodeLogLinks(showNodeLine);
  const runView = new RunView(
    {
      isCollapsed: (id) => collapsed.has(id),
      setCollapsed: (id, c) => {
        if (c) collapsed.add(id);
        else collapsed.delete(id);
        store.update({ collapsed: [...collapsed] });
      },
      treeToggles: (id) => new Map(store.get().treeToggles[id] ?? []),
      setTreeToggle: (id, path, expanded) => {
        const all = store.get().treeToggles;
        store.update({ treeToggles: { ...all, [id]: withTreeToggle(all[id], path, expanded) } });
      },
    },
    media,
    nodeLinks,
  );
  const logs = new LogsSection(options, collapsed.has('logs'), {
    onOptions: (o) => store.update({ options: o }),
    onLevel: (level) => store.update({ level }),
    onQuery: (searchText) => store.update({ searchText }),
    onPosition: (logPosition, logAtBottom) => {
      const s = store.get();
      if (s.logPosition !== logPosition || s.logAtBottom !== logAtBottom) store.update({ logPosition, logAtBottom });
    },
    onCollapse: (c) => {
      if (c) collapsed.add('logs' satisfies SectionId);
      else collapsed.delete('logs');
      store.update({ collapsed: [...collapsed] });
    },
  }, run ? !isSettled(run) : undefined);
  const errorBanner = el('div', { class: 'run-error', role: 'alert', hidden: true, 'data-testid': 'run-error' });

  replace(app, errorBanner, runView.root, logs.root);
  page = { runId, store, runView, logs, nodeLinks, errorBanner };

  if (run) {
    runView.update(run, Date.now());
    logs.setRunFailed(runFailed(run));
  } else runView.showLoading(runId);

  if (restored) restoreLogs(logs, restored);
  app.setAttribute('data-run-id', runId);
  app.setAttribute('data-ready', 'true');
  requestAnimationFrame(() => {
    if (focus === 'logs') focusSection('logs');
    else if (restored && restored.pageScrollY > 0) window.scrollTo({ top: restored.pageScrollY });
  });

  clearInterval(ticker);
  ticker = setInterval(() => {
    if (document.visibilityState === 'visible') page?.runView.tick(Date.now());
  }, 1_000);
}

/** The log as the page left it: its position (kept over a failed run's first error), search and level. */
function restoreLogs(logs: LogsSection, restored: UiState): void {
  logs.keepPosition();
  logs.view.restore(restored.logPosition, restored.logAtBottom);
  if (restored.searchText) logs.search.restore(restored.searchText);
  if (restored.level) logs.restoreLevel(restored.level);
}

/** No token: one Sign In state in place of the run (no spinner, no errors) until the next `init`. */
function showSignedOut(runId: string): void {
  page?.logs.dispose();
  page?.nodeLinks.dispose();
  page = undefined;
  clearInterval(ticker);
  const signIn = el('button', { type: 'button', class: 'toolbar-button', 'data-testid': 'sign-in' }, icon('sign-in'), 'Sign In');
  signIn.addEventListener('click', () => post({ type: 'signIn' }));
  replace(
    app,
    el(
      'div',
      { class: 'signed-out', role: 'status', 'data-testid': 'signed-out' },
      el('p', null, icon('account'), ' Sign in with a Runflow API token to see this run.'),
      signIn,
    ),
  );
  app.setAttribute('data-run-id', runId);
  app.removeAttribute('data-ready');
  signIn.focus();
}

function showRunError(message: string): void {
  if (!page) return;
  const retry = el('button', { type: 'button', class: 'link-button' }, 'Retry');
  retry.addEventListener('click', () => post({ type: 'action', action: 'refresh' }));
  replace(page.errorBanner, icon('error'), el('span', { class: 'run-error-text' }, message || 'The run could not be loaded.'), retry);
  page.errorBanner.setAttribute('data-kind', 'error');
  page.errorBanner.hidden = false;
}

/** No Retry here: a retry would only join the request that is already waiting. */
function showRunWaiting(message: string): void {
  if (!page) return;
  replace(page.errorBanner, icon('loading~spin'), el('span', { class: 'run-error-text' }, message || 'Waiting for the Runflow API…'));
  page.errorBanner.setAttribute('data-kind', 'waiting');
  page.errorBanner.hidden = false;
}

function focusSection(section: 'logs' | 'top'): void {
  if (!page) return;
  if (section === 'top') {
    window.scrollTo({ top: 0 });
    return;
  }
  if (page.logs.section.isCollapsed()) page.logs.section.setCollapsed(false);
  page.logs.root.scrollIntoView({ block: 'start' });
  page.logs.view.viewport.focus({ preventScroll: true });
}

/** Where the log shows: the line the panel was opened on, the error lines, a node's first line. */
function onLineMessage(p: Page, msg: Extract<HostMessage, { type: 'showMatch' | 'errorLinesResult' | 'nodeLineResult' }>): void {
  switch (msg.type) {
    case 'showMatch':
      if (typeof msg.query === 'string' && (msg.position === null || (typeof msg.position === 'number' && Number.isInteger(msg.position)))) p.logs.showMatch(msg.query, msg.position);
      break;
    case 'errorLinesResult':
      if (typeof msg.requestId === 'number') p.logs.errors.onResult(msg.requestId, positions(msg.positions), msg.truncated === true);
      break;
    case 'nodeLineResult':
      if (typeof msg.requestId === 'number' && typeof msg.position === 'number') p.nodeLinks.onResult(msg.requestId, msg.position);
      break;
  }
}

function onMessage(raw: unknown): void {
  if (!isPlainObject(raw)) return;
  const msg = raw as HostMessage;
  // Whatever the extension sends first replaces the shell's skeleton.
  if (msg.type === 'init' || msg.type === 'signedOut') app.removeAttribute('aria-busy');
  switch (msg.type) {
    case 'init':
      performance.mark('runflow:init');
      initPage(typeof msg.runId === 'string' ? msg.runId : '', isPlainObject(msg.run) ? msg.run : null, toOptions(msg.options), toMedia(msg.media), msg.focus === 'logs' ? 'logs' : undefined);
      performance.mark('runflow:page');
      break;
    case 'run':
      if (page && isPlainObject(msg.run)) {
        page.runView.update(msg.run, Date.now());
        page.logs.setRunLive(!isSettled(msg.run));
        page.logs.setRunFailed(runFailed(msg.run));
        // In the same message, so a banner that still holds never blinks out for a frame.
        if (typeof msg.error === 'string') showRunError(msg.error);
        else page.errorBanner.hidden = true;
      }
      break;
    case 'runError':
      showRunError(typeof msg.message === 'string' ? msg.message : '');
      break;
    case 'runWaiting':
      showRunWaiting(typeof msg.message === 'string' ? msg.message : '');
      break;
    case 'logStatus': {
      const status = toStatus(msg.status);
      if (!page || !status) break;
      page.logs.setStatus(status);
      page.nodeLinks.onStatus(status);
      break;
    }
    case 'logLines':
      if (page && typeof msg.requestId === 'number' && typeof msg.start === 'number' && msg.start >= 0) {
        page.logs.addLines(msg.requestId, Math.floor(msg.start), toLines(msg.lines));
      }
      break;
    case 'searchResult':
      if (page && typeof msg.requestId === 'number' && Array.isArray(msg.matches)) {
        page.logs.search.onResult(msg.requestId, typeof msg.query === 'string' ? msg.query : '', msg.matches as number[], msg.truncated === true);
      }
      break;
    case 'showMatch':
    case 'errorLinesResult':
    case 'nodeLineResult':
      if (page) onLineMessage(page, msg);
      break;
    case 'focus':
      focusSection(msg.section === 'logs' ? 'logs' : 'top');
      break;
    case 'signedOut':
      showSignedOut(typeof msg.runId === 'string' ? msg.runId : '');
      break;
  }
}

window.addEventListener('message', (event: MessageEvent) => onMessage(event.data));
// F8 / Shift+F8 anywhere in the panel, as in an editor: to the next / previous error line. Kept from
// VS Code, whose own F8 (the next problem in the workspace's files) would take the focus elsewhere.
document.addEventListener('keydown', (e) => {
  if (e.key !== 'F8' || e.ctrlKey || e.altKey || e.metaKey || !page) return;
  e.preventDefault();
  e.stopPropagation();
  page.logs.errors.move(e.shiftKey ? -1 : 1);
});
window.addEventListener(
  'scroll',
  () => {
    page?.store.update({ pageScrollY: Math.round(window.scrollY) });
  },
  { passive: true },
);
window.addEventListener('pagehide', () => page?.store.flush());
// VS Code hands the page its messages once the page has loaded, and a stylesheet on its way holds the
// load back: the icons' stylesheet is fetched only after it (the page's HTML has it disabled).
window.addEventListener(
  'load',
  () => {
    for (const link of document.querySelectorAll('link[data-runflow-icons]')) link.removeAttribute('disabled');
  },
  { once: true },
);

// The page's first script said `ready` while the bundle loaded; what the extension answered meanwhile is handled now.
const early = takeEarlyMessages();
if (early) for (const message of early) onMessage(message);
else post({ type: 'ready' });
