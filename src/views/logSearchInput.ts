/**
 * The input of Runflow: Search Logs Across Runs…: one quick pick where the text is typed, the scope is
 * set with the title bar's buttons (level, time range, the Runs view's filter) and the last searches are
 * offered again.
 */
import * as vscode from 'vscode';
import { parseSearchText } from '../core/searchText';
import { cycle, describeScope, LEVEL_LABELS, LEVELS, RANGE_LABELS, RANGES, type LogSearchRequest } from './logSearchRequest';

interface RequestItem extends vscode.QuickPickItem {
  request?: LogSearchRequest;
}

/** The search the user asked for, or undefined when they closed the input. */
export function askSearchRequest(history: readonly LogSearchRequest[], start: LogSearchRequest, canFilter: boolean): Promise<LogSearchRequest | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<RequestItem>();
    let scope = { level: start.level, range: start.range, filtered: canFilter && start.filtered };
    let settled = false;
    pick.placeholder = 'Text, or /regex/, to find in the logs of every run';
    pick.value = start.text;
    pick.matchOnDescription = false;
    pick.ignoreFocusOut = false;
    const levelButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon(scope.level === 'error' ? 'error' : scope.level === 'warning' ? 'warning' : 'list-flat'), tooltip: `Level: ${LEVEL_LABELS[scope.level]} (click to change)` });
    const rangeButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon(scope.range === 'all' ? 'calendar' : 'history'), tooltip: `Time: ${RANGE_LABELS[scope.range]} (click to change)` });
    const filterButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon(scope.filtered ? 'filter-filled' : 'filter'), tooltip: scope.filtered ? "Only runs in the Runs view's filter (click for every run)" : "Every run (click for only the runs in the Runs view's filter)" });
    const render = () => {
      pick.title = `Search Logs Across Runs: ${describeScope(scope)}`;
      pick.buttons = canFilter ? [levelButton(), rangeButton(), filterButton()] : [levelButton(), rangeButton()];
      const items: RequestItem[] = [];
      const text = pick.value;
      if (text.trim()) {
        const parsed = parseSearchText(text);
        items.push(
          parsed.ok
            ? { label: `$(search) Search for ${text}`, description: parsed.matcher.isRegex ? 'regular expression' : undefined, alwaysShow: true, request: { text, ...scope } }
            : { label: `$(error) ${parsed.error}`, alwaysShow: true },
        );
      }
      const recent = history.filter((h) => !text.trim() || h.text.toLowerCase().includes(text.trim().toLowerCase()));
      if (recent.length) {
        items.push({ label: 'recent searches', kind: vscode.QuickPickItemKind.Separator });
        for (const h of recent) items.push({ label: `$(history) ${h.text}`, description: describeScope(h), request: h });
      }
      pick.items = items;
    };
    pick.onDidChangeValue(render);
    pick.onDidTriggerButton((button) => {
      const tip = button.tooltip ?? '';
      if (tip.startsWith('Level')) scope = { ...scope, level: cycle(LEVELS, scope.level) };
      else if (tip.startsWith('Time')) scope = { ...scope, range: cycle(RANGES, scope.range) };
      else scope = { ...scope, filtered: !scope.filtered };
      render();
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (!chosen?.request) return;
      settled = true;
      resolve(chosen.request);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!settled) resolve(undefined);
      pick.dispose();
    });
    render();
    pick.show();
  });
}
