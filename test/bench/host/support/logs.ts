/** Opening a run's log two ways: the extension's panel, and VS Code's own editor as other run viewers do. */
import * as vscode from 'vscode';
import type { TestApi } from '../../../../src/extension';
import { round, type LaunchFigures } from '../../shared';
import { waitFor } from '../../../integration/support/wait';
import { armWaiter, heapMb, inPage, panelDomNodes, sleep } from './page';

/** The last line of the emulator's big log (test/emulator/logs.ts). */
export function newestLine(lines: number): string {
  return `log storm done: ${lines} lines`;
}

/** The panel of `runId` shows a row holding `text` inside its log viewport, on screen. Expression over `B`. */
function panelShows(runId: string, text: string): string {
  return `(() => {
    const d = B.panelDoc(${JSON.stringify(runId)});
    if (!d) return false;
    const win = d.defaultView;
    const v = d.querySelector('[data-testid="log-viewport"]');
    if (!v) return false;
    const vr = v.getBoundingClientRect();
    if (vr.height <= 0 || vr.top >= win.innerHeight || vr.bottom <= 0) return false;
    return [...v.querySelectorAll('[data-testid="log-row"]')].some((r) => {
      if (!(r.textContent || '').includes(${JSON.stringify(text)})) return false;
      const rr = r.getBoundingClientRect();
      return rr.bottom > vr.top && rr.top < Math.min(vr.bottom, win.innerHeight);
    });
  })()`;
}

export type EditorFigures = NonNullable<LaunchFigures['editor']>[string];

/** One opening of a log in VS Code's own editor. */
export interface EditorOpen {
  fetchMs: number;
  newestMs: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  dom: number;
}

/** Adds one editor opening to the figures of its log size. */
export function addEditorSample(figures: EditorFigures, opened: EditorOpen): void {
  figures.fetchMs.push(opened.fetchMs);
  figures.newestMs.push(opened.newestMs);
  figures.heapBeforeMb.push(round(opened.heapBeforeMb));
  figures.heapAfterMb.push(round(opened.heapAfterMb));
  figures.dom.push(opened.dom);
}

export interface PanelOpen {
  /** The panel's script started and said it is ready. */
  readyMs: number;
  newestMs: number;
  domAtNewest: number;
  heapBeforeMb: number;
  heapAtNewestMb: number;
  /** Where the panel's start went, in ms from the open call: see `panelStartup`. */
  startup: PanelStartup;
}

/**
 * The webview's own account of its start, in ms from the open call: when its document began loading,
 * each resource it fetched (start → end, bytes), the marks its script set (`runflow:*`) and its first paint.
 */
export interface PanelStartup {
  documentMs: number;
  resources: { name: string; startMs: number; endMs: number; bytes: number }[];
  marks: Record<string, number>;
  firstPaintMs?: number;
}

/** Reads the panel frame's performance timeline; times are made relative to `t0` (wall clock). */
async function panelStartup(runId: string, t0: number): Promise<PanelStartup> {
  return inPage<PanelStartup>(`(() => {
    const p = B.panelDoc(${JSON.stringify(runId)})?.defaultView?.performance;
    if (!p) return { documentMs: -1, resources: [], marks: {} };
    const at = (t) => Math.round(p.timeOrigin + t - ${t0});
    const marks = {};
    for (const m of p.getEntriesByType('mark')) if (m.name.startsWith('runflow:')) marks[m.name.slice(8)] = at(m.startTime);
    const paint = p.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
    return {
      documentMs: at(0),
      resources: p.getEntriesByType('resource').map((e) => ({ name: e.name.split('?')[0].split('/').slice(-1)[0], startMs: at(e.startTime), endMs: at(e.responseEnd), bytes: e.encodedBodySize || e.transferSize || 0 })),
      marks,
      ...(paint ? { firstPaintMs: at(paint.startTime) } : {}),
    };
  })()`);
}

/** Opens the panel on its logs and times the newest line appearing on screen. */
export async function openPanelAtNewest(api: TestApi, runId: string, lines: number): Promise<PanelOpen> {
  const heapBeforeMb = await heapMb();
  const ready = await armWaiter('the panel script to be ready', `!!B.panelDoc(${JSON.stringify(runId)})?.querySelector('#app[data-ready="true"]')`, 120_000);
  const newest = await armWaiter(`the newest line of the ${lines}-line log in the panel`, panelShows(runId, newestLine(lines)), 120_000);
  const t0 = Date.now();
  api.panels.open(runId, 'logs');
  const shownAt = await newest.done;
  return {
    readyMs: (await ready.done) - t0,
    newestMs: shownAt - t0,
    domAtNewest: await panelDomNodes(runId),
    heapBeforeMb,
    heapAtNewestMb: await heapMb(runId),
    startup: await panelStartup(runId, t0),
  };
}

