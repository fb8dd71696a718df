import * as vscode from 'vscode';
import { isModelRef } from '../core/launchFile';
import type { ModelCatalog } from './modelCatalog';

type Item = vscode.QuickPickItem & { ref?: string; slug?: string };

/**
 * Asks which model a file runs on: models of recent runs first, then free entry of any `owner/slug`.
 * A slug whose owner nothing names yet asks for the owner before it is used.
 */
export async function pickModel(catalog: ModelCatalog, fileLabel: string): Promise<string | undefined> {
  const known: Item[] = catalog.recentRefs().map((ref) => ({ label: ref, ref, description: 'recent' }));
  const slugs: Item[] = catalog.slugsWithoutOwner().map((slug) => ({ label: slug, slug, description: 'seen in recent runs, owner unknown' }));
  const base: Item[] = [
    ...(known.length ? [{ label: 'Recent models', kind: vscode.QuickPickItemKind.Separator } as Item, ...known] : []),
    ...(slugs.length ? [{ label: 'Owner needed', kind: vscode.QuickPickItemKind.Separator } as Item, ...slugs] : []),
  ];

  const qp = vscode.window.createQuickPick<Item>();
  qp.title = `Runflow: run ${fileLabel} on which model?`;
  qp.placeholder = 'Pick a model, or type one as owner/slug';
  qp.matchOnDescription = true;
  qp.items = base;
  const picked = await new Promise<Item | undefined>((resolve) => {
    let answer: Item | undefined;
    const subs: vscode.Disposable[] = [
      qp.onDidChangeValue((value) => {
        const typed = value.trim();
        const listed = base.some((i) => i.ref === typed);
        qp.items = isModelRef(typed) && !listed ? [{ label: typed, ref: typed, description: 'use this model', alwaysShow: true }, ...base] : base;
      }),
      qp.onDidAccept(() => {
        const typed = qp.value.trim();
        answer = qp.selectedItems[0] ?? (isModelRef(typed) ? { label: typed, ref: typed } : undefined);
        if (!answer) {
          qp.title = `Runflow: type the model for ${fileLabel} as owner/slug, e.g. runflow/sdxl-turbo`;
          return;
        }
        qp.hide();
      }),
      // Accepted or dismissed, the pick ends here.
      qp.onDidHide(() => {
        subs.forEach((s) => s.dispose());
        qp.dispose();
        resolve(answer);
      }),
    ];
    qp.show();
  });
  if (!picked) return undefined;
  if (picked.ref) return picked.ref;
  return askModelRef(picked.slug ?? '', `Runflow: which owner publishes ${picked.slug}?`, 'Enter the model as owner/slug');
}

/** A run's model, when the run names it by slug only: asked once, then remembered by ModelRefs. */
export function askModelOfRun(slug: string): Promise<string | undefined> {
  return askModelRef(slug, 'Runflow: which model is this?', 'The run names its model by slug only. Enter the model as owner/slug to launch it.');
}

/** An input box for `owner/slug`, the slug filled in and the cursor before it, ready for the owner. */
async function askModelRef(slug: string, title: string, prompt: string): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    prompt,
    value: slug ? `/${slug}` : '',
    valueSelection: [0, 0],
    validateInput: (v) => (isModelRef(v.trim()) ? undefined : 'Use the form owner/slug'),
  });
  return answer?.trim() || undefined;
}
