/**
 * The run panel from the keyboard alone, in the real browser: real key presses (Tab, arrows, Home / End,
 * Page Down, Ctrl+F, Enter, Escape), and after each one a wait for exactly where the focus must be. Also the
 * log grid's row numbering, which is what lets a screen reader say "line 50,000 of 100,000".
 */
import { strict as assert } from 'node:assert';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { evaluate, hasBrowser, press, saveScreenshot } from './support/driver';
import { emulatorModeName } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { panelOf } from './support/panelLog';
import { waitUntil } from './support/wait';

/** Where the focus is in the panel, and what the log grid says about its focused line. */
interface FocusState {
  /** `data-testid` of the focused element, or its tag. */
  focused: string;
  hasFocus: boolean;
  /** The log's focused line (0-based), -1 when none. */
  line: number;
  /** `aria-rowindex` of the row the grid's aria-activedescendant names, or null. */
  rowIndex: string | null;
  rowCount: string | null;
  /** That row lies wholly inside the viewport. */
  onScreen: boolean;
  searchCount: string;
  currentMatch: number;
}

const FOCUS_STATE = `(() => {
  const a = document.activeElement;
  const grid = document.querySelector('[data-testid="log-viewport"]');
  const id = grid?.getAttribute('aria-activedescendant');
  const row = id ? document.getElementById(id) : null;
  const box = grid?.getBoundingClientRect();
  const r = row?.getBoundingClientRect();
  return {
    focused: a?.getAttribute('data-testid') ?? a?.tagName.toLowerCase() ?? '',
    hasFocus: document.hasFocus(),
    line: Number(grid?.getAttribute('data-focused-line') ?? -1),
    rowIndex: row?.getAttribute('aria-rowindex') ?? null,
    rowCount: grid?.getAttribute('aria-rowcount') ?? null,
    onScreen: !!(box && r && r.top >= box.top - 1 && r.bottom <= box.bottom + 1),
    searchCount: document.querySelector('[data-testid="search-count"]')?.textContent ?? '',
    currentMatch: Number(document.querySelector('[data-testid="log-row"].current-match')?.getAttribute('data-index') ?? -1),
  };
})()`;

describe(`Run panel from the keyboard (${emulatorModeName()})`, function () {
  this.timeout(180_000);
  let emu: Emulator;
  let api: TestApi;
  let runId: string;

  const state = () => evaluate<FocusState>(panelOf(runId), FOCUS_STATE);
  /** Presses a real key, then waits until the panel shows `expected`. */
  async function step(key: string, what: string, expected: (s: FocusState) => boolean): Promise<FocusState> {
    await press(key);
    return waitUntil(`${what} after ${key}`, state, expected, 15_000);
  }
  const onLine = (line: number) => (s: FocusState) => s.focused === 'log-viewport' && s.line === line && s.rowIndex === String(line + 1) && s.onScreen;

  before(async function () {
    if (!hasBrowser()) this.skip();
    ({ emu, api } = await startFixture({ bigLogLines: 100_000 }));
    await showRunsView();
    await signedIn(api, emu);
    runId = emu.bigLogRunId!;
    api.panels.open(runId, 'logs');
    await waitUntil('the whole log in the grid', state, (s) => s.rowCount === '100000', 60_000);
  });
  after(async () => {
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    await stopFixture(emu, api);
  });

  it('walks from opening to a search match and back to the log with the keyboard only', async () => {
    // Opened on its log (as "Show Logs" does): the keyboard is in the log, on its newest line.
    await waitUntil('the focus in the log on its last line', state, (s) => s.hasFocus && onLine(99_999)(s), 30_000);
    await step('Shift+Tab', 'the Follow toggle, the control before the log', (s) => s.focused === 'follow');
    await step('Tab', 'the log again, on the same line', onLine(99_999));
    await step('ArrowUp', 'the line above', onLine(99_998));
    await step('Home', 'the first line', onLine(0));
    await step('ArrowDown', 'the second line', onLine(1));
    const paged = await step('PageDown', 'a screen further', (s) => s.focused === 'log-viewport' && s.line > 2 && s.rowIndex === String(s.line + 1) && s.onScreen);
    await step('ArrowUp', 'one line up from there', onLine(paged.line - 1));
    await step('End', 'the last line', onLine(99_999));
    await step('Control+F', 'the search box', (s) => s.focused === 'search-input');
    // The query is set in one piece (typed keys were seen lost under load); the keys that act are real.
    await evaluate(panelOf(runId), `document.execCommand('insertText', false, 'line 49999 of')`);
    const found = await step('Enter', 'the match, with the focus still in the box', (s) => s.focused === 'search-input' && s.searchCount === '1 of 1' && s.currentMatch === 49_999);
    assert.equal(found.line, 49_999, 'the log follows the match');
    await step('Escape', 'the log, on the match', onLine(49_999));
    await step('ArrowDown', 'the line after the match', onLine(50_000));
    await step('F3', 'the match again', (s) => onLine(49_999)(s) && s.currentMatch === 49_999);
    await saveScreenshot('panel-keyboard-walk');
  });

  it('numbers the grid rows for screen readers at lines 1, 50,000 and 100,000', async () => {
    const rowAt = (line: number) =>
      evaluate<{ role: string | null; rowIndex: string | null; cells: string[]; gridRole: string | null; rowCount: string | null } | null>(
        panelOf(runId),
        `(() => {
          const grid = document.querySelector('[data-testid="log-viewport"]');
          const row = grid?.querySelector('[data-testid="log-row"][data-index="${line - 1}"]:not(.pending)');
          if (!row) return null;
          return {
            role: row.getAttribute('role'),
            rowIndex: row.getAttribute('aria-rowindex'),
            cells: [...row.children].filter(c => c.getAttribute('aria-hidden') !== 'true').map(c => c.getAttribute('role')),
            gridRole: grid.getAttribute('role'),
            rowCount: grid.getAttribute('aria-rowcount'),
          };
        })()`,
      );
    await evaluate(panelOf(runId), `(document.querySelector('[data-testid="log-viewport"]').focus(), true)`);
    const visits: [string, number][] = [['Home', 1], ['End', 100_000]];
    for (const [key, line] of visits) {
      await step(key, `line ${line}`, onLine(line - 1));
      const row = await waitUntil(`the row of line ${line} drawn`, () => rowAt(line), (r) => r !== null, 15_000);
      assert.deepEqual(row, { role: 'row', rowIndex: String(line), cells: ['gridcell', 'gridcell', 'gridcell'], gridRole: 'grid', rowCount: '100000' }, `line ${line}`);
    }
    // Line 50,000, reached through the search the keyboard walk used.
    await step('Control+F', 'the search box', (s) => s.focused === 'search-input');
    await evaluate(panelOf(runId), `(() => { const i = document.querySelector('[data-testid="search-input"]'); i.select(); return document.execCommand('insertText', false, 'line 49999 of'); })()`);
    await step('Enter', 'the match', (s) => s.currentMatch === 49_999);
    await step('Escape', 'the log on line 50,000', onLine(49_999));
    const middle = await waitUntil('the row of line 50,000 drawn', () => rowAt(50_000), (r) => r !== null, 15_000);
    assert.deepEqual(middle, { role: 'row', rowIndex: '50000', cells: ['gridcell', 'gridcell', 'gridcell'], gridRole: 'grid', rowCount: '100000' });
  });
});
