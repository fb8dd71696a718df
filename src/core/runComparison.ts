/**
 * Two runs side by side, as text for a diff editor: one document per run with sections (`# run`, `# input`,
 * `# output`, `# metadata`, `# node runs`), so that one diff shows every difference in one scroll and VS
 * Code folds what is the same. Above them, the same on both sides, the summary: status, duration, cost and
 * node counts with their deltas (right against left), and what differs of what the user sent (the input,
 * named path by path). JSON is canonical (sorted keys, capped: see canonicalJson.ts).
 */
import type { NodeRun, Run } from '../api/types';
import { canonicalJson, MAX_STRING_CHARS } from './canonicalJson';
import { describeCost } from './cost';
import { costDelta, runCurrency } from './costTotals';
import { describeChanges, jsonChanges } from './jsonChanges';
import { nodeNamesOf, nodeRunLabel, shortNodeId } from './nodeNames';
import { nodeRunDuration, nodeRunState } from './nodeRunState';
import { formatDuration, markedText, runDurationMs, runTarget, shortId, statusLabel, statusOf } from './runModel';
import { BIDI_CONTROL, singleLine } from './sanitize';

/**
 * How much of each JSON section a document shows: enough to read, small enough for VS Code's diff to stay
 * quick. The lines count most: a diff of a 5,000-line section took VS Code's own diff editor 14 s on this
 * project's 2-core machine under load, whatever the document's provider.
 */
export const SECTION_MAX_BYTES = 100_000;
export const SECTION_MAX_LINES = 1_500;
/** Node-run lines per document before the rest is counted instead of listed. */
export const MAX_NODE_RUN_LINES = 2_000;

export interface RunComparison {
  /** For the diff editor's title: "a1b2c3d4 ↔ e5f6a7b8 (failed vs succeeded, +1.2 s, +$0.0031)". */
  title: string;
  /** The summary, one finding a line; the first is the one a notification shows. */
  summary: string[];
  /** The documents for the left and the right run. */
  left: string;
  right: string;
}

/** "+1.2 s", "-850 ms", "±0 ms". */
export function durationDelta(leftMs: number, rightMs: number): string {
  const d = rightMs - leftMs;
  if (d === 0) return '±0 ms';
  return `${d > 0 ? '+' : '-'}${formatDuration(Math.abs(d))}`;
}

/** Node runs the run came with, or undefined when it came without them. */
function nodeRunsOf(run: Run): NodeRun[] | undefined {
  return Array.isArray(run.node_runs) ? run.node_runs.filter((n): n is NodeRun => !!n && typeof n === 'object') : undefined;
}

/** How many node runs: those embedded, else the count the run states. */
function nodeCount(run: Run): number | undefined {
  const embedded = nodeRunsOf(run);
  if (embedded) return embedded.length;
  return typeof run.nodes_total === 'number' && Number.isInteger(run.nodes_total) && run.nodes_total >= 0 ? run.nodes_total : undefined;
}

function signed(n: number): string {
  return n === 0 ? '±0' : n > 0 ? `+${n}` : String(n);
}

function sameTarget(a: Run, b: Run): boolean {
  return (a.target_type ?? null) === (b.target_type ?? null) && (a.model_id ?? null) === (b.model_id ?? null) && (a.flow_id ?? null) === (b.flow_id ?? null) && (a.comfyui_workflow_id ?? null) === (b.comfyui_workflow_id ?? null) && (a.target_version ?? null) === (b.target_version ?? null);
}

function costText(run: Run): string {
  return describeCost(run.cost, runCurrency(run) ?? 'USD').text;
}

interface Finding {
  /** The words in the summary line. */
  line: string;
  /** The few characters for the title, when it has any. */
  brief?: string;
}

function statusFinding(left: Run, right: Run): Finding {
  const l = statusLabel(statusOf(left)).toLowerCase();
  const r = statusLabel(statusOf(right)).toLowerCase();
  return l === r ? { line: `status: both ${r}` } : { line: `status: ${r} vs ${l}`, brief: `${r} vs ${l}` };
}

function durationFinding(left: Run, right: Run, now: number): Finding {
  const l = runDurationMs(left, now);
  const r = runDurationMs(right, now);
  if (l === undefined || r === undefined) return { line: `duration: ${r === undefined ? '—' : formatDuration(r)} vs ${l === undefined ? '—' : formatDuration(l)}` };
  const delta = durationDelta(l, r);
  return { line: `duration: ${formatDuration(r)} vs ${formatDuration(l)} (${delta})`, brief: delta };
}

function costFinding(left: Run, right: Run): Finding {
  const delta = costDelta(left, right);
  const both = `${costText(right)} vs ${costText(left)}`;
  if (delta !== undefined) return { line: `cost: ${both} (${delta})`, brief: delta };
  const cl = runCurrency(left);
  const cr = runCurrency(right);
  const why = cl !== undefined && cr !== undefined && cl !== cr ? ' (other currencies: no difference taken)' : '';
  return { line: `cost: ${both}${why}` };
}

