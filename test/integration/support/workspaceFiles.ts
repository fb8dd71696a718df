import * as vscode from 'vscode';

/** A folder of the test workspace, for the files one suite writes. */
export function workspaceFolder(name: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('the tests need a workspace folder');
  return vscode.Uri.joinPath(root, name);
}

/** Writes `content` (text as it is, anything else as indented JSON) to `name` in the workspace folder `folder`. */
export async function writeWorkspaceFile(folder: string, name: string, content: unknown): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(folder), name);
  const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}
