/**
 * `npm run demo`: the extension against a local Runflow API emulator, in one command.
 *
 * Starts the emulator (seeded runs, some active, a new live run every 40 s), copies the demo workspace
 * (launch files for runflow/sdxl-turbo, acme/flux-schnell and runflow/broken-upscaler) to a temporary
 * folder, and opens it in VS Code with this extension, already pointed at the emulator:
 *   - a desktop `code` on the PATH, on a machine that can show a window: a new window of it;
 *   - otherwise VS Code in the browser, served on 127.0.0.1 (the URL is printed).
 * Ctrl-C stops everything it started and deletes the temporary folder.
 *
 *   npm run demo -- [--web | --desktop] [--api-port 4010] [--ui-port 4011] [--no-live] [--strict[=ignore-q]] [--verbose]
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../test/emulator';
import { freePort } from '../test/host/headless';
import { createDemoWorkspace, demoLaunchFiles, QUIET_SETTINGS } from './lib/demoWorkspace';
import { startLiveRuns, type LiveRuns } from './lib/liveRuns';
import { findDesktopCode, openDesktopVSCode } from './lib/vscodeDesktop';
import { startWebVSCode } from './lib/vscodeWeb';

const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'demo-token';
const LIVE_RUN_EVERY_MS = 40_000;

interface Options {
  mode: 'auto' | 'web' | 'desktop';
  apiPort: number;
  uiPort: number;
  live: boolean;
  /** The emulator serves only what the API reference promises (see test/emulator/README.md). */
  strict: false | 'refuse-q' | 'ignore-q';
  verbose: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { mode: 'auto', apiPort: 4010, uiPort: 4011, live: true, strict: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const port = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${arg} needs a port number`);
      return n;
    };
    if (arg === '--web') options.mode = 'web';
    else if (arg === '--desktop') options.mode = 'desktop';
    else if (arg === '--api-port') options.apiPort = port();
    else if (arg === '--ui-port') options.uiPort = port();
    else if (arg === '--no-live') options.live = false;
    else if (arg === '--strict' || arg === '--strict=refuse-q') options.strict = 'refuse-q';
    else if (arg === '--strict=ignore-q') options.strict = 'ignore-q';
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('npm run demo -- [--web | --desktop] [--api-port 4010] [--ui-port 4011] [--no-live] [--strict[=ignore-q]] [--verbose]');
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (see --help)`);
  }
  return options;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The wanted port, or any free one when it is taken (another demo, a stray emulator). */
async function pickPort(wanted: number): Promise<number> {
  return wanted !== 0 && (await portIsFree(wanted)) ? wanted : freePort();
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-demo-'));
  const stops: (() => Promise<void> | void)[] = [];

  let stopping: Promise<void> | undefined;
  const stopAll = (reason: string, code: number) => {
    stopping ??= (async () => {
      log(`\n[demo] ${reason}: stopping…`);
      for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
      fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
      log('[demo] stopped.');
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(signal, 0));

  try {
    const emu: Emulator = await startEmulator({ port: await pickPort(options.apiPort), tokens: { [TOKEN]: '*' }, seed: 1, bigLogLines: 100_000, strict: options.strict });
    stops.push(() => emu.close());
    let live: LiveRuns | undefined;
    if (options.live) {
      live = startLiveRuns({ baseUrl: emu.url, token: TOKEN, everyMs: LIVE_RUN_EVERY_MS, log });
      stops.push(() => live?.stop());
    }

    const workspace = createDemoWorkspace(scratch);
    const userSettings = { ...QUIET_SETTINGS, 'runflow.apiBaseUrl': emu.url };
    const code = options.mode === 'web' ? undefined : findDesktopCode();
    if (options.mode === 'desktop' && !code) throw new Error('--desktop: no desktop `code` on the PATH, or no display to show it on');

    let open: string;
    let exited: Promise<number | null>;
    if (code) {
      const desktop = openDesktopVSCode({ code, extensionDevelopmentPath: ROOT, workspace, dataDir: path.join(scratch, 'vscode'), userSettings });
      stops.push(() => desktop.stop());
      exited = desktop.exited;
      open = 'the new VS Code window ([Extension Development Host] workspace)';
    } else {
      log('[demo] starting VS Code in the browser (the first time this installs the VS Code server into .vscode-test/, ~2 min)…');
      const web = await startWebVSCode({
        extensionDevelopmentPath: ROOT,
        workspace,
        dataDir: path.join(scratch, 'vscode-server'),
        port: await pickPort(options.uiPort),
        userSettings,
        machineSettings: QUIET_SETTINGS,
        log,
        verbose: options.verbose,
      });
      stops.push(() => web.stop());
      exited = web.exited;
      open = web.url;
    }

    const launchFile = demoLaunchFiles().find((f) => f.startsWith('sdxl-turbo')) ?? demoLaunchFiles()[0];
    console.log(`
Runflow demo is running.

  1. Open        ${open}
  2. Click the Runflow icon in the activity bar, then Sign In.
  3. Paste the token   ${TOKEN}
  4. Open ${launchFile} and choose "Run on …" above its first line
     (or run "Runflow: Run Model from File" from the Command Palette).

  API emulator   ${emu.url}   (300 seeded runs, some active${options.live ? ', a new live run every 40 s' : ''}; runflow.apiBaseUrl points here)
  Workspace      ${workspace}   (deleted when the demo stops)

Press Ctrl-C to stop everything.
`);
    const exitCode = await exited;
    await stopAll(code ? 'the VS Code window was closed' : `the VS Code server exited (code ${exitCode})`, code ? 0 : 1);
  } catch (err) {
    console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
    await stopAll('failed', 1);
  }
}

void main();
