import * as vscode from 'vscode';
import type { TokenCheck } from './auth/signIn';
import { signInInteractively, signInWithToken, signOut } from './auth/signIn';
import { ClientFactory } from './auth/clientFactory';
import { TokenStore } from './auth/tokenStore';
import { registerCommand } from './commands';
import { autoRefresh, organizationId, pageSize, pollPolicy } from './config';
import { Commands, ContextKeys, Views } from './constants';
import { realTimers, scaledTimers, type Timers } from './core/pollScheduler';
import { isEmptyFilter } from './core/runFilter';
import { InputCompletionProvider } from './launch/inputCompletions';
import { LaunchCodeLensProvider } from './launch/launchCodeLens';
import { LaunchDiagnostics } from './launch/launchDiagnostics';
import { BatchLauncher } from './launch/batchLauncher';
import { Launcher } from './launch/launcher';
import { LaunchState } from './launch/launchState';
import { ModelCatalog } from './launch/modelCatalog';
import { newLaunchFile } from './launch/newLaunchFile';
import { createLog } from './log';
import { exportRunCommand } from './panels/exportRunCommand';
import { RunPanels } from './panels/runPanels';
import { showSpend } from './panels/showSpendCommand';
import { SpendPanels } from './panels/spendPanel';
import { ModelRefs } from './runs/modelRefs';
import { BatchState } from './runs/batchState';
import { RunListCache, serverIdentity } from './runs/listCache';
import { UnloadedRuns } from './runs/unloadedRuns';
import { RevealRequests } from './runs/revealRequests';
import { pickFilter, RunActions, runIdOf, type RunArg } from './runs/runActions';
import { RunsPoller } from './runs/runsPoller';
import { RunStore } from './runs/runStore';
import { BatchNotifier } from './views/batchNotifier';
import { FinishNotifier } from './views/finishNotifier';
import { RunsView } from './views/runsView';
import { RunComparer } from './views/compareRuns';
import { LogMatchesView } from './views/logMatchesView';
import { searchLogs } from './views/searchLogsCommand';
import { askModelOfRun } from './launch/modelPicker';

/** What activate() hands to the integration tests (and only to them: see ExtensionMode.Test). */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly tokens: TokenStore;
  readonly connection: ClientFactory;
  readonly store: RunStore;
  readonly view: RunsView;
  readonly actions: RunActions;
  readonly panels: RunPanels;
  readonly launchState: LaunchState;
  /** The batches this workspace launched (workspace state). */
  readonly batches: BatchState;
  readonly logMatches: LogMatchesView;
  readonly spend: SpendPanels;
  /** Where the Runs view keeps its last list answers (extension globalState). */
  readonly globalState: vscode.Memento;
  /** The same check-then-store path as the Sign In command, without the input box. */
  signInWithToken(token: string): Promise<TokenCheck>;
}

