/** Every id the extension shares with package.json: commands, views, context keys and settings. */
export const EXTENSION_ID = 'runflow.runflow-vscode';

export const Commands = {
  signIn: 'runflow.signIn',
  signOut: 'runflow.signOut',
  showLog: 'runflow.showLog',
} as const;

export const Views = {
  container: 'runflow',
  runs: 'runflow.runs',
} as const;

export const ContextKeys = {
  signedIn: 'runflow.signedIn',
} as const;

export const Settings = {
  section: 'runflow',
  apiBaseUrl: 'apiBaseUrl',
  organizationId: 'organizationId',
} as const;

export const DEFAULT_API_BASE_URL = 'https://api.runflow.io';
