/**
 * Everything about the run above the logs, in a fixed order of slots. A slot is rebuilt only when the
 * data it shows changed, so the extension's polling does not reset what the user expanded or scrolled.
 */
import { NODE_RUNS_ERROR_FIELD, type MediaPolicy, type RunPayload } from '../shared/protocol';
import { copyButton } from './copy';
import { el, replace } from './dom';
import { renderEvaluation } from './evaluation';
import { renderFailure } from './failure';
import { obj, plural, str } from './format';
import { renderHeader, type HeaderView } from './header';
import { statusBadge } from './icons';
import { prettyJson, renderJsonTree } from './jsonTree';
import type { NodeLogLinks } from './nodeLogLinks';
import { nodeRunCount, renderNodeRuns } from './nodeRuns';
import { outputMedia, renderPreviews } from './previews';
import { hasFailure, isSettled } from './runFields';
import { collapsibleSection, emptyState, type SectionId } from './sections';
import { actionsToolbar } from './toolbar';

type SlotId = 'failure' | 'header' | 'evaluation' | 'nodes' | 'input' | 'output' | 'metadata' | 'context' | 'previews';
const SLOTS: SlotId[] = ['failure', 'header', 'evaluation', 'nodes', 'input', 'output', 'metadata', 'context', 'previews'];

export interface RunViewState {
  isCollapsed(id: SectionId): boolean;
  setCollapsed(id: SectionId, collapsed: boolean): void;
  treeToggles(id: SectionId): ReadonlyMap<string, boolean>;
  setTreeToggle(id: SectionId, path: string, expanded: boolean): void;
}

/** `empty` is what an empty section says; a run that may still produce output says so with "yet". */
const JSON_SECTIONS: { id: SectionId & SlotId; title: string; empty: (settled: boolean) => string }[] = [
  { id: 'input', title: 'Input', empty: () => 'No input' },
  { id: 'output', title: 'Output', empty: (settled) => (settled ? 'No output' : 'No output yet') },
  { id: 'metadata', title: 'Metadata', empty: () => 'No metadata' },
  { id: 'context', title: 'Context', empty: () => 'No context' },
];

function fingerprint(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return String(Math.random());
  }
}

function containerSize(v: unknown): number | undefined {
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return undefined;
}

/** The same grey shape as the page shell's (panelHtml.ts), under a header that already names the run. */
function loadingSkeleton(): HTMLElement {
  const block = (extra = '') => el('span', { class: `skeleton-block ${extra}`.trim() });
  const section = (kind: string) => el('div', { class: `skeleton-section ${kind}` }, block('skeleton-section-title'), block('skeleton-line'), block('skeleton-line'), block('skeleton-line'));
  return el(
    'div',
    { class: 'skeleton', 'data-testid': 'skeleton', role: 'status', 'aria-label': 'Loading the run' },
    el('div', { class: 'skeleton-facts' }, ...Array.from({ length: 6 }, () => block())),
    section('skeleton-nodes'),
    el('span', { class: 'skeleton-label' }, 'Loading the run…'),
  );
}

export class RunView {
  readonly root: HTMLElement;
  private readonly slots = new Map<SlotId, { el: HTMLElement; key: string }>();
  private header: HeaderView | undefined;

  constructor(
    private readonly state: RunViewState,
    private readonly media: MediaPolicy,
    private readonly nodeLinks?: NodeLogLinks,
  ) {
    this.root = el('div', { class: 'run-content' });
    for (const id of SLOTS) {
      const slot = el('div', { class: 'slot', 'data-slot': id });
      this.slots.set(id, { el: slot, key: '\u0000' });
      this.root.append(slot);
    }
  }

  /** Before the run arrived: a header with the id and a Refresh button. */
  showLoading(runId: string): void {
    this.header = undefined;
    for (const [id, slot] of this.slots) {
      slot.key = '\u0000';
      replace(slot.el);
      if (id === 'header') {
        replace(
          slot.el,
          el(
            'section',
            { class: 'section header', 'data-section': 'header', 'aria-label': 'Run summary' },
            el(
              'div',
              { class: 'title-row' },
              statusBadge('unknown', 'status'),
              el('h1', { class: 'run-title' }, el('span', { class: 'target-kind' }, 'Run'), el('span', { class: 'target-name mono', dir: 'auto' }, runId || '—')),
              actionsToolbar(null),
            ),
            loadingSkeleton(),
          ),
        );
      }
    }
  }

