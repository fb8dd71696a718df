/** The demo's throwaway workspace: a copy of scripts/demo-workspace, so edits never touch the repository. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEMO_WORKSPACE_TEMPLATE = path.resolve(__dirname, '..', 'demo-workspace');

export function createDemoWorkspace(parent: string): string {
  const workspace = path.join(parent, 'workspace');
  fs.cpSync(DEMO_WORKSPACE_TEMPLATE, workspace, { recursive: true });
  return workspace;
}

/** Settings that keep a demo or screenshot window quiet: no trust prompt, no telemetry, no update checks. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
};

/** The demo's user settings: quiet, pointed at the emulator, and opening the workspace's README on start. */
export function demoUserSettings(apiBaseUrl: string): Record<string, unknown> {
  return { ...QUIET_SETTINGS, 'runflow.apiBaseUrl': apiBaseUrl, 'workbench.startupEditor': 'readme' };
}

export function writeUserSettings(userDir: string, settings: Record<string, unknown>): void {
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}
