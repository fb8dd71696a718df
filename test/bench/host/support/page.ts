/**
 * Measuring what is on screen, from inside the workbench page. Waiters run in the page itself, checking
 * on every animation frame, so a time is taken when the frame that shows the result is drawn, not when a
 * request from the extension host happens to look. Webviews are same-origin iframes of the workbench
 * here, so the same waiters can look into them.
 *
 * Times are wall-clock (Date.now()) on both sides: the page and the extension host run on the same machine.
 */
import { evaluate, hasBrowser } from '../../../integration/support/driver';
import { waitFor } from '../../../integration/support/wait';

const PROBES = `(() => {
  if (window.__runflowBench) return true;
  const nextFrame = (win = window) => new Promise((r) => win.requestAnimationFrame(r));
  const bench = {
    armed: new Set(),
    recordings: new Map(),
    webviewDocs() {
      const docs = [];
      for (const outer of document.querySelectorAll('iframe')) {
        let d;
        try { d = outer.contentDocument; } catch { continue; }
        if (!d) continue;
        for (const inner of d.querySelectorAll('iframe')) {
          try { if (inner.contentDocument) docs.push(inner.contentDocument); } catch {}
        }
      }
      return docs;
    },
    panelDoc(runId) {
      return bench.webviewDocs().find((d) => d.querySelector('#app[data-run-id="' + runId + '"]'));
    },
    pane(title) {
      return [...document.querySelectorAll('.pane')].find((p) => (p.querySelector('.pane-header')?.textContent ?? '').includes(title));
    },
    async waitUntil(id, cond, timeoutMs) {
      bench.armed.add(id);
      const end = Date.now() + timeoutMs;
      for (;;) {
        let ok = false;
        try { ok = !!cond(); } catch {}
        if (ok) return Date.now();
        if (Date.now() > end) return -1;
        await nextFrame();
      }
    },
    record(id, signature) {
      const entries = [];
      const state = { stop: false, entries };
      bench.recordings.set(id, state);
      (async () => {
        let last;
        while (!state.stop) {
          let sig;
          try { sig = String(signature()); } catch (e) { sig = 'error'; }
          if (sig !== last) { entries.push({ t: Date.now(), sig }); last = sig; }
          await nextFrame();
        }
      })();
      return true;
    },
    lastChange(id) {
      const state = bench.recordings.get(id);
      return state && state.entries.length ? state.entries[state.entries.length - 1].t : 0;
    },
    lastSignature(id) {
      const state = bench.recordings.get(id);
      return state && state.entries.length ? state.entries[state.entries.length - 1].sig : '';
    },
    stopRecording(id) {
      const state = bench.recordings.get(id);
      bench.recordings.delete(id);
      if (!state) return [];
      state.stop = true;
      return state.entries;
    },
    heapMb(win = window) {
      return win.performance.memory ? win.performance.memory.usedJSHeapSize / 1048576 : -1;
    },
  };
  window.__runflowBench = bench;
  return true;
})()`;

let installed = false;
let nextId = 1;

export function requireBrowser(): void {
  if (!hasBrowser()) throw new Error('the benchmarks need the headless launcher (a browser to look at the workbench)');
}

export async function installProbes(): Promise<void> {
  requireBrowser();
  if (!installed) installed = await evaluate<boolean>('workbench', PROBES);
}

/** JavaScript (a function body's expression) evaluated in the workbench page with the page probes as `B`. */
export async function inPage<T>(expression: string, timeoutMs?: number): Promise<T> {
  await installProbes();
  return evaluate<T>('workbench', `(() => { const B = window.__runflowBench; return (${expression}); })()`, timeoutMs);
}

export interface Waiter {
  /** Wall-clock time the condition was first seen true on a drawn frame; throws when it never was. */
  readonly done: Promise<number>;
}

/**
 * Starts watching for `condition` (a JavaScript expression over `B`, the page probes) and returns once the
 * page is watching, so the caller can start the clock after this and miss nothing.
 */
export async function armWaiter(what: string, condition: string, timeoutMs = 60_000): Promise<Waiter> {
  await installProbes();
  const id = `w${nextId++}`;
  const pending = inPage<number>(`B.waitUntil(${JSON.stringify(id)}, () => (${condition}), ${timeoutMs})`);
  const done = pending.then((t) => {
    if (t < 0) throw new Error(`not seen on screen within ${timeoutMs} ms: ${what}`);
    return t;
  });
  done.catch(() => undefined);
  await waitFor(`the page to watch for ${what}`, () => inPage<boolean>(`B.armed.has(${JSON.stringify(id)})`), 10_000, 20);
  return { done };
}

export interface Recording {
  /** Resolves once the signature has not changed for `quietMs`; throws after `timeoutMs`. */
  settled(quietMs: number, timeoutMs?: number): Promise<void>;
  /** Resolves true once the current signature passes `check`, false if it did not within `timeoutMs`. */
  reaches(check: (signature: string) => boolean, timeoutMs: number): Promise<boolean>;
  stop(): Promise<{ t: number; sig: string }[]>;
}

/** Records every change of `signature` (an expression over `B`) on drawn frames until stopped. */
export async function startRecording(signature: string): Promise<Recording> {
  await installProbes();
  const id = JSON.stringify(`r${nextId++}`);
  await inPage(`B.record(${id}, () => (${signature}))`);
  return {
    settled: (quietMs, timeoutMs = 60_000) =>
      waitFor(`the screen to settle for ${quietMs} ms`, async () => Date.now() - (await inPage<number>(`B.lastChange(${id})`)) >= quietMs, timeoutMs, 50).then(() => undefined),
    reaches: (check, timeoutMs) =>
      waitFor('the expected picture', async () => check(await inPage<string>(`B.lastSignature(${id})`)), timeoutMs, 50).then(
        () => true,
        () => false,
      ),
    stop: () => inPage(`B.stopRecording(${id})`),
  };
}

/**
 * When the final picture of a recording first appeared after `since`: the time its signature first
 * took the value it ended with. Undefined when the screen never changed after `since`.
 */
export function firstShownAt(entries: { t: number; sig: string }[], since: number): { t: number; sig: string } | undefined {
  const final = entries[entries.length - 1];
  if (!final || final.t < since) return undefined;
  return entries.find((e) => e.t >= since && e.sig === final.sig);
}

/**
 * Waits for the screen to show what `check` expects and returns when that first happened after `since`;
 * `matched` is false when it never did within `timeoutMs` (then the settled final picture is used).
 */
export async function timeToPicture(recording: Recording, since: number, check: (signature: string) => boolean, timeoutMs = 30_000): Promise<{ t: number; sig: string; matched: boolean }> {
  const matched = await recording.reaches(check, timeoutMs);
  if (!matched) await recording.settled(600);
  const entries = await recording.stop();
  const shown = matched ? entries.find((e) => e.t >= since && check(e.sig)) : firstShownAt(entries, since);
  if (!shown) throw new Error(`the screen did not change after the action: ${JSON.stringify(entries.slice(-5))}`);
  return { ...shown, matched };
}

/** Renderer JS heap in MB, read in the webview frame of `runId` when given (performance.memory). */
export function heapMb(runId?: string): Promise<number> {
  return inPage<number>(runId ? `B.heapMb(B.panelDoc(${JSON.stringify(runId)})?.defaultView ?? window)` : 'B.heapMb()');
}

/** Elements in the panel of `runId`. */
export function panelDomNodes(runId: string): Promise<number> {
  return inPage<number>(`B.panelDoc(${JSON.stringify(runId)})?.getElementsByTagName('*').length ?? -1`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
