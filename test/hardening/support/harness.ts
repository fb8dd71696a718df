/**
 * The hardening suite's fixture: the emulator inside the extension host, the extension pointed at it and
 * signed in with the suite's sentinel token, and small readers of what the user sees (the Runs view, a
 * run panel, notifications) and of what the extension wrote (its log).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator, type EmulatorOptions, type Run } from '../../emulator';
import { emulatorStrictMode } from '../../integration/support/emulatorMode';
import type { TestApi } from '../../../src/extension';
import { evaluate, hasBrowser, press } from '../../integration/support/driver';
import { activateExtension } from '../../integration/support/extension';
import { waitFor } from '../../integration/support/wait';

/**
 * The only token the suite ever uses. The runner passes one made fresh for every run, so finding it
 * anywhere after the suite can only mean the extension put it there.
 */
export const SENTINEL = process.env.RUNFLOW_HARDENING_TOKEN ?? `rf-sentinel-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

export const MODE: 'ci' | 'full' = process.env.RUNFLOW_HARDENING_MODE === 'full' ? 'full' : 'ci';

/** How many times faster than the wall clock the extension's polling runs in this launch. */
export const TIME_SCALE = Number(process.env.RUNFLOW_TEST_TIME_SCALE) > 1 ? Number(process.env.RUNFLOW_TEST_TIME_SCALE) : 1;

export interface Harness {
  emu: Emulator;
  api: TestApi;
}

const config = () => vscode.workspace.getConfiguration('runflow');

export async function setSetting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

/** A fresh emulator that knows only the sentinel token, the extension pointed at it and signed in. */
export async function startHarness(
  options: EmulatorOptions & { activeIntervalSeconds?: number; pageSize?: number; signIn?: boolean; prepare?: (emu: Emulator) => void } = {},
): Promise<Harness> {
  const { activeIntervalSeconds = 2, pageSize = 50, signIn = true, prepare, ...emuOptions } = options;
  const emu = await startEmulator({ port: 0, speed: 40, strict: emulatorStrictMode(), ...emuOptions, tokens: { [SENTINEL]: '*' } });
  prepare?.(emu);
  const api = await activateExtension();
  await setSetting('refresh.activeIntervalSeconds', activeIntervalSeconds);
  await setSetting('runs.pageSize', pageSize);
  await setSetting('confirm.rerun', false);
  await setSetting('confirm.cancelRun', false);
  await setSetting('apiBaseUrl', emu.url);
  await waitFor('the connection to follow the setting', () => api.connection.baseUrl === emu.url);
  await vscode.commands.executeCommand('workbench.view.extension.runflow');
  if (signIn) {
    const check = await api.signInWithToken(SENTINEL);
    if (!check.ok) throw new Error(`sign-in failed: ${check.reason}`);
    await waitFor('runs to load', () => api.store.size > 0 && api.view.state === 'ready', 30_000);
  }
  return { emu, api };
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  for (const id of h.api.panels.openRunIds) h.api.panels.panel(id)?.dispose();
  h.emu.clearFaults();
  const misplaced = tokenOutsideAuthorization(h.emu);
  await h.api.tokens.delete(h.emu.url);
  await setSetting('apiBaseUrl', undefined);
  await h.api.view.setFilter({});
  await h.emu.close();
  if (misplaced.length) throw new Error(`the token reached the API outside the Authorization header: ${misplaced.join('; ')}`);
}

/**
 * Requests that carried the sentinel anywhere but in `Authorization: Bearer <sentinel>` (path, query,
 * another header), or API requests that went without it.
 */
export function tokenOutsideAuthorization(emu: Emulator): string[] {
  const problems: string[] = [];
  for (const r of emu.requests()) {
    const { authorization, ...others } = r.headers;
    const where = `${r.method} ${r.path}`;
    if (r.path.includes(SENTINEL) || JSON.stringify(r.query).includes(SENTINEL)) problems.push(`${where}: in the URL`);
    for (const [name, value] of Object.entries(others)) if (value.includes(SENTINEL)) problems.push(`${where}: in ${name}`);
    if (r.path.startsWith('/v1/') && authorization !== undefined && authorization !== `Bearer ${SENTINEL}`) problems.push(`${where}: an Authorization header other than the token`);
    if (!r.path.startsWith('/v1/') && authorization !== undefined) problems.push(`${where}: an Authorization header outside the API`);
  }
  return problems;
}

/** An active run that stays active (inserted runs do not progress), with a few log lines. */
export function insertActiveRun(emu: Emulator, extra: Omit<Partial<Run>, 'status_code'> = {}): Run {
  const now = new Date().toISOString();
  const run = emu.insertRun({ status_code: 'running', created_at: now, started_at: now, nodes_total: 4, nodes_completed: 1, has_logs: true, ...extra });
  emu.appendLogs(run.id!, [{ level_code: 'info', message: 'starting' }, { level_code: 'info', message: 'step 1 of 4' }]);
  return run;
}

// ---- what the user sees ----

/** The frame of the run panel showing `runId`, for the driver. */
export function panelFrame(runId: string): { selector: string } {
  return { selector: `#app[data-ready="true"][data-run-id="${runId}"]` };
}

