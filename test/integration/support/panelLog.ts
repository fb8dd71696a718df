/** The run panel's log as the user sees it, read from the webview's DOM (headless host only). */
import { evaluate, type FrameTarget } from './driver';

/** The webview frame of a run's panel, once its page is ready. */
export function panelOf(runId: string): FrameTarget {
  return { selector: `#app[data-ready="true"][data-run-id="${runId}"]` };
}

export interface CurrentLine {
  /** View position of the row marked current, or -1. */
  position: number;
  text: string;
  /** The row lies inside the log viewport's box. */
  onScreen: boolean;
  query: string;
  errorCount: string;
}

/** The row marked as the current line, whether it is on screen, and what the search box and error count say. */
const CURRENT_LINE = `(() => {
  const viewport = document.querySelector('[data-testid="log-viewport"]');
  const row = document.querySelector('[data-testid="log-row"].current-match');
  const box = viewport?.getBoundingClientRect();
  const r = row?.getBoundingClientRect();
  return {
    position: row ? Number(row.getAttribute('data-index')) : -1,
    text: row?.textContent ?? '',
    onScreen: !!(box && r && r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1),
    query: document.querySelector('[data-testid="search-input"]')?.value ?? '',
    errorCount: document.querySelector('[data-testid="error-count"]')?.textContent ?? '',
  };
})()`;

export function currentLine(runId: string): Promise<CurrentLine> {
  return evaluate<CurrentLine>(panelOf(runId), CURRENT_LINE);
}

