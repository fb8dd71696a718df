/**
 * Frame times while the log scrolls, taken in the webview itself: requestAnimationFrame deltas while
 * the script moves the viewport one step per frame, as a scrollbar drag or a fast wheel would.
 *
 * Slow frames come with the browser's own account of them (Long Animation Frames, where the renderer
 * has it): how long scripts ran and which ones, how much of that was layout forced by a script, and
 * how long the frame's own style and layout took. That says where a slow frame's time went.
 */
import { evaluate } from '../../../integration/support/driver';
import { frameStats, type FrameStats, type SlowFrames } from '../../shared';

export interface ScrollFrames {
  idle: FrameStats;
  /** One entry per sweep, first line to last. */
  drag: FrameStats[];
  wheel: FrameStats;
}

/** Main-thread tasks over 50 ms seen from the webview: its own script's, and the rest of the renderer's (the workbench shares it here). */
export interface LongTasks {
  own: { count: number; ms: number };
  other: { count: number; ms: number };
}

/** Frames in one scrollbar drag from the first line to the last (about five seconds). */
export const DRAG_FRAMES = 300;

interface RawMeasure {
  deltas: number[];
  pending: number;
  longTasks: LongTasks;
  slowFrames?: SlowFrames;
}

/** Defines `measure(frames, step)` and `settle()` in the panel's frame; `v` is the log viewport. */
const SETUP = `
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
  const supported = (type) => typeof PerformanceObserver === 'function' && !!PerformanceObserver.supportedEntryTypes?.includes(type);
  const slowFrameSummary = (entries) => {
    const by = new Map();
    let scriptMs = 0, forcedLayoutMs = 0, renderMs = 0, styleLayoutMs = 0;
    for (const e of entries) {
      if (e.renderStart > 0) renderMs += (e.styleAndLayoutStart || e.startTime + e.duration) - e.renderStart;
      if (e.styleAndLayoutStart > 0) styleLayoutMs += e.startTime + e.duration - e.styleAndLayoutStart;
      for (const s of e.scripts || []) {
        scriptMs += s.duration;
        forcedLayoutMs += s.forcedStyleAndLayoutDuration || 0;
        const what = (s.invoker || s.invokerType || '?') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '');
        by.set(what, (by.get(what) || 0) + s.duration);
      }
    }
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([what, ms]) => ({ what, ms: Math.round(ms) }));
    return { count: entries.length, ms: Math.round(entries.reduce((a, e) => a + e.duration, 0)), scriptMs: Math.round(scriptMs), forcedLayoutMs: Math.round(forcedLayoutMs), renderMs: Math.round(renderMs), styleLayoutMs: Math.round(styleLayoutMs), top };
  };
  const measure = async (frames, step) => {
    const deltas = [];
    let pending = 0;
    const tasks = [];
    const loafs = [];
    const observer = supported('longtask') ? new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ ms: e.duration, own: e.name === 'self' }); }) : undefined;
    observer?.observe({ type: 'longtask' });
    const loafObserver = supported('long-animation-frame') ? new PerformanceObserver((list) => { loafs.push(...list.getEntries()); }) : undefined;
    loafObserver?.observe({ type: 'long-animation-frame' });
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
    loafs.push(...(loafObserver?.takeRecords() ?? []));
    loafObserver?.disconnect();
    const sum = (own) => ({ count: tasks.filter((t) => t.own === own).length, ms: Math.round(tasks.filter((t) => t.own === own).reduce((a, t) => a + t.ms, 0)) });
    return { deltas, pending, longTasks: { own: sum(true), other: sum(false) }, ...(loafObserver ? { slowFrames: slowFrameSummary(loafs) } : {}) };
  };
  const settle = async () => { for (let i = 0; i < 30; i++) await frame(); };
  const max = () => v.scrollHeight - v.clientHeight;
`;

const IDLE = `(async () => {${SETUP}
  await settle();
  return measure(120);
})()`;

/** A scrollbar drag from the first line to the last in DRAG_FRAMES frames. */
const DRAG = `(async () => {${SETUP}
  v.scrollTop = 0;
  await settle();
  const top = max();
  return measure(${DRAG_FRAMES}, (k) => { v.scrollTop = (top * (k + 1)) / ${DRAG_FRAMES}; });
})()`;

/** A fast wheel: 100 px (one notch) every frame, from a third of the way down. */
const WHEEL = `(async () => {${SETUP}
  v.scrollTop = max() / 3;
  await settle();
  return measure(300, () => { v.scrollTop += 100; });
})()`;

function stats(raw: RawMeasure, withPending: boolean): FrameStats {
  return { ...frameStats(raw.deltas, withPending ? raw.pending : undefined), longTasks: raw.longTasks, ...(raw.slowFrames ? { slowFrames: raw.slowFrames } : {}) };
}

/** The baseline, `sweeps` scrollbar drags from the first line to the last, then a fast wheel. */
export async function measureScrolling(runId: string, sweeps: number): Promise<ScrollFrames> {
  const frame = { selector: `#app[data-run-id="${runId}"]` };
  const idle = stats(await evaluate<RawMeasure>(frame, IDLE, 30_000), false);
  const drag: FrameStats[] = [];
  for (let i = 0; i < sweeps; i++) drag.push(stats(await evaluate<RawMeasure>(frame, DRAG, 60_000), true));
  const wheel = stats(await evaluate<RawMeasure>(frame, WHEEL, 60_000), true);
  return { idle, drag, wheel };
}
