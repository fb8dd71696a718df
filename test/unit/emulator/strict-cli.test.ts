import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../emulator/cli.ts');

/** Starts the command line emulator, returns what it printed up to "Ctrl+C", then stops it. */
function banner(args: string[]): Promise<{ text: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      resolve({ text, code });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('Ctrl+C')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => finish(code));
  });
}

describe('emulator command line, strict mode', function () {
  this.timeout(30000);

  it('--strict serves refuse-q, says so, and its curl example carries no q', async () => {
    const { text } = await banner(['--strict']);
    assert.match(text, /mode: +strict \(refuse-q\)/);
    const tries = text.split('\n').filter((l) => l.includes('curl'));
    assert.ok(tries.length >= 2);
    for (const line of tries) assert.doesNotMatch(line, /[?&]q=/);
    assert.match(text, /sort_by=created_at:desc/);
  });

  it('--strict=ignore-q serves ignore-q', async () => {
    const { text } = await banner(['--strict=ignore-q']);
    assert.match(text, /mode: +strict \(ignore-q\)/);
  });

  it('without --strict the banner names the default mode and keeps its q example', async () => {
    const { text } = await banner([]);
    assert.match(text, /mode: +default/);
    assert.match(text, /q=status_code/);
  });

  it('refuses an unknown strict mode', async () => {
    const { text, code } = await banner(['--strict=maybe']);
    assert.equal(code, 2);
    assert.match(text, /--strict takes no value, or one of: refuse-q, ignore-q/);
  });
});
