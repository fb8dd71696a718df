import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { PAGE_BOOT_SCRIPT } from '../shared/pageBoot';
import { readPanelAssets, RUN_PANEL_FILES, type PanelFiles } from './panelAssets';

/** A fresh nonce for every render: the only way a script runs in the panel. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The page's shape in grey, drawn by the browser from this markup and the stylesheet alone: the script
 * and the run take a moment more, and a blank page in the meantime reads as broken. Fixed markup, no
 * run data; the script replaces it on its first message.
 */
const SKELETON = [
  '<div class="skeleton" data-testid="skeleton" role="status" aria-label="Loading the run">',
  '<div class="skeleton-title"><span class="skeleton-block skeleton-badge"></span><span class="skeleton-block skeleton-heading"></span></div>',
  '<div class="skeleton-facts">',
  '<span class="skeleton-block"></span>'.repeat(6),
  '</div>',
  ...['skeleton-nodes', 'skeleton-logs'].map(
    (kind) => `<div class="skeleton-section ${kind}"><span class="skeleton-block skeleton-section-title"></span>${'<span class="skeleton-block skeleton-line"></span>'.repeat(3)}</div>`,
  ),
  '<span class="skeleton-label">Loading the run…</span>',
  '</div>',
].join('');

/** What tells one page of the panel family from another: its files, its name on `<body>`, its first paint. */
export interface PanelPage {
  files: PanelFiles;
  /** `data-runflow-view` on the body. */
  view: string;
  /** Fixed markup shown until the script replaces it; never API data. */
  skeleton: string;
}

export const RUN_DETAIL_PAGE: PanelPage = { files: RUN_PANEL_FILES, view: 'run-detail', skeleton: SKELETON };

/** The panel's own script element: the one script of the page besides the boot script and VS Code's. */
export const PANEL_SCRIPT_ID = 'runflow-panel-script';

/**
 * The panel's page: the shell with a skeleton of the page, the built script and styles (inlined, see
 * panelAssets.ts), and a CSP that allows nothing else. The icon stylesheet comes last and disabled: the
 * script enables it once the page has loaded (see main.ts), so that neither the first paint nor the
 * extension's first messages wait for it; icons appear as it arrives.
 * Media may come from https origins and the API server's own origin (the emulator serves http on
 * loopback), nowhere else.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, apiOrigin: string, title: string, page: PanelPage = RUN_DETAIL_PAGE): string {
  const nonce = makeNonce();
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const inline = extensionUri.scheme === 'file' ? readPanelAssets(extensionUri.fsPath, page.files) : undefined;
  const media = ['https:', apiOrigin].filter(Boolean).join(' ');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} ${media}`,
    `media-src ${webview.cspSource} ${media}`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<script nonce="${nonce}">${PAGE_BOOT_SCRIPT}</script>
${inline ? `<style nonce="${nonce}">${inline.style}</style>` : `<link rel="stylesheet" href="${escapeAttr(asset('media', page.files.style))}">`}
<title>${escapeText(title)}</title>
</head>
<body data-runflow-view="${escapeAttr(page.view)}">
<main id="app" aria-busy="true">${page.skeleton}</main>
${inline ? `<script nonce="${nonce}" id="${PANEL_SCRIPT_ID}">${inline.script}</script>` : `<script nonce="${nonce}" id="${PANEL_SCRIPT_ID}" src="${escapeAttr(asset('dist', page.files.script))}"></script>`}
<link rel="stylesheet" href="${escapeAttr(asset('dist', 'codicons', 'codicon.css'))}" data-runflow-icons disabled>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
