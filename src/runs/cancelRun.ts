/**
 * Cancelling a run, reporting only what the server confirmed. A PATCH answer is the updated run, but a
 * server may answer with another shape, with nulls, or with a status that has not moved yet: such an
 * answer is no confirmation, so the run is read again, and the cancel counts only if that says cancelled.
 */
import type { RunflowClient } from '../api/client';
import type { Run } from '../api/types';
import { statusOf } from '../core/runModel';
import type { RunStore } from './runStore';

export type CancelOutcome =
  /** The server said this run is cancelled (in the PATCH answer, or when read again). */
  | { kind: 'confirmed'; run: Run }
  /** The request went through, but nothing the server said shows the run cancelled. */
  | { kind: 'unconfirmed'; run: Run | undefined; answer: Run };

export function saysCancelled(runId: string, run: Run | undefined): run is Run {
  return !!run && run.id === runId && statusOf(run).toLowerCase() === 'cancelled';
}

export async function cancelRun(api: Pick<RunflowClient, 'patchRun'>, store: Pick<RunStore, 'upsert' | 'reload'>, runId: string): Promise<CancelOutcome> {
  const answer = await api.patchRun(runId, { status_code: 'cancelled' });
  if (saysCancelled(runId, answer)) {
    store.upsert(answer);
    return { kind: 'confirmed', run: answer };
  }
  const fresh = await store.reload(runId).catch(() => undefined);
  return saysCancelled(runId, fresh) ? { kind: 'confirmed', run: fresh } : { kind: 'unconfirmed', run: fresh, answer };
}