/** Opens (or reveals) the panel of a run and waits until its page shows the run. */
export async function openPanel(api: TestApi, runId: string): Promise<void> {
  api.panels.open(runId);
  if (hasBrowser()) await waitFor(`the panel of ${runId}`, () => evaluate<boolean>(panelFrame(runId), 'true', 5_000), 60_000);
}

/** The panel's error banner text, or '' while it is hidden. */
export function panelBanner(runId: string): Promise<string> {
  return evaluate<string>(panelFrame(runId), `(() => { const b = document.querySelector('[data-testid="run-error"]'); return b && !b.hidden ? b.innerText : ''; })()`);
}

/** Text of the Runs view pane as shown in the workbench (its message, welcome content and rows). */
export function viewText(): Promise<string> {
  return evaluate<string>(
    'workbench',
    `(() => { const el = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs')); return el ? el.innerText : ''; })()`,
  );
}

/**
 * Every notification of this window so far, as the notification centre lists them (opened, read and
 * closed again): this workbench announces notifications there and to screen readers, not as toasts.
 */
export async function allNotifications(): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  const text = await waitFor('the notification centre', () =>
    evaluate<string | null>('workbench', `(() => { const c = document.querySelector('.notifications-center'); return c && c.offsetParent !== null ? c.innerText : null; })()`),
  );
  await vscode.commands.executeCommand('notifications.hideList');
  return text;
}

export async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
}

/** Types `text` into the quick input that is open (or about to open) and accepts it. */
export async function answerQuickInput(text: string): Promise<void> {
  await waitFor('the input box', () => evaluate<boolean>('workbench', `!!document.querySelector('.quick-input-widget:not([style*="display: none"]) input')`));
  await evaluate('workbench', `(() => { const i = document.querySelector('.quick-input-widget input'); i.focus(); i.select(); return true; })()`);
  await evaluate('workbench', `document.execCommand('insertText', false, ${JSON.stringify(text)})`);
  await press('Enter');
}

// ---- what the extension wrote ----

export function serverDataDir(): string | undefined {
  return process.env.RUNFLOW_TEST_SERVER_DATA_DIR;
}

/** Every file under `dir`. */
export function listFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The extension's output channel as written to disk (`Runflow.log` of this window's extension host). */
export function extensionLog(): string {
  const dir = serverDataDir();
  if (!dir) return '';
  return listFiles(path.join(dir, 'data', 'logs'))
    .filter((f) => f.endsWith(`${path.sep}runflow.runflow-vscode${path.sep}Runflow.log`))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

/** Waits until the extension's log holds a line matching `pattern` (written after `skipChars`). */
export async function waitForLog(pattern: RegExp, skipChars = 0, timeoutMs = 20_000): Promise<string> {
  return waitFor(`a log line matching ${pattern}`, () => {
    const text = extensionLog().slice(skipChars);
    const m = pattern.exec(text);
    return m ? m[0] : undefined;
  }, timeoutMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Moves the mouse over `selector` in the workbench (tooltips, hovers). */
export async function hover(selector: string): Promise<void> {
  const res = await fetch(`${process.env.RUNFLOW_TEST_DRIVER}/hover`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ frame: 'workbench', selector, timeoutMs: 10_000 }),
  });
  if (!res.ok) throw new Error(`driver /hover: ${((await res.json()) as { error?: string }).error ?? res.status}`);
}

/** Starts the harness before a describe block's tests (where a browser checks them) and stops it after. */
export function withHarness(): () => Harness {
  let h: Harness | undefined;
  before(async function () {
    if (!hasBrowser()) this.skip();
    h = await startHarness();
  });
  after(async () => {
    await stopHarness(h);
  });
  return () => {
    if (!h) throw new Error('the harness has not started');
    return h;
  };
}
