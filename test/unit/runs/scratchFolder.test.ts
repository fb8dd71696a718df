import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claimScratchFolder } from '../../../src/runs/scratchFolder';

describe('claimScratchFolder', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-scratch-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("gives each window its own folder, and a second window leaves the first one's files alone", () => {
    const first = claimScratchFolder(root);
    const openLog = path.join(first.path, 'log-a.ndjson');
    fs.writeFileSync(openLog, '["info","","line"]\n');
    const second = claimScratchFolder(root);
    assert.notEqual(second.path, first.path);
    assert.ok(fs.existsSync(openLog), 'the first window keeps its open log');
    second.dispose();
    assert.ok(!fs.existsSync(second.path));
    assert.ok(fs.existsSync(openLog));
    first.dispose();
  });

  it('removes the folders of windows that are gone, and old loose files, but not recent unowned ones', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = path.join(root, `window-${gone}-dead`);
    fs.mkdirSync(dead);
    fs.writeFileSync(path.join(dead, 'owner.json'), JSON.stringify({ pid: gone }));
    const oldLoose = path.join(root, 'log-old.ndjson');
    fs.writeFileSync(oldLoose, 'x');
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600_000) / 1000;
    fs.utimesSync(oldLoose, twoDaysAgo, twoDaysAgo);
    const recentLoose = path.join(root, 'log-recent.ndjson');
    fs.writeFileSync(recentLoose, 'x');

    const mine = claimScratchFolder(root);
    assert.ok(fs.existsSync(mine.path), 'the folder is there at once; the clean-up follows');
    await mine.cleaned;
    assert.ok(fs.existsSync(mine.path), 'its own folder stays');
    assert.ok(!fs.existsSync(dead), 'a folder whose process is gone is removed');
    assert.ok(!fs.existsSync(oldLoose), 'a day-old loose file is removed');
    assert.ok(fs.existsSync(recentLoose), 'a recent file of unknown owner stays');
    mine.dispose();
  });
});
