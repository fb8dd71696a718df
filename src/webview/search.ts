/**
 * The log search box. The extension searches the whole (filtered) log and answers with the matching
 * positions; the panel moves between them and marks the text in the rows on screen. Both read the query
 * with parseSearchText (plain text, or `/regex/flags`), so they agree on what matches; a query that does
 * not parse is explained here and not sent.
 */
import { MAX_QUERY_LENGTH } from '../shared/protocol';
import { parseSearchText } from '../core/searchText';
import { button, el, setAttr, setText } from './dom';
import { icon } from './icons';
import type { LogView } from './logView';
import { matchAtOrAfter, matchCountLabel, matchIndexOf, stepMatch } from './searchModel';
import { nextRequestId, post } from './vscodeApi';

const DEBOUNCE_MS = 250;
/** While a live log grows, the search is repeated at most this often. */
const REFRESH_MS = 2_000;

export interface SearchEvents {
  onQuery(query: string): void;
  /** The line the panel was opened on is no longer being looked for (found, or given up for a query of the user's). */
  onTargetSettled?(): void;
  /** Escape in the box: the reader goes back to the log, on the current match. */
  onLeave?(): void;
}

export class LogSearch {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;

  private query = '';
  private requestId = 0;
  private matches: number[] = [];
  private truncated = false;
  private current = -1;
  private searched = false;
  /** Move to the first match when the answer arrives (a new query, not a refresh of the same one). */
  private navigateOnResult = false;
  /** Why the query cannot be searched for (an invalid regular expression); '' when it can. */
  private invalid = '';
  /**
   * A line to make current when the answer arrives (the panel was opened on it): its position, or null
   * while the extension still looks for it. `moves`: the view's user moves when it was asked for; once
   * the user moved, the line is marked but not scrolled to.
   */
  private target: { position: number | null; moves: number } | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly view: LogView,
    private readonly events: SearchEvents,
  ) {
    this.input = el('input', {
      type: 'text',
      class: 'search-input',
      placeholder: 'Search log',
      'aria-label': 'Search log',
      spellcheck: 'false',
      autocomplete: 'off',
      maxlength: MAX_QUERY_LENGTH,
      'data-testid': 'search-input',
    });
    this.count = el('span', { class: 'search-count', 'data-testid': 'search-count', 'aria-live': 'polite' });
    this.prev = button('Previous match (Shift+Enter, Shift+F3)', { class: 'icon-button', 'data-testid': 'search-prev' }, icon('arrow-up'));
    this.next = button('Next match (Enter, F3)', { class: 'icon-button', 'data-testid': 'search-next' }, icon('arrow-down'));
    this.root = el('div', { class: 'search-box', role: 'search' }, icon('search', 'search-icon'), this.input, this.count, this.prev, this.next);

    this.input.addEventListener('input', () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.setQuery(this.input.value), DEBOUNCE_MS);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        if (this.input.value !== this.query) this.setQuery(this.input.value);
        else this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        // As in VS Code's find: Escape leaves the box for the text, the matches stay marked (F3 goes on).
        e.preventDefault();
        if (this.input.value !== this.query) this.setQuery(this.input.value, false);
        this.events.onLeave?.();
      }
    });
    this.prev.addEventListener('click', () => this.step(-1));
    this.next.addEventListener('click', () => this.step(1));
    this.render();
  }

  /** Restores the query after a reload (no jump: the saved scroll position wins). */
  restore(query: string): void {
    this.input.value = query;
    this.setQuery(query, false);
  }

  setQuery(raw: string, navigate = true, force = false): void {
    clearTimeout(this.debounce);
    const query = raw.slice(0, MAX_QUERY_LENGTH);
    if (!force && query === this.query && (this.searched || this.requestId !== 0 || this.invalid)) return;
    // A query of the user's own replaces the line the panel was opened on.
    if (!force && this.target) {
      this.target = undefined;
      this.events.onTargetSettled?.();
    }
    this.query = query;
    this.searched = false;
    this.events.onQuery(query);
    this.matches = [];
    this.current = -1;
    this.truncated = false;
    this.view.setCurrentMatch(-1);
    const parsed = query ? parseSearchText(query) : undefined;
    this.invalid = parsed && !parsed.ok ? parsed.error : '';
    this.view.setMatcher(parsed?.ok ? parsed.matcher : undefined);
    if (!parsed?.ok) {
      this.requestId = 0;
      this.render();
      return;
    }
    this.navigateOnResult = navigate;
    this.send();
  }

  /**
   * The panel was opened on a line found elsewhere: the box holds `query`, and the line at `position`
   * becomes the current match when the answer arrives (null: the extension is still looking for it; -1:
   * it found none). The user's own scrolling meanwhile is kept.
   */
  showMatch(query: string, position: number | null): void {
    const moves = this.target?.position === null ? this.target.moves : this.view.userMoves;
    this.target = { position, moves };
    this.input.value = query.slice(0, MAX_QUERY_LENGTH);
    this.setQuery(this.input.value, false, true);
  }

  /** A line the panel was opened on is still being looked for. */
  get findingLine(): boolean {
    return this.target?.position === null;
  }

  /** The panel was opened on a line (or is looking for one): it decides where the log shows first. */
  get openedOnLine(): boolean {
    return this.target !== undefined;
  }

  /** The list changed: renumbered (a new level filter, the whole log replacing its newest page) or grown. */
  onListChanged(renumbered: boolean): void {
    if (!this.query || this.invalid) return;
    if (renumbered) {
      this.current = -1;
      this.view.setCurrentMatch(-1);
      this.navigateOnResult = false;
      this.send();
      return;
    }
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.navigateOnResult = false;
      this.send();
    }, REFRESH_MS);
  }

  onResult(requestId: number, query: string, matches: number[], truncated: boolean): void {
    if (requestId !== this.requestId || query !== this.query) return;
    const currentPosition = this.current >= 0 ? this.matches[this.current] : undefined;
    this.matches = matches.filter((m) => Number.isInteger(m) && m >= 0).sort((a, b) => a - b);
    this.truncated = truncated;
    this.searched = true;
    const target = this.target;
    if (target && target.position !== null) {
      this.target = undefined;
      this.events.onTargetSettled?.();
      this.navigateOnResult = false;
      this.current = matchIndexOf(this.matches, target.position);
      if (this.current >= 0) {
        if (this.view.userMoves === target.moves) this.reveal();
        else this.view.setCurrentMatch(target.position);
      }
    } else if (this.navigateOnResult) {
      this.navigateOnResult = false;
      this.current = matchAtOrAfter(this.matches, this.view.firstVisible());
      if (this.current >= 0) this.reveal();
    } else if (currentPosition !== undefined) {
      this.current = this.matches.indexOf(currentPosition);
      this.view.setCurrentMatch(this.current >= 0 ? currentPosition : -1);
    }
    this.render();
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  private send(): void {
    this.requestId = nextRequestId();
    post({ type: 'search', requestId: this.requestId, query: this.query });
    this.render();
  }

  /** The next (1) or previous (-1) match, from the current one or from the screen. */
  step(direction: 1 | -1): void {
    if (this.matches.length === 0) return;
    if (this.current < 0) {
      const from = matchAtOrAfter(this.matches, this.view.firstVisible());
      this.current = direction > 0 ? from : stepMatch(from, this.matches.length, -1);
    } else {
      this.current = stepMatch(this.current, this.matches.length, direction);
    }
    this.reveal();
    this.render();
  }

  private reveal(): void {
    const position = this.matches[this.current];
    this.view.setCurrentMatch(position);
    this.view.reveal(position);
  }

  private render(): void {
    if (this.invalid) {
      setText(this.count, this.query.startsWith('/') ? 'Invalid regex' : 'Invalid');
      setAttr(this.count, 'title', this.invalid);
      setAttr(this.input, 'title', this.invalid);
      setAttr(this.input, 'aria-invalid', 'true');
      this.count.classList.add('no-results');
    } else {
      const pending = !!this.query && !this.searched;
      setText(this.count, pending ? 'Searching…' : matchCountLabel(this.current, this.matches.length, this.truncated, this.searched && !!this.query));
      setAttr(this.count, 'title', null);
      setAttr(this.input, 'title', 'Search log: text, or /regular expression/flags');
      setAttr(this.input, 'aria-invalid', null);
      this.count.classList.toggle('no-results', this.searched && !!this.query && this.matches.length === 0);
    }
    const none = this.matches.length === 0;
    this.prev.disabled = none;
    this.next.disabled = none;
  }
}
