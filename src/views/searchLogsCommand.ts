/** Runflow: Search Logs Across Runs…, the command: from its argument or the input to the Log Matches view. */
import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import { isEmptyFilter } from '../core/runFilter';
import { parseSearchText } from '../core/searchText';
import { Commands, Views } from '../constants';
import type { SearchOutcome } from '../runs/logSearch';
import type { RunStore } from '../runs/runStore';
import type { LogMatchesView } from './logMatchesView';
import { askSearchRequest } from './logSearchInput';
import { parseSearchRequest, remember, type LogSearchRequest } from './logSearchRequest';

export interface SearchServices {
  connection: ClientFactory;
  store: RunStore;
  logMatches: LogMatchesView;
  globalState: vscode.Memento;
}

/** The searches offered again in the input, newest first (extension globalState; never the token). */
const SEARCH_HISTORY_KEY = 'runflow.logSearch.history';

/**
 * Runflow: Search Logs Across Runs…: asks for the search (or takes it as the argument: the history, the
 * tests) and streams what it finds into the Log Matches view; resolves when the search ends.
 */
export async function searchLogs(services: SearchServices, arg: unknown): Promise<SearchOutcome | undefined> {
  const { connection, store, logMatches, globalState } = services;
  if (!(await connection.hasToken())) {
    const choice = await vscode.window.showInformationMessage('Runflow: sign in to search the logs of your runs.', 'Sign In');
    if (choice === 'Sign In') await vscode.commands.executeCommand(Commands.signIn);
    return undefined;
  }
  const history = (globalState.get<unknown[]>(SEARCH_HISTORY_KEY) ?? []).map(parseSearchRequest).filter((r): r is LogSearchRequest => !!r);
  let request = parseSearchRequest(arg);
  if (!request) {
    const start = history[0] ?? { text: '', level: 'any', range: 'all', filtered: false };
    request = await askSearchRequest(history, start, !isEmptyFilter(store.filter));
    if (!request) return undefined;
  }
  const parsed = parseSearchText(request.text);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`Runflow: ${parsed.error}`);
    return undefined;
  }
  await globalState.update(SEARCH_HISTORY_KEY, remember(history, request));
  void vscode.commands.executeCommand(`${Views.logMatches}.focus`);
  return logMatches.start(request);
}
