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
/** The "Batches" row above the status groups: the batches this workspace launched lately. */
export class BatchesNode {
  readonly kind = 'batches' as const;
}
/** One launched batch; its children are its runs. */
export class BatchNode {
  readonly kind = 'batch' as const;
  constructor(readonly batchId: string) {}
}
/** A run under its batch: the same run as in its status group, a row of its own. */
export class BatchRunNode {
  readonly kind = 'batchRun' as const;
  constructor(
    readonly batchId: string,
    readonly runId: string,
  ) {}
}
export type RunsTreeNode = GroupNode | RunNode | NodeRunNode | LoadMoreNode | InfoNode | ActionNode | FilterNode | BatchesNode | BatchNode | BatchRunNode;
