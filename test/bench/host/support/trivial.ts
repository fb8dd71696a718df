/** The baseline every activation figure is set against: the trivial extension (test/bench/trivial-extension). */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { armWaiter } from './page';

const TRIVIAL_ID = 'runflow-bench.bench-trivial';

/** Opens the trivial extension's view as a user would while activate() is called; done when its items are drawn. */
export async function measureTrivial(): Promise<{ activateMs: number; drawnMs: number }> {
  const trivial = vscode.extensions.getExtension(TRIVIAL_ID);
  assert.ok(trivial, `${TRIVIAL_ID} is installed in this VS Code`);
  assert.equal(trivial.isActive, false, 'the trivial extension is not active yet');
  const drawn = await armWaiter('the trivial view items', `(B.pane('Trivial Items')?.innerText ?? '').includes('trivial item three')`);
  const t0 = Date.now();
  void vscode.commands.executeCommand('workbench.view.extension.benchTrivial');
  await trivial.activate();
  const activateMs = Date.now() - t0;
  return { activateMs, drawnMs: (await drawn.done) - t0 };
}
