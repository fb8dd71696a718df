/** The Logs section: level filter, search, display toggles, log actions, and the virtual list. */
import type { LogLine, LogStatus, PanelOptions } from '../shared/protocol';
import { button, el, replace } from './dom';
import { ErrorNav } from './errorNav';
import { followsLog } from './follow';
import { icon } from './icons';
import { LiveLineAnnouncer } from './liveLines';
import { levelClass, levelLabel } from './logRow';
import { LogView } from './logView';
import { LogSearch } from './search';
import { collapsibleSection, type Section } from './sections';
import { post } from './vscodeApi';

export interface LogsSectionEvents {
  onOptions(options: PanelOptions): void;
  onLevel(level: string): void;
  onQuery(query: string): void;
  onPosition(position: number, atBottom: boolean): void;
  onCollapse(collapsed: boolean): void;
}

/** Levels in the order a reader scans them: worst first; others after, by name. */
const LEVEL_ORDER = ['critical', 'fatal', 'error', 'warning', 'warn', 'info', 'debug', 'trace'];

function sortLevels(levels: string[]): string[] {
  return [...levels].sort((a, b) => {
    const ia = LEVEL_ORDER.indexOf(a);
    const ib = LEVEL_ORDER.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0) return -1;
    if (ib >= 0) return 1;
    return a.localeCompare(b);
  });
}

/** A level as the log rows show it; two codes shown alike (`warn`, `warning`) keep their code beside it. */
export function levelOptionLabel(level: string, all: readonly string[]): string {
  const label = levelLabel(level);
  const clash = all.some((other) => other !== level && levelLabel(other) === label);
  return clash ? `${label} · ${level}` : label;
}

const TOGGLES: { key: keyof PanelOptions; label: string; codicon: string; testId: string }[] = [
  { key: 'timestamps', label: 'Timestamps', codicon: 'history', testId: 'toggle-timestamps' },
  { key: 'wrap', label: 'Wrap', codicon: 'word-wrap', testId: 'toggle-wrap' },
  { key: 'follow', label: 'Follow', codicon: 'pinned', testId: 'follow' },
];

/**
 * After the run's final status, following goes on this long: the lines written as the run finished are
 * read after that status arrives, and they belong in view.
 */
const FOLLOW_AFTER_FINISH_MS = 5_000;

export class LogsSection {
  readonly section: Section;
  readonly view: LogView;
  readonly search: LogSearch;
  readonly errors: ErrorNav;
  private readonly levelSelect: HTMLSelectElement;
  private readonly banner: HTMLElement;
  /** Where new live lines are announced, politely and rarely (see liveLines.ts). */
  private readonly liveRegion: HTMLElement;
  private readonly announcer: LiveLineAnnouncer;
  private readonly toggles = new Map<keyof PanelOptions, HTMLButtonElement>();
  private options: PanelOptions;
  private status: LogStatus | undefined;
  private levelsKey = '';
  /** The level the user picked, until the extension confirms it in a status. */
  private requestedLevel: string | undefined;
  private levelSentForEpoch: number | undefined;
  /**
   * Whether the run may still write lines; undefined until the run is known. The stored Follow option is
   * about such runs: a finished log has nothing to follow.
   */
  private runLive: boolean | undefined;
  /** Follow turned on or off by the user in this panel once the run was over; never stored. */
  private followOverride: boolean | undefined;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the run failed (core/runModel.ts isFailureStatus); undefined until the run is known. */
  private runFailed: boolean | undefined;
  /**
   * A failed run's log opens on its first error rather than its end, once the whole log is read; not
   * when the user moved first, the page came back with a position of its own, or it was opened on a line.
   */
  private openOnFirstError = true;

