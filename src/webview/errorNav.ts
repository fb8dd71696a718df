/**
 * "First error", and F8 / Shift+F8 to the next / previous error: the current line moves between the
 * log's lines at error severity or worse (core/logLevels.ts). The extension holds every line's level and
 * answers with their positions in the list as shown (level filter applied); the panel steps through them.
 */
import { button, el, setAttr, setText } from './dom';
import { icon } from './icons';
import type { LogView } from './logView';
import { errorCountLabel, matchAtOrAfter, stepMatch } from './searchModel';
import { nextRequestId, post } from './vscodeApi';

/** While a live log grows, the error positions are asked for again at most this often. */
const REFRESH_MS = 2_000;
const TITLE = 'First error (F8 next, Shift+F8 previous)';

export interface ErrorNavEvents {
  /** The extension answered with the error positions of the list as shown now. */
  onPositions(positions: readonly number[]): void;
}

export class ErrorNav {
  readonly root: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly count: HTMLElement;
  /** Undefined until answered for the list as it is now numbered. */
  private positions: number[] | undefined;
  private truncated = false;
  /** Errors in the last answer: the button keeps its state while the list is renumbered. */
  private lastCount: number | undefined;
  private current = -1;
  private requestId = 0;
  /** A move asked for before the positions were known. */
  private pending: 'first' | 1 | -1 | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly view: LogView,
    private readonly events: ErrorNavEvents,
  ) {
    this.button = button(TITLE, { class: 'toolbar-button first-error', 'data-testid': 'first-error', disabled: true }, icon('error'), el('span', { class: 'toolbar-label' }, 'First error'));
    this.count = el('span', { class: 'error-count', 'data-testid': 'error-count', 'aria-live': 'polite' });
    this.root = el('div', { class: 'error-nav' }, this.button, this.count);
    this.button.addEventListener('click', () => this.move('first'));
    this.render();
  }

  /** The error positions of the list as shown now; undefined while they are asked for. */
  get known(): readonly number[] | undefined {
    return this.positions;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
  }

  /** The list changed: renumbered (a level filter, the whole log replacing its newest page) or grown. */
  onListChanged(renumbered: boolean): void {
    if (renumbered) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
      this.positions = undefined;
      this.current = -1;
      this.ask();
      return;
    }
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.ask();
    }, REFRESH_MS);
  }

  onResult(requestId: number, positions: number[], truncated: boolean): void {
    if (requestId !== this.requestId) return;
    const shown = this.current >= 0 && this.positions ? this.positions[this.current] : undefined;
    this.positions = positions.filter((p) => Number.isInteger(p) && p >= 0).sort((a, b) => a - b);
    this.truncated = truncated;
    this.current = shown !== undefined ? this.positions.indexOf(shown) : -1;
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) this.move(pending);
    this.render();
    this.events.onPositions(this.positions);
  }

  /** F8 (+1) / Shift+F8 (-1), or the button ('first'). Waits for the positions when they are on their way. */
  move(how: 'first' | 1 | -1): void {
    const positions = this.positions;
    if (!positions) {
      this.pending = how;
      return;
    }
    if (positions.length === 0) return;
    if (how === 'first') this.current = 0;
    else if (this.current >= 0 && this.view.currentLine === positions[this.current]) this.current = stepMatch(this.current, positions.length, how);
    else {
      // From where the reader is, as F8 goes from the cursor in an editor.
      const from = matchAtOrAfter(positions, this.view.firstVisible());
      this.current = how > 0 ? from : stepMatch(from, positions.length, -1);
    }
    this.view.showLine(positions[this.current]);
    this.render();
  }

  private ask(): void {
    this.requestId = nextRequestId();
    post({ type: 'errorLines', requestId: this.requestId });
  }

  private render(): void {
    const n = this.positions?.length;
    if (n !== undefined) this.lastCount = n;
    const none = this.lastCount === 0;
    this.button.disabled = this.lastCount === undefined || none;
    setAttr(this.button, 'title', none ? 'No errors in the log' : TITLE);
    setText(this.count, n === undefined ? '' : errorCountLabel(this.current, n, this.truncated));
  }
}
