import * as vscode from 'vscode';
import type { TestApi } from '../../../src/extension';

export const EXTENSION_ID = 'runflow.runflow-vscode';

export function extensionUnderTest(): vscode.Extension<TestApi | undefined> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

export async function activateExtension(): Promise<TestApi> {
  const api = await extensionUnderTest().activate();
  if (!api) throw new Error('the extension returned no test API (not in test mode?)');
  return api;
}
