/** Runflow: Show Spend, the command: signed in, it opens the Show Spend panel on the period it is given, or the one open, or today. */
import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import { Commands } from '../constants';
import { SPEND_PERIODS, type SpendPeriod } from '../shared/spendProtocol';
import type { SpendPanel, SpendPanels } from './spendPanel';

export async function showSpend(connection: ClientFactory, panels: SpendPanels, arg: unknown): Promise<SpendPanel | undefined> {
  if (!(await connection.hasToken())) {
    const choice = await vscode.window.showInformationMessage('Runflow: sign in to see what your runs cost.', 'Sign In');
    if (choice === 'Sign In') await vscode.commands.executeCommand(Commands.signIn);
    return undefined;
  }
  const period = SPEND_PERIODS.find((p) => p.id === arg)?.id satisfies SpendPeriod | undefined;
  return panels.show(period);
}
