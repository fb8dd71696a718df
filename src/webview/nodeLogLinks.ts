/**
 * "Show in log" beside a failed node run: reveals the first log line that names the node in its `meta`
 * (`node_id` or `node`, as the extension reads it). The link shows only once the extension found such a
 * line, and is asked for again when the list is renumbered (level filter, the whole log read).
 */
import { MAX_NODE_NAME_LENGTH, MAX_NODE_NAMES, type LogStatus } from '../shared/protocol';
import { button } from './dom';
import { nextRequestId, post } from './vscodeApi';

/** While a live log grows, nodes not found yet are asked for again at most this often. */
const REFRESH_MS = 2_000;
/** Node runs given a link at most: a flow with thousands of failed nodes does not ask for each. */
const MAX_LINKS = 50;

interface NodeLink {
  nodes: string[];
  button: HTMLButtonElement;
  /** View position of the node's first line; -1 when none (or not answered yet). */
  position: number;
  requestId: number;
  answered: boolean;
}

export class NodeLogLinks {
  private links: NodeLink[] = [];
  private epoch: number | undefined;
  private level: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly show: (position: number) => void) {}

  /**
   * A hidden "Show in log" button for the node named `nodes` (its id, its name); undefined when there is
   * nothing to name it by or enough links were made.
   */
  link(names: readonly (string | undefined)[]): HTMLButtonElement | undefined {
    // Links of this table are not in the page yet; those answered and out of it belong to an older table.
    if (this.links.length >= MAX_LINKS) this.links = this.links.filter((l) => l.button.isConnected || !l.answered);
    const nodes = [...new Set(names.filter((n): n is string => !!n && n.length <= MAX_NODE_NAME_LENGTH))].slice(0, MAX_NODE_NAMES);
    if (nodes.length === 0 || this.links.length >= MAX_LINKS) return undefined;
    const b = button('Show the first log line of this node', { class: 'link-button node-log-link', hidden: true, 'data-testid': 'node-show-in-log' }, 'Show in log');
    const link: NodeLink = { nodes, button: b, position: -1, requestId: 0, answered: false };
    b.addEventListener('click', () => {
      if (link.position >= 0) this.show(link.position);
    });
    this.links.push(link);
    this.ask(link);
    return b;
  }

  onStatus(status: LogStatus): void {
    const renumbered = status.epoch !== this.epoch || status.level !== this.level;
    this.epoch = status.epoch;
    this.level = status.level;
    this.prune();
    if (renumbered) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
      for (const link of this.links) this.ask(link);
      return;
    }
    if (this.refreshTimer !== undefined || !this.links.some((l) => l.position < 0)) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      for (const link of this.links) if (link.position < 0) this.ask(link);
    }, REFRESH_MS);
  }

  onResult(requestId: number, position: number): void {
    const link = this.links.find((l) => l.requestId === requestId);
    if (!link) return;
    link.answered = true;
    link.position = Number.isInteger(position) && position >= 0 ? position : -1;
    link.button.hidden = link.position < 0;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.links = [];
  }

  private ask(link: NodeLink): void {
    link.requestId = nextRequestId();
    post({ type: 'nodeLine', requestId: link.requestId, nodes: link.nodes });
  }

  /** Links whose table was redrawn (the run changed) are forgotten. */
  private prune(): void {
    this.links = this.links.filter((l) => l.button.isConnected);
  }
}