  update(run: RunPayload, now: number): void {
    this.slot('failure', hasFailure(run) ? [run.status_code, run.failure_stage_code, run.failure_code, run.failure_message] : null, () => (hasFailure(run) ? renderFailure(run) : null));
    const headerKey = [
      run.id, run.status_code, run.target_type, run.target_version, run.model_id, run.flow_id, run.comfyui_workflow_id,
      str((run.model as Record<string, unknown> | null)?.name), str((run.model as Record<string, unknown> | null)?.slug),
      str((run.flow as Record<string, unknown> | null)?.name), str((run.flow as Record<string, unknown> | null)?.slug),
      str((run.comfyui_workflow as Record<string, unknown> | null)?.name), str((run.comfyui_workflow as Record<string, unknown> | null)?.slug),
      run.request_id, run.batch_id, run.client_ref, run.created_at, run.started_at, run.completed_at, run.duration_ms,
      run.cost, run.cost_breakdown, run.nodes_total, run.nodes_completed, run.source_code, run.input === null || run.input === undefined,
    ];
    this.slot('header', headerKey, () => {
      this.header = renderHeader(run, now);
      return this.header.root;
    });
    // A summary of null is an answer (not evaluated); only a run without the field has no section.
    const hasEvaluation = 'current_evaluation_summary' in run;
    this.slot('evaluation', hasEvaluation ? [run.current_evaluation_summary ?? null] : null, () => (hasEvaluation ? renderEvaluation(run.current_evaluation_summary ?? null) : null));
    const namesFrom = [run.target_type, run.model_id, run.flow_id, run.comfyui_workflow_id, obj(run.flow)?.nodes, obj(run.comfyui_workflow)?.workflow_json];
    this.slot('nodes', [run.node_runs, run.has_node_runs, namesFrom, run[NODE_RUNS_ERROR_FIELD]], () => {
      const sec = this.section('nodes', 'Node runs');
      const n = nodeRunCount(run);
      sec.setBadge(n > 0 ? n.toLocaleString('en-US') : undefined);
      sec.body.append(renderNodeRuns(run, this.nodeLinks));
      return sec.root;
    });
    const settled = isSettled(run);
    for (const spec of JSON_SECTIONS) {
      const value = run[spec.id];
      const size = containerSize(value);
      const present = value !== null && value !== undefined;
      const isEmpty = !present || size === 0;
      const empty = spec.empty(settled);
      // The wording of an empty section is part of what it shows; a filled one is only its value.
      this.slot(spec.id, isEmpty ? [value ?? null, empty] : value, () => {
        const sec = this.section(spec.id, spec.title);
        sec.setBadge(size !== undefined && size > 0 ? plural(size, Array.isArray(value) ? 'item' : 'key') : undefined);
        if (present) sec.setActions(copyButton(`Copy ${spec.title.toLowerCase()} as JSON`, () => prettyJson(value)));
        sec.body.append(
          isEmpty
            ? emptyState(empty)
            : renderJsonTree(value, {
                toggles: this.state.treeToggles(spec.id),
                onToggle: (path, expanded) => this.state.setTreeToggle(spec.id, path, expanded),
              }),
        );
        return sec.root;
      });
    }
    const refs = outputMedia(run.output);
    this.slot('previews', refs.length ? [refs, this.media.allowedOrigins] : null, () => {
      if (!refs.length) return null;
      const sec = this.section('previews', 'Output previews');
      sec.setBadge(refs.length.toLocaleString('en-US'));
      sec.body.append(renderPreviews(refs, this.media));
      return sec.root;
    });
  }

  tick(now: number): void {
    this.header?.tick(now);
  }

  private section(id: SectionId, title: string) {
    return collapsibleSection({ id, title, collapsed: this.state.isCollapsed(id), onToggle: (c) => this.state.setCollapsed(id, c) });
  }

  private slot(id: SlotId, data: unknown, build: () => HTMLElement | null): void {
    const slot = this.slots.get(id)!;
    const key = fingerprint(data);
    if (key === slot.key) return;
    slot.key = key;
    const node = build();
    replace(slot.el, node);
  }
}
