/**
 * The four themes VS Code ships by default, switched through the `workbench.colorTheme` setting as a
 * user does. The setting is put back afterwards, so that later suites see the theme they always saw.
 */
import * as vscode from 'vscode';
import { evaluate, type FrameTarget } from './driver';
import { waitFor } from './wait';

export interface PanelTheme {
  /** The setting's value. */
  id: string;
  /** How reports name it. */
  label: string;
  /** For file names. */
  slug: string;
  /** The class VS Code puts on a webview's body for the theme's kind. */
  kind: 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast' | 'vscode-high-contrast-light';
}

export const PANEL_THEMES: readonly PanelTheme[] = [
  { id: 'Default Dark Modern', label: 'Dark Modern', slug: 'dark-modern', kind: 'vscode-dark' },
  { id: 'Default Light Modern', label: 'Light Modern', slug: 'light-modern', kind: 'vscode-light' },
  { id: 'Default High Contrast', label: 'High Contrast Dark', slug: 'high-contrast-dark', kind: 'vscode-high-contrast' },
  { id: 'Default High Contrast Light', label: 'High Contrast Light', slug: 'high-contrast-light', kind: 'vscode-high-contrast-light' },
];

let saved: { value: unknown } | undefined;

/** Switches the workbench to `theme` and waits until the webview in `frame` has its theme applied. */
export async function useTheme(theme: PanelTheme, frame: FrameTarget): Promise<void> {
  const config = vscode.workspace.getConfiguration('workbench');
  saved ??= { value: config.inspect('colorTheme')?.globalValue };
  if (config.get('colorTheme') !== theme.id) await config.update('colorTheme', theme.id, vscode.ConfigurationTarget.Global);
  // High Contrast Light carries both high-contrast classes: the kind's own class is matched, never a prefix.
  await waitFor(`the ${theme.label} theme in the panel`, () =>
    evaluate<boolean>(frame, `document.body.getAttribute('data-vscode-theme-kind') === ${JSON.stringify(theme.kind)} && getComputedStyle(document.body).getPropertyValue('--vscode-editor-background') !== ''`),
  15_000);
  // The page restyles on the theme's message; two frames later its layout has the new colours.
  await evaluate<boolean>(frame, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`);
}

/** Puts the theme setting back as it was before the first useTheme. */
export async function restoreTheme(): Promise<void> {
  if (!saved) return;
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', saved.value, vscode.ConfigurationTarget.Global);
  saved = undefined;
}
