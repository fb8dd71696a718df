/**
 * VS Code desktop for the demo: the `code` on the PATH, in a new window with its own throwaway user data
 * and extensions folders, running this folder as the extension under development.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeUserSettings } from './demoWorkspace';

/** The desktop `code` command when this machine can show a window, else undefined. */
export function findDesktopCode(): string | undefined {
  // In a VS Code remote terminal `code` opens in the client's window and ignores --user-data-dir.
  if (process.env.VSCODE_IPC_HOOK_CLI) return undefined;
  const hasDisplay = process.platform === 'darwin' || process.platform === 'win32' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  if (!hasDisplay) return undefined;
  const names = process.platform === 'win32' ? ['code.cmd', 'code.exe'] : ['code'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

export interface DesktopVSCode {
  /** Resolves when the window is closed. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function openDesktopVSCode(opts: {
  code: string;
  extensionDevelopmentPath: string;
  workspace: string;
  dataDir: string;
  userSettings: Record<string, unknown>;
}): DesktopVSCode {
  const userDataDir = path.join(opts.dataDir, 'user-data');
  writeUserSettings(path.join(userDataDir, 'User'), opts.userSettings);
  const cli = spawn(
    opts.code,
    [
      '--new-window',
      '--wait',
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${path.join(opts.dataDir, 'extensions')}`,
      `--extensionDevelopmentPath=${opts.extensionDevelopmentPath}`,
      '--disable-workspace-trust',
      opts.workspace,
    ],
    { stdio: 'ignore', shell: process.platform === 'win32' },
  );
  const exited = new Promise<number | null>((resolve) => {
    cli.once('exit', (code) => resolve(code));
    cli.once('error', () => resolve(1));
  });
  return {
    exited,
    async stop() {
      cli.kill();
      // The window runs apart from the CLI; its processes are the ones started with this user data folder.
      for (const pid of processesMentioning(userDataDir)) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    },
  };
}

function processesMentioning(text: string): number[] {
  if (process.platform === 'win32') return [];
  try {
    return execFileSync('ps', ['-A', '-o', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(text))
      .map((line) => Number.parseInt(line.trim(), 10))
      .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
  } catch {
    return [];
  }
}
