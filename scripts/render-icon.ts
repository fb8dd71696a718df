/**
 * Renders the marketplace icon media/icon.png (128×128) from the activity-bar glyph media/runflow.svg:
 * the same strokes, white on a rounded tile, so the two never drift apart. The PNG is committed;
 * run this again only when the SVG changes.
 *
 *   npx tsx scripts/render-icon.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './lib/browser';

const ROOT = path.resolve(__dirname, '..');
const SIZE = 128;

async function main(): Promise<void> {
  const glyph = fs.readFileSync(path.join(ROOT, 'media', 'runflow.svg'), 'utf8').replace(/<svg /, '<svg class="glyph" ');
  const html = `<!doctype html><html><head><style>
    html, body { margin: 0; background: transparent; }
    .tile {
      width: ${SIZE}px; height: ${SIZE}px; border-radius: 24px; box-sizing: border-box;
      display: flex; align-items: center; justify-content: center;
      background: linear-gradient(135deg, #5b5bf0 0%, #2f2fa8 100%);
      color: #ffffff;
    }
    .glyph { width: 92px; height: 92px; }
  </style></head><body><div class="tile">${glyph}</div></body></html>`;

  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(html);
    const out = path.join(ROOT, 'media', 'icon.png');
    await page.locator('.tile').screenshot({ path: out, omitBackground: true });
    console.log(`wrote ${path.relative(ROOT, out)} (${fs.statSync(out).size} bytes)`);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
