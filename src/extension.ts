import * as vscode from 'vscode';
import { TokenStore } from './auth/tokenStore';
import { registerCommand } from './commands';
import { apiBaseUrl } from './config';
import { Commands, ContextKeys } from './constants';
import { createLog } from './log';

/** What activate() hands to the integration tests (and only to them: see ExtensionMode.Test). */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly tokens: TokenStore;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestApi | undefined> {
  const log = createLog();
  const tokens = new TokenStore(context.secrets);
  context.subscriptions.push(log, tokens);

  const refreshSignedIn = async () => {
    const token = await tokens.get(apiBaseUrl());
    await vscode.commands.executeCommand('setContext', ContextKeys.signedIn, !!token);
  };
  context.subscriptions.push(
    registerCommand(Commands.showLog, () => log.show(), log),
    tokens.onDidChange(() => void refreshSignedIn()),
  );
  await refreshSignedIn();
  log.info(`Runflow ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}`);

  return context.extensionMode === vscode.ExtensionMode.Test ? { secrets: context.secrets, tokens } : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
