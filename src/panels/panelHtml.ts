import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce for every render: the only way a script runs in the panel. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The panel's page: an empty shell, the built script and styles, and a CSP that allows nothing else.
 * Media may come from https origins and the API server's own origin (the emulator serves http on
 * loopback), nowhere else.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, apiOrigin: string, title: string): string {
  const nonce = makeNonce();
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const media = ['https:', apiOrigin].filter(Boolean).join(' ');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
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
<link rel="stylesheet" href="${escapeAttr(asset('dist', 'codicons', 'codicon.css'))}">
<link rel="stylesheet" href="${escapeAttr(asset('media', 'panel.css'))}">
<title>${escapeText(title)}</title>
</head>
<body data-runflow-view="run-detail">
<div id="app"></div>
<script nonce="${nonce}" src="${escapeAttr(asset('dist', 'webview.js'))}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
