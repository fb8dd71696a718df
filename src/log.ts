import * as vscode from 'vscode';

/** The extension's one output channel. Nothing secret is ever written here: callers pass no tokens. */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Runflow', { log: true });
}
