/**
 * Desktop launcher: runs the same suite under @vscode/test-electron, for machines where VS Code desktop
 * can be downloaded or is installed (RUNFLOW_VSCODE_EXECUTABLE points at a local one). There is no
 * browser driver here, so tests that check the webview in the browser skip themselves.
 */
import { runTests } from '@vscode/test-electron';
import type { LaunchOptions, LaunchResult } from './launch-options';

export async function runDesktop(opts: LaunchOptions): Promise<LaunchResult> {
  const version = process.env.RUNFLOW_VSCODE_VERSION ?? 'stable';
  opts.log(`[host] VS Code desktop (${process.env.RUNFLOW_VSCODE_EXECUTABLE ?? version}) via @vscode/test-electron`);
  try {
    const exitCode = await runTests({
      version,
      vscodeExecutablePath: process.env.RUNFLOW_VSCODE_EXECUTABLE,
      extensionDevelopmentPath: opts.extensionDevelopmentPath ?? opts.workspacePath,
      extensionTestsPath: opts.extensionTestsPath,
      extensionTestsEnv: opts.env,
      launchArgs: [
        opts.workspacePath,
        '--disable-workspace-trust',
        '--skip-welcome',
        ...(opts.installExtensions ?? []).flatMap((vsix) => ['--install-extension', vsix]),
      ],
    });
    return { exitCode, vscodeVersion: version };
  } catch (err) {
    opts.log(`[host] ${err instanceof Error ? err.message : String(err)}`);
    return { exitCode: 1, vscodeVersion: version };
  }
}
