import type { NodeRun } from '../api/types';

/** The Runs view's rows. Plain data, told apart by `kind`: VS Code hands them back to commands as they are. */
export class GroupNode {
  readonly kind = 'group' as const;
  constructor(readonly status: string) {}
}
export class RunNode {
  readonly kind = 'run' as const;
  constructor(
    readonly runId: string,
    readonly status: string,
  ) {}
}
export class NodeRunNode {
  readonly kind = 'nodeRun' as const;
  constructor(
    readonly runId: string,
    readonly index: number,
    readonly nodeRun: NodeRun,
  ) {}
}
export class LoadMoreNode {
  readonly kind = 'loadMore' as const;
}
export class InfoNode {
  readonly kind = 'info' as const;
  constructor(
    readonly parentId: string,
    readonly label: string,
    readonly icon: string,
  ) {}
}
/** A row that runs a command: what the user can do when the view has nothing else to show. */
export class ActionNode {
  readonly kind = 'action' as const;
  constructor(
    readonly command: string,
    readonly label: string,
    readonly icon: string,
  ) {}
}
/**
 * The first row while a filter is set, naming it; a click clears it. With one view in its container VS Code
 * shows no view description, so the row is where the filter can be seen.
 */
export class FilterNode {
  readonly kind = 'filter' as const;
}
export type RunsTreeNode = GroupNode | RunNode | NodeRunNode | LoadMoreNode | InfoNode | ActionNode | FilterNode;
