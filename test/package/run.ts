/**
 * Packages the extension (`npm run package` → runflow-vscode.vsix) and runs test/package inside a
 * VS Code that has that .vsix installed the way a user installs it, with no development folder.
 *
 *   npm run test:package                          package, install, test
 *   RUNFLOW_TEST_VSIX=path/to.vsix npm run test:package   test an existing .vsix instead
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSuite } from '../host/run-integration';

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  let vsix = process.env.RUNFLOW_TEST_VSIX ? path.resolve(process.env.RUNFLOW_TEST_VSIX) : undefined;
  if (!vsix) {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
    vsix = path.join(root, 'runflow-vscode.vsix');
  }
  if (!fs.existsSync(vsix)) throw new Error(`no package at ${vsix}`);
  console.log(`[package] testing ${path.relative(root, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  return runSuite({
    name: 'package',
    entry: path.join(root, 'out', 'test', 'package', 'index.js'),
    installExtensions: [vsix],
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
