import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface MenuItem {
  command: string;
  when?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]> };
};
const palette = manifest.contributes.menus.commandPalette;

function paletteWhen(command: string): string | undefined {
  return palette.find((m) => m.command === command)?.when;
}

describe('Command Palette entries', () => {
  it('offers Sign In only while signed out, and Sign Out only while signed in', () => {
    assert.equal(paletteWhen('runflow.signIn'), '!runflow.signedIn');
    assert.equal(paletteWhen('runflow.signOut'), 'runflow.signedIn');
  });

  it('has one way to show the Runs view: VS Code\'s own "Focus on Runs View", not a second "Show Runs"', () => {
    assert.equal(paletteWhen('runflow.focusRuns'), 'false');
  });

  it('names each command once under commandPalette', () => {
    const ids = palette.map((m) => m.command);
    assert.deepEqual(ids, [...new Set(ids)]);
  });

  it('keeps the view title menu account actions to the signed-in state that fits', () => {
    const title = manifest.contributes.menus['view/title'];
    assert.match(title.find((m) => m.command === 'runflow.signIn')?.when ?? '', /!runflow\.signedIn/);
    assert.match(title.find((m) => m.command === 'runflow.signOut')?.when ?? '', /(^|[^!])runflow\.signedIn/);
  });
});
