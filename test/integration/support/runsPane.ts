/**
 * The Runs view and the status bar as the user sees them in the workbench (headless host only).
 * A run's row is found by the short id its accessible label ends with ("…, run 3f2a1b4c").
 */
import { shortId } from '../../../src/core/runModel';
import { evaluate } from './driver';

/** A selector for the row of a run in the Runs view. */
export function runRowSelector(runId: string): string {
  return `.monaco-list-row[aria-label$=", run ${shortId(runId)}"]`;
}

/** The rows of a view of Runflow's container in the DOM, top to bottom: their accessible labels. */
export function paneRows(title: string): Promise<string[]> {
  return evaluate<string[]>(
    'workbench',
    `(() => {
      const pane = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes(${JSON.stringify(title)}));
      if (!pane) return [];
      return [...pane.querySelectorAll('.monaco-list-row')]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map(r => r.getAttribute('aria-label') ?? '');
    })()`,
  );
}

/** The message a view shows above its rows (TreeView.message), '' when none. */
export function paneMessage(title: string): Promise<string> {
  return evaluate<string>(
    'workbench',
    `(() => {
      const pane = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes(${JSON.stringify(title)}));
      return pane?.querySelector('.message')?.textContent ?? '';
    })()`,
  );
}

/** The rows of the Runs view in the DOM, top to bottom: their accessible labels. */
export function runsViewRows(): Promise<string[]> {
  return paneRows('Runs');
}

/** The short ids of the run rows the Runs view has in the DOM, top to bottom. */
export async function shownRunIds(): Promise<string[]> {
  return (await runsViewRows()).map((label) => /, run ([^,\s]+)$/.exec(label)?.[1]).filter((id): id is string => !!id);
}

/** The text of Runflow's status-bar item ("23 active", or "Runflow" when none are). */
export function statusBarText(): Promise<string | undefined> {
  return evaluate<string | undefined>(
    'workbench',
    `(() => {
      const item = [...document.querySelectorAll('.statusbar-item')].find(e => (e.id ?? '').endsWith('runflow.activeRuns'))
        ?? [...document.querySelectorAll('.statusbar-item')].find(e => /^\\s*(\\d+ active|Runflow)\\s*$/.test(e.innerText));
      return item ? item.innerText.trim() : undefined;
    })()`,
  );
}

/** The text of the notifications in the notification centre, which the test workbench does not pop up. */
export async function notificationsText(): Promise<string> {
  return evaluate<string>('workbench', `[...document.querySelectorAll('.notifications-list-container .monaco-list-row')].map(r => r.innerText).join('\\n')`);
}

/**
 * Opens or closes a view's pane as a click on its header does, so that another view of the container has
 * the room to show all its rows. Answers whether the pane is now expanded.
 */
export async function setPaneExpanded(title: string, expanded: boolean): Promise<boolean> {
  return evaluate<boolean>(
    'workbench',
    `(() => {
      const pane = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes(${JSON.stringify(title)}));
      const header = pane?.querySelector('.pane-header');
      if (!header) return false;
      if ((header.getAttribute('aria-expanded') === 'true') !== ${expanded}) header.click();
      return header.getAttribute('aria-expanded') === 'true';
    })()`,
  );
}
