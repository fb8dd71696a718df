/**
 * `npm run demo`: the extension against a local Runflow API emulator, in one command.
 *
 * Starts the emulator (seeded runs, some active, a 100,000-line log, a new live run every 40 s), copies the
 * demo workspace (launch files, one of them broken) to a temporary folder, and opens it in VS Code with this
 * extension, already pointed at the emulator:
 *   - a desktop `code` on the PATH, on a machine that can show a window: a new window of it;
 *   - otherwise VS Code in the browser, served on 127.0.0.1 (the URL is printed), with the extension
 *     installed as a user has it.
 * Ctrl-C stops everything it started and deletes the temporary folder.
 *
 *   npm run demo -- [--web | --desktop] [--api-port 4010] [--ui-port 4011] [--no-live] [--speed 1] [--strict[=ignore-q]] [--verbose]
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTarget, shortId } from '../src/core/runModel';
import type { Run } from '../src/api/types';
import { startEmulator, type Emulator } from '../test/emulator';
import { freePort } from '../test/host/headless';
import { createDemoWorkspace, demoUserSettings, QUIET_SETTINGS } from './lib/demoWorkspace';
import { startLiveRuns } from './lib/liveRuns';
import { findDesktopCode, openDesktopVSCode } from './lib/vscodeDesktop';
import { startWebVSCode } from './lib/vscodeWeb';

const ROOT = path.resolve(__dirname, '..');
export const DEMO_TOKEN = 'demo-token';
const LIVE_RUN_EVERY_MS = 40_000;
const BIG_LOG_LINES = 100_000;
const USAGE = 'npm run demo -- [--web | --desktop] [--api-port 4010] [--ui-port 4011] [--no-live] [--speed 1] [--strict[=ignore-q]] [--verbose]';

export interface DemoOptions {
  mode: 'auto' | 'web' | 'desktop';
  /** 0 picks a free port; a taken one falls back to a free one. */
  apiPort: number;
  uiPort: number;
  live: boolean;
  /** How fast runs launched during the demo go through their states (1: 10–30 s each). */
  speed: number;
  /** The emulator serves only what the API reference promises (see test/emulator/README.md). */
  strict: false | 'refuse-q' | 'ignore-q';
  verbose: boolean;
  /** Settings added to the demo's own (the tests use faster polling). */
  extraSettings?: Record<string, unknown>;
}

export interface Demo {
  /** What to open: the page's URL, or where the desktop window is. */
  open: string;
  /** The page's URL when VS Code is served to the browser. */
  url?: string;
  emulator: Emulator;
  workspace: string;
  /** Resolves when VS Code went away (window closed, server exited). */
  exited: Promise<number | null>;
  desktop: boolean;
  stop(): Promise<void>;
}

function parseArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { mode: 'auto', apiPort: 4010, uiPort: 4011, live: true, speed: 1, strict: false, verbose: false };
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
    else if (arg === '--speed') {
      options.speed = Number(argv[++i]);
      if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw new Error('--speed needs a positive number');
    } else if (arg === '--strict' || arg === '--strict=refuse-q') options.strict = 'refuse-q';
    else if (arg === '--strict=ignore-q') options.strict = 'ignore-q';
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
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

/**
 * Starts everything the demo needs in `scratch` (which the caller removes): the emulator, the live runs,
 * the workspace and VS Code. On failure, what was started is stopped again.
 */
