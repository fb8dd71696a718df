import * as vscode from 'vscode';
import type { TokenCheck } from './auth/signIn';
import { signInInteractively, signInWithToken, signOut } from './auth/signIn';
import { ClientFactory } from './auth/clientFactory';
import { TokenStore } from './auth/tokenStore';
import { registerCommand } from './commands';
import { organizationId, pageSize } from './config';
import { Commands, ContextKeys, Views } from './constants';
import { realTimers, scaledTimers, type Timers } from './core/pollScheduler';
import { isEmptyFilter } from './core/runFilter';
import { InputCompletionProvider } from './launch/inputCompletions';
import { LaunchCodeLensProvider } from './launch/launchCodeLens';
import { LaunchDiagnostics } from './launch/launchDiagnostics';
import { Launcher } from './launch/launcher';
import { LaunchState } from './launch/launchState';
import { ModelCatalog } from './launch/modelCatalog';
import { newLaunchFile } from './launch/newLaunchFile';
import { createLog } from './log';
import { RunPanels } from './panels/runPanels';
import { ModelRefs } from './runs/modelRefs';
import { pickFilter, RunActions, type RunArg } from './runs/runActions';
import { RunStore } from './runs/runStore';
import { RunsView } from './views/runsView';

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
  /** The same check-then-store path as the Sign In command, without the input box. */
  signInWithToken(token: string): Promise<TokenCheck>;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestApi | undefined> {
  const log = createLog();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const tokens = new TokenStore(context.secrets);
  const connection = new ClientFactory(tokens, log, `runflow-vscode/${version} vscode/${vscode.version}`);
  // A refused evaluation embed is remembered per server, organisation and token (a new sign-in may bring the permission).
  let tokenGeneration = 0;
  context.subscriptions.push(tokens.onDidChange(() => tokenGeneration++));
  const store = new RunStore(() => connection.client, pageSize(), () => `${connection.baseUrl}\n${organizationId() ?? ''}\n${tokenGeneration}`);
  const timers = pollTimers(context);
  const view = new RunsView(store, connection, tokens, log, timers);
  const modelRefs = new ModelRefs(context.globalState);
  const actions = new RunActions(store, connection, view, modelRefs, log);
  const panels = new RunPanels(context, connection, store, log, timers);
  const catalog = new ModelCatalog(store, connection, modelRefs, log);
  const launchState = new LaunchState(context.workspaceState);
  const launchDiagnostics = new LaunchDiagnostics(catalog);
  const launcher = new Launcher(connection, actions, catalog, launchState, launchDiagnostics, log);
  const codeLenses = new LaunchCodeLensProvider(store, launchState);
  context.subscriptions.push(
    log,
    tokens,
    connection,
    view,
    panels,
    { dispose: () => store.dispose() },
    catalog,
    launchState,
    launchDiagnostics,
    codeLenses,
    vscode.languages.registerCodeLensProvider(LaunchCodeLensProvider.selector, codeLenses),
    vscode.languages.registerCompletionItemProvider(LaunchCodeLensProvider.selector, new InputCompletionProvider(catalog), '"'),
    // Another API or token sees other models.
    connection.onDidChange(() => catalog.reset()),
  );

  const stepsDone = new Set<string>();
  const stepDone = (key: string) => {
    if (stepsDone.has(key)) return;
    stepsDone.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers take what their command is called with
  const commands: [string, (...args: any[]) => unknown][] = [
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
    [
      Commands.runFromFile,
      async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
        const results = await launcher.run(uri, uris);
        if (results.some((r) => r.kind === 'launched')) stepDone(ContextKeys.launchedFromFile);
        return results;
      },
    ],
    [
      Commands.newLaunchFile,
      async (folder?: vscode.Uri) => {
        const created = await newLaunchFile(catalog, folder instanceof vscode.Uri ? folder : undefined);
        if (created) stepDone(ContextKeys.createdLaunchFile);
        return created;
      },
    ],
  ];
  for (const [id, handler] of commands) context.subscriptions.push(registerCommand(id, handler, log));

  // Not awaited: a round trip to the workbench that nothing below depends on.
  void vscode.commands.executeCommand('setContext', ContextKeys.filtered, !isEmptyFilter(store.filter));
  void view.reload('start');
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
    signInWithToken: (token) => signInWithToken(connection, tokens, token),
  };
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
