/**
 * The fixed catalogue of models, flows and ComfyUI workflows the emulator knows. It does not depend
 * on the seed, so ids and slugs are stable across runs of the emulator; each model also carries the
 * behaviour its runs follow when created through the API.
 */
import { hashString, Random } from './prng';
import type {
  ComfyuiVariable,
  ComfyuiWorkflow,
  FailureStage,
  Flow,
  FlowNode,
  FlowVariable,
  JsonObject,
  Model,
  ModelInput,
  ModelOutput,
} from './types';

export type OutputKind = 'images' | 'text' | 'transcript' | 'lines';

export interface ModelBehaviour {
  outcome: 'succeeded' | 'failed' | 'partial_succeeded';
  /** Simulated milliseconds spent in each phase, as [min, max]. */
  queueMs: [number, number];
  dispatchMs: [number, number];
  runMs: [number, number];
  /** Node names executed in order while running. */
  nodes: string[];
  /** Simulated milliseconds between two progress log lines while running. */
  logEveryMs: number;
  output: OutputKind;
  /** For failed/partial outcomes: which node fails and how. */
  failure?: { node: number; code: string; message: string; stage: FailureStage };
  /** Price in micro-dollars per simulated second of running. */
  microsPerSecond: number;
}

export interface CatalogueModel {
  owner: string;
  model: Model;
  behaviour: ModelBehaviour;
  /** Stable ids of the model's pipeline nodes, used as NodeRun.node_id. */
  nodeIds: string[];
}

export interface Catalogue {
  models: CatalogueModel[];
  flows: Flow[];
  workflows: ComfyuiWorkflow[];
  /** Stable users that appear as `created_by`. */
  users: string[];
  modelById: Map<string, CatalogueModel>;
  flowById: Map<string, Flow>;
  workflowById: Map<string, ComfyuiWorkflow>;
  findModel(owner: string, slug: string): CatalogueModel | undefined;
}

const CATALOGUE_TIME = '2024-03-14T09:26:53.000Z';
const PLATFORM_ORG = 'org_runflow';

/** Deterministic id for a named catalogue thing. */
function stableId(name: string): string {
  return new Random(hashString(`catalogue:${name}`)).uuid();
}

interface InputSpec {
  name: string;
  type: string;
  required?: boolean;
  default?: unknown;
  description?: string;
}

function modelInputs(modelId: string, specs: InputSpec[]): ModelInput[] {
  return specs.map((s, i) => ({
    id: stableId(`${modelId}:input:${s.name}`),
    model_id: modelId,
    name: s.name,
    display_name: s.name.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
    description: s.description ?? null,
    variable_type_code: s.type,
    default_behavior_code: s.default === undefined ? null : 'use_default',
    validator_code: s.type === 'integer' ? 'range' : null,
    validator_attrs: s.type === 'integer' ? { min: 1, max: 4096 } : null,
    is_required: s.required ?? false,
    default_value: s.default ?? null,
    sort_order: i,
    is_featured: i === 0,
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
  }));
}

function modelOutputs(modelId: string, specs: Array<{ name: string; type: string }>): ModelOutput[] {
  return specs.map((s, i) => ({
    id: stableId(`${modelId}:output:${s.name}`),
    model_id: modelId,
    name: s.name,
    display_name: s.name.replace(/_/g, ' '),
    description: null,
    variable_type_code: s.type,
    validator_code: null,
    validator_attrs: null,
    sort_order: i,
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
  }));
}

interface ModelSpec {
  owner: string;
  slug: string;
  name: string | null;
  description: string | null;
  category: string | null;
  inputs: InputSpec[];
  outputs: Array<{ name: string; type: string }>;
  behaviour: ModelBehaviour;
  sparse?: boolean;
}

