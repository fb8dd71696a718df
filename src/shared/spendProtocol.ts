/**
 * Messages between the Show Spend panel (webview) and the extension, imported by both bundles. Every
 * amount crosses as exact decimal text, already formatted for display; the page does no arithmetic. The
 * extension checks each incoming message with `parseSpendMessage`.
 */

export type SpendPeriod = 'today' | '7d' | '30d';

export const SPEND_PERIODS: readonly { id: SpendPeriod; label: string; days: number }[] = [
  { id: 'today', label: 'Today', days: 1 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
];

/** One total as the page shows it. */
export interface SpendAmountView {
  /** "$1.2345", "$1.20 + €0.50", "—" when nothing was summed. */
  text: string;
  /** The exact sums, per currency: "USD:1.2345" each, for tests and screen readers. */
  exact: string[];
  /** Runs whose cost was summed / had none / could not be summed. */
  summed: number;
  none: number;
  notSummed: number;
}

export interface SpendRowView {
  /** A model's label, or a local day `2026-03-07`. */
  key: string;
  runs: number;
  total: SpendAmountView;
}

export interface SpendTopRunView {
  id: string;
  label: string;
  /** Local time of creation, readable. */
  created: string;
  /** "$12.50" */
  cost: string;
  /** Exact: "USD:12.5". */
  exact: string;
}

export interface SpendView {
  period: SpendPeriod;
  /** Local days covered, first and last (`2026-03-01`). */
  fromDay: string;
  toDay: string;
  running: boolean;
  /** What the walk has done so far. */
  pages: number;
  runsRead: number;
  runsInPeriod: number;
  /** Why it stopped, readable; '' while running or when it read the whole period. */
  note: string;
  /** True when the figures may leave out runs of the period (a budget, a cancel, an error). */
  partial: boolean;
  total: SpendAmountView;
  models: SpendRowView[];
  days: SpendRowView[];
  top: SpendTopRunView[];
}

export type SpendHostMessage = { type: 'spend'; view: SpendView };

export type SpendWebviewMessage =
  | { type: 'ready' }
  | { type: 'period'; period: SpendPeriod }
  | { type: 'cancel' }
  | { type: 'openRun'; runId: string }
  | { type: 'exportCsv' };

const MAX_RUN_ID_LENGTH = 200;

/** The page's message when it is one the extension understands; undefined for anything else. */
export function parseSpendMessage(value: unknown): SpendWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'cancel':
    case 'exportCsv':
      return { type: m.type };
    case 'period':
      return SPEND_PERIODS.some((p) => p.id === m.period) ? { type: 'period', period: m.period as SpendPeriod } : undefined;
    case 'openRun':
      return typeof m.runId === 'string' && m.runId !== '' && m.runId.length <= MAX_RUN_ID_LENGTH ? { type: 'openRun', runId: m.runId } : undefined;
    default:
      return undefined;
  }
}
