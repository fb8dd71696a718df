/**
 * Headless launcher: serves VS Code from the `code-server` npm package and drives the workbench with
 * Debian's Chromium through playwright-core. The extension under test runs in the server's Node
 * extension host, exactly as under VS Code Remote; the test entry comes in through the URL payload.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDriver, type Driver } from './driver';
import { ensureServer } from './install-server';
import type { LaunchOptions, LaunchResult } from './launch-options';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Harmless on a machine with no internet: the marketplace, telemetry and the service worker. */
const OFFLINE_NOISE =
  /ENOTFOUND|open-vsx\.org|Service Worker|AccountPolicyGate|AgentHost:remote|Creating a socket|builtin extensions cache|^\s+at .*workbench\.js/;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function remoteUri(port: number, p: string): string {
  return `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
}

export function waitForReady(child: ChildProcess, log: (s: string) => void, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.trim()) log(`[server] ${line}`);
      if (/Web UI available at/.test(text) || /Extension host agent listening/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited early with code ${code}`));
    });
  });
}

export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const hard = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 3000);
  hard.unref();
}

/** Machine settings for a quiet, deterministic workbench. */
export function writeMachineSettings(serverDataDir: string, extra: Record<string, unknown>): void {
  const dir = path.join(serverDataDir, 'data', 'Machine');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...extra,
      },
      null,
      2,
    ),
  );
}

export async function runHeadless(opts: LaunchOptions): Promise<LaunchResult> {
  const log = opts.log;
  const install = ensureServer(log);
  log(`[host] VS Code ${install.vscodeVersion} (server from code-server), headless Chromium`);

  const serverDataDir = opts.profile ? path.join(opts.profile.dir, 'server') : fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-vscode-server-'));
  fs.mkdirSync(serverDataDir, { recursive: true });
  writeMachineSettings(serverDataDir, opts.settings ?? {});
  const port = opts.profile?.port ?? (await freePort());

  let page: Page | undefined;
  const driver: Driver = await startDriver({ getPage: () => page, resultsDir: opts.resultsDir, log });

  const serverArgs = [
    install.serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--server-data-dir', serverDataDir,
    '--disable-telemetry',
    '--enable-smoke-test-driver',
    '--disable-workspace-trust',
    ...(opts.installExtensions ?? []).flatMap((vsix) => ['--install-extension', vsix]),
    // Without it the server treats --install-extension as a CLI call: it installs and exits.
    ...(opts.installExtensions?.length ? ['--start-server'] : []),
  ];
  const server = spawn(install.node, serverArgs, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...opts.env,
      RUNFLOW_TEST_DRIVER: driver.url,
      VSCODE_VERSION_UNDER_TEST: install.vscodeVersion,
      // Lets a suite inspect what VS Code wrote to disk (logs, settings, storage) before it is deleted.
      RUNFLOW_TEST_SERVER_DATA_DIR: serverDataDir,
    },
  });

  /** Closes the browser, and with it a kept profile, written to disk. */
  let closeBrowser: (() => Promise<void>) | undefined;
  let exitCode = 1;
  try {
    await waitForReady(server, opts.verbose ? log : () => undefined, 120_000);

    const launchOptions = {
      executablePath: process.env.RUNFLOW_CHROMIUM ?? '/usr/bin/chromium',
      // For suites that serve media from a local https server with a certificate made on the spot (the
      // flag, unlike the context option, also covers the webviews' service worker).
      args: process.env.RUNFLOW_TEST_IGNORE_HTTPS_ERRORS ? [...CHROMIUM_ARGS, '--ignore-certificate-errors'] : CHROMIUM_ARGS,
      headless: true,
    };
    const viewport = { width: 1400, height: 900 };
    if (opts.profile) {
      const context: BrowserContext = await chromium.launchPersistentContext(path.join(opts.profile.dir, 'browser'), { ...launchOptions, viewport });
      closeBrowser = () => context.close();
      await serveSecretsKey(context, opts.profile.dir);
      page = context.pages()[0] ?? (await context.newPage());
    } else {
      const browser = await chromium.launch(launchOptions);
      closeBrowser = () => browser.close();
      page = await (await browser.newContext({ viewport })).newPage();
    }

    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    let inNoise = false;
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      // A stack trace that follows a noise line is noise too.
      inNoise = !opts.verbose && (OFFLINE_NOISE.test(text) || (inNoise && /^\s+at /.test(text)));
      if (inNoise) return;
      for (const line of text.split('\n')) log(type === 'error' ? `[exthost:error] ${line}` : line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));

    const payload: [string, string][] = [['skipWelcome', 'true']];
    // The extension host runs a test entry only in an extension development window. To test an installed
    // .vsix, a folder that holds no extension (the workspace) stands in, as in the desktop launcher.
    payload.push(['extensionDevelopmentPath', remoteUri(port, opts.extensionDevelopmentPath ?? opts.workspacePath)]);
    payload.push(['extensionTestsPath', remoteUri(port, opts.extensionTestsPath)]);
    const url =
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(remoteUri(port, opts.workspacePath))}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);

    const timeout = new Promise<number>((resolve) => {
      const t = setTimeout(() => {
        log(`[host] the tests did not finish within ${opts.timeoutMs / 1000} s`);
        resolve(124);
      }, opts.timeoutMs);
      t.unref();
    });
    exitCode = await Promise.race([exited, timeout]);
  } catch (err) {
    log(`[host] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    exitCode = 1;
  } finally {
    if (exitCode !== 0) await keepEvidence(page, serverDataDir, opts.resultsDir, log);
    await closeBrowser?.().catch(() => undefined);
    await driver.close();
    killGroup(server);
    if (!opts.profile) fs.rmSync(serverDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
  return { exitCode, vscodeVersion: install.vscodeVersion };
}

/**
 * The web workbench seals SecretStorage into the page's localStorage with a key half it asks the server
 * for (POST …/mint-key). code-server's own wrapper serves it; the bare VS Code server run here does not,
 * and without it secrets live only as long as the page. A kept profile answers it here, with a key kept
 * beside the profile, so that a token stored in one launch is there in the next, as in a user's browser.
 */
async function serveSecretsKey(context: BrowserContext, profileDir: string): Promise<void> {
  const keyFile = path.join(profileDir, 'serve-web-key-half');
  if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(32));
  const key = fs.readFileSync(keyFile);
  await context.route(/\/mint-key$/, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: key }));
}

/** On failure: a screenshot of the workbench and VS Code's logs, under test-results/. */
async function keepEvidence(page: Page | undefined, serverDataDir: string, resultsDir: string, log: (s: string) => void) {
  fs.mkdirSync(resultsDir, { recursive: true });
  if (page) {
    const shot = path.join(resultsDir, 'failure-workbench.png');
    await page.screenshot({ path: shot }).then(
      () => log(`[host] screenshot of the workbench: ${shot}`),
      () => undefined,
    );
  }
  const logs = path.join(serverDataDir, 'data', 'logs');
  if (fs.existsSync(logs)) {
    const dest = path.join(resultsDir, 'vscode-logs');
    fs.rmSync(dest, { recursive: true, force: true });
    fs.cpSync(logs, dest, { recursive: true });
    log(`[host] VS Code logs: ${dest}`);
  }
}
