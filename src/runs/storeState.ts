/** What the store tells its listeners, and what a failed refresh means for what it shows. */
import { AuthenticationError, isRefusedRequest, PermissionError, RateLimitedError } from '../api/errors';
import type { PollOutcome } from '../core/pollScheduler';
import { describeFilter, sendsFilter, type RunFilter } from '../core/runFilter';
import { errorMessage } from '../core/errorMessage';

/** What the view shows when it has no runs to show. */
export type StoreState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'rate_limited'; untilMs: number }
  /** The server refused the filter the user chose (400 or 422); `filter` names it. */
  | { kind: 'bad_filter'; message: string; filter: string };

export interface StoreChange {
  /** Runs added or changed, by id. */
  changed: string[];
  removed: string[];
  /** Statuses whose membership or count changed. */
  groups: string[];
  /** The set of groups itself changed (one appeared or went away). */
  structure: boolean;
  /** The runs came from "Load more": older than every run loaded before them. */
  appended?: boolean;
}

/** What a failed refresh means: the state to show, whether the runs loaded must go, and how polling goes on. */
export interface Failure {
  state: StoreState;
  /** The runs loaded can no longer be shown (signed out, refused). */
  forget: boolean;
  outcome: PollOutcome;
}

export function failureOf(err: unknown, filter: RunFilter): Failure {
  if (err instanceof AuthenticationError && err.status === undefined) {
    // No token to send: signed out, not refused. Nothing was asked of the server.
    return { state: { kind: 'idle' }, forget: true, outcome: { kind: 'error', retryable: false } };
  }
  if (err instanceof AuthenticationError) {
    return { state: { kind: 'unauthorized' }, forget: true, outcome: { kind: 'error', retryable: false } };
  }
  if (err instanceof PermissionError) {
    return { state: { kind: 'forbidden', message: err.message }, forget: true, outcome: { kind: 'error', retryable: false } };
  }
  if (err instanceof RateLimitedError) {
    const wait = err.retryAfterMs ?? 30_000;
    return { state: { kind: 'rate_limited', untilMs: Date.now() + wait }, forget: false, outcome: { kind: 'rate_limited', retryAfterMs: wait } };
  }
  if (isRefusedRequest(err) && sendsFilter(filter)) {
    return { state: { kind: 'bad_filter', message: err.message, filter: describeFilter(filter) }, forget: false, outcome: { kind: 'error', retryable: false } };
  }
  return { state: { kind: 'unreachable', message: errorMessage(err) }, forget: false, outcome: { kind: 'error', retryable: true } };
}
