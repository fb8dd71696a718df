/**
 * Messages between the run detail panel (webview) and the extension, imported by both bundles.
 * Everything that crosses is plain JSON. The extension checks every incoming message with
 * `parseWebviewMessage` before acting on it: the panel shows text written by models and strangers,
 * so nothing it sends is trusted.
 */

/** A run as the panel shows it: the API's run, already fetched (with node_runs embedded). */
export type RunPayload = Record<string, unknown>;

/**
 * Set by the extension on a `RunPayload` whose node runs it could not fetch (the run's own GET failed):
 * why, for the node-run section to say instead of "Loading". The extension removes any field of this
 * name that came from the server, so only it can set one.
 */
export const NODE_RUNS_ERROR_FIELD = 'runflow_node_runs_error';

export interface LogLine {
  /** Index in the run's log, oldest first (0-based). */
  index: number;
  /** Lower-case level code: debug, info, warning, error, …; '' when unknown. */
  level: string;
  /** ISO timestamp or ''. */
  timestamp: string;
  /** Message text, may hold ANSI SGR colour codes; never HTML. */
  message: string;
}

export interface LogStatus {
  /** Lines known so far (after the level filter, when one is set). */
  total: number;
  /** All of the log has been read (not counting lines still to come from an active run). */
  complete: boolean;
  /** The run is still active: more lines may come. */
  live: boolean;
  /** Counts per level over the whole log read so far. */
  levels: Record<string, number>;
  /** The level filter in force ('' = all). */
  level: string;
  /** An error while reading, shown above the log; '' when none. */
  error: string;
  /**
   * Why the log may be incomplete although reading went on (the server repeated a cursor, sent an empty
   * page that pointed further, or more lines arrived than the page budget could fetch); '' when none.
   */
  incomplete: string;
  /** Automatic reading stopped after repeated failures; the panel offers a Retry (`retryLog`). */
  retry: boolean;
  /**
   * Bumped when positions were renumbered (the newest page is shown first, then the whole log once it
   * has been read; or the level filter changed): every line the panel holds from an older epoch is stale.
   */
  epoch: number;
}

export interface PanelOptions {
  timestamps: boolean;
  wrap: boolean;
  follow: boolean;
}

/**
 * Origins whose media the panel may load, decided by the extension: the API server's own origin, and
 * `https:` for every https origin (the page's CSP allows the same).
 */
export interface MediaPolicy {
  allowedOrigins: string[];
}

export type HostMessage =
  | { type: 'init'; runId: string; run: RunPayload | null; options: PanelOptions; media: MediaPolicy; focus?: 'logs' }
  /** `error`: the run's own GET still fails; the banner stays (a `run` without it clears the banner). */
  | { type: 'run'; run: RunPayload; error?: string }
  | { type: 'runError'; message: string }
  /** The extension is still waiting for the API (a hung or very slow answer); cleared by the next `run` or `runError`. */
  | { type: 'runWaiting'; message: string }
  | { type: 'logStatus'; status: LogStatus }
  /** Lines [start, start + lines.length) of the (filtered) log, answering a `logRange` or pushed while following. */
  | { type: 'logLines'; requestId: number; start: number; lines: LogLine[] }
  | { type: 'searchResult'; requestId: number; query: string; matches: number[]; truncated: boolean }
  /**
   * Show the line at view `position` as the current match of `query` (the panel was opened on a line found
   * elsewhere). `position: null`: the line is still being looked for (the whole log is read first); -1:
   * `query` matches nothing in this log.
   */
  | { type: 'showMatch'; query: string; position: number | null }
  /** View positions of the lines at error severity or worse, answering an `errorLines`. */
  | { type: 'errorLinesResult'; requestId: number; positions: number[]; truncated: boolean }
  /** The view position of the first line naming a node, answering a `nodeLine`; -1 when no line names it. */
  | { type: 'nodeLineResult'; requestId: number; position: number }
  | { type: 'focus'; section: 'logs' | 'top' }
  /** No token for the API: the panel shows only a Sign In state until the next `init`. */
  | { type: 'signedOut'; runId: string };

