/**
 * VS Code in the browser for machines without a display, as a user has it: the VS Code server from the
 * `code-server` package (installed on first use into .vscode-test/, like the headless test launcher) with
 * this extension installed into its extensions folder, behind a front door that serves `/mint-key` so the
 * browser's secret storage survives a page reload.
 *
 * Unlike the test launcher, the server runs without `--enable-smoke-test-driver`: under that flag the
 * workbench never shows a notification toast, and the demo must look like VS Code does.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, killGroup, remoteUri, waitForReady, writeMachineSettings } from '../../test/host/headless';
import { ensureServer } from '../../test/host/install-server';
import { writeUserSettings } from './demoWorkspace';
import { startFrontDoor } from './frontDoor';

export interface WebVSCode {
  url: string;
  /** Resolves when the server process has exited, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** What the .vsix carries (see .vscodeignore), plus the source maps for readable stack traces. */
const PACKAGED = ['package.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/**
 * Installs the built extension in `extensionPath` into a server's extensions folder the way installing
 * its .vsix would: a copy of the packaged files in `<publisher>.<name>-<version>`, listed in
 * extensions.json (the server loads only what that file lists). A copy, not a link: nothing VS Code does
 * to its extensions folder can reach the working tree.
 */
export function installExtension(extensionPath: string, extensionsDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  const folder = `${id}-${manifest.version}`;
  const target = path.join(extensionsDir, folder);
  fs.mkdirSync(target, { recursive: true });
  for (const entry of PACKAGED) {
    const from = path.join(extensionPath, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true });
  }
  const listed = [{ identifier: { id }, version: manifest.version, location: { $mid: 1, scheme: 'file', path: target }, relativeLocation: folder }];
  fs.writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify(listed));
  return id;
}

export async function startWebVSCode(opts: {
  /** The extension's folder, built (dist/); installed into the server, not loaded as a development folder. */
  extensionPath: string;
  workspace: string;
  /** Scratch folder for the server's data; removed by the caller. */
  dataDir: string;
  /** Where the browser connects; 0 picks a free port. */
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
  const extensionsDir = path.join(opts.dataDir, 'extensions');
  installExtension(opts.extensionPath, extensionsDir);

  // A connection token keeps other local users and web pages from driving this server.
  // Passed in a file, not on the command line, where any local user could read it.
  const token = randomBytes(16).toString('hex');
  const tokenFile = path.join(opts.dataDir, 'connection-token');
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  const logFile = path.join(opts.dataDir, 'server.log');
  const serverPort = await freePort();
  const server = spawn(
    install.node,
    [
      install.serverMain,
      '--host', '127.0.0.1',
      '--port', String(serverPort),
      '--connection-token-file', tokenFile,
      '--accept-server-license-terms',
      '--server-data-dir', opts.dataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
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
    throw new Error(`${err instanceof Error ? err.message : String(err)} (server log: ${logFile})`, { cause: err });
  }
  const frontDoor = await startFrontDoor({ port: opts.port, serverPort, connectionToken: token }).catch((err: unknown) => {
    killGroup(server);
    throw err;
  });

  // The workbench names remote files by the authority the browser sees: the front door's.
  const url = `http://127.0.0.1:${frontDoor.port}/?tkn=${token}&folder=${encodeURIComponent(remoteUri(frontDoor.port, opts.workspace))}`;

  return {
    url,
    exited,
    async stop() {
      await frontDoor.close();
      killGroup(server);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      out.end();
    },
  };
}
