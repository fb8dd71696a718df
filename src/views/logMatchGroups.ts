/**
 * The matches of one search across runs, grouped by run in the order their runs were first found (newest
 * first, as the search walks). No vscode: the Log Matches view draws it, the tests read it directly.
 * Lines that name no run are kept in a group of their own ("unknown run"), never dropped.
 */
import { stripAnsi } from '../core/ansi';
import type { LogMatch, RunSummary } from '../runs/logSearch';

export interface MatchGroup {
  /** The run's id, or null for lines that name no run. */
  readonly runId: string | null;
  /** What the server said about the run alongside its lines, when it did. */
  summary: RunSummary | undefined;
  readonly matches: LogMatch[];
}

export class MatchGroups {
  private readonly byKey = new Map<string, MatchGroup>();
  private count = 0;

  /** Adds a page's matches; answers the groups that changed (new ones included). */
  add(matches: readonly LogMatch[], runs: readonly RunSummary[] = []): MatchGroup[] {
    const changed = new Set<MatchGroup>();
    for (const run of runs) {
      const group = this.byKey.get(keyOf(run.id));
      if (group && !group.summary) {
        group.summary = run;
        changed.add(group);
      }
    }
    const summaries = new Map(runs.map((r) => [r.id, r]));
    for (const match of matches) {
      const key = keyOf(match.runId);
      let group = this.byKey.get(key);
      if (!group) {
        group = { runId: match.runId, summary: match.runId === null ? undefined : summaries.get(match.runId), matches: [] };
        this.byKey.set(key, group);
      }
      group.matches.push(match);
      this.count++;
      changed.add(group);
    }
    return [...changed];
  }

  groups(): MatchGroup[] {
    return [...this.byKey.values()];
  }

  group(runId: string | null): MatchGroup | undefined {
    return this.byKey.get(keyOf(runId));
  }

  get matchCount(): number {
    return this.count;
  }

  get runCount(): number {
    return this.byKey.size;
  }

  /** Every match, group by group, as the view lists them (for Save Matches As…). */
  *all(): Generator<LogMatch> {
    for (const group of this.byKey.values()) yield* group.matches;
  }
}

/** A run id as a map key; `\u0000` cannot be an id the server sends as text, so it stands for "no run". */
function keyOf(runId: string | null): string {
  return runId === null ? '\u0000' : `#${runId}`;
}

/** "3 matches in 2 runs". */
export function countText(matches: number, runs: number): string {
  const m = `${matches.toLocaleString('en-US')} match${matches === 1 ? '' : 'es'}`;
  return runs > 0 ? `${m} in ${runs.toLocaleString('en-US')} run${runs === 1 ? '' : 's'}` : m;
}

/** One match as a line of JSON Lines (Save Matches As…): the line without ANSI codes, with its run's id. */
export function matchRecord(match: LogMatch, query: string): string {
  return JSON.stringify({ run_id: match.runId, log_id: match.logId ?? null, timestamp: match.timestamp || null, level: match.level || null, message: stripAnsi(match.message), query });
}

/** One match for the clipboard: run id, time, level and the line. */
export function matchClipboardText(match: LogMatch): string {
  return [match.runId ?? 'unknown-run', match.timestamp || '-', match.level ? `[${match.level.toUpperCase()}]` : '', stripAnsi(match.message)].filter((p) => p !== '').join(' ');
}
