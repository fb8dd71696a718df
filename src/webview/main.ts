/** The run detail panel's script, running inside the webview. */
const vscodeApi = acquireVsCodeApi();
vscodeApi.postMessage({ type: 'ready' });

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