function buildModel(spec: ModelSpec, baseUrl: string): CatalogueModel {
  const id = stableId(`model:${spec.owner}/${spec.slug}`);
  const sparse = spec.sparse === true;
  const model: Model = {
    id,
    org_id: PLATFORM_ORG,
    model_creator_id: sparse ? null : stableId(`creator:${spec.owner}`),
    slug: spec.slug,
    name: spec.name,
    description: spec.description,
    version: sparse ? null : '1.2.0',
    is_public: true,
    is_open_source: sparse ? null : true,
    icon_url: sparse ? null : `${baseUrl}/files/icon-${spec.slug}.png`,
    cover_url: sparse ? null : `${baseUrl}/files/cover-${spec.slug}.png`,
    category_code: spec.category,
    status_code: 'active',
    family_id: null,
    family_variant_code: null,
    param_count: sparse ? null : '3.5B',
    architecture: sparse ? null : 'diffusion',
    license_code: sparse ? null : 'apache-2.0',
    max_resolution: spec.category === 'image' ? '1024x1024' : null,
    lora_support: sparse ? null : false,
    fine_tuning: sparse ? null : false,
    supports_streaming: spec.behaviour.output === 'text',
    paper_url: null,
    github_url: null,
    is_official: spec.owner === 'runflow',
    availability_status: 'available',
    seo: sparse ? null : { title: spec.name },
    notable_features: sparse ? null : ['fast', 'emulated'],
    content: sparse ? null : `# ${spec.name ?? spec.slug}\n\nEmulated model for local testing.`,
    pricing_note: sparse ? null : 'Billed per GPU second.',
    created_by: null,
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
    deleted_at: null,
    deleted_by: null,
    inputs: modelInputs(id, spec.inputs),
    outputs: modelOutputs(id, spec.outputs),
    examples: sparse ? null : [],
    faq_entries: sparse ? null : [],
    pricing: sparse
      ? null
      : [
          {
            id: stableId(`${id}:pricing`),
            model_id: id,
            pricing_model_code: 'per_second',
            rule_effect_code: 'base',
            model_input_id: null,
            match_value: null,
            dimension_code: 'gpu_seconds',
            min_value: null,
            max_value: null,
            price: (spec.behaviour.microsPerSecond / 1e6).toFixed(6),
            currency_code: 'USD',
            unit_code: 'second',
            multiplier_label: null,
            description: null,
            sort_order: 0,
            disabled_at: null,
            measurement_source: 'worker',
            created_at: CATALOGUE_TIME,
            updated_at: CATALOGUE_TIME,
          },
        ],
    related_links: sparse ? null : [],
  };
  return {
    owner: spec.owner,
    model,
    behaviour: spec.behaviour,
    nodeIds: spec.behaviour.nodes.map((n) => stableId(`${id}:node:${n}`)),
  };
}

