/**
 * How runs are grouped, ordered, named and timed for display. No vscode here: the tree, the status bar
 * and the detail panel all read the same answers, and the unit tests check them in plain Node.
 */
import type { Run, RunStatus } from '../api/types';
import { lookup } from './lookup';
import { singleLine } from './text';

/** The order of the groups in the Runs view: what needs attention (active) first. */
export const STATUS_ORDER: readonly string[] = [
  'running',
  'dispatching',
  'queued',
  'failed',
  'partial_succeeded',
  'cancelled',
  'succeeded',
];

const ACTIVE = new Set(['queued', 'dispatching', 'running']);
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'partial_succeeded']);

/** Runs with no status at all are grouped under this key rather than dropped. */
export const UNKNOWN_STATUS = 'unknown';

export function statusOf(run: Pick<Run, 'status_code'>): string {
  const s = run.status_code;
  return typeof s === 'string' && s.trim() ? s.trim() : UNKNOWN_STATUS;
}

export function isActiveStatus(status: RunStatus | null | undefined): boolean {
  return typeof status === 'string' && ACTIVE.has(status);
}

/** Terminal statuses never change again; an unknown status is treated as neither (not polled for, not final). */
export function isTerminalStatus(status: RunStatus | null | undefined): boolean {
  return typeof status === 'string' && TERMINAL.has(status);
}

export function isFailureStatus(status: RunStatus | null | undefined): boolean {
  return status === 'failed' || status === 'partial_succeeded';
}

/** Sort key of a status group: known ones in STATUS_ORDER, unknown ones after them, by name. */
export function compareStatuses(a: string, b: string): number {
  const ia = STATUS_ORDER.indexOf(a);
  const ib = STATUS_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a.localeCompare(b);
}

const LABELS: Record<string, string> = {
  running: 'Running',
  dispatching: 'Dispatching',
  queued: 'Queued',
  failed: 'Failed',
  partial_succeeded: 'Partially succeeded',
  cancelled: 'Cancelled',
  succeeded: 'Succeeded',
  [UNKNOWN_STATUS]: 'No status',
};

export function statusLabel(status: string): string {
  const known = lookup(LABELS, status);
  if (known) return known;
  // A status nobody knows is the server's text: one short line, with no link syntax for the places
  // that render markdown (tooltips, notifications).
  const words = singleLine(String(status).replace(/[_-]+/g, ' '), 40).replace(/\[/g, '⟦').replace(/\]/g, '⟧');
  return words ? words[0].toUpperCase() + words.slice(1) : LABELS[UNKNOWN_STATUS];
}

/** A status as a word for `contextValue` and `when` clauses: a known status, else `other`, never the server's text. */
export function statusToken(status: string): string {
  return STATUS_ORDER.includes(status) ? status : 'other';
}

/** Codicon and theme colour id per status; kept here so the tree and the panel agree. */
export interface StatusIcon {
  codicon: string;
  color: string;
}

const ICONS: Record<string, StatusIcon> = {
  running: { codicon: 'sync~spin', color: 'charts.blue' },
  dispatching: { codicon: 'rocket', color: 'charts.blue' },
  queued: { codicon: 'clock', color: 'charts.yellow' },
  failed: { codicon: 'error', color: 'testing.iconFailed' },
  partial_succeeded: { codicon: 'warning', color: 'charts.orange' },
  cancelled: { codicon: 'circle-slash', color: 'disabledForeground' },
  succeeded: { codicon: 'pass', color: 'testing.iconPassed' },
};

export function statusIcon(status: string): StatusIcon {
  return lookup(ICONS, status) ?? { codicon: 'question', color: 'descriptionForeground' };
}

/** Groups runs by status, groups in display order, each group's runs newest first. */
export function groupByStatus(runs: Iterable<Run>): Map<string, Run[]> {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = statusOf(run);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(run);
  }
  for (const list of groups.values()) list.sort(compareRunsNewestFirst);
  return new Map([...groups.entries()].sort(([a], [b]) => compareStatuses(a, b)));
}

function timeOf(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : -Infinity;
}

export function compareRunsNewestFirst(a: Run, b: Run): number {
  const d = timeOf(b.created_at) - timeOf(a.created_at);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return String(b.id ?? '').localeCompare(String(a.id ?? ''));
}

export type TargetKind = 'model' | 'flow' | 'comfyui' | 'unknown';

export interface RunTarget {
  kind: TargetKind;
  /** What to call it: name, else slug, else id, else a placeholder. */
  label: string;
  slug?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The model, flow or ComfyUI workflow a run ran, from whatever the server gave (embedded object or ids). */
export function runTarget(run: Run): RunTarget {
  const candidates: [TargetKind, { name?: unknown; slug?: unknown } | null | undefined, string | null | undefined][] = [
    ['model', run.model as { name?: unknown; slug?: unknown } | null | undefined, run.model_id],
    ['flow', run.flow as { name?: unknown; slug?: unknown } | null | undefined, run.flow_id],
    ['comfyui', run.comfyui_workflow as { name?: unknown; slug?: unknown } | null | undefined, run.comfyui_workflow_id],
  ];
  const declared: TargetKind | undefined = run.target_type === 'model' || run.target_type === 'flow' || run.target_type === 'comfyui' ? (run.target_type as TargetKind) : undefined;
  const ordered = declared ? [...candidates.filter((c) => c[0] === declared), ...candidates.filter((c) => c[0] !== declared)] : candidates;
  for (const [kind, embedded, id] of ordered) {
    const name = str(embedded?.name);
    const slug = str(embedded?.slug);
    if (name || slug) return { kind, label: name ?? slug!, slug };
    if (str(id)) return { kind, label: shortId(id!) };
  }
  return { kind: declared ?? 'unknown', label: 'Unknown target' };
}

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}

/** How long a run ran, or has been running so far (ms); undefined when nothing says. */
export function runDurationMs(run: Run, now: number): number | undefined {
  if (typeof run.duration_ms === 'number' && Number.isFinite(run.duration_ms) && run.duration_ms >= 0) return run.duration_ms;
  const started = timeOf(run.started_at);
  if (!Number.isFinite(started)) return undefined;
  const completed = timeOf(run.completed_at);
  if (Number.isFinite(completed)) return Math.max(0, completed - started);
  return isActiveStatus(run.status_code) ? Math.max(0, now - started) : undefined;
}

/** "850 ms", "12.3 s", "4m 05s", "2h 03m". */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.floor(s);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(sec).padStart(2, '0')}s`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", or the date when older than a month. */
export function formatAgo(iso: string | null | undefined, now: number): string {
  const t = timeOf(iso);
  if (!Number.isFinite(t)) return 'unknown time';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d <= 30) return `${d} d ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** "3/7" when the server says how many nodes there are. */
export function formatProgress(run: Run): string | undefined {
  const total = run.nodes_total;
  if (typeof total !== 'number' || !Number.isFinite(total) || total <= 0) return undefined;
  const done = typeof run.nodes_completed === 'number' && Number.isFinite(run.nodes_completed) ? run.nodes_completed : 0;
  return `${done}/${total}`;
}

/** One-line description of a run for lists: "5 min ago · 12.3 s" or "running 1m 05s". */
export function runDescription(run: Run, now: number): string {
  const ago = formatAgo(run.created_at, now);
  const duration = runDurationMs(run, now);
  if (duration === undefined) return ago;
  const verb = isActiveStatus(run.status_code) ? 'running ' : '';
  return `${ago} · ${verb}${formatDuration(duration)}`;
}
