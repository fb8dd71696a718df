/** The webview's channel to the extension. `acquireVsCodeApi` may be called only once per page. */
import type { PageApi, PageBootWindow } from '../shared/pageBoot';
import type { WebviewMessage } from '../shared/protocol';

declare function acquireVsCodeApi(): PageApi;

let api: PageApi | undefined;

/** What the page's first script (shared/pageBoot.ts) left, when it ran. */
function boot() {
  return (window as unknown as Partial<PageBootWindow>).runflowBoot;
}

function vscode(): PageApi {
  api ??= boot()?.api ?? acquireVsCodeApi();
  return api;
}

/**
 * The extension's messages that came before the bundle ran, when the page's first script made the
 * handshake; undefined when it did not (then the bundle says `ready` itself).
 */
export function takeEarlyMessages(): unknown[] | undefined {
  return boot()?.take();
}

/** A message to the extension: the run panel's by default, another page of the panel family names its own. */
export function post<M extends { type: string } = WebviewMessage>(message: M): void {
  vscode().postMessage(message);
}

export function loadState(): unknown {
  return vscode().getState();
}

export function saveState(state: unknown): void {
  vscode().setState(state);
}

let lastRequestId = 0;
/** Ids for `logRange` and `search` requests; 0 is reserved for lines the extension pushes unasked. */
export function nextRequestId(): number {
  lastRequestId = lastRequestId >= Number.MAX_SAFE_INTEGER ? 1 : lastRequestId + 1;
  return lastRequestId;
}
