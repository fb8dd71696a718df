/**
 * Which runs a refresh speaks for. Its answer is the newest runs, so it covers a span of time, not all
 * that is loaded: these decide what leaves the list, what joins it, and what is left to "Load more".
 */
import type { Page, Run } from '../api/types';
import { pageCursor } from '../api/pagination';
import { isActiveStatus, oldestCreatedAt } from '../core/runModel';
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
 * The runs of a refresh that belong on screen: the loaded ones, and runs newer than the oldest loaded
 * (new arrivals). Older runs the answer brings along are left to "Load more", so the list does not
 * grow by itself.
 */
export function withinWindow(loaded: ReadonlyMap<string, Run>, items: (Run & { id: string })[]): (Run & { id: string })[] {
  const oldest = oldestCreatedAt(loaded.values());
  return items.filter((run) => {
    if (loaded.has(run.id)) return true;
    const t = parseTimestamp(run.created_at);
    return t !== undefined && t >= oldest;
  });
}

export function countActive(runs: Iterable<Run>): number {
  let n = 0;
  for (const run of runs) if (isActiveStatus(run.status_code)) n++;
  return n;
}
