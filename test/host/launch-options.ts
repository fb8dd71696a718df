/** What both launchers (headless and desktop) take and give back, so the suite stays host-agnostic. */
export interface LaunchOptions {
  /** The extension folder under development; omitted when testing an installed .vsix. */
  extensionDevelopmentPath?: string;
  /** Built test entry (a module exporting `run(): Promise<void>`). */
  extensionTestsPath: string;
  /** Folder opened as the workspace. */
  workspacePath: string;
  /** Where screenshots, logs and reports go. */
  resultsDir: string;
  /** Extra environment for the extension host. */
  env: Record<string, string>;
  /** Settings applied to the VS Code instance. */
  settings?: Record<string, unknown>;
  /** .vsix files installed into the instance before it starts. */
  installExtensions?: string[];
  timeoutMs: number;
  /**
   * A profile kept across launches instead of a fresh one: the server's data dir, the browser's profile
   * (the web workbench keeps globalState in IndexedDB and SecretStorage in localStorage, sealed with a key
   * the server keeps in its data dir), and the port, since both browser stores belong to the page's origin.
   * Headless launcher only.
   */
  profile?: { dir: string; port: number };
  verbose: boolean;
  log: (line: string) => void;
}

export interface LaunchResult {
  exitCode: number;
  vscodeVersion: string;
}
