/**
 * `npm run screenshots`: regenerates the README's pictures in docs/images/ from the running extension.
 *
 * Bundles scripts/screenshots/ (an extension-host suite, like test/integration) and runs it in the
 * headless VS Code against the emulator; each scene it saves as test-results/screenshots/readme-<name>.png
 * is copied to docs/images/<name>.png. A scene that fails leaves its old picture in place and the
 * script exits non-zero.
 *
 *   npm run screenshots                          every picture
 *   RUNFLOW_TEST_GREP=launch-file npm run screenshots   one of them
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSuite } from '../test/host/run-integration';

const ROOT = path.resolve(__dirname, '..');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const IMAGES = path.join(ROOT, 'docs', 'images');
const OUT = path.join(ROOT, 'out', 'scripts', 'screenshots');

async function main(): Promise<number> {
  const suite = path.join(ROOT, 'scripts', 'screenshots');
  await esbuild.build({
    entryPoints: fs.readdirSync(suite).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => path.join(suite, f)),
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });

  for (const f of fs.existsSync(SHOTS) ? fs.readdirSync(SHOTS) : []) if (f.startsWith('readme-')) fs.rmSync(path.join(SHOTS, f));
  const code = await runSuite({ name: 'screenshots', entry: path.join(OUT, 'index.js'), extensionDevelopmentPath: ROOT });

  fs.mkdirSync(IMAGES, { recursive: true });
  const taken = fs.existsSync(SHOTS) ? fs.readdirSync(SHOTS).filter((f) => f.startsWith('readme-') && f.endsWith('.png')) : [];
  for (const f of taken) {
    const target = path.join(IMAGES, f.slice('readme-'.length));
    fs.copyFileSync(path.join(SHOTS, f), target);
    console.log(`[screenshots] ${path.relative(ROOT, target)} (${(fs.statSync(target).size / 1024).toFixed(0)} KiB)`);
  }
  if (taken.length === 0) console.log('[screenshots] no picture was taken');
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
