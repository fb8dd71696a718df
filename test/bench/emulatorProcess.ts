/** An emulator in a process of its own (the CLI in test/emulator), as a real server would be. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface EmulatorProcess {
  url: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startEmulatorProcess(opts: { token: string; runs: number; bigLogLines?: number; strict?: false | 'refuse-q' | 'ignore-q' }): Promise<EmulatorProcess> {
  const args = ['--import', 'tsx', path.join(ROOT, 'test', 'emulator', 'cli.ts'), '--port', '0', '--token', opts.token, '--runs', String(opts.runs)];
  if (opts.bigLogLines) args.push('--big-log', String(opts.bigLogLines));
  if (opts.strict) args.push(opts.strict === 'refuse-q' ? '--strict' : '--strict=ignore-q');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code}:\n${output}`));
    });
  }).catch(async (err: unknown) => {
    await stop(child);
    throw err;
  });
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  return { url, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
