import * as vscode from 'vscode';
import type { ClientFactory } from '../auth/clientFactory';
import type { Run } from '../api/types';
import { describeCost } from '../core/cost';
import { describeTotal, todaysTotal } from '../core/costTotals';
import { Disposable } from '../core/disposable';
import { describeFilter, isEmptyFilter } from '../core/runFilter';
import { formatAgo } from '../core/runModel';
import { singleLine } from '../core/sanitize';
import { Commands } from '../constants';
import type { RunStore } from '../runs/runStore';
import type { ViewState } from './runsView';

/**
 * "Today: $1.2345 across 12 runs": what the loaded runs created today (the local day, from parsed
 * times) cost, summed exactly per currency. Loaded runs only: the Runs view's pages, not the account.
 */
export function todaySpendLine(runs: readonly Run[], now: number): string {
  const today = todaysTotal(runs, now);
  const amount = describeTotal(today.total) ?? describeCost('0').text;
  return `Today: ${amount} across ${today.runs} loaded run${today.runs === 1 ? '' : 's'}`;
}

/** The status-bar item: how many of the user's runs are active, or why the view cannot tell. */
export class RunsStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private signedIn = false;
  private viewState: ViewState = 'signedOut';

  constructor(
    private readonly store: RunStore,
    private readonly connection: ClientFactory,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('runflow.activeRuns', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Runflow Active Runs';
    this.item.command = Commands.focusRuns;
    this._register(store.onDidChange(() => this.update()));
    this._register(store.onDidChangeActiveCount(() => this.update()));
    // The first refresh after runs kept from the last window may change no run, and still make them current.
    this._register(store.onDidRefresh(() => this.update()));
  }

  /** What the Runs view knows that the store does not: the sign-in, and the state it shows. */
  show(signedIn: boolean, viewState: ViewState): void {
    this.signedIn = signedIn;
    this.viewState = viewState;
    this.update();
  }

  private update(): void {
    if (!this.signedIn) {
      this.item.hide();
      return;
    }
    // All the user's active runs, not only those the filter lets through (RunStore.activeCount).
    const active = this.store.activeCount;
    const staleSince = this.store.staleSince;
    if (staleSince !== undefined && this.viewState === 'ready') {
      // Runs kept from the last window say nothing of what is active now: no count until the first refresh.
      this.item.text = '$(history) Runflow';
      this.item.tooltip = `Runflow: runs from ${formatAgo(new Date(staleSince).toISOString(), Date.now())}, not yet refreshed — show the Runs view`;
    } else if (this.viewState === 'unauthorized' || this.viewState === 'unreachable') {
      this.item.text = '$(warning) Runflow';
      this.item.tooltip = this.viewState === 'unauthorized' ? 'Runflow: sign in again' : `Runflow: can't reach ${this.connection.baseUrl}`;
    } else {
      const filter = this.store.filter;
      const filtered = isEmptyFilter(filter) ? '' : ` (the Runs view shows only ${singleLine(describeFilter(filter), 80)})`;
      this.item.text = active ? `$(sync~spin) ${active} active` : '$(pulse) Runflow';
      const status = active
        ? `Runflow: ${active} active run${active === 1 ? '' : 's'}${filtered} — show the Runs view`
        : `Runflow: no active runs${filtered} — show the Runs view`;
      this.item.tooltip = `${status}\n${todaySpendLine(this.store.all(), Date.now())}`;
    }
    this.item.show();
  }
}
