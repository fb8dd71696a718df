/**
 * The run panel page's first script, inlined in its HTML ahead of the stylesheets and the bundle: it says
 * `ready` at once and holds what the extension answers until the bundle runs, so the handshake's round
 * trip (and the extension's first messages) overlap the page's loading instead of following it.
 */

export interface PageApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What the bundle takes over: the page's one VS Code API object, and the messages held so far. */
export interface PageBoot {
  api: PageApi;
  /** The messages that came before, oldest first; from then on the caller listens itself. */
  take(): unknown[];
}

/** The parts of `window` the boot script uses, and where it leaves its `PageBoot`. */
export interface PageBootWindow {
  acquireVsCodeApi(): PageApi;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  runflowBoot?: PageBoot;
}

/**
 * The script itself, as the page's HTML holds it: source text, since a bundler may wrap a function's
 * inner functions in helpers the page would not have. Plain ES2020 over `window` (a `PageBootWindow`).
 */
export const PAGE_BOOT_SCRIPT = [
  '(function (win) {',
  '  var api = win.acquireVsCodeApi();',
  '  var held = [];',
  '  var hold = function (event) { held.push(event.data); };',
  "  win.addEventListener('message', hold);",
  '  win.runflowBoot = {',
  '    api: api,',
  "    take: function () { win.removeEventListener('message', hold); return held.splice(0); },",
  '  };',
  "  api.postMessage({ type: 'ready' });",
  '})(window);',
].join('\n');