/** The services the commands and the test API reach, each disposed with the extension. */
interface Services {
  log: ReturnType<typeof createLog>;
  tokens: TokenStore;
  connection: ClientFactory;
  store: RunStore;
  view: RunsView;
  actions: RunActions;
  panels: RunPanels;
  catalog: ModelCatalog;
  launchState: LaunchState;
  launcher: Launcher;
  batchLauncher: BatchLauncher;
  batches: BatchState;
  logMatches: LogMatchesView;
  spend: SpendPanels;
  comparer: RunComparer;
  globalState: vscode.Memento;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestApi | undefined> {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const services = createServices(context, version);
  const { log, tokens, connection, store, view, actions, panels, launchState, batches, logMatches, spend } = services;
  for (const [id, handler] of commandTable(services, walkthroughSteps())) context.subscriptions.push(registerCommand(id, handler, log));

  // Not awaited: a round trip to the workbench that nothing below depends on.
  void vscode.commands.executeCommand('setContext', ContextKeys.filtered, !isEmptyFilter(store.filter));
  void view.start();
  log.info(`Runflow ${version} activated in VS Code ${vscode.version}`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    secrets: context.secrets,
    tokens,
    connection,
    store,
    view,
    actions,
    panels,
    launchState,
    batches,
    logMatches,
    spend,
    globalState: context.globalState,
    signInWithToken: (token) => signInWithToken(connection, tokens, token),
  };
}

function createServices(context: vscode.ExtensionContext, version: string): Services {
  const log = createLog();
  const tokens = new TokenStore(context.secrets);
  const connection = new ClientFactory(tokens, log, `runflow-vscode/${version} vscode/${vscode.version}`);
  // A refused evaluation embed is remembered per server, organisation and token (a new sign-in may bring the permission).
  let tokenGeneration = 0;
  context.subscriptions.push(tokens.onDidChange(() => tokenGeneration++));
  const store = new RunStore(() => connection.client, pageSize(), () => `${connection.baseUrl}\n${organizationId() ?? ''}\n${tokenGeneration}`);
  const timers = pollTimers(context);
  const poller = new RunsPoller(store, { policy: pollPolicy(), timers, focused: vscode.window.state.focused, log });
  poller.setListEnabled(autoRefresh());
  const reveals = new RevealRequests();
  const batches = new BatchState(context.workspaceState, () => serverIdentity(connection.baseUrl, organizationId()));
  const view = new RunsView(store, connection, tokens, log, poller, reveals, new RunListCache(context.globalState), batches);
  const modelRefs = new ModelRefs(context.globalState, askModelOfRun);
  const actions = new RunActions(store, connection, reveals, modelRefs, log);
  const panels = new RunPanels(context, connection, store, poller, log, timers);
  const catalog = new ModelCatalog(store, connection, modelRefs, log);
  const launchState = new LaunchState(context.workspaceState);
  const launchDiagnostics = new LaunchDiagnostics(catalog);
  const batchLauncher = new BatchLauncher(connection, actions, store, catalog, batches, log);
  const launcher = new Launcher(connection, actions, catalog, launchState, launchDiagnostics, batchLauncher, log);
  const codeLenses = new LaunchCodeLensProvider(store, launchState, batches);
  const logMatches = new LogMatchesView(connection, store, panels, log);
  const spend = new SpendPanels({ extensionUri: context.extensionUri, connection, log, openRun: (runId) => panels.open(runId) });
  const comparer = new RunComparer(store, connection, { pick: (title, except) => actions.pickRunId(title, except), launchedFromFile: (id) => launchState.launchedFromFile(id) }, log);
  context.subscriptions.push(
    log,
    tokens,
    connection,
    view,
    new FinishNotifier(store, (runId) => batches.batchOfRun(runId) !== undefined),
    new BatchNotifier(store, batches, new UnloadedRuns(store), (id) => batchLauncher.isSending(id), batchLauncher.onDidEndSending),
    batchLauncher,
    batches,
    // Batches are kept per server: another server's are not listed.
    connection.onDidChange(() => view.tree.refreshBatches()),
    logMatches,
    spend,
    comparer,
    panels,
    poller,
    reveals,
    ...drivePoller(poller),
    { dispose: () => store.dispose() },
    catalog,
    launchState,
    launchDiagnostics,
    codeLenses,
    vscode.languages.registerCodeLensProvider(LaunchCodeLensProvider.selector, codeLenses),
    vscode.languages.registerCompletionItemProvider(InputCompletionProvider.selector, new InputCompletionProvider(catalog), '"'),
    // Another API or token sees other models.
    connection.onDidChange(() => catalog.reset()),
  );
  return { log, tokens, connection, store, view, actions, panels, catalog, launchState, launcher, batchLauncher, batches, logMatches, spend, comparer, globalState: context.globalState };
}

/** Marks a walkthrough step done (its completion event is a context key), once per window. */
function walkthroughSteps(): (key: string) => void {
  const stepsDone = new Set<string>();
  return (key) => {
    if (stepsDone.has(key)) return;
    stepsDone.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers take what their command is called with
type CommandHandler = (...args: any[]) => unknown;

/** The commands of the search across runs' logs and its Log Matches view. */
function logSearchCommands(services: Services): [string, CommandHandler][] {
  const { logMatches } = services;
  return [
    [Commands.searchLogs, (arg?: unknown) => searchLogs(services, arg)],
    [Commands.searchLogsFurther, () => logMatches.further()],
    [Commands.cancelLogSearch, () => logMatches.cancel()],
    [Commands.clearLogMatches, () => logMatches.clear()],
    [Commands.openLogMatch, (arg?: unknown) => logMatches.openMatch(arg)],
    [Commands.copyLogMatch, (arg?: unknown) => logMatches.copyMatch(arg)],
    [Commands.saveLogMatches, () => logMatches.saveMatches()],
  ];
}

function commandTable(services: Services, stepDone: (key: string) => void): [string, CommandHandler][] {
  const { log, tokens, connection, store, view, actions, panels, catalog, launcher, batchLauncher, batches, spend, comparer } = services;
  return [
    ...logSearchCommands(services),
    [Commands.showSpend, (arg?: unknown) => showSpend(connection, spend, arg)],
    [Commands.showLog, () => log.show()],
    [Commands.signIn, () => signInInteractively(connection, tokens)],
    [Commands.signOut, () => signOut(connection, tokens)],
    [Commands.refresh, () => view.refresh()],
    [Commands.loadMore, () => store.loadMore()],
    [
      Commands.filter,
      async () => {
        const filter = await pickFilter(store.filter);
        if (filter) await view.setFilter(filter);
      },
    ],
    [Commands.clearFilter, () => view.setFilter({})],
    [Commands.filterLocally, () => view.filterLocally()],
    [Commands.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:runflow.runflow-vscode')],
    [Commands.focusRuns, () => vscode.commands.executeCommand(`${Views.runs}.focus`)],
    [
      Commands.openRun,
      async (arg: RunArg, options?: { focus?: 'logs'; beside?: boolean }) => {
        // Without an argument (a row's click, the walkthrough's button): the run selected in the Runs view, else a pick.
        const run = await actions.resolve(arg ?? (await view.selectedRunId()));
        if (!run?.id) return;
        panels.open(run.id, options?.focus === 'logs' ? 'logs' : undefined, options?.beside === true);
        stepDone(ContextKeys.openedRun);
      },
    ],
    [Commands.copyRunId, (arg: RunArg) => actions.copyId(arg)],
    [Commands.copyCurl, (arg: RunArg) => actions.copyCurl(arg)],
    [Commands.openInput, (arg: RunArg) => actions.openInput(arg)],
    [Commands.rerun, (arg: RunArg) => actions.rerun(arg)],
    [Commands.cancelRun, (arg: RunArg) => actions.cancel(arg)],
    [Commands.exportRun, (arg: RunArg, target?: unknown) => exportRunCommand(services, arg, target)],
    [Commands.compareRuns, (node?: unknown, nodes?: unknown) => comparer.compareSelected(node, nodes)],
    // Without an argument (the palette): the run selected in the Runs view, else a pick.
    [Commands.compareWithPrevious, async (arg: RunArg) => comparer.compareWithPrevious(runIdOf(arg) ?? (await view.selectedRunId()))],
    [
      Commands.runFromFile,
      async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
        const results = await launcher.run(uri, uris);
        if (results.some((r) => r.kind === 'launched')) stepDone(ContextKeys.launchedFromFile);
        return results;
      },
    ],
    [Commands.showBatch, (arg?: unknown) => withBatch(arg, batches, 'Show which batch?', (id) => view.showBatch(id))],
    [Commands.retryBatch, (arg?: unknown) => withBatch(arg, batches, 'Retry the runs not launched of which batch?', (id) => batchLauncher.retry(id))],
    [Commands.cancelBatch, (arg?: unknown) => withBatch(arg, batches, 'Cancel the active runs of which batch?', (id) => batchLauncher.cancel(id))],
    [
      Commands.newLaunchFile,
      async (folder?: vscode.Uri) => {
        const created = await newLaunchFile(catalog, folder instanceof vscode.Uri ? folder : undefined);
        if (created) stepDone(ContextKeys.createdLaunchFile);
        return created;
      },
    ],
  ];
}

/**
 * A batch command's batch: the row it was run on (a batch node), an id (a notification's button, a
 * CodeLens), else one picked from the current server's batches.
 */
async function withBatch<T>(arg: unknown, batches: BatchState, title: string, act: (batchId: string) => Promise<T>): Promise<T | undefined> {
  let id = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && typeof (arg as { batchId?: unknown }).batchId === 'string' ? (arg as { batchId: string }).batchId : undefined;
  if (!id) {
    const items = batches.all().map((b) => ({ label: b.label, description: `${b.entries.length} runs · ${b.model}`, detail: new Date(b.createdAt).toLocaleString(), id: b.id }));
    if (!items.length) {
      void vscode.window.showInformationMessage('Runflow: no batch has been launched in this workspace.');
      return undefined;
    }
    id = (await vscode.window.showQuickPick(items, { title: `Runflow: ${title}` }))?.id;
  }
  return id ? act(id) : undefined;
}

/** Window focus and the refresh settings reach the poller here, once for the view and every panel. */
function drivePoller(poller: RunsPoller): vscode.Disposable[] {
  return [
    vscode.window.onDidChangeWindowState((s) => poller.setFocused(s.focused)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('runflow.refresh')) return;
      poller.setPolicy(pollPolicy());
      poller.setListEnabled(autoRefresh());
    }),
  ];
}

/**
 * Polling runs on the wall clock, except under test, where RUNFLOW_TEST_TIME_SCALE may speed it up so
 * the benchmarks and the endurance suite can watch many minutes of polling in a few seconds.
 */
function pollTimers(context: vscode.ExtensionContext): Timers {
  const scale = Number(process.env.RUNFLOW_TEST_TIME_SCALE);
  return context.extensionMode === vscode.ExtensionMode.Test && Number.isFinite(scale) && scale > 1 ? scaledTimers(scale) : realTimers;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
