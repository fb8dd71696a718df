/**
 * How runs are grouped, ordered, named and timed for display. No vscode here: the tree, the status bar
 * and the detail panel all read the same answers, and the unit tests check them in plain Node.
 */
import type { Run, RunStatus } from '../api/types';
import { lookup } from './lookup';
import { singleLine } from './sanitize';
import { compareTimestamps, parseTimestamp } from './time';

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

const KNOWN = new Set(STATUS_ORDER);
const ACTIVE = new Set(['queued', 'dispatching', 'running']);
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'partial_succeeded']);

/** Runs with no status at all are grouped under this key rather than dropped. */
export const UNKNOWN_STATUS = 'unknown';

/**
 * One of the seven documented statuses in its documented spelling, whatever case and surrounding
 * blanks the server used (`RUNNING ` is `running`); undefined for any other value.
 */
export function knownStatusOf(status: unknown): string | undefined {
  if (typeof status !== 'string') return undefined;
  const s = status.trim().toLowerCase();
  return KNOWN.has(s) ? s : undefined;
}

/** Whether `status` is one of the seven documented statuses (in any case). A run in any other status may still change. */
export function isKnownStatus(status: unknown): boolean {
  return knownStatusOf(status) !== undefined;
}

/** The run's status group: a known status in its documented spelling, any other text as sent (trimmed). */
export function statusOf(run: Pick<Run, 'status_code'>): string {
  const s = run.status_code;
  if (typeof s !== 'string' || !s.trim()) return UNKNOWN_STATUS;
  return knownStatusOf(s) ?? s.trim();
}

export function isActiveStatus(status: RunStatus | null | undefined): boolean {
  const known = knownStatusOf(status);
  return known !== undefined && ACTIVE.has(known);
}

/** Terminal statuses never change again; an unknown status is treated as neither (not polled for, not final). */
export function isTerminalStatus(status: RunStatus | null | undefined): boolean {
  const known = knownStatusOf(status);
  return known !== undefined && TERMINAL.has(known);
}

export function isFailureStatus(status: RunStatus | null | undefined): boolean {
  const known = knownStatusOf(status);
  return known === 'failed' || known === 'partial_succeeded';
}

/** Sort key of a status group: known ones in STATUS_ORDER, unknown ones after them, by name. */
export function compareStatuses(a: string, b: string): number {
  const ia = STATUS_ORDER.indexOf(knownStatusOf(a) ?? '');
  const ib = STATUS_ORDER.indexOf(knownStatusOf(b) ?? '');
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
  const known = lookup(LABELS, knownStatusOf(status) ?? status);
  if (known) return known;
  return humanize(String(status)) || LABELS[UNKNOWN_STATUS];
}

/**
 * A code nobody documented, as the server wrote it: one short line in words, with no link syntax for
 * the places that render markdown (tooltips, notifications).
 */
