import type { Run } from '../api/types';
import { compareRunsNewestFirst, statusOf } from '../core/runModel';
import type { StoreChange } from '../runs/runStore';

/**
 * The order of the runs in each status group on screen, so rows hold still under the pointer: each run
 * keeps its place in its group while others change. A run that leaves a group leaves its order, a run new
 * to a group goes on top of it (newest first among several), and older runs that "Load more" brings go at
 * the bottom. A group not listed yet is ordered newest first when it is (groupRunIds).
 */
export class RunOrder {
  /** Per group, the ids of its runs in their order on screen, once the group has been listed. */
  private readonly order = new Map<string, string[]>();
  /** The group whose order holds each run. */
  private readonly placedIn = new Map<string, string>();

  /** `forget` is told of each row a run leaves: the row under that group is gone. */
  constructor(private readonly forget: (status: string, runId: string) => void = () => undefined) {}

  /** Follows a store change; `get` reads a run as the store has it now, `empty` the store is. */
  place(change: StoreChange, get: (id: string) => Run | undefined, empty: boolean): void {
    if (empty) {
      this.order.clear();
      this.placedIn.clear();
      return;
    }
    for (const id of change.removed) this.unplace(id);
    const arrivals = new Map<string, Run[]>();
    for (const id of change.changed) {
      const run = get(id);
      if (!run) continue;
      const status = statusOf(run);
      if (this.placedIn.get(id) === status) continue;
      this.unplace(id);
      if (!this.order.has(status)) continue;
      let list = arrivals.get(status);
      if (!list) arrivals.set(status, (list = []));
      list.push(run);
    }
    for (const [status, runs] of arrivals) {
      const ids = runs.sort(compareRunsNewestFirst).map((r) => r.id!);
      const order = this.order.get(status)!;
      if (change.appended) order.push(...ids);
      else order.unshift(...ids);
      for (const id of ids) this.placedIn.set(id, status);
    }
  }

  /**
   * The ids of a group's runs (`members`, all of the group's runs) in their order on screen: newest first
   * the first time the group is listed, then as place() keeps it. Runs the order has not seen (none,
   * normally) go on top.
   */
  groupRunIds(status: string, members: Run[]): string[] {
    let order = this.order.get(status);
    if (!order) this.order.set(status, (order = []));
    const inGroup = new Set(members.map((r) => r.id!));
    const kept = order.filter((id) => inGroup.has(id));
    const placed = new Set(kept);
    const unseen = members.filter((r) => !placed.has(r.id!)).map((r) => r.id!);
    if (unseen.length || kept.length !== order.length) {
      order.splice(0, order.length, ...unseen, ...kept);
      for (const id of unseen) this.placedIn.set(id, status);
    }
    return [...order];
  }

  private unplace(id: string): void {
    const status = this.placedIn.get(id);
    if (status === undefined) return;
    this.placedIn.delete(id);
    const order = this.order.get(status);
    const at = order?.indexOf(id) ?? -1;
    if (order && at >= 0) order.splice(at, 1);
    this.forget(status, id);
  }
}