/** Waits for the panel to hold the whole log (the extension has read it and the webview knows its length). */
export async function waitForWholeLog(api: TestApi, runId: string, lines: number, timeoutMs: number): Promise<void> {
  await waitFor(`the whole ${lines}-line log read`, () => api.panels.panel(runId)?.logFullyRead, timeoutMs, 200);
  await waitFor('the webview to know the whole log', async () => {
    const total = await inPage<number>(`Number(B.panelDoc(${JSON.stringify(runId)})?.querySelector('[data-testid="log-viewport"]')?.getAttribute('data-total') ?? 0)`);
    return total >= lines;
  }, 30_000);
}

/**
 * Opens a webview panel that does nothing but answer a ready message, and times its script having
 * heard back: what VS Code's webview machinery costs before any panel can draw.
 */
export async function openBareWebview(): Promise<number> {
  const shown = await armWaiter('the bare webview', `B.webviewDocs().some((d) => d.querySelector('#bare[data-answered]'))`, 60_000);
  const t0 = Date.now();
  const panel = vscode.window.createWebviewPanel('runflowBench.bare', 'Bare webview', vscode.ViewColumn.Active, { enableScripts: true });
  const nonce = `n${Math.random().toString(36).slice(2)}`;
  const answer = panel.webview.onDidReceiveMessage(() => void panel.webview.postMessage('init'));
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';"></head>
<body><div id="bare">bare</div><script nonce="${nonce}">
const api = acquireVsCodeApi();
window.addEventListener('message', () => document.getElementById('bare').setAttribute('data-answered', '1'));
api.postMessage('ready');
</script></body></html>`;
  try {
    return (await shown.done) - t0;
  } finally {
    answer.dispose();
    panel.dispose();
    await waitFor('the bare webview to close', async () => (await inPage<boolean>(`!B.webviewDocs().some((d) => d.querySelector('#bare'))`)) || undefined, 10_000);
  }
}

export async function closePanel(api: TestApi, runId: string): Promise<void> {
  api.panels.panel(runId)?.dispose();
  await waitFor('the panel to close', async () => (await inPage<boolean>(`!B.panelDoc(${JSON.stringify(runId)})`)) || undefined, 10_000);
  await sleep(300);
}

const SCHEME = 'runflow-bench-log';
let openings = 0;

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  work.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What other run viewers do: fetch the whole log through the API and hand it to VS Code as one text
 * document (a content provider, like the GitHub Actions extension's log view).
 */
export class EditorLogs implements vscode.Disposable {
  private readonly registration: vscode.Disposable;
  private readonly fetchMs = new Map<string, number>();

  constructor(private readonly api: TestApi) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      provideTextDocumentContent: (uri) => this.fetch(uri),
    });
  }

  async open(runId: string, lines: number, timeoutMs: number): Promise<EditorOpen> {
    // Seeded emulators give the big-log run the same id whatever its length: the URI must differ per opening.
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/run-${runId}-${lines}.log`, query: `${runId}/${++openings}` });
    const heapBeforeMb = await heapMb();
    const newest = await armWaiter(`the newest line of the ${lines}-line log in the editor`, `[...document.querySelectorAll('.monaco-editor .view-line')].some((l) => (l.textContent || '').replace(/\\u00a0/g, ' ').includes(${JSON.stringify(newestLine(lines))}))`, timeoutMs);
    const t0 = Date.now();
    const opening = (async () => {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const last = Math.max(0, doc.lineCount - 2);
      editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    })();
    await withTimeout(opening, timeoutMs, `the editor did not open the ${lines}-line log within ${Math.round(timeoutMs / 1000)} s`);
    const shownAt = await newest.done;
    return {
      fetchMs: this.fetchMs.get(uri.query) ?? -1,
      newestMs: shownAt - t0,
      heapBeforeMb,
      heapAfterMb: await heapMb(),
      dom: await inPage<number>(`document.getElementsByTagName('*').length`),
    };
  }

  async closeEditors(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }

  dispose(): void {
    this.registration.dispose();
  }

  private async fetch(uri: vscode.Uri): Promise<string> {
    const runId = uri.query.split('/')[0];
    const t0 = Date.now();
    const parts: string[] = [];
    for await (const page of this.api.connection.client.iterateLogPages(runId, { sort_by: 'timestamp:asc', limit: 500 }, { maxPages: 10_000 })) {
      for (const l of page.items) parts.push(`${l.timestamp ?? ''} [${l.level_code ?? ''}] ${typeof l.message === 'string' ? l.message : JSON.stringify(l.message)}\n`);
    }
    const text = parts.join('');
    this.fetchMs.set(uri.query, Date.now() - t0);
    return text;
  }
}
