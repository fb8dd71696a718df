/**
 * Frame times while the log scrolls, taken in the webview itself: requestAnimationFrame deltas while
 * the script moves the viewport one step per frame, as a scrollbar drag or a fast wheel would.
 */
import { evaluate } from '../../../integration/support/driver';
import { frameStats, type FrameStats } from '../../shared';

export interface ScrollFrames {
  idle: FrameStats;
  drag: FrameStats;
  wheel: FrameStats;
}

/** Main-thread tasks over 50 ms seen from the webview: its own script's, and the rest of the renderer's (the workbench shares it here). */
export interface LongTasks {
  own: { count: number; ms: number };
  other: { count: number; ms: number };
}

const MEASURE = `(async () => {
  document.querySelector('[data-section="logs"]')?.scrollIntoView();
  const v = document.querySelector('[data-testid="log-viewport"]');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const placeholdersOnScreen = () => {
    const vr = v.getBoundingClientRect();
    return [...v.querySelectorAll('[data-testid="log-row"].pending')].some((r) => {
      const rr = r.getBoundingClientRect();
      return rr.bottom > vr.top && rr.top < vr.bottom;
    });
  };
  const measure = async (frames, step) => {
    const deltas = [];
    let pending = 0;
    const tasks = [];
    const observer = typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes?.includes('longtask')
      ? new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ ms: e.duration, own: e.name === 'self' }); })
      : undefined;
    observer?.observe({ type: 'longtask' });
    let last = await frame();
    for (let k = 0; k < frames; k++) {
      if (step) step(k);
      const now = await frame();
      deltas.push(now - last);
      last = now;
      if (placeholdersOnScreen()) pending++;
    }
    for (const e of observer?.takeRecords() ?? []) tasks.push({ ms: e.duration, own: e.name === 'self' });
    observer?.disconnect();
    const sum = (own) => ({ count: tasks.filter((t) => t.own === own).length, ms: Math.round(tasks.filter((t) => t.own === own).reduce((a, t) => a + t.ms, 0)) });
    return { deltas, pending, longTasks: { own: sum(true), other: sum(false) } };
  };
  const settle = async () => { for (let i = 0; i < 30; i++) await frame(); };
  await settle();
  const idle = await measure(120);
  const max = () => v.scrollHeight - v.clientHeight;
  v.scrollTop = 0;
  await settle();
  const top = max();
  // A scrollbar drag from the first line to the last in five seconds.
  const drag = await measure(300, (k) => { v.scrollTop = (top * (k + 1)) / 300; });
  v.scrollTop = max() / 3;
  await settle();
  // A fast wheel: 100 px (one notch) every frame.
  const wheel = await measure(300, () => { v.scrollTop += 100; });
  return { idle, drag, wheel };
})()`;

export async function measureScrolling(runId: string): Promise<ScrollFrames> {
  const raw = await evaluate<Record<'idle' | 'drag' | 'wheel', { deltas: number[]; pending: number; longTasks: LongTasks }>>({ selector: `#app[data-run-id="${runId}"]` }, MEASURE, 30_000);
  return {
    idle: { ...frameStats(raw.idle.deltas), longTasks: raw.idle.longTasks },
    drag: { ...frameStats(raw.drag.deltas, raw.drag.pending), longTasks: raw.drag.longTasks },
    wheel: { ...frameStats(raw.wheel.deltas, raw.wheel.pending), longTasks: raw.wheel.longTasks },
  };
}
