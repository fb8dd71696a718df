/** What the Runs view looks like on screen, reduced to a signature that changes when its rows do. No vscode import. */

/**
 * The tree's total height (every row laid out, on screen or not), a row's height, the number of top-level
 * rows and the first group's label with its count. Expression over `B` (see page.ts).
 */
export const RUNS_SIGNATURE = `(() => {
  const pane = B.pane('Runs');
  const list = pane && pane.querySelector('.monaco-list-rows');
  if (!list) return 'none';
  const first = list.querySelector('.monaco-list-row[aria-level="1"]');
  return [list.style.height, first ? first.style.height : '', first ? first.getAttribute('aria-setsize') : '', first ? first.getAttribute('aria-label') : ''].join('|');
})()`;

/** Whether a recorded signature shows exactly `rows` rows laid out. */
export function showsRows(signature: string, rows: number): boolean {
  const [height, rowHeight] = signature.split('|').map((s) => parseFloat(s));
  return Number.isFinite(height) && Number.isFinite(rowHeight) && rowHeight > 0 && Math.round(height / rowHeight) === rows;
}
