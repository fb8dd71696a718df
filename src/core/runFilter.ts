/**
 * What the Runs view is narrowed to, and how that becomes request parameters. The q text itself is
 * written by src/api/filters.ts only.
 */
import * as filters from '../api/filters';
import type { EvaluationStatusFilter, SearchRunsParams } from '../api/types';
import { statusLabel } from './runModel';

export interface RunFilter {
  statuses?: string[];
  /** Part of the target's slug or name. */
  target?: string;
  source?: string;
  evaluationStatus?: EvaluationStatusFilter;
  /** A q expression written by the user, sent as written. */
  query?: string;
}

export function isEmptyFilter(f: RunFilter): boolean {
  return !f.statuses?.length && !f.target && !f.source && !f.evaluationStatus && !f.query?.trim();
}

/** The request parameters for a filter; throws a RangeError for a raw query that cannot be combined safely. */
export function filterParams(f: RunFilter, extra: filters.FilterClause[] = []): Pick<SearchRunsParams, 'q' | 'evaluation_status'> {
  const clauses: (filters.FilterClause | undefined)[] = [];
  if (f.statuses?.length) clauses.push(filters.statusIn(f.statuses));
  if (f.target) clauses.push(filters.targetContains(f.target));
  if (f.source) clauses.push(filters.sourceIs(f.source));
  const q = filters.combineQuery(f.query, ...clauses, ...extra);
  return { ...(q ? { q } : {}), ...(f.evaluationStatus ? { evaluation_status: f.evaluationStatus } : {}) };
}

/** "Failed, Cancelled · target ~ sdxl · q: …" for the view's description. */
export function describeFilter(f: RunFilter): string {
  const parts: string[] = [];
  if (f.statuses?.length) parts.push(f.statuses.map(statusLabel).join(', '));
  if (f.target) parts.push(`target ~ ${f.target}`);
  if (f.source) parts.push(`source: ${f.source}`);
  if (f.evaluationStatus) parts.push(`evaluation: ${f.evaluationStatus.replace('_', ' ')}`);
  if (f.query?.trim()) parts.push(`q: ${f.query.trim()}`);
  return parts.join(' · ');
}
