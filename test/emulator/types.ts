/**
 * Wire types of the Runflow runs API as the emulator serves them. These are the emulator's own
 * copies, shaped after the reference pages; the extension's API client keeps its own.
 * The reference makes almost every field nullable, so they are typed that way here too.
 */

export type JsonObject = { [key: string]: unknown };

export type RunStatus =
  | 'queued'
  | 'dispatching'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'partial_succeeded';
export type TargetType = 'model' | 'flow' | 'comfyui';
export type SourceCode = 'playground' | 'api' | 'flow-node';
export type FailureStage = 'dispatch' | 'execution' | 'callback' | 'reconciliation';
export type EvaluationStatusFilter = 'passed' | 'failed' | 'not_evaluated';

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'dispatching',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'partial_succeeded',
];
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'dispatching', 'running'];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'partial_succeeded'];

export interface EvaluationSummary {
  passed: boolean | null;
  status_code: 'completed' | null;
  score: number | null;
}

export interface NodeRun {
  id: string | null;
  run_id: string | null;
  node_id: string | null;
  flow_id: string | null;
  state_code: string | null;
  input: JsonObject | null;
  output: JsonObject | null;
  input_signature: string | null;
  preview_type: string | null;
  preview_value: string | null;
  duration_ms: number | null;
  cost: string | null;
  retry_count: number | null;
  error_message: string | null;
  created_at: string | null;
  started_at: string | null;
  completed_at: string | null;
}

export interface RunLog {
  id: string | null;
  run_id: string | null;
  level_code: string | null;
  message: string | null;
  timestamp: string | null;
  meta: JsonObject | null;
  run: Run | null;
}

