/**
 * What the Runs view is narrowed to, how that becomes request parameters, and how the same filter is
 * checked on the runs that come back. The q text itself is written by src/api/filters.ts only.
 *
 * The reference documents `evaluation_status` and the evaluation issue parameters, but not the `q`
 * grammar: a server may refuse a `q` (then the user can filter locally) or ignore it silently (then the
 * answer holds runs outside the filter). So every part of the filter that can be checked on a run is
 * checked here as well, whatever the server did; the target is matched here only, since the field it
 * would need in `q` is not in the reference.
 */
import * as filters from '../api/filters';
import type { EvaluationStatusFilter, Run, SearchRunsParams } from '../api/types';
import { runEvaluation, runTarget, statusLabel, statusOf } from './runModel';

export interface RunFilter {
  statuses?: string[];
  /** Part of the target's slug or name; matched on the loaded runs. */
  target?: string;
  source?: string;
  evaluationStatus?: EvaluationStatusFilter;
  evaluationIssueCategory?: string;
  evaluationIssueSubcategory?: string;
  /** A q expression written by the user, sent as written. */
  query?: string;
  /** The server refused this filter: nothing of it is sent, the loaded runs are filtered here. */
  local?: boolean;
}

export function isEmptyFilter(f: RunFilter): boolean {
  return (
    !f.statuses?.length &&
    !f.target &&
    !f.source &&
    !f.evaluationStatus &&
    !f.evaluationIssueCategory &&
    !f.evaluationIssueSubcategory &&
    !f.query?.trim()
  );
}

/** Whether the filter can be applied to loaded runs alone (a raw q expression cannot). */
export function canFilterLocally(f: RunFilter): boolean {
  return !f.query?.trim() && !f.evaluationIssueCategory && !f.evaluationIssueSubcategory;
}

type FilterRequest = Pick<SearchRunsParams, 'q' | 'evaluation_status' | 'evaluation_issue_category' | 'evaluation_issue_subcategory'>;

/** The request parameters for a filter; throws a RangeError for a raw query that cannot be combined safely. */
export function filterParams(f: RunFilter): FilterRequest {
  if (f.local) return {};
  const clauses: (filters.FilterClause | undefined)[] = [];
  if (f.statuses?.length) clauses.push(filters.statusIn(f.statuses));
  if (f.source) clauses.push(filters.sourceIs(f.source));
  const q = filters.combineQuery(f.query, ...clauses);
  return {
    ...(q ? { q } : {}),
    ...(f.evaluationStatus ? { evaluation_status: f.evaluationStatus } : {}),
    ...(f.evaluationIssueCategory ? { evaluation_issue_category: f.evaluationIssueCategory } : {}),
    ...(f.evaluationIssueSubcategory ? { evaluation_issue_subcategory: f.evaluationIssueSubcategory } : {}),
  };
}

/** Whether the request for this filter carries anything the server could refuse. */
export function sendsFilter(f: RunFilter): boolean {
  return Object.keys(filterParams(f)).length > 0;
}

/**
 * Whether a run passes the parts of the filter a run itself can show. Parts a run cannot show (a raw q,
 * evaluation issues) pass: the server is trusted with those.
 */
export function matchesFilter(run: Run, f: RunFilter): boolean {
  if (f.statuses?.length) {
    const status = statusOf(run).toLowerCase();
    if (!f.statuses.some((s) => s.trim().toLowerCase() === status)) return false;
  }
  if (f.target) {
    const needle = f.target.trim().toLowerCase();
    const target = runTarget(run);
    const haystack = [target.label, target.slug ?? ''].join('\n').toLowerCase();
    if (needle && !haystack.includes(needle)) return false;
  }
  if (f.source && String(run.source_code ?? '').trim().toLowerCase() !== f.source.trim().toLowerCase()) return false;
  if (f.evaluationStatus) {
    const verdict = evaluationVerdict(run);
    // A run whose summary was not sent (the embed needs a permission) cannot be judged here.
    if (verdict !== undefined && verdict !== f.evaluationStatus) return false;
  }
  return true;
}

/** The run's evaluation as the `evaluation_status` filter names it; undefined when the run carries no summary. */
function evaluationVerdict(run: Run): EvaluationStatusFilter | undefined {
  if (!('current_evaluation_summary' in run)) return undefined;
  const state = runEvaluation(run.current_evaluation_summary)?.state;
  return state === 'passed' || state === 'failed' ? state : 'not_evaluated';
}

/** "Failed, Cancelled · target ~ sdxl · q: …" for the view's description. */
export function describeFilter(f: RunFilter): string {
  const parts: string[] = [];
  if (f.statuses?.length) parts.push(f.statuses.map(statusLabel).join(', '));
  if (f.target) parts.push(`target ~ ${f.target}`);
  if (f.source) parts.push(`source: ${f.source}`);
  if (f.evaluationStatus) parts.push(`evaluation: ${f.evaluationStatus.replace('_', ' ')}`);
  if (f.evaluationIssueCategory) parts.push(`issue: ${f.evaluationIssueCategory}`);
  if (f.evaluationIssueSubcategory) parts.push(`issue detail: ${f.evaluationIssueSubcategory}`);
  if (f.query?.trim()) parts.push(`q: ${f.query.trim()}`);
  if (f.local && parts.length) parts.push('filtered locally');
  return parts.join(' · ');
}
