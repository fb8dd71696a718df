/**
 * Names for a run's node runs. A node run carries only `node_id`; the name lives in what the run ran:
 * an embedded flow lists its `nodes[]` (id, label, slug), a ComfyUI workflow keys its `workflow_json` by
 * node id (with `class_type` and `_meta.title`). A model's embedded object lists no nodes, so model runs
 * have ids only. Where names are missing the reader is told why, rather than left to wonder.
 */
import { lookup } from './lookup';
import { asPlainObject as obj } from './plainObject';
import { singleLine } from './sanitize';

type Loose = Record<string, unknown>;

const MAX_NODES = 10_000;
const MAX_NAME = 80;

function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = singleLine(v, MAX_NAME);
  return s ? s : undefined;
}

export type NodeNameSource = 'flow' | 'comfyui' | 'none';

export interface NodeNames {
  /** node id → name. */
  names: Map<string, string>;
  /** Where the names came from; `none` when the run brought nothing to name its nodes by. */
  source: NodeNameSource;
}

/** The run's kind as far as naming goes: its declared target type, else whichever id it carries. */
function runKind(run: Loose): 'model' | 'flow' | 'comfyui' | 'unknown' {
  const declared = typeof run.target_type === 'string' ? run.target_type.trim().toLowerCase() : '';
  if (declared === 'model' || declared === 'flow' || declared === 'comfyui') return declared;
  if (obj(run.flow) || text(run.flow_id)) return 'flow';
  if (obj(run.comfyui_workflow) || text(run.comfyui_workflow_id)) return 'comfyui';
  if (obj(run.model) || text(run.model_id)) return 'model';
  return 'unknown';
}

/** Per run object: a tree row per node run would otherwise read the flow's nodes once per row. */
const cache = new WeakMap<object, NodeNames>();

/** `run`: a run as the API sent it (or any part of one); only `flow` and `comfyui_workflow` are read. */
export function nodeNamesOf(run: object): NodeNames {
  let found = cache.get(run);
  if (!found) cache.set(run, (found = readNodeNames(run as Loose)));
  return found;
}

function readNodeNames(run: Loose): NodeNames {
  const names = new Map<string, string>();
  const flowNodes = obj(run.flow)?.nodes;
  if (Array.isArray(flowNodes)) {
    for (const n of flowNodes.slice(0, MAX_NODES)) {
      const node = obj(n);
      const id = typeof node?.id === 'string' ? node.id : undefined;
      const name = text(node?.name) ?? text(node?.label) ?? text(node?.title) ?? text(node?.slug);
      if (id && name) names.set(id, name);
    }
    if (names.size) return { names, source: 'flow' };
  }
  const workflow = obj(obj(run.comfyui_workflow)?.workflow_json);
  if (workflow && Array.isArray(workflow.nodes)) {
    // ComfyUI's own editor format: a list of nodes with numeric ids.
    for (const n of workflow.nodes.slice(0, MAX_NODES)) {
      const node = obj(n);
      const id = typeof node?.id === 'number' || typeof node?.id === 'string' ? String(node.id) : undefined;
      const name = text(node?.title) ?? text(node?.type);
      if (id && name) names.set(id, name);
    }
    if (names.size) return { names, source: 'comfyui' };
  } else if (workflow) {
    // The API format: node id → { class_type, inputs, _meta: { title } }.
    for (const id of Object.keys(workflow).slice(0, MAX_NODES)) {
      const node = obj(lookup(workflow, id));
      const name = text(obj(node?._meta)?.title) ?? text(node?.class_type);
      if (name) names.set(id, name);
    }
    if (names.size) return { names, source: 'comfyui' };
  }
  return { names, source: 'none' };
}

/**
 * One sentence on the node runs that show an id instead of a name, or undefined when every node run
 * with an id has a name.
 */
export function nodeNamingNote(run: object, nodeIds: readonly (string | undefined)[], names: NodeNames): string | undefined {
  const ids = nodeIds.filter((id): id is string => typeof id === 'string' && id !== '');
  const unnamed = ids.filter((id) => !names.names.has(id)).length;
  if (ids.length === 0 || unnamed === 0) return undefined;
  const kind = runKind(run as Loose);
  if (names.source === 'none') {
    if (kind === 'model') return "Node ids are shown: the API does not name a model's nodes.";
    if (kind === 'flow') return "Node ids are shown: the run's flow came without its nodes.";
    if (kind === 'comfyui') return "Node ids are shown: the run's ComfyUI workflow came without its nodes.";
    return 'Node ids are shown: the run names no flow or workflow to take node names from.';
  }
  const from = names.source === 'flow' ? "the run's flow" : "the run's ComfyUI workflow";
  if (unnamed === ids.length) return `Node ids are shown: none of these nodes is in ${from}.`;
  return `${unnamed.toLocaleString('en-US')} of ${ids.length.toLocaleString('en-US')} nodes are not in ${from}: their ids are shown.`;
}

/** UUIDs cut to 8 characters like other ids; readable ids kept up to a sane length. */
export function shortNodeId(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id.slice(0, 8);
  const one = singleLine(id, 48);
  return one || id.slice(0, 48);
}

/** What a node run is called: its node's name, else its (shortened) node id, else its place in the list. */
export function nodeRunLabel(nodeId: unknown, index: number, names: NodeNames): { text: string; named: boolean } {
  const id = typeof nodeId === 'string' && nodeId !== '' ? nodeId : undefined;
  const name = id ? names.names.get(id) : undefined;
  if (name) return { text: name, named: true };
  return { text: id ? shortNodeId(id) : `node ${index + 1}`, named: false };
}
