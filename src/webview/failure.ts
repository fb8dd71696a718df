/** Why the run failed, shown before anything else: stage, code and the message as plain text. */
import type { RunPayload } from '../shared/protocol';
import { lookup } from '../core/lookup';
import { statusLabel } from '../core/runModel';
import { copyButton } from './copy';
import { button, el, setText } from './dom';
import { str } from './format';
import { icon } from './icons';
import { runStatus } from './runFields';

/** Longer messages are cut (the full text stays copyable) so a megabyte stack trace cannot bury the panel. */
const SHOWN_MESSAGE_CHARS = 20_000;

const STAGES: Record<string, string> = {
  dispatch: 'Dispatch',
  execution: 'Execution',
  callback: 'Callback',
  reconciliation: 'Reconciliation',
};

export function renderFailure(run: RunPayload): HTMLElement {
  const status = runStatus(run);
  const partial = status === 'partial_succeeded';
  const stageCode = str(run.failure_stage_code);
  const code = str(run.failure_code);
  const message = str(run.failure_message);

  const heading = partial ? 'Run partly failed' : status === 'failed' ? 'Run failed' : `${statusLabel(status)} with an error`;
  const meta = el(
    'dl',
    { class: 'failure-meta' },
    stageCode ? el('div', { class: 'kv' }, el('dt', null, 'Stage'), el('dd', { 'data-testid': 'failure-stage' }, lookup(STAGES, stageCode) ?? stageCode)) : null,
    code ? el('div', { class: 'kv' }, el('dt', null, 'Code'), el('dd', { class: 'mono', 'data-testid': 'failure-code' }, code)) : null,
  );

  let body: HTMLElement;
  if (message) {
    const pre = el('pre', { class: 'failure-message', dir: 'auto', 'data-testid': 'failure-message' });
    const long = message.length > SHOWN_MESSAGE_CHARS;
    setText(pre, long ? message.slice(0, SHOWN_MESSAGE_CHARS) : message);
    body = el('div', { class: 'failure-body' }, pre);
    if (long) {
      const more = button('Show the whole message', { class: 'link-button' }, `Show all ${message.length.toLocaleString('en-US')} characters`);
      more.addEventListener('click', () => {
        setText(pre, message);
        more.remove();
      });
      body.append(more);
    }
  } else {
    body = el('p', { class: 'muted failure-none' }, 'The server gave no failure message. The logs below may say more.');
  }

  return el(
    'section',
    { class: 'section failure', 'data-section': 'failure', 'data-severity': partial ? 'warning' : 'error', role: 'region', 'aria-label': heading, 'data-testid': 'failure' },
    el(
      'div',
      { class: 'failure-header' },
      icon(partial ? 'warning' : 'error', 'failure-icon'),
      el('h2', { class: 'failure-title' }, heading),
      meta,
      message ? copyButton('Copy failure message', () => message, 'failure-copy') : null,
    ),
    body,
  );
}
