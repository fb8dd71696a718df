/**
 * Deterministic seed data: runs spread over every status, target type and source, with node runs,
 * evaluations, nulls wherever the reference allows them, and a share of "spicy" runs whose strings
 * are hostile, bidi, combining or very long. Seeded active runs do not progress.
 */
import { DELETED_MODEL_ID, type CatalogueModel } from './catalogue';
import { bigLogLines, LogSource, seededLines } from './logs';
import { formatMicros } from './money';
import { hashString, mix, Random } from './prng';
import { HOSTILE_STRINGS, longLine, UNICODE_STRINGS } from './samples';
import { blankRun, isTerminal, type EvaluationState, type RunRecord, type Store } from './store';
import type { FailureStage, JsonObject, NodeRun, Run, RunStatus, SourceCode, TargetType } from './types';

export interface SeedOptions {
  seed: number;
  runCount: number;
  bigLogLines: number;
  now: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const PROMPTS = [
  'a red fox in the snow, golden hour',
  'isometric city at night, neon, rain',
  'product photo of a ceramic mug on oak',
  'portrait of an astronaut, 85mm, film grain',
  'watercolor map of an imaginary archipelago',
  'summarise the attached meeting notes',
];

const GENERIC_FAILURES: Array<{ code: string; stage: FailureStage; message: string }> = [
  { code: 'DISPATCH_TIMEOUT', stage: 'dispatch', message: 'No worker accepted the run within 120 s' },
  { code: 'INVALID_INPUT', stage: 'execution', message: 'input.width must be a multiple of 8 (got 1023)' },
  { code: 'CALLBACK_FAILED', stage: 'callback', message: 'POST https://hooks.example.com/runflow answered 502 Bad Gateway' },
  { code: 'WORKER_LOST', stage: 'reconciliation', message: 'Worker heartbeat lost; run marked failed by reconciliation' },
  { code: 'NODE_FAILED', stage: 'execution', message: 'Node "sample" exited with code 137 (killed)' },
];

const ISSUES: Array<[string, string[]]> = [
  ['quality', ['blurry', 'artifacts', 'low_resolution']],
  ['safety', ['nsfw', 'violence']],
  ['prompt_adherence', ['missing_object', 'wrong_count', 'wrong_style']],
  ['format', ['wrong_size']],
];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

interface Target {
  type: TargetType;
  model: CatalogueModel | null;
  modelId: string | null;
  flowId: string | null;
  workflowId: string | null;
  version: string | null;
  name: string;
  nodes: Array<{ id: string; name: string }>;
  outputKind: 'images' | 'text' | 'transcript' | 'lines';
  microsPerSecond: number;
  failure: { node: number; code: string; message: string; stage: FailureStage } | null;
  preferred: 'succeeded' | 'failed' | 'partial_succeeded';
}

function chooseTarget(rng: Random, store: Store): Target {
  const cat = store.catalogue;
  const type = rng.weighted<TargetType>([
    ['model', 60],
    ['flow', 25],
    ['comfyui', 15],
  ]);
  if (type === 'model') {
    const deleted = rng.chance(0.03);
    const candidates = cat.models.filter((m) => m.model.slug !== 'log-storm' || rng.chance(0.2));
    const m = rng.pick(candidates);
    return {
      type,
      model: deleted ? null : m,
      modelId: deleted ? DELETED_MODEL_ID : (m.model.id as string),
      flowId: null,
      workflowId: null,
      version: deleted ? null : m.model.version,
      name: deleted ? 'a deleted model' : (m.model.name ?? m.model.slug ?? 'model'),
      nodes: m.behaviour.nodes.map((n, i) => ({ id: m.nodeIds[i], name: n })),
      outputKind: m.behaviour.output,
      microsPerSecond: m.behaviour.microsPerSecond,
      failure: m.behaviour.failure ?? null,
      preferred: m.behaviour.outcome,
    };
  }
  if (type === 'flow') {
    const f = rng.pick(cat.flows);
    return {
      type,
      model: null,
      modelId: null,
      flowId: f.id,
      workflowId: null,
      version: String(f.version),
      name: f.name ?? f.slug ?? 'flow',
      nodes: (f.nodes ?? []).map((n) => ({ id: n.id as string, name: n.slug ?? 'node' })),
      outputKind: f.slug === 'caption-and-translate' ? 'text' : 'images',
      microsPerSecond: 2500,
      failure: null,
      preferred: 'succeeded',
    };
  }
  const w = rng.pick(cat.workflows);
  const json = w.workflow_json ?? {};
  return {
    type,
    model: null,
    modelId: null,
    flowId: null,
    workflowId: w.id,
    version: w.version,
    name: w.name ?? w.slug ?? 'workflow',
    nodes: Object.entries(json).map(([key, v]) => ({
      id: new Random(hashString(`${w.id}:${key}`)).uuid(),
      name: String((v as JsonObject).class_type ?? key),
    })),
    outputKind: 'images',
    microsPerSecond: 1800,
    failure: null,
    preferred: 'succeeded',
  };
}

function chooseStatus(rng: Random, preferred: Target['preferred']): RunStatus {
  if (rng.chance(0.075)) {
    return rng.weighted<RunStatus>([
      ['running', 5],
      ['queued', 2],
      ['dispatching', 1],
    ]);
  }
  if (preferred === 'failed') return rng.weighted<RunStatus>([['failed', 8], ['cancelled', 2]]);
  if (preferred === 'partial_succeeded') {
    return rng.weighted<RunStatus>([['partial_succeeded', 7], ['succeeded', 1], ['failed', 2]]);
  }
  return rng.weighted<RunStatus>([
    ['succeeded', 72],
    ['failed', 14],
    ['cancelled', 8],
    ['partial_succeeded', 6],
  ]);
}

function imageOutputs(store: Store, runId: string, count: number): JsonObject[] {
  return Array.from({ length: count }, (_, i) => ({
    url: `${store.baseUrl}/files/${runId.slice(0, 8)}-${i}.png`,
    width: 1024,
    height: 1024,
    content_type: 'image/png',
  }));
}

function buildOutput(rng: Random, store: Store, runId: string, target: Target, status: RunStatus, spicy: boolean): JsonObject | null {
  if (!isTerminal(status)) return null;
  if (status === 'failed' || status === 'cancelled') return rng.chance(0.5) ? {} : null;
  let out: JsonObject;
  switch (target.outputKind) {
    case 'images': {
      const n = rng.int(1, 4);
      const images = imageOutputs(store, runId, status === 'partial_succeeded' ? Math.max(1, n - 1) : n);
      out = { images, seed: rng.int(0, 2 ** 31) };
      if (status === 'partial_succeeded') out.errors = [{ index: n - 1, message: 'variant timed out' }];
      break;
    }
    case 'text':
      out = { text: `${rng.pick(PROMPTS)} — here is the answer you asked for.`, tokens: rng.int(20, 900) };
      break;
    case 'transcript':
      out = { transcript: 'Bonjour à tous, et bienvenue.', language: 'fr', segments: [{ start: 0, end: 2.4, text: 'Bonjour à tous' }] };
      break;
    case 'lines':
      out = { lines_written: rng.int(100, 5000) };
      break;
  }
  if (spicy) {
    out.caption = rng.pick(HOSTILE_STRINGS);
    out.link = 'javascript:alert(1)';
    out.html = '<img src=x onerror=alert(1)>';
    out.title = rng.pick(UNICODE_STRINGS);
    if (rng.chance(0.3)) out.dump = longLine(rng.int(0, 1000));
  }
  return out;
}

function buildInput(rng: Random, target: Target, spicy: boolean): JsonObject | null {
  if (rng.chance(0.02)) return null;
  const prompt = spicy ? `${rng.pick(PROMPTS)} ${rng.pick(HOSTILE_STRINGS)} ${rng.pick(UNICODE_STRINGS)}` : rng.pick(PROMPTS);
  const slug = target.model?.model.slug;
  if (slug === 'broken-upscaler') return { image: 'https://cdn.example.com/in/photo.png', scale: 4 };
  if (slug === 'whisper-large') return { audio: 'https://cdn.example.com/in/meeting.wav', language: 'fr' };
  if (slug === 'log-storm') return { lines: rng.int(100, 5000) };
  if (slug === 'slow-llm') return { prompt, max_tokens: 512, temperature: 0.7 };
  if (target.type === 'model') return { prompt, width: 1024, height: 1024, steps: 4, seed: rng.int(0, 99999) };
  return { prompt, seed: rng.int(0, 99999) };
}

function buildMetadata(rng: Random, spicy: boolean): JsonObject | null {
  if (spicy) {
    return {
      note: rng.pick(HOSTILE_STRINGS),
      title: rng.pick(UNICODE_STRINGS),
      batch: `b-${rng.int(1, 20)}`,
      homepage: 'javascript:alert(1)',
    };
  }
  return rng.weighted<JsonObject | null>([
    [{}, 3],
    [{ batch: `b-${rng.int(1, 20)}`, env: rng.pick(['staging', 'prod']) }, 4],
    [{ batch: `b-${rng.int(1, 20)}`, tags: ['nightly', 'regression'], attempt: rng.int(1, 3) }, 2],
    [null, 1],
  ]);
}

function buildEvaluation(rng: Random, status: RunStatus): EvaluationState | null {
  if ((status !== 'succeeded' && status !== 'partial_succeeded') || !rng.chance(0.5)) return null;
  const passed = rng.weighted<boolean | null>([
    [true, 6],
    [false, 3],
    [null, 1],
  ]);
  const issues: EvaluationState['issues'] = [];
  if (passed === false) {
    const n = rng.int(1, 2);
    for (let i = 0; i < n; i++) {
      const [category, subs] = rng.pick(ISSUES);
      issues.push({ category, subcategory: rng.chance(0.85) ? rng.pick(subs) : null });
    }
  }
  const score = passed === null ? null : passed ? 0.7 + rng.int(0, 30) / 100 : rng.int(5, 60) / 100;
  return { summary: { passed, status_code: 'completed', score }, issues };
}

function nodeRunsFor(
  runId: string,
  target: Target,
  status: RunStatus,
  completed: number,
  startMs: number | null,
  endMs: number,
  failure: { message: string | null } | null,
  spicy: boolean,
): NodeRun[] {
  if (startMs === null || target.nodes.length === 0) return [];
  const total = target.nodes.length;
  const slice = Math.max(1, Math.floor((endMs - startMs) / total));
  return target.nodes.map((node, i) => {
    let state: string;
    if (i < completed) state = 'succeeded';
    else if (i === completed) {
      state =
        status === 'running'
          ? 'running'
          : status === 'failed' || status === 'partial_succeeded'
            ? 'failed'
            : status === 'cancelled'
              ? 'cancelled'
              : 'succeeded';
    } else {
      state = status === 'running' ? 'pending' : status === 'partial_succeeded' ? 'succeeded' : 'skipped';
    }
    const began = state === 'pending' || state === 'skipped' ? null : startMs + i * slice;
    const ended = state === 'succeeded' || state === 'failed' || state === 'cancelled' ? startMs + (i + 1) * slice : null;
    const r = mix(hashString(runId), i);
    const preview = state === 'succeeded' && target.outputKind === 'images' && i === total - 1;
    return {
      id: new Random(r).uuid(),
      run_id: runId,
      node_id: node.id,
      flow_id: target.flowId,
      state_code: state,
      input: r % 7 === 0 ? null : { node: node.name },
      output: state === 'succeeded' ? { ok: true } : null,
      input_signature: r % 3 === 0 ? null : (r >>> 0).toString(16).padStart(8, '0'),
      preview_type: preview ? 'image' : state === 'succeeded' && r % 4 === 0 ? 'text' : null,
      preview_value: preview ? `${runId.slice(0, 8)}-0.png` : state === 'succeeded' && r % 4 === 0 ? (spicy ? HOSTILE_STRINGS[r % HOSTILE_STRINGS.length] : `${node.name} done`) : null,
      duration_ms: began !== null && ended !== null ? ended - began : null,
      cost: ended !== null && r % 5 !== 0 ? formatMicros(((ended - (began ?? ended)) / 1000) * target.microsPerSecond) : null,
      retry_count: r % 11 === 0 ? 1 : 0,
      error_message: state === 'failed' ? (failure?.message ?? null) : null,
      created_at: iso(startMs),
      started_at: iso(began),
      completed_at: iso(ended),
    };
  });
}

function seedRun(rng: Random, store: Store, opts: SeedOptions, index: number, previousCreated: number | null): RunRecord {
  const id = rng.uuid();
  const orgs = store.organizations;
  const orgId = orgs.length > 1 && rng.chance(0.15) ? rng.pick(orgs.slice(1)) : orgs[0];
  const target = chooseTarget(rng, store);
  const status = chooseStatus(rng, target.preferred);
  const spicy = rng.chance(0.12);
  const active = !isTerminal(status);

  let createdMs = active
    ? opts.now - rng.int(10 * SECOND, 50 * MINUTE)
    : opts.now - Math.max(MINUTE, Math.floor(Math.pow(rng.float(), 1.6) * 30 * DAY));
  // A few exact created_at ties, so that only the id tie-break keeps the order total.
  if (index % 37 === 36 && previousCreated !== null) createdMs = previousCreated;

  let failure: { code: string | null; stage: FailureStage | null; message: string | null } | null = null;
  if (status === 'failed' || status === 'partial_succeeded') {
    const f = target.failure ?? (status === 'partial_succeeded' ? { code: 'NODE_FAILED', stage: 'execution' as const, message: 'one or more nodes failed' } : rng.pick(GENERIC_FAILURES));
    failure = {
      code: rng.chance(0.05) ? null : f.code,
      stage: rng.chance(0.05) ? null : f.stage,
      message: rng.chance(0.05) ? null : spicy ? `${f.message} ${rng.pick(HOSTILE_STRINGS)}` : f.message,
    };
  }
  const dispatchFailure = failure?.stage === 'dispatch';
  const neverStarted =
    status === 'queued' || status === 'dispatching' || dispatchFailure || (status === 'cancelled' && rng.chance(0.3));
  const startedMs = neverStarted ? null : Math.min(opts.now - SECOND, createdMs + rng.int(500, 10 * SECOND));
  const slow = target.model?.model.slug === 'slow-llm';
  const runLength = rng.int(slow ? 20 * SECOND : 2 * SECOND, slow ? 120 * SECOND : 60 * SECOND);
  const completedMs = active ? null : Math.min(opts.now, (startedMs ?? createdMs + rng.int(SECOND, 120 * SECOND)) + (startedMs === null ? 0 : runLength));

  const total = target.nodes.length;
  // Index of the node that is running, failed or was cancelled; nodes before it succeeded.
  let currentNode: number;
  if (startedMs === null) currentNode = 0;
  else if (status === 'succeeded' || failure?.stage === 'callback' || failure?.stage === 'reconciliation') currentNode = total;
  else if (status === 'failed' || status === 'partial_succeeded') {
    currentNode = Math.min(target.failure?.node ?? rng.int(0, total - 1), total - 1);
  } else currentNode = rng.int(0, Math.max(0, total - 1));
  const completedNodes = status === 'partial_succeeded' ? Math.max(0, total - 1) : Math.min(currentNode, total);

  const endMs = completedMs ?? opts.now;
  const nodeRuns = nodeRunsFor(id, target, status, currentNode, startedMs, endMs, failure, spicy);
  const durationMs = startedMs !== null && completedMs !== null && !rng.chance(0.06) ? completedMs - startedMs : null;
  const costMicros = startedMs !== null && durationMs !== null ? (durationMs / 1000) * target.microsPerSecond : 0;
  const hasCost = !active && !rng.chance(0.08);
  const cost = hasCost ? (startedMs === null ? rng.pick(['0', '0.0000']) : formatMicros(costMicros)) : null;

  let logCount = 0;
  if (status === 'queued') logCount = rng.int(0, 1);
  else if (status === 'dispatching') logCount = 2;
  else if (!rng.chance(0.08)) logCount = slow ? rng.int(150, 400) : rng.int(5, 60);
  const logStart = startedMs ?? createdMs;
  const logs = new LogSource(
    id,
    logCount,
    seededLines({
      count: logCount,
      startMs: Math.min(logStart, endMs),
      endMs,
      salt: hashString(id),
      modelName: target.name,
      nodes: target.nodes.map((n) => n.name),
      status,
      failureMessage: failure?.message ?? null,
      spicy,
    }),
  );

  const finished = isTerminal(status);
  const run: Run = {
    id,
    flow_id: target.flowId,
    model_id: target.modelId,
    comfyui_workflow_id: target.workflowId,
    target_type: target.type,
    target_version: rng.chance(0.05) ? null : target.version,
    org_id: orgId,
    status_code: status,
    source_code: rng.weighted<SourceCode | null>([
      ['playground', 40],
      ['api', 45],
      ['flow-node', 10],
      [null, 5],
    ]),
    input: buildInput(rng, target, spicy),
    output: buildOutput(rng, store, id, target, status, spicy),
    context: rng.weighted<JsonObject | null>([
      [{}, 5],
      [{ ip_country: 'FR', user_agent: 'runflow-python/1.4.0' }, 3],
      [null, 1],
    ]),
    duration_ms: durationMs,
    cost,
    cost_breakdown:
      cost === null
        ? null
        : rng.chance(0.1)
          ? {}
          : { currency: 'USD', gpu_seconds: ((durationMs ?? 0) / 1000).toFixed(1), items: [{ label: 'gpu', amount: cost }] },
    nodes_total: rng.chance(0.04) ? null : total,
    nodes_completed: rng.chance(0.04) ? null : completedNodes,
    resolved_template_id: rng.chance(0.1) ? rng.uuid() : null,
    batch_id: rng.chance(0.2) ? new Random(mix(opts.seed, rng.int(1, 5))).uuid() : null,
    client_ref: spicy && rng.chance(0.5) ? rng.pick(HOSTILE_STRINGS) : rng.chance(0.4) ? `order-${rng.int(1000, 9999)}` : null,
    jurisdiction_code: rng.weighted<string | null>([
      ['eu', 3],
      ['us', 3],
      [null, 2],
    ]),
    flow_version_id: target.type === 'flow' ? (store.catalogue.flowById.get(target.flowId as string)?.current_version_id ?? null) : null,
    request_id: rng.chance(0.05) ? null : `req_${rng.hex(20)}`,
    created_by: rng.chance(0.1) ? null : rng.pick(store.catalogue.users),
    created_at: iso(createdMs),
    started_at: iso(startedMs),
    completed_at: iso(completedMs),
    callback_url: rng.chance(0.2) ? `https://hooks.example.com/runflow/${rng.hex(6)}` : null,
    metadata: buildMetadata(rng, spicy),
    has_logs: rng.chance(0.03) ? null : logCount > 0,
    has_node_runs: nodeRuns.length > 0,
    links: rng.chance(0.03) ? null : store.links(id),
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    failure_stage_code: failure?.stage ?? null,
    feedback_is_positive: finished ? rng.weighted<boolean | null>([[true, 3], [false, 1], [null, 6]]) : null,
    feedback_reason: null,
    source_chat_message_id: rng.chance(0.05) ? rng.uuid() : null,
  };
  if (run.feedback_is_positive === false) run.feedback_reason = spicy ? rng.pick(HOSTILE_STRINGS) : 'Hands look wrong';
  return { run, orgId, evaluation: buildEvaluation(rng, status), nodeRuns, logs };
}

/** A run whose every nullable field is null, and one that is nearly so: clients must render both. */
function sparseRun(id: string, orgId: string, status: RunStatus | null): RunRecord {
  const run = blankRun(id);
  run.status_code = status;
  return { run, orgId, evaluation: null, nodeRuns: [], logs: new LogSource(id) };
}

function bigLogRun(rng: Random, store: Store, opts: SeedOptions): RunRecord {
  const id = rng.uuid();
  const model = store.catalogue.findModel('runflow', 'log-storm') as CatalogueModel;
  const createdMs = opts.now - 2 * HOUR;
  const startedMs = createdMs + 2 * SECOND;
  const completedMs = startedMs + HOUR;
  const run: Run = {
    ...blankRun(id),
    model_id: model.model.id,
    target_type: 'model',
    target_version: model.model.version,
    org_id: store.defaultOrg,
    status_code: 'succeeded',
    source_code: 'api',
    input: { lines: opts.bigLogLines },
    output: { lines_written: opts.bigLogLines },
    context: {},
    duration_ms: completedMs - startedMs,
    cost: formatMicros(3600 * model.behaviour.microsPerSecond),
    cost_breakdown: { currency: 'USD', gpu_seconds: '3600.0' },
    nodes_total: 1,
    nodes_completed: 1,
    client_ref: 'log-storm',
    request_id: `req_${rng.hex(20)}`,
    created_by: store.catalogue.users[0],
    created_at: iso(createdMs),
    started_at: iso(startedMs),
    completed_at: iso(completedMs),
    metadata: { purpose: 'big-log', lines: opts.bigLogLines },
    has_logs: true,
    has_node_runs: true,
    links: store.links(id),
  };
  const nodeRuns: NodeRun[] = [
    {
      id: rng.uuid(),
      run_id: id,
      node_id: model.nodeIds[0],
      flow_id: null,
      state_code: 'succeeded',
      input: { lines: opts.bigLogLines },
      output: { lines_written: opts.bigLogLines },
      input_signature: null,
      preview_type: null,
      preview_value: null,
      duration_ms: completedMs - startedMs,
      cost: run.cost,
      retry_count: 0,
      error_message: null,
      created_at: iso(startedMs),
      started_at: iso(startedMs),
      completed_at: iso(completedMs),
    },
  ];
  const logs = new LogSource(id, opts.bigLogLines, bigLogLines(opts.bigLogLines, startedMs, completedMs));
  return { run, orgId: store.defaultOrg, evaluation: null, nodeRuns, logs };
}

export function seedStore(store: Store, opts: SeedOptions): void {
  const rng = new Random(mix(opts.seed, 0x52554e53));
  let previousCreated: number | null = null;
  for (let i = 0; i < opts.runCount; i++) {
    let record: RunRecord;
    if (opts.runCount >= 10 && i === 5) record = sparseRun(rng.uuid(), store.defaultOrg, null);
    else if (opts.runCount >= 10 && i === 11) record = sparseRun(rng.uuid(), store.defaultOrg, 'failed');
    else record = seedRun(rng, store, opts, i, previousCreated);
    store.add(record);
    previousCreated = record.run.created_at ? Date.parse(record.run.created_at) : previousCreated;
  }
  if (opts.bigLogLines > 0) {
    const record = bigLogRun(rng, store, opts);
    store.add(record);
    store.bigLogRunId = record.run.id;
  }
}
