import * as vscode from 'vscode';
import { errorMessage } from './core/errorMessage';
import { notificationText } from './core/sanitize';
import type { Log } from './log';

/**
 * Registers a command whose failures are handled in one place: logged in full to the output channel,
 * and shown to the user briefly with a way to the log, instead of an unhandled rejection.
 */
export function registerCommand(
  id: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arguments are whatever the caller passed (a tree node, a URI, nothing); each handler checks its own
  handler: (...args: any[]) => unknown,
  log: Log,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      const message = errorMessage(err);
      log.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
      void vscode.window.showErrorMessage(`Runflow: ${notificationText(message, 300)}`, 'Show Log').then((choice) => {
        if (choice) log.show(true);
      });
      return undefined;
    }
  });
}
