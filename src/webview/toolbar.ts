/** The run's actions: each posts `{type:'action'}` and the extension does the work (with its own confirmations). */
import type { PanelAction, RunPayload } from '../shared/protocol';
import { runTarget } from '../core/runModel';
import { button, el } from './dom';
import { icon } from './icons';
import { isActive, typedRun } from './runFields';
import { post } from './vscodeApi';

interface ActionSpec {
  action: PanelAction;
  label: string;
  codicon: string;
  /** Why the action is unavailable, or undefined when it is available. */
  disabledReason?: (run: RunPayload) => string | undefined;
  visible?: (run: RunPayload) => boolean;
  primary?: boolean;
}

const hasInput = (run: RunPayload) => run.input !== null && run.input !== undefined;
const withoutId = (run: RunPayload) => (typeof run.id === 'string' && run.id ? undefined : 'This run has no id');

const ACTIONS: ActionSpec[] = [
  { action: 'refresh', label: 'Refresh', codicon: 'refresh' },
  {
    action: 'rerun',
    label: 'Run Again',
    codicon: 'debug-restart',
    disabledReason: (run) =>
      !hasInput(run) ? 'This run has no input to run again' : runTarget(typedRun(run)).kind !== 'model' ? 'Only model runs can be run again' : undefined,
  },
  { action: 'openInput', label: 'Open Input', codicon: 'json', disabledReason: (run) => (hasInput(run) ? undefined : 'This run has no input') },
  { action: 'compareWithPrevious', label: 'Compare with Previous', codicon: 'diff', disabledReason: withoutId },
  { action: 'cancel', label: 'Cancel', codicon: 'debug-stop', visible: isActive },
  { action: 'copyId', label: 'Copy Id', codicon: 'copy', disabledReason: withoutId },
  { action: 'exportRun', label: 'Export', codicon: 'export', disabledReason: withoutId },
];

export function actionsToolbar(run: RunPayload | null): HTMLElement {
  const bar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Run actions', 'data-testid': 'actions' });
  for (const spec of ACTIONS) {
    if (run && spec.visible && !spec.visible(run)) continue;
    if (!run && spec.action !== 'refresh') continue;
    const reason = run ? spec.disabledReason?.(run) : undefined;
    const b = button(
      reason ?? spec.label,
      { class: `toolbar-button${spec.action === 'cancel' ? ' danger' : ''}`, 'data-action': spec.action, disabled: !!reason },
      icon(spec.codicon),
      el('span', { class: 'toolbar-label' }, spec.label),
    );
    b.addEventListener('click', () => post({ type: 'action', action: spec.action }));
    bar.append(b);
  }
  return bar;
}