function modelSpecs(baseUrl: string): ModelSpec[] {
  return [
    {
      owner: 'runflow',
      slug: 'sdxl-turbo',
      name: 'SDXL Turbo',
      description: 'Fast text-to-image generation in a few steps.',
      category: 'image',
      inputs: [
        { name: 'prompt', type: 'string', required: true, description: 'What to draw.' },
        { name: 'negative_prompt', type: 'string' },
        { name: 'width', type: 'integer', default: 1024 },
        { name: 'height', type: 'integer', default: 1024 },
        { name: 'steps', type: 'integer', default: 4 },
        { name: 'seed', type: 'integer' },
      ],
      outputs: [{ name: 'images', type: 'image' }],
      behaviour: {
        outcome: 'succeeded',
        queueMs: [1000, 2500],
        dispatchMs: [800, 2000],
        runMs: [8000, 18000],
        nodes: ['load_checkpoint', 'encode_prompt', 'sample', 'vae_decode', 'save_image'],
        logEveryMs: 1200,
        output: 'images',
        microsPerSecond: 1250,
      },
    },
    {
      owner: 'runflow',
      slug: 'broken-upscaler',
      name: 'Broken Upscaler',
      description: 'A 4x upscaler that always runs out of GPU memory.',
      category: 'image',
      inputs: [
        { name: 'image', type: 'image', default: `${baseUrl}/files/upscaler-sample.png` },
        { name: 'scale', type: 'integer', default: 4 },
      ],
      outputs: [{ name: 'image', type: 'image' }],
      behaviour: {
        outcome: 'failed',
        queueMs: [1000, 2000],
        dispatchMs: [800, 1500],
        runMs: [8000, 14000],
        nodes: ['load_image', 'tile', 'upscale', 'merge_tiles'],
        logEveryMs: 1000,
        output: 'images',
        failure: {
          node: 2,
          code: 'CUDA_OOM',
          stage: 'execution',
          message:
            'CUDA out of memory. Tried to allocate 2.50 GiB (GPU 0; 23.69 GiB total capacity; 21.10 GiB already allocated)',
        },
        microsPerSecond: 2100,
      },
    },
    {
      owner: 'runflow',
      slug: 'slow-llm',
      name: 'Slow LLM',
      description: 'A chatty language model that streams a lot of log output.',
      category: 'text',
      inputs: [
        { name: 'prompt', type: 'string', required: true },
        { name: 'max_tokens', type: 'integer', default: 512 },
        { name: 'temperature', type: 'number', default: 0.7 },
      ],
      outputs: [{ name: 'text', type: 'string' }],
      behaviour: {
        outcome: 'succeeded',
        queueMs: [1500, 3000],
        dispatchMs: [1000, 2000],
        runMs: [22000, 26000],
        nodes: ['tokenize', 'prefill', 'generate', 'detokenize'],
        logEveryMs: 150,
        output: 'text',
        microsPerSecond: 400,
      },
    },
    {
      owner: 'runflow',
      slug: 'flaky-pipeline',
      name: 'Flaky Pipeline',
      description: 'Produces several variants; one of them always times out.',
      category: 'image',
      inputs: [
        { name: 'prompt', type: 'string', required: true },
        { name: 'variants', type: 'integer', default: 4 },
      ],
      outputs: [{ name: 'images', type: 'image' }],
      behaviour: {
        outcome: 'partial_succeeded',
        queueMs: [1000, 2000],
        dispatchMs: [800, 1500],
        runMs: [10000, 18000],
        nodes: ['prepare', 'variant_1', 'variant_2', 'variant_3', 'variant_4', 'collect'],
        logEveryMs: 900,
        output: 'images',
        failure: {
          node: 3,
          code: 'UPSTREAM_TIMEOUT',
          stage: 'execution',
          message: 'variant_3 did not answer within 30 s; continuing with the other variants',
        },
        microsPerSecond: 1600,
      },
    },
    {
      owner: 'runflow',
      slug: 'log-storm',
      name: 'Log Storm',
      description: 'Writes log lines as fast as it can.',
      category: 'utility',
      inputs: [{ name: 'lines', type: 'integer', default: 500 }],
      outputs: [{ name: 'lines_written', type: 'integer' }],
      behaviour: {
        outcome: 'succeeded',
        queueMs: [500, 1000],
        dispatchMs: [500, 1000],
        runMs: [9000, 11000],
        nodes: ['emit'],
        logEveryMs: 30,
        output: 'lines',
        microsPerSecond: 100,
      },
    },
    {
      owner: 'runflow',
      slug: 'whisper-large',
      name: 'Whisper Large v3',
      description: 'Speech to text.',
      category: 'audio',
      inputs: [
        { name: 'audio', type: 'audio', default: `${baseUrl}/files/sample-audio.wav` },
        { name: 'language', type: 'string', default: 'auto' },
      ],
      outputs: [{ name: 'transcript', type: 'string' }],
      behaviour: {
        outcome: 'succeeded',
        queueMs: [1000, 2000],
        dispatchMs: [800, 1500],
        runMs: [9000, 16000],
        nodes: ['load_audio', 'transcribe', 'align'],
        logEveryMs: 1500,
        output: 'transcript',
        microsPerSecond: 900,
      },
    },
    {
      owner: 'acme',
      slug: 'flux-schnell',
      name: null,
      description: null,
      category: null,
      inputs: [{ name: 'prompt', type: 'string', required: true }],
      outputs: [{ name: 'images', type: 'image' }],
      behaviour: {
        outcome: 'succeeded',
        queueMs: [1000, 2000],
        dispatchMs: [500, 1000],
        runMs: [8000, 12000],
        nodes: ['generate'],
        logEveryMs: 2000,
        output: 'images',
        microsPerSecond: 3000,
      },
      sparse: true,
    },
  ];
}

