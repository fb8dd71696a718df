/**
 * VS Code in the browser for machines without a display: the VS Code server from the `code-server`
 * package (installed on first use into .vscode-test/, like the headless test launcher) serving the
 * workbench on 127.0.0.1, with this folder loaded as the extension under development.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killGroup, remoteUri, waitForReady, writeMachineSettings } from '../../test/host/headless';
import { ensureServer } from '../../test/host/install-server';
import { writeUserSettings } from './demoWorkspace';

export interface WebVSCode {
  url: string;
  /** Resolves when the server process has exited, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startWebVSCode(opts: {
  extensionDevelopmentPath: string;
  workspace: string;
  /** Scratch folder for the server's data; removed by the caller. */
  dataDir: string;
  port: number;
  userSettings: Record<string, unknown>;
  machineSettings: Record<string, unknown>;
  log: (line: string) => void;
  verbose: boolean;
}): Promise<WebVSCode> {
  const install = ensureServer(opts.log);
  writeMachineSettings(opts.dataDir, opts.machineSettings);
  // The server keeps the browser's user settings in <server data>/data/User: application-scoped
  // settings such as runflow.apiBaseUrl are honoured only there, not in machine or workspace settings.
  writeUserSettings(path.join(opts.dataDir, 'data', 'User'), opts.userSettings);

  // A connection token keeps other local users and web pages from driving this server.
  // Passed in a file, not on the command line, where any local user could read it.
  const token = randomBytes(16).toString('hex');
  const tokenFile = path.join(opts.dataDir, 'connection-token');
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  const logFile = path.join(opts.dataDir, 'server.log');
  const server = spawn(
    install.node,
    [
      install.serverMain,
      '--host', '127.0.0.1',
      '--port', String(opts.port),
      '--connection-token-file', tokenFile,
      '--accept-server-license-terms',
      '--server-data-dir', opts.dataDir,
      '--disable-telemetry',
      // Lets the page's URL name the extension under development (the `payload` parameter).
      '--enable-smoke-test-driver',
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = fs.createWriteStream(logFile);
  server.stdout?.pipe(out);
  server.stderr?.pipe(out);
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));

  try {
    await waitForReady(server, opts.verbose ? opts.log : () => undefined, 120_000);
  } catch (err) {
    killGroup(server);
    throw new Error(`${err instanceof Error ? err.message : String(err)} (server log: ${logFile})`);
  }

  const payload = [
    ['extensionDevelopmentPath', remoteUri(opts.port, opts.extensionDevelopmentPath)],
    ['skipWelcome', 'true'],
  ];
  const url =
    `http://127.0.0.1:${opts.port}/?tkn=${token}` +
    `&folder=${encodeURIComponent(remoteUri(opts.port, opts.workspace))}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  return {
    url,
    exited,
    async stop() {
      killGroup(server);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      out.end();
    },
  };
}