function nodeFinding(left: Run, right: Run): Finding {
  const l = nodeCount(left);
  const r = nodeCount(right);
  if (l === undefined || r === undefined) return { line: `node runs: ${r ?? '—'} vs ${l ?? '—'}` };
  const delta = signed(r - l);
  return { line: `node runs: ${r} vs ${l} (${delta})`, ...(r !== l ? { brief: `${delta} node runs` } : {}) };
}

/** What differs of what was sent: the input path by path, and the target and metadata when they differ. */
export function sentFindings(left: Run, right: Run): string[] {
  const input = jsonChanges(left.input, right.input);
  const metadataSame = jsonChanges(left.metadata, right.metadata, 1).changes.length === 0;
  const targetSame = sameTarget(left, right);
  const lines: string[] = [];
  if (input.changes.length === 0) lines.push('input: the same');
  else if (targetSame && metadataSame) lines.push(`only the input differs: ${describeChanges(input)}`);
  else lines.push(`input differs: ${describeChanges(input)}`);
  if (!targetSame) lines.push(`target: ${targetText(right)} vs ${targetText(left)}`);
  if (!metadataSame) lines.push(`metadata differs: ${describeChanges(jsonChanges(left.metadata, right.metadata))}`);
  return lines;
}

function targetText(run: Run): string {
  const t = runTarget(run);
  const version = typeof run.target_version === 'string' && run.target_version ? ` ${singleLine(run.target_version, 40)}` : '';
  return `${singleLine(t.label, 60)}${version}`;
}

function idText(run: Run): string {
  return typeof run.id === 'string' && run.id ? singleLine(run.id, 100) : '(no id)';
}

/** The comparison of `left` (the earlier, or the base) and `right`; deltas read right against left. */
export function compareRuns(left: Run, right: Run, now: number, sectionMaxBytes = SECTION_MAX_BYTES): RunComparison {
  const findings = [statusFinding(left, right), durationFinding(left, right, now), costFinding(left, right), nodeFinding(left, right)];
  const summary = [...sentFindings(left, right), ...findings.map((f) => f.line)];
  const briefs = findings.map((f) => f.brief).filter((b): b is string => !!b);
  const ids = `${shortId(idText(left))} ↔ ${shortId(idText(right))}`;
  const title = briefs.length ? `${ids} (${briefs.join(', ')})` : ids;
  const head = ['Runflow run comparison: right against left', ...summary.map((line) => `  ${line}`), ''];
  return {
    title,
    summary,
    left: runDocument(left, head, now, sectionMaxBytes),
    right: runDocument(right, head, now, sectionMaxBytes),
  };
}

/** The text of one side. */
export function runDocument(run: Run, head: readonly string[], now: number, sectionMaxBytes = SECTION_MAX_BYTES): string {
  const duration = runDurationMs(run, now);
  const lines = [
    ...head,
    '# run',
    `id: ${idText(run)}`,
    `target: ${targetText(run)}`,
    `status: ${statusLabel(statusOf(run)).toLowerCase()}`,
    `created: ${typeof run.created_at === 'string' ? singleLine(run.created_at, 64) : '—'}`,
    `duration: ${duration === undefined ? '—' : formatDuration(duration)}`,
    `cost: ${costText(run)}`,
    `node runs: ${nodeCount(run) ?? '—'}`,
    ...(run.failure_code || run.failure_message ? [`failure: ${singleLine(`${run.failure_code ?? ''} ${run.failure_message ?? ''}`, 300)}`] : []),
    '',
    '# input',
    canonicalJson(run.input, sectionMaxBytes, MAX_STRING_CHARS, SECTION_MAX_LINES).text,
    '',
    '# output',
    canonicalJson(run.output, sectionMaxBytes, MAX_STRING_CHARS, SECTION_MAX_LINES).text,
    '',
    '# metadata',
    canonicalJson(run.metadata, sectionMaxBytes, MAX_STRING_CHARS, SECTION_MAX_LINES).text,
    '',
    '# node runs',
    ...nodeRunLines(run),
    '',
  ];
  return escapeBidi(lines.join('\n'));
}

/** One line per node run: "Load image (a1b2c3d4) · succeeded · 1.2 s · $0.0010". */
export function nodeRunLines(run: Run, max = MAX_NODE_RUN_LINES): string[] {
  const nodeRuns = nodeRunsOf(run);
  if (!nodeRuns) return ['(the run came without its node runs)'];
  if (nodeRuns.length === 0) return ['(none)'];
  const names = nodeNamesOf(run);
  const lines = nodeRuns.slice(0, max).map((nr, i) => {
    const label = nodeRunLabel(nr.node_id, i, names);
    const id = label.named && typeof nr.node_id === 'string' ? ` (${shortNodeId(nr.node_id)})` : '';
    const state = nodeRunState(nr.state_code).label.toLowerCase();
    return `${label.text}${id} · ${state} · ${markedText(nodeRunDuration(nr))} · ${describeCost(nr.cost).text}`;
  });
  if (nodeRuns.length > max) lines.push(`… ${nodeRuns.length - max} more node runs not listed`);
  return lines;
}

/**
 * Bidirectional controls written as the JSON escape that means them (`\u202e`): inside JSON strings the
 * value reads the same, and no text can be made to show in another order than it is.
 */
function escapeBidi(text: string): string {
  return text.replace(BIDI_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
