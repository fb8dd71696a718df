import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { saveScreenshot } from './support/driver';
import { activateExtension, extensionUnderTest } from './support/extension';

describe('activation', () => {
  it('does not activate before it is used', () => {
    assert.equal(extensionUnderTest().isActive, false);
  });

  it('activates when its view is opened, with its container, view and commands', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.runflow');
    const api = await activateExtension();
    assert.ok(extensionUnderTest().isActive);

    const contributes = extensionUnderTest().packageJSON.contributes;
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), ['runflow']);
    assert.deepEqual(contributes.views.runflow.map((v: { id: string }) => v.id), ['runflow.runs', 'runflow.logMatches']);

    const commands = await vscode.commands.getCommands(true);
    for (const { command } of contributes.commands as { command: string }[]) {
      assert.ok(commands.includes(command), `command ${command} is registered`);
    }
    assert.ok(commands.includes('runflow.runs.focus'), 'the Runs view exists in the workbench');
    assert.ok(api, 'activate() returns the test API in test mode');
    await saveScreenshot('activation-view');
  });

  it('reads back a value stored in SecretStorage', async () => {
    const api = await activateExtension();
    await api.secrets.store('runflow.probe', 'stored-value');
    assert.equal(await api.secrets.get('runflow.probe'), 'stored-value');
    await api.secrets.delete('runflow.probe');
    assert.equal(await api.secrets.get('runflow.probe'), undefined);
  });
});