function humanize(code: string): string {
  const words = singleLine(code.replace(/[_-]+/g, ' '), 40).replace(/\[/g, '⟦').replace(/\]/g, '⟧');
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

/** A status as a word for `contextValue` and `when` clauses: a known status, else `other`, never the server's text. */
export function statusToken(status: string): string {
  return knownStatusOf(status) ?? 'other';
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
  const known = knownStatusOf(status);
  return (known !== undefined ? lookup(ICONS, known) : undefined) ?? { codicon: 'question', color: 'descriptionForeground' };
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

/**
 * The creation instant of the oldest run that has a readable one; Infinity when none has. A run without a
 * readable time says nothing about the span a listing covers (a server may list those first or last).
 */
export function oldestCreatedAt(runs: Iterable<Run>): number {
  let oldest = Infinity;
  for (const run of runs) {
    const t = parseTimestamp(run.created_at);
    if (t !== undefined) oldest = Math.min(oldest, t);
  }
  return oldest;
}

/** Runs without a readable creation time go last; equal times keep a stable order by id. */
export function compareRunsNewestFirst(a: Run, b: Run): number {
  return compareTimestamps(b.created_at, a.created_at) || String(b.id ?? '').localeCompare(String(a.id ?? ''));
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

/** An id for titles and messages: UUID-sized ids cut to 8 characters, and never a control character of the server's. */
export function shortId(id: string): string {
  const shown = singleLine(id, 1_000);
  return shown.length > 12 ? shown.slice(0, 8) : shown;
}

/**
 * Shown after numbers the server sent that cannot all be true (7 of 3 nodes, a duration of 1e308 ms),
 * which are then shown as sent rather than drawn as a full bar or a number of hours.
 */
export const INCONSISTENT_MARK = '⚠';

/** Longer than any run is expected to take: a duration beyond it is the server's mistake, not a run. */
export const MAX_PLAUSIBLE_DURATION_MS = 366 * 24 * 60 * 60 * 1000;

/** Tolerated clock difference between the server and this machine before a time counts as in the future. */
const CLOCK_SKEW_MS = 60_000;

function isPlausibleDuration(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_PLAUSIBLE_DURATION_MS;
}

/** A number as the server sent it: digits, never rounded or grouped into something it did not say. */
function rawNumber(n: number): string {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-US') : String(n);
}

/** Display text for a value; `inconsistent` says why the server's numbers cannot be right, when they cannot. */
export interface Shown {
  text: string;
  inconsistent?: string;
}

/** "1e+308 ms ⚠" where a line of text is all there is (tree, tooltips): the mark stays with the numbers. */
export function markedText(shown: Shown): string {
  return shown.inconsistent ? `${shown.text} ${INCONSISTENT_MARK}` : shown.text;
}

/** Derived from the start and end times (or the start and now, while the run is active). */
function derivedDuration(run: Run, now: number): { ms: number; plausible: boolean; completed: boolean } | undefined {
  const started = parseTimestamp(run.started_at);
  if (started === undefined) return undefined;
  const completed = parseTimestamp(run.completed_at);
  let ms: number;
  if (completed !== undefined) ms = completed - started;
  else if (isActiveStatus(run.status_code)) ms = now - started;
  else return undefined;
  // A start a few seconds ahead of this machine's clock is skew, not a mistake.
  if (ms < 0 && ms >= -CLOCK_SKEW_MS) ms = 0;
  return { ms, plausible: isPlausibleDuration(ms), completed: completed !== undefined };
}

/** How long a run ran, or has been running so far (ms); undefined when nothing says, or nothing plausible. */
export function runDurationMs(run: Run, now: number): number | undefined {
  if (typeof run.duration_ms === 'number' && isPlausibleDuration(run.duration_ms)) return run.duration_ms;
  const derived = derivedDuration(run, now);
  return derived?.plausible ? derived.ms : undefined;
}

/** A duration the server sent (`duration_ms` of a run or node run); undefined when it sent none. */
export function describeDuration(ms: unknown): Shown | undefined {
  if (typeof ms !== 'number' || Number.isNaN(ms)) return undefined;
  if (isPlausibleDuration(ms)) return { text: formatDuration(ms) };
  return { text: `${rawNumber(ms)} ms`, inconsistent: `The server sent a duration of ${rawNumber(ms)} ms, which cannot be right` };
}

/** The run's duration for display: "12.3 s", or the server's impossible number with a reason. */
export function runDuration(run: Run, now: number): Shown | undefined {
  const sent = describeDuration(run.duration_ms);
  if (sent) return sent;
  const derived = derivedDuration(run, now);
  if (!derived) return undefined;
  if (derived.plausible) return { text: formatDuration(derived.ms) };
  // The server's numbers here are its times, which the tooltip and the panel show beside this.
  const inconsistent =
    derived.ms >= 0
      ? "The server's times give a duration of more than a year"
      : derived.completed
        ? 'The server says the run completed before it started'
        : 'The server says the run started in the future';
  return { text: '—', inconsistent };
}

/** "850 ms", "12.3 s", "4m 05s", "2h 03m"; a duration beyond any run's as its number of ms. */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms > MAX_PLAUSIBLE_DURATION_MS) return `${rawNumber(ms)} ms`;
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

function dateOnly(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * "just now", "5 min ago", "3 h ago", "2 d ago", or the date when older than a month or in the future
 * (beyond clock skew); "unknown time" when there is none and "unreadable time" when it is not a time.
 */
export function formatAgo(iso: unknown, now: number): string {
  if (iso === null || iso === undefined || (typeof iso === 'string' && !iso.trim())) return 'unknown time';
  const t = parseTimestamp(iso);
  if (t === undefined) return 'unreadable time';
  if (t - now > CLOCK_SKEW_MS) return dateOnly(t);
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d <= 30) return `${d} d ago`;
  return dateOnly(t);
}

/** Node counts for display; `fraction` (0 to 1) only when the counts agree with each other. */
export interface ProgressView extends Shown {
  done: number;
  total: number;
  fraction?: number;
}

/** "3 of 7 nodes" when the server says how many nodes there are; impossible counts as sent, with a reason. */
export function runProgress(run: Pick<Run, 'nodes_total' | 'nodes_completed'>): ProgressView | undefined {
  const total = run.nodes_total;
  if (typeof total !== 'number' || !Number.isFinite(total)) return undefined;
  const done = typeof run.nodes_completed === 'number' && Number.isFinite(run.nodes_completed) ? run.nodes_completed : 0;
  if (total === 0 && done === 0) return undefined;
  const text = `${rawNumber(done)} of ${rawNumber(total)} nodes`;
  const consistent = Number.isInteger(total) && Number.isInteger(done) && total > 0 && done >= 0 && done <= total;
  if (consistent) return { done, total, text, fraction: done / total };
  return { done, total, text, inconsistent: `The server sent inconsistent numbers: ${rawNumber(done)} nodes completed of ${rawNumber(total)}` };
}

/** "3/7" when the server says how many nodes there are; "7/3 ⚠" when its counts cannot both be true. */
export function formatProgress(run: Pick<Run, 'nodes_total' | 'nodes_completed'>): string | undefined {
  const p = runProgress(run);
  if (!p) return undefined;
  return markedText({ text: `${rawNumber(p.done)}/${rawNumber(p.total)}`, inconsistent: p.inconsistent });
}

export type EvaluationState = 'passed' | 'failed' | 'not_evaluated' | 'scored' | 'other';

/** A run's `current_evaluation_summary` for display. */
export interface EvaluationView {
  state: EvaluationState;
  /** "Passed", "Failed", "Not evaluated", "Scored", or the server's own status in words. */
  label: string;
  score?: string;
  /** The server's status_code when it disagrees with `passed`. */
  statusText?: string;
}

const EVALUATION_LABELS: Record<string, string> = { passed: 'Passed', failed: 'Failed', not_evaluated: 'Not evaluated' };

function formatScore(score: number): string {
  // Three decimals say enough of a score; huge values keep their digits (toFixed would write them in exponent form anyway).
  return Math.abs(score) < 1e15 ? String(Number(score.toFixed(3))) : String(score);
}

/**
 * The verdict of `current_evaluation_summary` (`{passed, status_code, score}`, each nullable): undefined
 * when the server did not send one, "Not evaluated" when it sent null. `passed` decides when it is a
 * boolean, then a documented status_code; any other status_code is shown as the server's words.
 */
export function runEvaluation(summary: unknown): EvaluationView | undefined {
  if (summary === undefined) return undefined;
  if (summary === null) return { state: 'not_evaluated', label: EVALUATION_LABELS.not_evaluated };
  if (typeof summary !== 'object' || Array.isArray(summary)) return undefined;
  const s = summary as Record<string, unknown>;
  const code = typeof s.status_code === 'string' ? singleLine(s.status_code, 40) : '';
  const codeKey = code.toLowerCase();
  const knownCode = lookup(EVALUATION_LABELS, codeKey) ? codeKey : undefined;
  const score = typeof s.score === 'number' && Number.isFinite(s.score) ? formatScore(s.score) : typeof s.score === 'string' && s.score.trim() ? singleLine(s.score, 20) : undefined;
  let state: EvaluationState;
  if (s.passed === true) state = 'passed';
  else if (s.passed === false) state = 'failed';
  else if (knownCode) state = knownCode as EvaluationState;
  else if (code) state = 'other';
  else state = score !== undefined ? 'scored' : 'not_evaluated';
  const view: EvaluationView = {
    state,
    label: state === 'other' ? humanize(code) : state === 'scored' ? 'Scored' : EVALUATION_LABELS[state],
  };
  if (score !== undefined) view.score = score;
  if (code && state !== 'other' && codeKey !== state) view.statusText = code;
  return view;
}

/** The whole verdict in one line, for tooltips: "Passed · score 0.82", "Passed · status failed". */
export function evaluationText(view: EvaluationView): string {
  return [view.label, view.score !== undefined ? `score ${view.score}` : undefined, view.statusText ? `status ${view.statusText}` : undefined].filter(Boolean).join(' · ');
}

/** A few words for lists: "evaluation passed", "evaluation failed, score 0.82", "score 0.82"; undefined when not evaluated. */
export function evaluationBrief(view: EvaluationView | undefined): string | undefined {
  if (!view || view.state === 'not_evaluated') return undefined;
  const score = view.score !== undefined ? `score ${view.score}` : undefined;
  if (view.state === 'scored') return score;
  const verdict = `evaluation ${view.label.toLowerCase()}`;
  return score ? `${verdict}, ${score}` : verdict;
}

/**
 * How long an active run has been running, to the minute: "< 1 min", "3 min", "2 h 05 min", "3 d 04 h".
 * A list row that shows it changes once a minute at most, so it is not redrawn under the pointer every second.
 */
export function formatRunningTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return '< 1 min';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${String(hours % 24).padStart(2, '0')} h`;
}

/**
 * One-line description of a run for lists: "5 min ago · 12.3 s", "5 min ago · running 3 min", "… · evaluation passed".
 * Everything in it moves with the clock at a minute's grain at most (the tooltip has the exact running time).
 */
export function runDescription(run: Run, now: number): string {
  const parts = [formatAgo(run.created_at, now)];
  const duration = runDuration(run, now);
  if (duration) {
    const runningMs = isActiveStatus(run.status_code) && !duration.inconsistent ? runDurationMs(run, now) : undefined;
    parts.push(runningMs !== undefined ? `running ${formatRunningTime(runningMs)}` : markedText(duration));
  }
  const evaluation = evaluationBrief(runEvaluation(run.current_evaluation_summary));
  if (evaluation) parts.push(evaluation);
  return parts.join(' · ');
}