interface NodeSpec {
  slug: string;
  label: string;
  type: string;
  modelSlug?: string;
}

function buildFlow(
  slug: string,
  name: string | null,
  description: string | null,
  nodeSpecs: NodeSpec[],
  models: CatalogueModel[],
): Flow {
  const id = stableId(`flow:${slug}`);
  const nodes: FlowNode[] = nodeSpecs.map((n, i) => {
    const nodeId = stableId(`${id}:node:${n.slug}`);
    return {
      id: nodeId,
      flow_id: id,
      slug: n.slug,
      label: n.label,
      subtitle: n.modelSlug ?? null,
      type_code: n.type,
      x: 120 + i * 260,
      y: 200,
      width: 220,
      config: {},
      collapsed: false,
      model_id: n.modelSlug ? (models.find((m) => m.model.slug === n.modelSlug)?.model.id ?? null) : null,
      builtin_node_code: n.type === 'builtin' ? n.slug : null,
      comfyui_workflow_id: null,
      sub_flow_id: null,
      created_at: CATALOGUE_TIME,
      updated_at: CATALOGUE_TIME,
      flow: null,
      inputs: [
        {
          id: stableId(`${nodeId}:in`),
          flow_node_id: nodeId,
          name: 'in',
          display_name: 'In',
          variable_type_code: 'any',
          validator_code: null,
          validator_attrs: null,
          is_required: i > 0,
          default_value: null,
          sort_order: 0,
          behavior_code: 'connected',
          value: null,
          source_output_id: i > 0 ? stableId(`${stableId(`${id}:node:${nodeSpecs[i - 1].slug}`)}:out`) : null,
          connection_label: null,
          connection_style_code: null,
          retry_source_output_id: null,
          created_at: CATALOGUE_TIME,
          updated_at: CATALOGUE_TIME,
        },
      ],
      outputs: [
        {
          id: stableId(`${nodeId}:out`),
          flow_node_id: nodeId,
          name: 'out',
          display_name: 'Out',
          variable_type_code: 'any',
          validator_code: null,
          validator_attrs: null,
          sort_order: 0,
          created_at: CATALOGUE_TIME,
          updated_at: CATALOGUE_TIME,
        },
      ],
    };
  });
  const variable = (name: string, type: string, i: number): FlowVariable => ({
    id: stableId(`${id}:var:${name}`),
    flow_id: id,
    name,
    display_name: name,
    description: null,
    variable_type_code: type,
    validator_code: null,
    validator_attrs: null,
    is_required: true,
    default_value: null,
    sort_order: i,
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
  });
  return {
    id,
    slug,
    name,
    description,
    cover_url: null,
    org_id: 'org_demo',
    flow_type_code: 'standard',
    category_code: 'image',
    visibility_code: 'private',
    source_visibility_code: 'private',
    status_code: 'published',
    version: 3,
    current_version_id: stableId(`${id}:version:3`),
    estimated_cost: '0.0420',
    context_variables: {},
    run_count: null,
    avg_duration: null,
    cost_per_run: null,
    featured_at: null,
    created_by: stableId('user:ada'),
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
    nodes,
    inputs: [variable('prompt', 'string', 0)],
    outputs: [variable('result', 'any', 0)],
    created_by_user: {
      id: stableId('user:ada'),
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      avatar_url: null,
    },
    recent_stars: [],
  };
}

