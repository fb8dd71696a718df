import * as vscode from 'vscode';
import { LAUNCH_FILE_SUFFIX } from '../core/launchFile';
import type { ModelCatalog } from './modelCatalog';
import { pickModel } from './modelPicker';

/**
 * Runflow: New Launch File. Writes a `*.runflow.json` in the chosen folder (the explorer's, else the first
 * workspace folder, else wherever the user saves it), filled in for the most recent model when one is known.
 */
export async function newLaunchFile(catalog: ModelCatalog, folder?: vscode.Uri): Promise<vscode.Uri | undefined> {
  // A model the user has run; when no run names its owner yet, asking now beats a template that cannot run.
  const model = catalog.recentRefs()[0] ?? (catalog.slugsWithoutOwner().length ? await pickModel(catalog, 'the new launch file') : undefined);
  const declared = model ? catalog.knownInputs(model) ?? (await catalog.inputsFor(model)) : undefined;
  const input: Record<string, unknown> = {};
  for (const d of declared ?? []) {
    if (d.required) input[d.name] = d.defaultValue ?? (d.type === 'integer' || d.type === 'number' ? 0 : d.type === 'boolean' ? false : '');
  }
  if (!declared) input.prompt = '';
  const content = `${JSON.stringify({ model: model ?? 'owner/slug', input, metadata: {} }, null, 2)}\n`;

  let target: vscode.Uri | undefined;
  const base = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (base) {
    const name = await vscode.window.showInputBox({
      title: 'Runflow: new launch file',
      prompt: `Name of the new launch file, to be written in ${folderLabel(base)}`,
      value: `prompt${LAUNCH_FILE_SUFFIX}`,
      valueSelection: [0, 'prompt'.length],
      validateInput: (v) => (/^[^\\/:*?"<>|]+$/.test(v.trim()) ? undefined : 'A file name, without folders'),
    });
    if (!name) return undefined;
    const fileName = name.trim().toLowerCase().endsWith(LAUNCH_FILE_SUFFIX) ? name.trim() : `${name.trim().replace(/\.json$/i, '')}${LAUNCH_FILE_SUFFIX}`;
    target = vscode.Uri.joinPath(base, fileName);
    const exists = await Promise.resolve(vscode.workspace.fs.stat(target)).then(
      () => true,
      () => false,
    );
    if (exists) {
      void vscode.window.showErrorMessage(`Runflow: ${fileName} already exists; pick another name.`);
      return undefined;
    }
  } else {
    target = await vscode.window.showSaveDialog({ title: 'Runflow: new launch file', filters: { 'Runflow launch file': ['runflow.json'] } });
    if (!target) return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  // A preview tab would be replaced by the next file the user opens: this one is theirs to edit.
  const editor = await vscode.window.showTextDocument(target, { preview: false });
  vscode.window.setStatusBarMessage(`Runflow: created ${vscode.workspace.asRelativePath(target, true)}`, 5000);
  // Put the cursor in the first empty input value, ready to type.
  const at = content.indexOf('""');
  if (at >= 0) editor.selection = new vscode.Selection(editor.document.positionAt(at + 1), editor.document.positionAt(at + 1));
  return target;
}

function folderLabel(folder: vscode.Uri): string {
  const root = vscode.workspace.getWorkspaceFolder(folder);
  if (root && root.uri.toString() === folder.toString()) return `the workspace folder ${root.name}`;
  const relative = vscode.workspace.asRelativePath(folder, true);
  return relative && relative !== folder.fsPath ? relative : folder.fsPath || folder.path;
}
