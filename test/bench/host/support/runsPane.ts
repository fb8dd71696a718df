/** What the Runs view should show, counted from the extension's own tree provider. */
import * as vscode from 'vscode';
import type { TestApi } from '../../../../src/extension';

/** Rows the tree must lay out for what the extension holds: groups, the runs of expanded groups, Load more. */
export async function expectedRows(api: TestApi): Promise<{ rows: number; groups: number }> {
  const roots = await api.view.tree.getChildren();
  let rows = roots.length;
  let groups = 0;
  for (const node of roots) {
    if (node.kind !== 'group') continue;
    groups++;
    if (api.view.tree.getTreeItem(node).collapsibleState === vscode.TreeItemCollapsibleState.Expanded) rows += (await api.view.tree.getChildren(node)).length;
  }
  return { rows, groups };
}
