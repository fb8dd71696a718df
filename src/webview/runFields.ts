/**
 * The run payload is whatever the server sent. Shared helpers in src/core expect the documented field
 * types, so the fields they read are copied over only when they have those types.
 */
import type { Run } from '../api/types';
import type { RunPayload } from '../shared/protocol';
import { isActiveStatus, isTerminalStatus, statusOf } from '../core/runModel';
import { num, obj, str } from './format';

export function typedRun(payload: RunPayload): Run {
  const s = (k: string) => (typeof payload[k] === 'string' ? (payload[k] as string) : null);
  const n = (k: string) => num(payload[k]) ?? null;
  // Embedded objects are only read for name and slug, which runTarget checks itself.
  const o = <T>(k: string) => (obj(payload[k]) as T | undefined) ?? null;
  return {
    id: s('id'),
    status_code: s('status_code'),
    target_type: s('target_type'),
    target_version: s('target_version'),
    model_id: s('model_id'),
    flow_id: s('flow_id'),
    comfyui_workflow_id: s('comfyui_workflow_id'),
    model: o<Run['model']>('model'),
    flow: o<Run['flow']>('flow'),
    comfyui_workflow: o<Run['comfyui_workflow']>('comfyui_workflow'),
    duration_ms: n('duration_ms'),
    nodes_total: n('nodes_total'),
    nodes_completed: n('nodes_completed'),
    created_at: s('created_at'),
    started_at: s('started_at'),
    completed_at: s('completed_at'),
  };
}

export function runStatus(payload: RunPayload): string {
  return statusOf({ status_code: str(payload.status_code) ?? null });
}

export function isActive(payload: RunPayload): boolean {
  return isActiveStatus(runStatus(payload));
}

/** In a final status: nothing about it changes any more (an unknown status may still). */
export function isSettled(payload: RunPayload): boolean {
  return isTerminalStatus(runStatus(payload));
}

/** Failed, partly failed, or carrying a failure message whatever the status says. */
export function hasFailure(payload: RunPayload): boolean {
  const status = runStatus(payload);
  return status === 'failed' || status === 'partial_succeeded' || str(payload.failure_message) !== undefined;
}
