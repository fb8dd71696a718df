/** The run's summary: status, target, ids, times, duration, cost and progress. */
import type { RunPayload } from '../shared/protocol';
import { formatAgo, runDuration, runProgress, runTarget, type RunTarget } from '../core/runModel';
import { copyButton } from './copy';
import { el, replace, setText, type Child } from './dom';
import { renderCostBreakdown } from './costBreakdown';
import { localDateTime, shortValue, str } from './format';
import { knownStatus, statusBadge } from './icons';
import { isActive, runStatus, typedRun } from './runFields';
import { actionsToolbar } from './toolbar';
import { costValue, shownValue } from './values';

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
  return fact(label, el('span', { class: 'id-value' }, el('span', { class: 'mono ellipsis', dir: 'auto', title: id }, id), copyButton(`Copy ${label}`, () => id)), 'fact-id', testId);
}

type Ticker = (now: number) => void;

function titleRow(run: RunPayload, status: string, target: RunTarget): HTMLElement {
  const version = str(run.target_version);
  return el(
    'div',
    { class: 'title-row' },
    statusBadge(status, 'status'),
    el(
      'h1',
      { class: 'run-title' },
      KIND_LABELS[target.kind] ? el('span', { class: 'target-kind' }, KIND_LABELS[target.kind]) : null,
      el('span', { class: `target-name${target.kind === 'unknown' ? ' muted' : ''}`, dir: 'auto', 'data-testid': 'target', title: target.slug ?? target.label }, target.label),
      version ? el('span', { class: 'target-version' }, `v${version.replace(/^v/i, '')}`) : null,
    ),
    actionsToolbar(run),
  );
}

function idRow(run: RunPayload): HTMLElement | null {
  const ids = [
    idFact('Run ID', run.id, 'run-id'),
    idFact('Request ID', run.request_id, 'request-id'),
    idFact('Batch ID', run.batch_id, 'batch-id'),
    idFact('Client ref', run.client_ref, 'client-ref'),
  ];
  return ids.some(Boolean) ? el('dl', { class: 'facts facts-ids' }, ...ids) : null;
}

function timeFact(label: string, iso: unknown, testId: string, now: number, tickers: Ticker[]): HTMLElement {
  const present = iso !== null && iso !== undefined && !(typeof iso === 'string' && !iso.trim());
  if (!present) return fact(label, el('span', { class: 'muted' }, '—'), '', testId);
  const local = localDateTime(iso);
  if (!local) {
    const raw = typeof iso === 'string' ? iso : shortValue(iso, 60);
    return fact(label, el('span', { class: 'muted', title: `The server sent ${JSON.stringify(raw.slice(0, 80))}, which is not a time` }, 'unreadable time'), '', testId);
  }
  const rel = el('span', { class: 'muted relative' });
  const update = (t: number) => setText(rel, ` · ${formatAgo(iso, t)}`);
  update(now);
  tickers.push(update);
  return fact(label, el('span', { title: String(iso) }, local, rel), '', testId);
}

function durationFact(run: RunPayload, now: number, tickers: Ticker[]): HTMLElement {
  const typed = typedRun(run);
  const durationText = el('span', { 'data-testid': 'duration' });
  let durationKey: string | undefined;
  const updateDuration = (t: number) => {
    const shown = runDuration(typed, t) ?? { text: '—' };
    const key = `${shown.text}\u0000${shown.inconsistent ?? ''}`;
    if (key === durationKey) return;
    durationKey = key;
    replace(durationText, shown.inconsistent ? shownValue(shown) : shown.text);
  };
  updateDuration(now);
  if (isActive(run)) tickers.push(updateDuration);
  return fact('Duration', durationText);
}

function progressFact(run: RunPayload): HTMLElement | null {
  const progressView = runProgress(typedRun(run));
  if (progressView?.fraction !== undefined) {
    const fill = el('div', { class: 'progress-fill' });
    fill.style.width = `${progressView.fraction * 100}%`;
    return fact(
      'Progress',
      el(
        'div',
        { class: 'progress' },
        el('span', { 'data-testid': 'progress-text' }, progressView.text),
        el(
          'div',
          {
            class: 'progress-bar',
            role: 'progressbar',
            'aria-valuemin': 0,
            'aria-valuemax': progressView.total,
            'aria-valuenow': progressView.done,
            'aria-valuetext': progressView.text,
            'aria-label': 'Nodes completed',
          },
          fill,
        ),
      ),
      'fact-wide',
    );
  }
  // Counts that cannot both be true get no bar: any bar would draw one of them as the truth.
  if (progressView) return fact('Progress', el('div', { class: 'progress' }, shownValue(progressView, { 'data-testid': 'progress-text' })), 'fact-wide');
  return null;
}

export function renderHeader(run: RunPayload, now: number): HeaderView {
  const status = runStatus(run);
  const tickers: Ticker[] = [];
  const title = titleRow(run, status, runTarget(typedRun(run)));
  const ids = idRow(run);
  const breakdown = renderCostBreakdown(run.cost_breakdown);
  const costBlock = el('div', { class: 'cost' }, costValue(run.cost, 'cost'), breakdown);
  const source = str(run.source_code);
  const facts = el(
    'dl',
    { class: 'facts' },
    timeFact('Created', run.created_at, 'created', now, tickers),
    timeFact('Started', run.started_at, 'started', now, tickers),
    timeFact('Completed', run.completed_at, 'completed', now, tickers),
    durationFact(run, now, tickers),
    fact('Cost', costBlock, breakdown ? 'fact-wide' : ''),
    source ? fact('Source', source) : null,
    progressFact(run),
  );

  const root = el('section', { class: 'section header', 'data-section': 'header', 'data-status': knownStatus(status), 'aria-label': 'Run summary' }, title, ids, facts);
  return {
    root,
    tick(t) {
      for (const f of tickers) f(t);
    },
  };
}