function buildWorkflow(slug: string, name: string | null, classTypes: string[]): ComfyuiWorkflow {
  const id = stableId(`comfyui:${slug}`);
  const workflowJson: JsonObject = {};
  classTypes.forEach((classType, i) => {
    workflowJson[String(i + 3)] = { class_type: classType, inputs: {} };
  });
  const variable = (name: string, type: string, nodeId: string, field: string, i: number): ComfyuiVariable => ({
    id: stableId(`${id}:var:${name}`),
    comfyui_workflow_id: id,
    name,
    display_name: name,
    description: null,
    variable_type_code: type,
    default_behavior_code: null,
    validator_code: null,
    validator_attrs: null,
    is_required: i === 0,
    default_value: null,
    sort_order: i,
    comfyui_node_id: nodeId,
    comfyui_field_name: field,
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
  });
  return {
    id,
    org_id: 'org_demo',
    slug,
    name,
    description: name ? `${name} workflow` : null,
    workflow_json: workflowJson,
    version: '7',
    is_public: false,
    status_code: 'ready',
    created_by: stableId('user:ada'),
    environment: { python: '3.11', torch: '2.3.1' },
    models: { checkpoints: ['sd_xl_base_1.0.safetensors'] },
    custom_nodes: {},
    graph: null,
    resources: { gpu: 'A100' },
    created_at: CATALOGUE_TIME,
    updated_at: CATALOGUE_TIME,
    deleted_at: null,
    deleted_by: null,
    category_code: 'image',
    gpu_current_tier_code: 'a100-40gb',
    inputs: [variable('prompt', 'string', '6', 'text', 0), variable('seed', 'integer', '3', 'seed', 1)],
    outputs: [variable('image', 'image', '9', 'images', 0)],
    gpu_explicit_models: [],
  };
}

export function buildCatalogue(baseUrl: string): Catalogue {
  const models = modelSpecs(baseUrl).map((s) => buildModel(s, baseUrl));
  const flows = [
    buildFlow(
      'product-shots',
      'Product shots',
      'Background removal, generation and upscaling.',
      [
        { slug: 'input', label: 'Input', type: 'builtin' },
        { slug: 'generate', label: 'Generate', type: 'model', modelSlug: 'sdxl-turbo' },
        { slug: 'upscale', label: 'Upscale', type: 'model', modelSlug: 'broken-upscaler' },
        { slug: 'output', label: 'Output', type: 'builtin' },
      ],
      models,
    ),
    buildFlow(
      'caption-and-translate',
      'Caption & translate',
      'Transcribe audio, then translate the transcript.',
      [
        { slug: 'input', label: 'Input', type: 'builtin' },
        { slug: 'transcribe', label: 'Transcribe', type: 'model', modelSlug: 'whisper-large' },
        { slug: 'translate', label: 'Translate', type: 'model', modelSlug: 'slow-llm' },
        { slug: 'output', label: 'Output', type: 'builtin' },
      ],
      models,
    ),
    buildFlow(
      'untitled-flow',
      null,
      null,
      [
        { slug: 'input', label: 'Input', type: 'builtin' },
        { slug: 'output', label: 'Output', type: 'builtin' },
      ],
      models,
    ),
  ];
  const workflows = [
    buildWorkflow('portrait-comfy', 'Portrait (ComfyUI)', [
      'CheckpointLoaderSimple',
      'CLIPTextEncode',
      'KSampler',
      'VAEDecode',
      'SaveImage',
    ]),
    buildWorkflow('inpaint-comfy', null, ['LoadImage', 'VAEEncodeForInpaint', 'KSampler', 'SaveImage']),
  ];
  const users = ['ada', 'grace', 'linus'].map((u) => stableId(`user:${u}`));
  return {
    models,
    flows,
    workflows,
    users,
    modelById: new Map(models.map((m) => [m.model.id as string, m])),
    flowById: new Map(flows.map((f) => [f.id as string, f])),
    workflowById: new Map(workflows.map((w) => [w.id as string, w])),
    findModel: (owner, slug) => models.find((m) => m.owner === owner && m.model.slug === slug),
  };
}

/** The id seeded runs use for a model that no longer exists (so `embed=model` yields null). */
export const DELETED_MODEL_ID = stableId('model:deleted');
