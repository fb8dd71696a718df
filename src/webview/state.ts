/**
 * UI state kept across webview reloads with `setState`/`getState`: options, scroll positions,
 * collapsed sections, expanded JSON nodes, search text and level. What comes back from `getState`
 * is checked field by field; anything odd falls back to the default.
 */
import { isPlainObject } from '../core/plainObject';
import type { PanelOptions } from '../shared/protocol';

export interface UiState {
  /** The run the state belongs to; state of another run is not applied. */
  runId: string;
  options?: PanelOptions;
  pageScrollY: number;
  /** Log position in line units (see virtualScroll.ts); -1 when unknown. */
  logPosition: number;
  logAtBottom: boolean;
  /** Ids of collapsed sections. */
  collapsed: string[];
  /** Per JSON section, paths whose expanded state the user toggled: [path, expanded]. */
  treeToggles: Record<string, [string, boolean][]>;
  searchText: string;
  level: string;
}

const MAX_TOGGLES = 300;
const MAX_TEXT = 1_000;

export function defaultUiState(runId = ''): UiState {
  return { runId, pageScrollY: 0, logPosition: -1, logAtBottom: true, collapsed: [], treeToggles: {}, searchText: '', level: '' };
}

function finite(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v.slice(0, MAX_TEXT) : fallback;
}

export function parseUiState(raw: unknown): UiState | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.runId !== 'string') return undefined;
  const state = defaultUiState(r.runId);
  const o = r.options as Record<string, unknown> | undefined;
  if (o && typeof o === 'object' && typeof o.timestamps === 'boolean' && typeof o.wrap === 'boolean' && typeof o.follow === 'boolean') {
    state.options = { timestamps: o.timestamps, wrap: o.wrap, follow: o.follow };
  }
  state.pageScrollY = Math.max(0, finite(r.pageScrollY, 0));
  state.logPosition = finite(r.logPosition, -1);
  state.logAtBottom = typeof r.logAtBottom === 'boolean' ? r.logAtBottom : true;
  if (Array.isArray(r.collapsed)) state.collapsed = r.collapsed.filter((x): x is string => typeof x === 'string').slice(0, 50);
  if (isPlainObject(r.treeToggles)) {
    for (const [section, list] of Object.entries(r.treeToggles)) {
      if (!Array.isArray(list)) continue;
      state.treeToggles[section] = list
        .filter((e): e is [string, boolean] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'boolean')
        .slice(-MAX_TOGGLES);
    }
  }
  state.searchText = str(r.searchText);
  state.level = /^[\w-]*$/.test(str(r.level)) ? str(r.level).slice(0, 40) : '';
  return state;
}

/** Records a tree toggle, newest last, dropping the oldest beyond the cap. */
export function withTreeToggle(toggles: [string, boolean][] | undefined, path: string, expanded: boolean): [string, boolean][] {
  const next = (toggles ?? []).filter(([p]) => p !== path);
  next.push([path, expanded]);
  return next.slice(-MAX_TOGGLES);
}

/** Holds the state and writes it back at most every `delayMs` (scrolling updates it constantly). */
export class UiStateStore {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private state: UiState,
    private readonly save: (state: UiState) => void,
    private readonly delayMs = 200,
  ) {}

  get(): Readonly<UiState> {
    return this.state;
  }

  update(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.save(this.state);
  }
}
