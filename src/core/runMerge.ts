/**
 * Answers about one run come in different widths: a list item without embeds, a run with node runs, a
 * PATCH answer in a narrower shape, a hostile answer of nulls. The store keeps the union of what it
 * learnt, so a narrower answer never erases what a wider one said (a target name, node runs, a
 * client_ref, failure details), and a panel never flickers between having node runs and not.
 */
import type { Run } from '../api/types';

/**
 * `fresh` laid over `known`, field by field: a field `fresh` leaves out, or sends as null, keeps the value
 * `known` had; an empty `node_runs` or `logs` list keeps a non-empty one (a run's node runs never go away).
 * Everything `fresh` does say wins, unknown fields included.
 */
export function mergeRun(known: Run | undefined, fresh: Run): Run {
  if (!known) return fresh;
  const merged: Record<string, unknown> = { ...known };
  for (const [key, value] of Object.entries(fresh)) {
    if (value === undefined || value === null) {
      if (!(key in merged)) merged[key] = value;
      continue;
    }
    if ((key === 'node_runs' || key === 'logs') && Array.isArray(value) && value.length === 0 && Array.isArray(merged[key]) && (merged[key] as unknown[]).length > 0) {
      continue;
    }
    merged[key] = value;
  }
  return merged as Run;
}
