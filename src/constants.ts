/** Every id the extension shares with package.json: commands, views, context keys and settings. */
export const EXTENSION_ID = 'runflow.runflow-vscode';

export const Commands = {
  signIn: 'runflow.signIn',
  signOut: 'runflow.signOut',
  showLog: 'runflow.showLog',
  refresh: 'runflow.refresh',
  loadMore: 'runflow.loadMore',
  filter: 'runflow.filter',
  clearFilter: 'runflow.clearFilter',
  filterLocally: 'runflow.filterLocally',
  openSettings: 'runflow.openSettings',
  openRun: 'runflow.openRun',
  copyRunId: 'runflow.copyRunId',
  copyCurl: 'runflow.copyCurl',
  openInput: 'runflow.openInput',
  rerun: 'runflow.rerun',
  cancelRun: 'runflow.cancelRun',
  exportRun: 'runflow.exportRun',
  compareRuns: 'runflow.compareRuns',
  compareWithPrevious: 'runflow.compareWithPrevious',
  focusRuns: 'runflow.focusRuns',
  runFromFile: 'runflow.runFromFile',
  newLaunchFile: 'runflow.newLaunchFile',
  searchLogs: 'runflow.searchLogs',
  searchLogsFurther: 'runflow.searchLogs.further',
  cancelLogSearch: 'runflow.searchLogs.cancel',
  clearLogMatches: 'runflow.searchLogs.clear',
  openLogMatch: 'runflow.searchLogs.openMatch',
  copyLogMatch: 'runflow.searchLogs.copyMatch',
  saveLogMatches: 'runflow.searchLogs.saveMatches',
  showSpend: 'runflow.showSpend',
  showBatch: 'runflow.showBatch',
  retryBatch: 'runflow.retryBatch',
  cancelBatch: 'runflow.cancelBatch',
} as const;

export const Views = {
  container: 'runflow',
  runs: 'runflow.runs',
  logMatches: 'runflow.logMatches',
} as const;

export const ContextKeys = {
  signedIn: 'runflow.signedIn',
  /** The Runs view's state when it has nothing to list: see viewsWelcome in package.json. */
  viewState: 'runflow.viewState',
  filtered: 'runflow.filtered',
  /** The filter the server refused can be applied to the loaded runs instead (no raw q in it). */
  canFilterLocally: 'runflow.canFilterLocally',
  /** A search across runs' logs is running (its Cancel shows) / has found something (Save and Clear show). */
  logSearchRunning: 'runflow.logSearch.running',
  logSearchHasMatches: 'runflow.logSearch.hasMatches',
  /**
   * Set once in a window when a walkthrough step's outcome happens, whichever way the user got there: the
   * steps' completion events in package.json. A command's own onCommand event would miss the ways that run
   * it inside the extension host (a CodeLens, a tree row, a launch opening its panel).
   */
  sawRuns: 'runflow.walkthrough.sawRuns',
  createdLaunchFile: 'runflow.walkthrough.createdLaunchFile',
  launchedFromFile: 'runflow.walkthrough.launchedFromFile',
  openedRun: 'runflow.walkthrough.openedRun',
} as const;

export const Settings = {
  section: 'runflow',
  apiBaseUrl: 'apiBaseUrl',
  organizationId: 'organizationId',
  pageSize: 'runs.pageSize',
  autoRefresh: 'refresh.auto',
  activeInterval: 'refresh.activeIntervalSeconds',
  idleMaxInterval: 'refresh.idleMaxIntervalSeconds',
  notifyOnFinish: 'notifications.onFinish',
  launchOpenPanel: 'launch.openPanel',
  logSearchMaxLines: 'logSearch.maxLines',
  logSearchMaxSeconds: 'logSearch.maxSeconds',
  batchMaxRuns: 'batch.maxRuns',
  batchConfirmAbove: 'batch.confirmAbove',
  batchConcurrency: 'batch.concurrency',
} as const;

export const DEFAULT_API_BASE_URL = 'https://api.runflow.io';
