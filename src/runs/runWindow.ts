/**
 * Which runs a refresh speaks for. Its answer is the newest runs, so it covers a span of time, not all
 * that is loaded: these decide what leaves the list, what joins it, and what is left to "Load more".
 */
import type { Page, Run } from '../api/types';
import { pageCursor } from '../api/pagination';
import { isActiveStatus, isTerminalStatus, oldestCreatedAt } from '../core/runModel';
import { parseTimestamp } from '../core/time';

/**
 * Loaded runs that a refresh shows have left the filter. The answer is the newest runs, so it speaks
 * for the time it covers: back to its oldest run, or all of it when it has no further page. A loaded
 * run inside that span that is missing from the matching runs (another status now, or gone) leaves;
 * older loaded runs are not spoken for and stay.
 */
export function leftTheFilter(loaded: ReadonlyMap<string, Run>, answered: Run[], matching: (Run & { id: string })[], page: Page<Run>): string[] {
  const complete = 'stop' in pageCursor(page);
  const oldest = oldestCreatedAt(answered);
  const kept = new Set(matching.map((r) => r.id));
  const removed: string[] = [];
  for (const [id, run] of loaded) {
    if (kept.has(id)) continue;
    if (complete) {
      removed.push(id);
      continue;
    }
    const t = parseTimestamp(run.created_at);
    // Strictly newer than the oldest answered run: at that very instant, runs may sit on the next page.
    if (t !== undefined && t > oldest) removed.push(id);
  }
  return removed;
}

/**
 * The runs of a refresh that belong on screen: the loaded ones, and runs at least as new as `windowStart`,
 * the oldest run the listing has walked to (new arrivals, and runs a filter checked here passed over that
 * now pass it). Older runs the answer brings along are left to "Load more", so the list does not grow by
 * itself.
 */
export function withinWindow(loaded: ReadonlyMap<string, Run>, items: (Run & { id: string })[], windowStart: number): (Run & { id: string })[] {
  return items.filter((run) => {
    if (loaded.has(run.id)) return true;
    const t = parseTimestamp(run.created_at);
    return t !== undefined && t >= windowStart;
  });
}

/**
 * How many of the listed runs a refresh asks for, on top of room for new arrivals, so that its answer
 * reaches every run that may still change. `listed` is what the listing walked: the loaded runs, and the
 * runs a filter checked here passed over (they sit in the listing all the same). A run may still change
 * unless its status is terminal: an active one, and one in a status nobody documented or none at all.
 * The span is the listed runs at least as new as the oldest such run; older ones are finished, and
 * stay as they are without being asked for again. 0 when every listed run is finished.
 *
 * A run without a readable time is counted into the span. One that may still change and has no readable
 * time could sit anywhere in the listing (the reference says nothing of where), so then the span is
 * every listed run, as every refresh was before.
 *
 * `aside`: runs known apart from the listing (the filter hides them) that may come to pass the filter.
 * Their time reaches the span down to them, so that the answer brings them once they pass; they are not
 * counted, the listing holds them only then. One older than the listed window would not join the list
 * anyway (see withinWindow).
 */
export function changeableSpan(listed: readonly Run[], aside: Iterable<Run>): number {
  let oldest = Infinity;
  for (const run of listed) {
    if (isTerminalStatus(run.status_code)) continue;
    const t = parseTimestamp(run.created_at);
    if (t === undefined) return listed.length;
    oldest = Math.min(oldest, t);
  }
  const window = oldestCreatedAt(listed);
  for (const run of aside) {
    if (isTerminalStatus(run.status_code)) continue;
    const t = parseTimestamp(run.created_at);
    if (t !== undefined && t >= window) oldest = Math.min(oldest, t);
  }
  if (oldest === Infinity) return 0;
  let span = 0;
  for (const run of listed) {
    const t = parseTimestamp(run.created_at);
    if (t === undefined || t >= oldest) span++;
  }
  return span;
}

export function countActive(runs: Iterable<Run>): number {
  let n = 0;
  for (const run of runs) if (isActiveStatus(run.status_code)) n++;
  return n;
}
