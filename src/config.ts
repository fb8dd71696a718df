import * as vscode from 'vscode';
import { checkBaseUrl } from './api/baseUrl';
import { DEFAULT_MAX_RUNS } from './core/launchPlan';
import { DEFAULT_POLL_POLICY, type PollPolicy } from './core/pollScheduler';
import { DEFAULT_API_BASE_URL, Settings } from './constants';

/** Typed reads of the extension's settings. */
function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

/**
 * The API to talk to. A URL the client would refuse is not used: the default stands in and `problem`
 * says why, in words meant for the user. Its text is not repeated, as it may hold credentials.
 */
export function apiBaseUrlSetting(): { url: string; problem?: string } {
  const raw = section().get<string>(Settings.apiBaseUrl)?.trim();
  if (!raw) return { url: DEFAULT_API_BASE_URL };
  const checked = checkBaseUrl(raw);
  if (checked.ok) return { url: checked.url };
  return { url: DEFAULT_API_BASE_URL, problem: `The runflow.apiBaseUrl setting is not used: ${checked.problem}. Talking to ${DEFAULT_API_BASE_URL} instead.` };
}

export function organizationId(): string | undefined {
  const raw = section().get<string>(Settings.organizationId)?.trim();
  return raw ? raw : undefined;
}

export function pageSize(): number {
  return clampInt(section().get(Settings.pageSize), 1, 500, 50);
}

export function autoRefresh(): boolean {
  return section().get<boolean>(Settings.autoRefresh) ?? true;
}

export function pollPolicy(): PollPolicy {
  const activeS = clampInt(section().get(Settings.activeInterval), 2, 300, DEFAULT_POLL_POLICY.activeMs / 1000);
  const idleMaxS = clampInt(section().get(Settings.idleMaxInterval), 15, 3600, DEFAULT_POLL_POLICY.idleMaxMs / 1000);
  return {
    ...DEFAULT_POLL_POLICY,
    activeMs: activeS * 1000,
    idleMinMs: Math.min(DEFAULT_POLL_POLICY.idleMinMs, idleMaxS * 1000),
    idleMaxMs: idleMaxS * 1000,
  };
}

export type FinishNotifications = 'watched' | 'off';
export function notifyOnFinish(): FinishNotifications {
  return section().get<string>(Settings.notifyOnFinish) === 'off' ? 'off' : 'watched';
}

/** Whether launching one file opens its run's detail panel. */
export function launchOpensPanel(): boolean {
  return section().get<boolean>(Settings.launchOpenPanel) ?? true;
}

/** Whether to ask before an action that costs money or cannot be undone. */
export function confirmBefore(action: 'cancelRun' | 'rerun'): boolean {
  return section().get<boolean>(`confirm.${action}`) ?? true;
}

/** How far one search across runs' logs goes before it stops and offers to search further. */
export function logSearchLimits(): { lines: number; seconds: number } {
  return {
    lines: clampInt(section().get(Settings.logSearchMaxLines), 500, 10_000_000, 50_000),
    seconds: clampInt(section().get(Settings.logSearchMaxSeconds), 5, 3_600, 60),
  };
}

/** The most runs one batch file may make; a larger batch is refused before anything is sent. */
export function batchMaxRuns(): number {
  return clampInt(section().get(Settings.batchMaxRuns), 1, 10_000, DEFAULT_MAX_RUNS);
}

/** A batch of more runs than this asks for confirmation after its preview; 0 asks for every batch. */
export function batchConfirmAbove(): number {
  return clampInt(section().get(Settings.batchConfirmAbove), 0, Number.MAX_SAFE_INTEGER, 10);
}

/** How many runs of a batch are created at the same time. */
export function batchConcurrency(): number {
  return clampInt(section().get(Settings.batchConcurrency), 1, 10, 3);
}
