/**
 * How a node run's state is drawn. Node states are free text on the wire (`completed`, `skipped`,
 * `pending`…), not the seven run statuses; the tree and the panel both read them through this one
 * mapping, so a skipped node looks the same in both.
 */
import { lookup } from './lookup';
import { describeDuration, formatDuration, knownStatusOf, MAX_PLAUSIBLE_DURATION_MS, statusIcon, statusLabel, type Shown, type StatusIcon } from './runModel';
import { parseTimestamp } from './time';

/** Node states with other names that mean one of the run statuses, for their icon and colour. */
const LOOK_ALIKES: Record<string, string> = {
  completed: 'succeeded',
  complete: 'succeeded',
  success: 'succeeded',
  successful: 'succeeded',
  done: 'succeeded',
  finished: 'succeeded',
  error: 'failed',
  errored: 'failed',
  failure: 'failed',
  timeout: 'failed',
  timed_out: 'failed',
  pending: 'queued',
  waiting: 'queued',
  started: 'running',
  in_progress: 'running',
  processing: 'running',
  canceled: 'cancelled',
  skipped: 'cancelled',
  aborted: 'cancelled',
};

/** The run status a node state looks like (its documented spelling), or the state itself when it looks like none. */
export function nodeStateLookAlike(state: string): string {
  const key = state.trim().toLowerCase();
  return lookup(LOOK_ALIKES, key) ?? knownStatusOf(key) ?? state;
}

export interface NodeRunStateView {
  /** The state as sent, or `unknown` when none was. */
  state: string;
  /** The words shown: the state itself ("Skipped", "Succeeded"), never the status it looks like. */
  label: string;
  /** A known run status for colour (`data-status`, theme colour), else `unknown`. */
  colorKey: string;
  icon: StatusIcon;
}

export function nodeRunState(state: unknown): NodeRunStateView {
  const sent = typeof state === 'string' && state.trim() ? state : 'unknown';
  const colorKey = knownStatusOf(nodeStateLookAlike(sent)) ?? 'unknown';
  return {
    state: sent,
    label: statusLabel(sent),
    colorKey,
    icon: statusIcon(colorKey === 'unknown' ? sent : colorKey),
  };
}

/** How long a node run took: its `duration_ms`, else its start and end times; "—" (with a reason when the times are wrong) when neither says. */
export function nodeRunDuration(nr: { duration_ms?: unknown; started_at?: unknown; completed_at?: unknown }): Shown {
  const sent = typeof nr.duration_ms === 'number' && Number.isFinite(nr.duration_ms) ? describeDuration(nr.duration_ms) : undefined;
  if (sent) return sent;
  const started = parseTimestamp(nr.started_at);
  const completed = parseTimestamp(nr.completed_at);
  if (started === undefined || completed === undefined) return { text: '—' };
  const ms = completed - started;
  if (ms < 0) return { text: '—', inconsistent: 'The server says this node completed before it started' };
  if (ms > MAX_PLAUSIBLE_DURATION_MS) return { text: '—', inconsistent: "The server's start and end times of this node are more than a year apart" };
  return { text: formatDuration(ms) };
}
