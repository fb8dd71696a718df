/** The run's summary: status, target, ids, times, duration, cost and progress. */
import type { RunPayload } from '../shared/protocol';
import { formatAgo, formatDuration, runDurationMs, runTarget } from '../core/runModel';
import { copyButton } from './copy';
import { el, type Child } from './dom';
import { costText, localDateTime, num, obj, shortValue, str } from './format';
import { knownStatus, statusBadge } from './icons';
import { isActive, runStatus, typedRun } from './runFields';
import { actionsToolbar } from './toolbar';

const KIND_LABELS: Record<string, string> = { model: 'Model', flow: 'Flow', comfyui: 'ComfyUI workflow' };

export interface HeaderView {
  root: HTMLElement;
  /** Refreshes the clock-dependent text (duration of an active run, "5 min ago"). */
  tick(now: number): void;
}

function fact(label: string, value: Child, extraClass = '', testId?: string): HTMLElement {
  return el('div', { class: `fact ${extraClass}`.trim(), 'data-testid': testId }, el('dt', null, label), el('dd', null, value));
}

function idFact(label: string, value: unknown, testId: string): HTMLElement | null {
  const id = str(value);
  if (!id) return null;
  return fact(label, el('span', { class: 'id-value' }, el('span', { class: 'mono ellipsis', title: id }, id), copyButton(`Copy ${label}`, () => id)), 'fact-id', testId);
}

export function renderHeader(run: RunPayload, now: number): HeaderView {
  const typed = typedRun(run);
  const status = runStatus(run);
  const target = runTarget(typed);
  const version = str(run.target_version);
  const tickers: ((now: number) => void)[] = [];

  const title = el(
    'div',
    { class: 'title-row' },
    statusBadge(status, 'status'),
    el(
      'h1',
      { class: 'run-title' },
      KIND_LABELS[target.kind] ? el('span', { class: 'target-kind' }, KIND_LABELS[target.kind]) : null,
      el('span', { class: `target-name${target.kind === 'unknown' ? ' muted' : ''}`, 'data-testid': 'target', title: target.slug ?? target.label }, target.label),
      version ? el('span', { class: 'target-version' }, `v${version.replace(/^v/i, '')}`) : null,
    ),
    actionsToolbar(run),
  );

  const ids = [
    idFact('Run ID', run.id, 'run-id'),
    idFact('Request ID', run.request_id, 'request-id'),
    idFact('Batch ID', run.batch_id, 'batch-id'),
    idFact('Client ref', run.client_ref, 'client-ref'),
  ];

  const timeFact = (label: string, iso: unknown, testId: string) => {
    const local = localDateTime(iso);
    if (!local) return fact(label, el('span', { class: 'muted' }, '—'), '', testId);
    const rel = el('span', { class: 'muted relative' });
    const update = (t: number) => {
      const text = ` · ${formatAgo(iso as string, t)}`;
      if (rel.textContent !== text) rel.textContent = text;
    };
    update(now);
    tickers.push(update);
    return fact(label, el('span', { title: String(iso) }, local, rel), '', testId);
  };

  const durationText = el('span', { 'data-testid': 'duration' });
  const updateDuration = (t: number) => {
    const text = formatDuration(runDurationMs(typed, t));
    if (durationText.textContent !== text) durationText.textContent = text;
  };
  updateDuration(now);
  if (isActive(run)) tickers.push(updateDuration);

  const cost = costText(run.cost);
  const breakdown = obj(run.cost_breakdown);
  const breakdownEntries = breakdown ? Object.entries(breakdown).slice(0, 20) : [];
  const costValue = el(
    'div',
    { class: 'cost' },
    el('span', { 'data-testid': 'cost', class: cost ? '' : 'muted' }, cost ?? '—'),
    breakdownEntries.length
      ? el(
          'dl',
          { class: 'kv-list', 'aria-label': 'Cost breakdown' },
          ...breakdownEntries.map(([k, v]) => el('div', { class: 'kv' }, el('dt', null, k), el('dd', { class: 'mono' }, typeof v === 'string' ? v : shortValue(v, 60)))),
        )
      : null,
  );

  const total = num(run.nodes_total);
  const done = num(run.nodes_completed) ?? 0;
  let progress: HTMLElement | null = null;
  if (total !== undefined && total > 0) {
    const pct = Math.max(0, Math.min(100, (done / total) * 100));
    const fill = el('div', { class: 'progress-fill' });
    fill.style.width = `${pct}%`;
    progress = fact(
      'Progress',
      el(
        'div',
        { class: 'progress' },
        el('span', { 'data-testid': 'progress-text' }, `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} nodes`),
        el(
          'div',
          { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': Math.min(done, total), 'aria-label': 'Nodes completed' },
          fill,
        ),
      ),
      'fact-wide',
    );
  }

  const source = str(run.source_code);
  const idRow = ids.some(Boolean) ? el('dl', { class: 'facts facts-ids' }, ...ids) : null;
  const facts = el(
    'dl',
    { class: 'facts' },
    timeFact('Created', run.created_at, 'created'),
    timeFact('Started', run.started_at, 'started'),
    timeFact('Completed', run.completed_at, 'completed'),
    fact('Duration', durationText),
    fact('Cost', costValue, breakdownEntries.length ? 'fact-wide' : ''),
    source ? fact('Source', source) : null,
    progress,
  );

  const root = el('section', { class: 'section header', 'data-section': 'header', 'data-status': knownStatus(status), 'aria-label': 'Run summary' }, title, idRow, facts);
  return {
    root,
    tick(t) {
      for (const f of tickers) f(t);
    },
  };
}