export type PanelAction = 'refresh' | 'rerun' | 'openInput' | 'cancel' | 'copyId' | 'exportRun' | 'openLogInEditor' | 'saveLog' | 'retryLog' | 'compareWithPrevious';

export type WebviewMessage =
  | { type: 'ready' }
  /** The Sign In button of the signed-out state: runs Runflow: Sign In. */
  | { type: 'signIn' }
  | { type: 'logRange'; requestId: number; start: number; end: number }
  | { type: 'search'; requestId: number; query: string }
  | { type: 'errorLines'; requestId: number }
  /** `nodes`: what may name one node in a line's `meta` (its id, its name). */
  | { type: 'nodeLine'; requestId: number; nodes: string[] }
  | { type: 'setLevel'; level: string }
  | { type: 'setOption'; key: keyof PanelOptions; value: boolean }
  | { type: 'action'; action: PanelAction }
  | { type: 'copy'; text: string }
  | { type: 'openLink'; url: string };

/** Lines asked for in one go at most: the panel holds only what is near the screen. */
export const MAX_RANGE = 2_000;
/** Longest search text / copied text accepted from the panel. */
export const MAX_QUERY_LENGTH = 1_000;
export const MAX_COPY_LENGTH = 5_000_000;
export const MAX_URL_LENGTH = 8_192;
/** Names of one node asked for at most (an id and a name), and their longest. */
export const MAX_NODE_NAMES = 4;
export const MAX_NODE_NAME_LENGTH = 200;

const ACTIONS: readonly PanelAction[] = ['refresh', 'rerun', 'openInput', 'cancel', 'copyId', 'exportRun', 'openLogInEditor', 'saveLog', 'retryLog', 'compareWithPrevious'];
const OPTION_KEYS: readonly (keyof PanelOptions)[] = ['timestamps', 'wrap', 'follow'];

function isInt(v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** The message if it is one the panel may send, well-formed and within bounds; otherwise undefined. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'signIn':
      return { type: 'signIn' };
    case 'logRange':
      if (!isInt(m.requestId) || !isInt(m.start) || !isInt(m.end) || m.end < m.start || m.end - m.start > MAX_RANGE) return undefined;
      return { type: 'logRange', requestId: m.requestId, start: m.start, end: m.end };
    case 'search':
      if (!isInt(m.requestId) || typeof m.query !== 'string' || m.query.length > MAX_QUERY_LENGTH) return undefined;
      return { type: 'search', requestId: m.requestId, query: m.query };
    case 'errorLines':
      if (!isInt(m.requestId)) return undefined;
      return { type: 'errorLines', requestId: m.requestId };
    case 'nodeLine': {
      if (!isInt(m.requestId) || !Array.isArray(m.nodes) || m.nodes.length === 0 || m.nodes.length > MAX_NODE_NAMES) return undefined;
      const nodes = m.nodes as unknown[];
      if (!nodes.every((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= MAX_NODE_NAME_LENGTH)) return undefined;
      return { type: 'nodeLine', requestId: m.requestId, nodes: [...nodes] };
    }
    case 'setLevel':
      if (typeof m.level !== 'string' || m.level.length > 40 || !/^[\w-]*$/.test(m.level)) return undefined;
      return { type: 'setLevel', level: m.level };
    case 'setOption':
      if (!OPTION_KEYS.includes(m.key as keyof PanelOptions) || typeof m.value !== 'boolean') return undefined;
      return { type: 'setOption', key: m.key as keyof PanelOptions, value: m.value };
    case 'action':
      if (!ACTIONS.includes(m.action as PanelAction)) return undefined;
      return { type: 'action', action: m.action as PanelAction };
    case 'copy':
      if (typeof m.text !== 'string' || m.text.length > MAX_COPY_LENGTH) return undefined;
      return { type: 'copy', text: m.text };
    case 'openLink': {
      if (typeof m.url !== 'string' || m.url.length > MAX_URL_LENGTH) return undefined;
      return isWebUrl(m.url) ? { type: 'openLink', url: m.url } : undefined;
    }
    default:
      return undefined;
  }
}

/** Only http(s) URLs may leave the panel; `command:`, `file:`, `javascript:` and the rest never. */
export function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}
