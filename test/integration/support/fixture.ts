import * as vscode from 'vscode';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { emulatorStrictMode } from './emulatorMode';
import { activateExtension } from './extension';
import { waitFor } from './wait';
import type { TestApi } from '../../../src/extension';

export const TOKEN = 'rf-test-token-0001';

/** Points the extension at a fresh emulator (real sockets on 127.0.0.1) and returns both. */
export async function startFixture(options: EmulatorOptions = {}): Promise<{ emu: Emulator; api: TestApi }> {
  const emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, speed: 40, strict: emulatorStrictMode(), ...options });
  const api = await activateExtension();
  const config = vscode.workspace.getConfiguration('runflow');
  await config.update('refresh.activeIntervalSeconds', 2, vscode.ConfigurationTarget.Global);
  await config.update('runs.pageSize', 50, vscode.ConfigurationTarget.Global);
  await config.update('apiBaseUrl', emu.url, vscode.ConfigurationTarget.Global);
  await waitFor('the connection to follow the setting', () => api.connection.baseUrl === emu.url);
  return { emu, api };
}

export async function stopFixture(emu: Emulator | undefined, api: TestApi | undefined): Promise<void> {
  if (api && emu) await api.tokens.delete(emu.url);
  await vscode.workspace.getConfiguration('runflow').update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
  await api?.view.setFilter({});
  await emu?.close();
}

export async function signedIn(api: TestApi, emu: Emulator): Promise<void> {
  const check = await api.signInWithToken(TOKEN);
  if (!check.ok) throw new Error(`sign-in failed: ${check.reason}`);
  await waitFor('runs to load', () => api.store.size > 0 && api.view.state === 'ready', 20_000);
  void emu;
}

export async function showRunsView(): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.runflow');
}