export async function startDemo(options: DemoOptions, scratch: string, log: (line: string) => void): Promise<Demo> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => undefined);
  };
  try {
    const emulator = await startEmulator({
      port: await pickPort(options.apiPort),
      tokens: { [DEMO_TOKEN]: '*' },
      seed: 1,
      bigLogLines: BIG_LOG_LINES,
      speed: options.speed,
      strict: options.strict,
    });
    stops.push(() => emulator.close());
    if (options.live) {
      const live = startLiveRuns({ baseUrl: emulator.url, token: DEMO_TOKEN, everyMs: LIVE_RUN_EVERY_MS, log });
      stops.push(() => live.stop());
    }

    const workspace = createDemoWorkspace(scratch);
    const userSettings = { ...demoUserSettings(emulator.url), ...options.extraSettings };
    const code = options.mode === 'web' ? undefined : findDesktopCode();
    if (options.mode === 'desktop' && !code) throw new Error('--desktop: no desktop `code` on the PATH, or no display to show it on');

    if (code) {
      const desktop = openDesktopVSCode({ code, extensionDevelopmentPath: ROOT, workspace, dataDir: path.join(scratch, 'vscode'), userSettings });
      stops.push(() => desktop.stop());
      return { open: 'the new VS Code window ([Extension Development Host] workspace)', emulator, workspace, exited: desktop.exited, desktop: true, stop };
    }
    log('[demo] starting VS Code in the browser (the first time, this installs the VS Code server into .vscode-test/: about 2 minutes)…');
    const web = await startWebVSCode({
      extensionPath: ROOT,
      workspace,
      dataDir: path.join(scratch, 'vscode-server'),
      port: await pickPort(options.uiPort),
      userSettings,
      // The server's machine settings outrank the browser's user settings, and its defaults say `none`.
      machineSettings: { ...QUIET_SETTINGS, 'workbench.startupEditor': userSettings['workbench.startupEditor'] },
      log,
      verbose: options.verbose,
    });
    stops.push(() => web.stop());
    return { open: web.url, url: web.url, emulator, workspace, exited: web.exited, desktop: false, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The runs worth opening first, found in the emulator's own data so the guide names them as the view does. */
async function runsWorthSeeing(emulator: Emulator): Promise<{ failed?: Run; bigLog?: Run }> {
  try {
    const res = await fetch(`${emulator.url}/v1/runs?limit=50&embed=model`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    const items = ((await res.json()) as { items?: Run[] }).items ?? [];
    const failed = items.find((r) => r.status_code === 'failed' && r.failure_code && r.failure_stage_code && r.model);
    const bigLog = items.find((r) => r.id === emulator.bigLogRunId);
    return { failed, bigLog };
  } catch {
    return {};
  }
}

function guide(demo: Demo, options: DemoOptions, worth: { failed?: Run; bigLog?: Run }): string {
  const named = (run: Run) => `${runTarget(run).label} · ${shortId(run.id ?? '')}`;
  const failed = worth.failed
    ? `the Failed group, ${named(worth.failed)}: the panel opens on the failure (${worth.failed.failure_stage_code}, ${worth.failed.failure_code}),\n                    and Node runs shows the node that failed.`
    : 'any run in the Failed group: the panel opens on the failure, and Node runs shows the node that failed.';
  const bigLog = worth.bigLog
    ? `the Succeeded group, ${named(worth.bigLog)}: ${BIG_LOG_LINES.toLocaleString('en-US')} log lines that open at once; search them`
    : `the Log Storm run (Succeeded): ${BIG_LOG_LINES.toLocaleString('en-US')} log lines that open at once; search them`;
  return `
Runflow demo is running.

  1. Open            ${demo.open}
  2. Sign in         the Runflow icon in the activity bar, then Sign In; paste the token   ${DEMO_TOKEN}

  Worth a look
    A failed run    ${failed}
    A big log       ${bigLog}
                    (try "line 99999"), filter by level, or Open in Editor.
    A launch file   open sdxl-turbo.runflow.json and click "Run on runflow/sdxl-turbo" above its first line:
                    the run appears at the top of the view, its panel opens, and a notification says when it finishes.
    A broken one    open broken-input.runflow.json: its problems are underlined, and launching it says why
                    nothing was sent.${options.live ? '\n    Live runs       a new run starts every 40 s: watch it queue, run and finish.' : ''}

  API emulator   ${demo.emulator.url}   (300 seeded runs${options.live ? ', a new live run every 40 s' : ''}; runflow.apiBaseUrl points here)
  Workspace      ${demo.workspace}   (deleted when the demo stops; its README.md says the same as this)

Press Ctrl-C to stop everything.
`;
}

/** The oldest Node the project's tools accept (mocha 12 and chokidar ask for 20.19). */
const MIN_NODE = [20, 19];

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    console.error(`[demo] needs Node ${MIN_NODE.join('.')} or newer; this is Node ${process.versions.node}.`);
    process.exit(2);
  }
  let options: DemoOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`[demo] ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-demo-'));
  let demo: Demo | undefined;

  let stopping: Promise<void> | undefined;
  const stopAll = (reason: string, code: number) => {
    stopping ??= (async () => {
      log(`\n[demo] ${reason}: stopping…`);
      await demo?.stop();
      fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
      log('[demo] stopped.');
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(signal, 0));

  try {
    demo = await startDemo(options, scratch, log);
    console.log(guide(demo, options, await runsWorthSeeing(demo.emulator)));
    const exitCode = await demo.exited;
    await stopAll(demo.desktop ? 'the VS Code window was closed' : `the VS Code server exited (code ${exitCode})`, demo.desktop ? 0 : 1);
  } catch (err) {
    console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
    await stopAll('failed', 1);
  }
}

if (require.main === module) void main();
