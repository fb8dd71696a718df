// Builds the extension (Node, CommonJS) and the webview (browser) bundles.
//   node esbuild.js               development build with source maps
//   node esbuild.js --production  minified, no source maps (what the .vsix ships)
//   node esbuild.js --watch       rebuild on change
//   node esbuild.js --tests       also bundle the integration tests for the extension host
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Prints build errors in the file:line:column form that editors and problem matchers understand. */
const reportProblems = {
  name: 'report-problems',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [reportProblems],
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // fetch-blob (under node-fetch) falls back to web-streams-polyfill only where node:stream/web is missing
    // (Node < 16.5); VS Code's extension host always has it, so the 60 KB polyfill stays out of the bundle.
    external: ['vscode', 'web-streams-polyfill', 'web-streams-polyfill/*'],
    // jsonc-parser's UMD build loads its parts with a dynamic require that a bundle cannot follow; its ES build bundles.
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['src/webview/spendPage.ts'],
    outfile: 'dist/spend.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

function listTests(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listTests(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.test.ts'));
}

/**
 * Suites that run inside the extension host: each folder holds an index.ts (the mocha entry) and its
 * *.test.ts files, bundled to out/<folder>. A folder that does not exist is skipped.
 */
const HOST_SUITES = ['test/integration', 'test/hardening', 'test/package', 'test/bench/host'];

if (tests) {
  // Each test file is its own entry so that mocha inside the extension host can load them one by one.
  for (const dir of HOST_SUITES.filter((d) => fs.existsSync(path.join(d, 'index.ts')))) {
    builds.push({
      ...common,
      minify: false,
      sourcemap: true,
      entryPoints: [path.join(dir, 'index.ts'), ...listTests(dir)],
      outdir: path.join('out', dir),
      outbase: dir,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      external: ['vscode', 'mocha'],
      mainFields: ['module', 'main'],
    });
  }
}

/** Codicons for the webview, copied next to the bundles: the package ships dist/, not node_modules. */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

async function main() {
  copyCodicons();
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] watching for changes');
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch(() => {
  process.exit(1);
});
