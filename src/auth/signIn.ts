import * as vscode from 'vscode';
import { AuthenticationError, PermissionError } from '../api/errors';
import { errorMessage } from '../core/errorMessage';
import { Commands } from '../constants';
import type { ClientFactory } from './clientFactory';
import type { TokenStore } from './tokenStore';

export type TokenCheck = { ok: true } | { ok: false; reason: string; fixable: 'token' | 'settings' };

/** Asks the API whether a token works, with the smallest request there is. */
export async function checkToken(connection: ClientFactory, token: string): Promise<TokenCheck> {
  try {
    await connection.clientWithToken(token).searchRuns({ limit: 1, fields: 'id' }, { timeoutMs: 15_000 });
    return { ok: true };
  } catch (err) {
    if (err instanceof AuthenticationError) return { ok: false, reason: `${connection.baseUrl} refused the token (401).`, fixable: 'token' };
    if (err instanceof PermissionError) {
      return { ok: false, reason: `The token may not see the organisation set in runflow.organizationId (403).`, fixable: 'settings' };
    }
    const detail = errorMessage(err);
    return { ok: false, reason: `Could not check the token with ${connection.baseUrl}: ${detail}`, fixable: 'settings' };
  }
}

/** Checks a token and stores it only when the API accepts it. */
export async function signInWithToken(connection: ClientFactory, tokens: TokenStore, token: string): Promise<TokenCheck> {
  const trimmed = token.trim();
  if (!trimmed) return { ok: false, reason: 'The token is empty.', fixable: 'token' };
  const check = await checkToken(connection, trimmed);
  if (check.ok) await tokens.store(connection.baseUrl, trimmed);
  return check;
}

/** Runflow: Sign In — a password box, a check against the API, then SecretStorage. */
export async function signInInteractively(connection: ClientFactory, tokens: TokenStore): Promise<boolean> {
  const token = await vscode.window.showInputBox({
    title: 'Runflow: Sign In',
    prompt: `API token for ${connection.baseUrl}. It is kept in VS Code's secret storage.`,
    placeHolder: 'Paste your Runflow API token',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter a token'),
  });
  if (token === undefined) return false;
  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Runflow: checking the token with ${connection.baseUrl}…` },
    () => signInWithToken(connection, tokens, token),
  );
  if (check.ok) {
    void vscode.window.showInformationMessage(`Runflow: signed in to ${connection.baseUrl}.`);
    return true;
  }
  const action = check.fixable === 'token' ? 'Try Again' : 'Open Settings';
  const choice = await vscode.window.showErrorMessage(`Runflow: ${check.reason} Nothing was stored.`, action);
  if (choice === 'Try Again') void vscode.commands.executeCommand(Commands.signIn);
  if (choice === 'Open Settings') void vscode.commands.executeCommand(Commands.openSettings);
  return false;
}

export async function signOut(connection: ClientFactory, tokens: TokenStore): Promise<void> {
  await tokens.delete(connection.baseUrl);
  void vscode.window.showInformationMessage(`Runflow: signed out of ${connection.baseUrl}.`);
}
