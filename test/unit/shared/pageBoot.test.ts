import { strict as assert } from 'node:assert';
import { PAGE_BOOT_SCRIPT, type PageApi, type PageBootWindow } from '../../../src/shared/pageBoot';

type Listener = (event: { data: unknown }) => void;

/** A window with the VS Code API a webview gets: what it posted, and who listens to its messages. */
function fakeWindow() {
  const posted: unknown[] = [];
  const listeners = new Set<Listener>();
  let acquired = 0;
  const api: PageApi = { postMessage: (m) => posted.push(m), getState: () => undefined, setState: () => undefined };
  const win: PageBootWindow = {
    acquireVsCodeApi: () => {
      acquired++;
      return api;
    },
    addEventListener: (_type, l) => listeners.add(l),
    removeEventListener: (_type, l) => listeners.delete(l),
  };
  const deliver = (data: unknown) => [...listeners].forEach((l) => l({ data }));
  return { win, api, posted, listeners, deliver, acquired: () => acquired };
}

/** Runs the script as the page does, with `window` bound to `win`. */
function runBootScript(win: PageBootWindow): void {
  (new Function('window', PAGE_BOOT_SCRIPT) as (w: PageBootWindow) => void)(win);
}

describe('the panel page boot script', () => {
  it('says ready at once and holds the answers until the bundle takes them, in order', () => {
    const w = fakeWindow();
    runBootScript(w.win);
    assert.deepEqual(w.posted, [{ type: 'ready' }]);
    w.deliver({ type: 'init' });
    w.deliver({ type: 'logStatus' });
    const boot = w.win.runflowBoot!;
    assert.equal(boot.api, w.api, 'the one API object of the page is handed over');
    assert.equal(w.acquired(), 1);
    assert.deepEqual(boot.take(), [{ type: 'init' }, { type: 'logStatus' }]);
    assert.equal(w.listeners.size, 0, 'it stops listening once taken over');
    w.deliver({ type: 'run' });
    assert.deepEqual(boot.take(), [], 'nothing held after the takeover');
  });
});
