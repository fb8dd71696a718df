/** Puts the extension under test in a known state for a measurement: which server, which settings, signed in. */
import * as vscode from 'vscode';
import type { TestApi } from '../../../../src/extension';
import { activateExtension } from '../../../integration/support/extension';
import { waitFor } from '../../../integration/support/wait';
import { benchToken, type EmulatorControl } from './emulators';

const CONFIG = 'runflow';

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(CONFIG).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Settings every measurement starts from: no confirmations, no notifications, and polling as the caller says. */
export async function baseSettings(opts: { apiBaseUrl: string; pageSize?: number; autoRefresh: boolean }): Promise<void> {
  await setSetting('confirm.cancelRun', false);
  await setSetting('confirm.rerun', false);
  await setSetting('notifications.onFinish', 'off');
  await setSetting('refresh.auto', opts.autoRefresh);
  await setSetting('runs.pageSize', opts.pageSize ?? 50);
  await setSetting('apiBaseUrl', opts.apiBaseUrl);
}

/** Activates (if needed), points the extension at `emu`, stores the token and waits for the first page. */
export async function connectTo(emu: EmulatorControl, opts: { pageSize?: number; autoRefresh: boolean }): Promise<TestApi> {
  const api = await activateExtension();
  await baseSettings({ apiBaseUrl: emu.url, ...opts });
  await waitFor('the connection to follow the setting', () => api.connection.baseUrl === emu.url);
  await api.view.setFilter({});
  if ((await api.tokens.get(emu.url)) !== benchToken()) await api.tokens.store(emu.url, benchToken());
  // A load of its own, awaited, rather than racing the reloads the setting and token changes started.
  await api.view.reload('token');
  await waitFor('runs to load', () => api.store.state.kind === 'ready' && api.store.size > 0, 60_000);
  return api;
}

export async function showRunsView(): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.runflow');
}

export async function hideRunsView(api: TestApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.explorer');
  await waitFor('the Runs view to be hidden', () => !api.view.treeView.visible);
}

export function closeAllPanels(api: TestApi): void {
  for (const id of api.panels.openRunIds) api.panels.panel(id)?.dispose();
}

/** Back to defaults, so the next suite in the same VS Code starts clean. */
export async function resetSettings(): Promise<void> {
  for (const key of ['confirm.cancelRun', 'confirm.rerun', 'notifications.onFinish', 'refresh.auto', 'runs.pageSize', 'apiBaseUrl']) {
    await setSetting(key, undefined);
  }
}