  constructor(
    options: PanelOptions,
    collapsed: boolean,
    private readonly events: LogsSectionEvents,
    runLive?: boolean,
  ) {
    this.options = { ...options };
    this.runLive = runLive;
    this.section = collapsibleSection({ id: 'logs', title: 'Logs', collapsed, onToggle: (c) => events.onCollapse(c) });
    this.view = new LogView({ ...options, follow: this.following() }, { onPosition: (p, b) => events.onPosition(p, b) });
    this.search = new LogSearch(this.view, {
      onQuery: (q) => events.onQuery(q),
      onTargetSettled: () => this.status && this.updateBanner(this.status),
      onLeave: () => this.view.viewport.focus({ preventScroll: true }),
    });
    this.errors = new ErrorNav(this.view, { onPositions: () => this.maybeOpenOnFirstError() });

    this.levelSelect = el('select', { class: 'level-select', 'aria-label': 'Log level', 'data-testid': 'level-select' });
    this.levelSelect.append(el('option', { value: '' }, 'All levels'));
    this.levelSelect.addEventListener('change', () => this.setLevel(this.levelSelect.value));

    const toggleBar = el('div', { class: 'toggle-group', role: 'group', 'aria-label': 'Log display' });
    for (const t of TOGGLES) {
      const pressed = t.key === 'follow' ? this.following() : options[t.key];
      const b = button(t.label, { class: 'toggle-button', 'aria-pressed': pressed ? 'true' : 'false', 'data-testid': t.testId }, icon(t.codicon), el('span', null, t.label));
      b.addEventListener('click', () => this.setOption(t.key, t.key === 'follow' ? !this.following() : !this.options[t.key]));
      this.toggles.set(t.key, b);
      toggleBar.append(b);
    }

    const openInEditor = button('Open in Editor', { class: 'toolbar-button', 'data-action': 'openLogInEditor' }, icon('go-to-file'), el('span', { class: 'toolbar-label' }, 'Open in Editor'));
    openInEditor.addEventListener('click', () => post({ type: 'action', action: 'openLogInEditor' }));
    const save = button('Save Log As…', { class: 'toolbar-button', 'data-action': 'saveLog' }, icon('save-as'), el('span', { class: 'toolbar-label' }, 'Save Log As…'));
    save.addEventListener('click', () => post({ type: 'action', action: 'saveLog' }));
    this.section.setActions(el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Log actions' }, openInEditor, save));

    this.banner = el('div', { class: 'log-banner', hidden: true, role: 'status', 'data-testid': 'log-banner' });
    const controls = el('div', { class: 'log-toolbar' }, this.levelSelect, this.search.root, this.errors.root, el('span', { class: 'toolbar-spacer' }), toggleBar);
    this.liveRegion = el('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'log-announcer' });
    this.announcer = new LiveLineAnnouncer((text) => {
      // Emptied first, so that the same words said twice are still heard as news.
      this.liveRegion.textContent = '';
      requestAnimationFrame(() => (this.liveRegion.textContent = text));
    }, { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) });
    this.section.body.append(controls, this.banner, this.view.root, this.liveRegion);

    document.addEventListener('keydown', this.onPageKey);
  }

  get root(): HTMLElement {
    return this.section.root;
  }

  /** The run is active (or in a status that may still change), or over; from each run update. */
  setRunLive(live: boolean): void {
    if (live === this.runLive) return;
    const was = this.runLive;
    this.runLive = live;
    clearTimeout(this.followTimer);
    this.followTimer = undefined;
    if (live) this.followOverride = undefined;
    if (!live && was) this.followTimer = setTimeout(() => this.applyFollow(), FOLLOW_AFTER_FINISH_MS);
    else this.applyFollow();
  }

  /** Ctrl/Cmd+F anywhere in the panel goes to the log search; F3 / Shift+F3 step through its matches. */
  private readonly onPageKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      if (this.section.isCollapsed()) this.section.setCollapsed(false);
      this.search.focus();
    } else if (e.key === 'F3' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.search.step(e.shiftKey ? -1 : 1);
    }
  };

  dispose(): void {
    document.removeEventListener('keydown', this.onPageKey);
    clearTimeout(this.followTimer);
    this.announcer.dispose();
    this.errors.dispose();
    this.view.dispose();
  }

  /** From each run update: a failed run's log opens on its first error. */
  setRunFailed(failed: boolean): void {
    if (failed === this.runFailed) return;
    this.runFailed = failed;
    this.maybeOpenOnFirstError();
  }

  /** The page came back with a saved position (or the user's own place): it is kept. */
  keepPosition(): void {
    this.openOnFirstError = false;
  }

  /** The panel was opened on a line found elsewhere (see LogSearch.showMatch). */
  showMatch(query: string, position: number | null): void {
    this.openOnFirstError = false;
    if (this.section.isCollapsed()) this.section.setCollapsed(false);
    this.search.showMatch(query, position);
    if (this.status) this.updateBanner(this.status);
  }

  /** The line at `position` (a node's first line) as the current line, on screen. */
  showLine(position: number): void {
    this.openOnFirstError = false;
    if (this.section.isCollapsed()) this.section.setCollapsed(false);
    this.view.showLine(position);
  }

  private maybeOpenOnFirstError(): void {
    if (!this.openOnFirstError) return;
    if (this.view.userMoves > 0 || this.search.openedOnLine || this.runFailed === false) {
      this.openOnFirstError = false;
      return;
    }
    const errors = this.errors.known;
    if (!this.runFailed || !this.status?.complete || !errors) return;
    this.openOnFirstError = false;
    if (errors.length > 0) this.errors.move('first');
  }

  private following(): boolean {
    return followsLog(this.options.follow, this.runLive, this.followOverride);
  }

  private applyFollow(): void {
    const follow = this.following();
    this.toggles.get('follow')?.setAttribute('aria-pressed', follow ? 'true' : 'false');
    this.view.setOptions({ follow });
  }

  setStatus(status: LogStatus): void {
    const first = this.status === undefined;
    const renumbered = this.status !== undefined && (status.level !== this.status.level || status.epoch !== this.status.epoch);
    const grew = this.status !== undefined && status.total !== this.status.total;
    // Lines a live run writes, not the older ones read in: those arrive with the log not yet complete.
    if (grew && !renumbered && status.live && this.runLive !== false && this.status!.complete) this.announcer.add(status.total - this.status!.total);
    this.status = status;
    if (this.requestedLevel === status.level) this.requestedLevel = undefined;
    this.view.setStatus(status);
    this.reconcileLevel();
    this.updateLevels(status);
    this.updateBanner(status);
    this.section.setBadge(status.total > 0 ? status.total.toLocaleString('en-US') + (status.complete || status.live ? '' : '+') : undefined);
    if (renumbered || grew) this.search.onListChanged(renumbered);
    if (first || renumbered || grew) this.errors.onListChanged(first || renumbered);
  }

  addLines(requestId: number, start: number, lines: LogLine[]): void {
    this.view.addLines(requestId, start, lines);
  }

  /** The level to ask for once the extension's first status shows a different one (restoring after a reload). */
  restoreLevel(level: string): void {
    if (level) this.requestedLevel = level;
  }

  /**
   * Asks again for a level the extension does not show yet: one restored after a reload, or picked
   * before the whole log was read (the extension filters only once it has all of it). Once per epoch.
   */
  private reconcileLevel(): void {
    const s = this.status;
    if (!s || this.requestedLevel === undefined || this.requestedLevel === s.level || !s.complete) return;
    if (this.levelSentForEpoch === s.epoch) return;
    this.levelSentForEpoch = s.epoch;
    post({ type: 'setLevel', level: this.requestedLevel });
  }

  private setLevel(level: string): void {
    this.requestedLevel = level;
    this.events.onLevel(level);
    if (this.status?.complete) {
      this.levelSentForEpoch = this.status.epoch;
      post({ type: 'setLevel', level });
    }
  }

  private setOption(key: keyof PanelOptions, value: boolean): void {
    if (key === 'follow') {
      clearTimeout(this.followTimer);
      this.followTimer = undefined;
      if (this.runLive === false) {
        // A choice about this finished log, not about the runs to come.
        this.followOverride = value;
        this.applyFollow();
        return;
      }
    }
    this.options = { ...this.options, [key]: value };
    this.toggles.get(key)?.setAttribute('aria-pressed', value ? 'true' : 'false');
    this.view.setOptions({ [key]: value });
    post({ type: 'setOption', key, value });
    this.events.onOptions(this.options);
  }

  private updateLevels(status: LogStatus): void {
    const levels = sortLevels(Object.keys(status.levels ?? {}).filter((l) => /^[\w-]{1,40}$/.test(l)));
    if (status.level && /^[\w-]{1,40}$/.test(status.level) && !levels.includes(status.level)) levels.push(status.level);
    const all = Object.values(status.levels ?? {}).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    const key = JSON.stringify([levels.map((l) => [l, status.levels?.[l] ?? 0]), all]);
    if (key !== this.levelsKey) {
      this.levelsKey = key;
      replace(
        this.levelSelect,
        el('option', { value: '' }, all > 0 ? `All levels (${all.toLocaleString('en-US')})` : 'All levels'),
        ...levels.map((l) => {
          const n = status.levels?.[l];
          // Named as the log rows name it (ERROR, WARN), so the filter and the log read alike.
          return el('option', { value: l, 'data-level': levelClass(l) }, `${levelOptionLabel(l, levels)}${typeof n === 'number' ? ` (${n.toLocaleString('en-US')})` : ''}`);
        }),
      );
    }
    const shown = this.requestedLevel ?? status.level;
    if (this.levelSelect.value !== shown) this.levelSelect.value = shown;
    // The extension filters only once it has read the whole log.
    this.levelSelect.disabled = !status.complete && !status.level;
    this.levelSelect.title = this.levelSelect.disabled ? 'Filtering by level is possible once the whole log has been read' : 'Show only lines of one level';
  }

  private updateBanner(status: LogStatus): void {
    if (status.error) {
      // Offered only once the extension stopped retrying by itself; before that a click would only race it.
      const retry = status.retry ? button('Read the log again', { class: 'link-button', 'data-testid': 'log-retry' }, 'Retry') : null;
      retry?.addEventListener('click', () => {
        retry.disabled = true;
        post({ type: 'action', action: 'retryLog' });
      });
      replace(this.banner, icon('warning'), el('span', null, status.error), retry);
      this.banner.className = 'log-banner error';
      this.banner.hidden = false;
    } else if (!status.complete && (status.total > 0 || this.search.findingLine)) {
      replace(this.banner, icon('loading~spin'), el('span', null, this.search.findingLine ? 'Reading the whole log to find the line…' : 'Reading older lines…'));
      this.banner.className = 'log-banner info';
      this.banner.hidden = false;
    } else if (this.search.findingLine) {
      replace(this.banner, icon('loading~spin'), el('span', null, 'Finding the line…'));
      this.banner.className = 'log-banner info';
      this.banner.hidden = false;
    } else if (status.incomplete) {
      replace(this.banner, icon('warning'), el('span', { 'data-testid': 'log-incomplete' }, status.incomplete));
      this.banner.className = 'log-banner info';
      this.banner.hidden = false;
    } else {
      this.banner.hidden = true;
    }
  }
}
