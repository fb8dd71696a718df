/**
 * The log search box. The extension searches the whole (filtered) log and answers with the matching
 * positions; the panel moves between them and marks the text in the rows on screen.
 */
import { MAX_QUERY_LENGTH } from '../shared/protocol';
import { button, el, setText } from './dom';
import { icon } from './icons';
import type { LogView } from './logView';
import { matchAtOrAfter, matchCountLabel, stepMatch } from './searchModel';
import { nextRequestId, post } from './vscodeApi';

const DEBOUNCE_MS = 250;
/** While a live log grows, the search is repeated at most this often. */
const REFRESH_MS = 2_000;

export interface SearchEvents {
  onQuery(query: string): void;
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
    this.prev = button('Previous match (Shift+Enter)', { class: 'icon-button', 'data-testid': 'search-prev' }, icon('arrow-up'));
    this.next = button('Next match (Enter)', { class: 'icon-button', 'data-testid': 'search-next' }, icon('arrow-down'));
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
      } else if (e.key === 'Escape' && this.input.value) {
        e.preventDefault();
        this.input.value = '';
        this.setQuery('');
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

  setQuery(raw: string, navigate = true): void {
    clearTimeout(this.debounce);
    const query = raw.slice(0, MAX_QUERY_LENGTH);
    if (query === this.query && (this.searched || this.requestId !== 0)) return;
    this.query = query;
    this.searched = false;
    this.events.onQuery(query);
    this.view.setQuery(query);
    this.matches = [];
    this.current = -1;
    this.truncated = false;
    this.view.setCurrentMatch(-1);
    if (!query) {
      this.searched = false;
      this.requestId = 0;
      this.render();
      return;
    }
    this.navigateOnResult = navigate;
    this.send();
  }

  /** The list changed: renumbered (a new level filter, the whole log replacing its newest page) or grown. */
  onListChanged(renumbered: boolean): void {
    if (!this.query) return;
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
    if (this.navigateOnResult) {
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

  private step(direction: 1 | -1): void {
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
    const pending = !!this.query && !this.searched;
    setText(this.count, pending ? 'Searching…' : matchCountLabel(this.current, this.matches.length, this.truncated, this.searched && !!this.query));
    this.count.classList.toggle('no-results', this.searched && !!this.query && this.matches.length === 0);
    const none = this.matches.length === 0;
    this.prev.disabled = none;
    this.next.disabled = none;
  }
}
