/**
 * The panel's script and stylesheet, read from the extension's own files once and written into each
 * panel's HTML. A webview fetches every linked file through its service worker and the extension host
 * (tens of milliseconds per file, and a script waits for the stylesheets above it), which is most of
 * what separates the panel's first lines from a bare webview's start. Inlined, they arrive with the
 * page. The icon font stays a linked file: it is large, and nothing waits for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PanelAssets {
  script: string;
  style: string;
}

/** A page's two files: its bundle under dist/ and its stylesheet under media/. */
export interface PanelFiles {
  script: string;
  style: string;
}

/** The run detail panel's files. */
export const RUN_PANEL_FILES: PanelFiles = { script: 'webview.js', style: 'panel.css' };

const cache = new Map<string, PanelAssets | null>();

/**
 * The script and stylesheet under `extensionPath`, made safe to sit inside `<script>` and `<style>`;
 * undefined when they cannot be read from disk (the page then links them instead).
 */
export function readPanelAssets(extensionPath: string, files: PanelFiles = RUN_PANEL_FILES): PanelAssets | undefined {
  const key = `${extensionPath}\u0000${files.script}\u0000${files.style}`;
  if (!cache.has(key)) {
    try {
      cache.set(key, {
        script: closingTagsEscaped(fs.readFileSync(path.join(extensionPath, 'dist', files.script), 'utf8'), 'script'),
        style: closingTagsEscaped(fs.readFileSync(path.join(extensionPath, 'media', files.style), 'utf8'), 'style'),
      });
    } catch {
      cache.set(key, null);
    }
  }
  return cache.get(key) ?? undefined;
}

/**
 * The HTML parser ends a script or style element at the first `</script` or `</style` (any case),
 * wherever it stands in the code, and treats `<!--` in a script specially. Escaped with a backslash they
 * mean the same inside the JavaScript strings, regular expressions and CSS strings they can occur in.
 */
export function closingTagsEscaped(text: string, tag: 'script' | 'style'): string {
  const closing = new RegExp(`</(${tag})`, 'gi');
  const escaped = text.replace(closing, '<\\/$1');
  return tag === 'script' ? escaped.replace(/<!--/g, '<\\!--') : escaped;
}