export interface ModelInput {
  id: string | null;
  model_id: string | null;
  name: string | null;
  display_name: string | null;
  description: string | null;
  variable_type_code: string | null;
  default_behavior_code: string | null;
  validator_code: string | null;
  validator_attrs: JsonObject | null;
  is_required: boolean | null;
  default_value: unknown;
  sort_order: number | null;
  is_featured: boolean | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface ModelOutput {
  id: string | null;
  model_id: string | null;
  name: string | null;
  display_name: string | null;
  description: string | null;
  variable_type_code: string | null;
  validator_code: string | null;
  validator_attrs: JsonObject | null;
  sort_order: number | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface ModelExample {
  id: string | null;
  model_id: string | null;
  title: string | null;
  description: string | null;
  input: JsonObject | null;
  output: JsonObject | null;
  status_code: number | null;
  cost: string | null;
  start_type: string | null;
  timing: JsonObject | null;
  duration_ms: number | null;
  total_ms: number | null;
  thumbnail_url: string | null;
  category_code: string | null;
  is_featured: boolean | null;
  is_public: boolean | null;
  sort_order: number | null;
  ran_at: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface ModelPricing {
  id: string | null;
  model_id: string | null;
  pricing_model_code: string | null;
  rule_effect_code: string | null;
  model_input_id: string | null;
  match_value: unknown;
  dimension_code: string | null;
  min_value: string | null;
  max_value: string | null;
  price: string | null;
  currency_code: string | null;
  unit_code: string | null;
  multiplier_label: string | null;
  description: string | null;
  sort_order: number | null;
  disabled_at: string | null;
  measurement_source: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface Model {
  id: string | null;
  org_id: string | null;
  model_creator_id: string | null;
  slug: string | null;
  name: string | null;
  description: string | null;
  version: string | null;
  is_public: boolean | null;
  is_open_source: boolean | null;
  icon_url: string | null;
  cover_url: string | null;
  category_code: string | null;
  status_code: string | null;
  family_id: string | null;
  family_variant_code: string | null;
  param_count: string | null;
  architecture: string | null;
  license_code: string | null;
  max_resolution: string | null;
  lora_support: boolean | null;
  fine_tuning: boolean | null;
  supports_streaming: boolean | null;
  paper_url: string | null;
  github_url: string | null;
  is_official: boolean | null;
  availability_status: string | null;
  seo: JsonObject | null;
  notable_features: unknown[] | null;
  content: string | null;
  pricing_note: string | null;
  created_by: string | null;
  created_at: string | null;
  updated_at: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  inputs: ModelInput[] | null;
  outputs: ModelOutput[] | null;
  examples: ModelExample[] | null;
  faq_entries: JsonObject[] | null;
  pricing: ModelPricing[] | null;
  related_links: JsonObject[] | null;
}

export interface FlowNodeInput {
  id: string | null;
  flow_node_id: string | null;
  name: string | null;
  display_name: string | null;
  variable_type_code: string | null;
  validator_code: string | null;
  validator_attrs: JsonObject | null;
  is_required: boolean | null;
  default_value: unknown;
  sort_order: number | null;
  behavior_code: string | null;
  value: unknown;
  source_output_id: string | null;
  connection_label: string | null;
  connection_style_code: string | null;
  retry_source_output_id: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface FlowNodeOutput {
  id: string | null;
  flow_node_id: string | null;
  name: string | null;
  display_name: string | null;
  variable_type_code: string | null;
  validator_code: string | null;
  validator_attrs: JsonObject | null;
  sort_order: number | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface FlowNode {
  id: string | null;
  flow_id: string | null;
  slug: string | null;
  label: string | null;
  subtitle: string | null;
  type_code: string | null;
  x: number | null;
  y: number | null;
  width: number | null;
  config: JsonObject | null;
  collapsed: boolean | null;
  model_id: string | null;
  builtin_node_code: string | null;
  comfyui_workflow_id: string | null;
  sub_flow_id: string | null;
  created_at: string | null;
  updated_at: string | null;
  flow: null;
  inputs: FlowNodeInput[] | null;
  outputs: FlowNodeOutput[] | null;
}

export interface FlowVariable {
  id: string | null;
  flow_id: string | null;
  name: string | null;
  display_name: string | null;
  description: string | null;
  variable_type_code: string | null;
  validator_code: string | null;
  validator_attrs: JsonObject | null;
  is_required?: boolean | null;
  default_value?: unknown;
  sort_order: number | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface Flow {
  id: string | null;
  slug: string | null;
  name: string | null;
  description: string | null;
  cover_url: string | null;
  org_id: string | null;
  flow_type_code: string | null;
  category_code: string | null;
  visibility_code: string | null;
  source_visibility_code: string | null;
  status_code: string | null;
  version: number | null;
  current_version_id: string | null;
  estimated_cost: string | null;
  context_variables: JsonObject | null;
  run_count: number | null;
  avg_duration: string | null;
  cost_per_run: string | null;
  featured_at: string | null;
  created_by: string | null;
  created_at: string | null;
  updated_at: string | null;
  nodes: FlowNode[] | null;
  inputs: FlowVariable[] | null;
  outputs: FlowVariable[] | null;
  created_by_user: JsonObject | null;
  recent_stars: JsonObject[] | null;
}

export interface ComfyuiVariable {
  id: string | null;
  comfyui_workflow_id: string | null;
  name: string | null;
  display_name: string | null;
  description: string | null;
  variable_type_code: string | null;
  default_behavior_code?: string | null;
  validator_code: string | null;
  validator_attrs: JsonObject | null;
  is_required?: boolean | null;
  default_value?: unknown;
  sort_order: number | null;
  comfyui_node_id: string | null;
  comfyui_field_name: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface ComfyuiWorkflow {
  id: string | null;
  org_id: string | null;
  slug: string | null;
  name: string | null;
  description: string | null;
  workflow_json: JsonObject | null;
  version: string | null;
  is_public: boolean | null;
  status_code: string | null;
  created_by: string | null;
  environment: JsonObject | null;
  models: JsonObject | null;
  custom_nodes: JsonObject | null;
  graph: JsonObject | null;
  resources: JsonObject | null;
  created_at: string | null;
  updated_at: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  category_code: string | null;
  gpu_current_tier_code: string | null;
  inputs: ComfyuiVariable[] | null;
  outputs: ComfyuiVariable[] | null;
  gpu_explicit_models: JsonObject[] | null;
}

export interface Run {
  id: string;
  flow_id: string | null;
  model_id: string | null;
  comfyui_workflow_id: string | null;
  target_type: TargetType | null;
  target_version: string | null;
  org_id: string | null;
  status_code: RunStatus | null;
  source_code: SourceCode | null;
  input: JsonObject | null;
  output: JsonObject | null;
  context: JsonObject | null;
  duration_ms: number | null;
  /** Decimal as a string, e.g. "0.0125". */
  cost: string | null;
  cost_breakdown: JsonObject | null;
  nodes_total: number | null;
  nodes_completed: number | null;
  resolved_template_id: string | null;
  batch_id: string | null;
  client_ref: string | null;
  jurisdiction_code: string | null;
  flow_version_id: string | null;
  request_id: string | null;
  created_by: string | null;
  created_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  callback_url: string | null;
  metadata: JsonObject | null;
  has_logs: boolean | null;
  has_node_runs: boolean | null;
  links: JsonObject | null;
  failure_code: string | null;
  failure_message: string | null;
  failure_stage_code: FailureStage | null;
  feedback_is_positive: boolean | null;
  feedback_reason: string | null;
  source_chat_message_id: string | null;
  /** Present only with `embed=current_evaluation_summary` (then an object or null). */
  current_evaluation_summary?: EvaluationSummary | null;
  /** Present only when embedded. */
  node_runs?: NodeRun[] | null;
  logs?: RunLog[] | null;
  model?: Model | null;
  flow?: Flow | null;
  comfyui_workflow?: ComfyuiWorkflow | null;
}

export interface Page<T> {
  items: T[];
  first: string | null;
  next: string | null;
  previous: string | null;
}

export interface ValidationErrorItem {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

export interface ErrorBody {
  detail: string | ValidationErrorItem[];
}

/** Error body of strict mode. */
export interface StrictErrorBody {
  error: { message: string; code: string };
}

export interface CreateModelRunBody {
  input: JsonObject;
  metadata?: JsonObject | null;
  callback_url?: string | null;
  client_ref?: string | null;
}

export interface PatchRunBody {
  status_code?: string | null;
  output?: JsonObject | null;
  duration_ms?: number | null;
  cost?: number | string | null;
  nodes_total?: number | null;
  nodes_completed?: number | null;
  started_at?: string | null;
  completed_at?: string | null;
  updated_at?: string | null;
}

/** Base (non-embedded) fields of a Run, in wire order. */
export const RUN_FIELDS = [
  'id',
  'flow_id',
  'model_id',
  'comfyui_workflow_id',
  'target_type',
  'target_version',
  'org_id',
  'status_code',
  'source_code',
  'input',
  'output',
  'context',
  'duration_ms',
  'cost',
  'cost_breakdown',
  'nodes_total',
  'nodes_completed',
  'resolved_template_id',
  'batch_id',
  'client_ref',
  'jurisdiction_code',
  'flow_version_id',
  'request_id',
  'created_by',
  'created_at',
  'started_at',
  'completed_at',
  'callback_url',
  'metadata',
  'has_logs',
  'has_node_runs',
  'links',
  'failure_code',
  'failure_message',
  'failure_stage_code',
  'feedback_is_positive',
  'feedback_reason',
  'source_chat_message_id',
] as const satisfies ReadonlyArray<keyof Run>;

export type RunField = (typeof RUN_FIELDS)[number];

export const RUN_EMBEDS = ['comfyui_workflow', 'current_evaluation_summary', 'flow', 'logs', 'model', 'node_runs'] as const;
export type RunEmbed = (typeof RUN_EMBEDS)[number];

export const RUN_LOG_FIELDS = ['id', 'run_id', 'level_code', 'message', 'timestamp', 'meta', 'run'] as const;
