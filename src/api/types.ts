/**
 * Wire models of the Runflow runs API (reference: /v1/runs, /v1/runs/{id}, /v1/runs/{run_id}/logs,
 * POST /v1/models/{owner}/{slug}/runs, PATCH /v1/runs/{id}).
 *
 * The reference marks nearly every field nullable, and servers add fields over time, so every field
 * is optional and nullable, and the client hands back the parsed JSON untouched: fields this file
 * does not name are still present on the objects at runtime.
 */

/** A JSON object whose shape the reference leaves open (`input`, `output`, `metadata`, ...). */
export type JsonObject = { [key: string]: unknown };

/**
 * Widens a union of known string values so that values added by the server later still type-check
 * and are kept, while editors still suggest the known ones.
 */
export type OpenString<Known extends string> = Known | (string & {});

export const KNOWN_RUN_STATUSES = [
  'queued',
  'dispatching',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'partial_succeeded',
] as const;
export type KnownRunStatus = (typeof KNOWN_RUN_STATUSES)[number];
export type RunStatus = OpenString<KnownRunStatus>;

/** Statuses after which a run no longer changes on its own. */
export const TERMINAL_RUN_STATUSES: readonly KnownRunStatus[] = ['succeeded', 'failed', 'cancelled', 'partial_succeeded'];

export type RunTargetType = OpenString<'model' | 'flow' | 'comfyui'>;
export type RunSourceCode = OpenString<'playground' | 'api' | 'flow-node'>;
export type RunFailureStage = OpenString<'dispatch' | 'execution' | 'callback' | 'reconciliation'>;
export type EvaluationStatusFilter = 'passed' | 'failed' | 'not_evaluated';

/** Relations `GET /v1/runs` can embed. `current_evaluation_summary` needs the `evaluations:read` permission. */
export type RunEmbed = 'comfyui_workflow' | 'current_evaluation_summary' | 'flow' | 'logs' | 'model' | 'node_runs';
/** Relations `GET /v1/runs/{id}` can embed. */
export type GetRunEmbed = Exclude<RunEmbed, 'current_evaluation_summary'>;

export interface EvaluationSummary {
  passed?: boolean | null;
  status_code?: string | null;
  score?: number | null;
}

export interface Run {
  id?: string | null;
  flow_id?: string | null;
  model_id?: string | null;
  comfyui_workflow_id?: string | null;
  target_type?: RunTargetType | null;
  target_version?: string | null;
  org_id?: string | null;
  status_code?: RunStatus | null;
  source_code?: RunSourceCode | null;
  input?: JsonObject | null;
  output?: JsonObject | null;
  context?: JsonObject | null;
  duration_ms?: number | null;
  /** Decimal as a string (see `src/core/cost.ts`); never parse it into a float to add it up. */
  cost?: string | null;
  cost_breakdown?: JsonObject | null;
  nodes_total?: number | null;
  nodes_completed?: number | null;
  resolved_template_id?: string | null;
  batch_id?: string | null;
  /** Caller's correlation label; not an idempotency key. */
  client_ref?: string | null;
  jurisdiction_code?: string | null;
  flow_version_id?: string | null;
  request_id?: string | null;
  created_by?: string | null;
  created_at?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  updated_at?: string | null;
  callback_url?: string | null;
  metadata?: JsonObject | null;
  has_logs?: boolean | null;
  has_node_runs?: boolean | null;
  links?: JsonObject | null;
  failure_code?: string | null;
  failure_message?: string | null;
  failure_stage_code?: RunFailureStage | null;
  feedback_is_positive?: boolean | null;
  feedback_reason?: string | null;
  source_chat_message_id?: string | null;
  current_evaluation_summary?: EvaluationSummary | null;
  node_runs?: NodeRun[] | null;
  logs?: RunLog[] | null;
  model?: Model | null;
  flow?: Flow | null;
  comfyui_workflow?: ComfyUIWorkflow | null;
}

export interface NodeRun {
  id?: string | null;
  run_id?: string | null;
  node_id?: string | null;
  flow_id?: string | null;
  state_code?: string | null;
  input?: JsonObject | null;
  output?: JsonObject | null;
  input_signature?: string | null;
  preview_type?: string | null;
  preview_value?: string | null;
  duration_ms?: number | null;
  cost?: string | null;
  retry_count?: number | null;
  error_message?: string | null;
  created_at?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
}

export interface RunLog {
  id?: string | null;
  run_id?: string | null;
  level_code?: string | null;
  message?: string | null;
  timestamp?: string | null;
  meta?: JsonObject | null;
  run?: Run | null;
}

/** Shared by model, flow and ComfyUI workflow inputs. */
export interface VariableInput {
  id?: string | null;
  name?: string | null;
  display_name?: string | null;
  description?: string | null;
  variable_type_code?: string | null;
  default_behavior_code?: string | null;
  validator_code?: string | null;
  validator_attrs?: JsonObject | null;
  is_required?: boolean | null;
  /** Any JSON value; the reference shows an object but scalar defaults are common. */
  default_value?: unknown;
  sort_order?: number | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface VariableOutput {
  id?: string | null;
  name?: string | null;
  display_name?: string | null;
  description?: string | null;
  variable_type_code?: string | null;
  validator_code?: string | null;
  validator_attrs?: JsonObject | null;
  sort_order?: number | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface ModelInput extends VariableInput {
  model_id?: string | null;
  is_featured?: boolean | null;
}

export interface ModelOutput extends VariableOutput {
  model_id?: string | null;
}

export interface ModelExample {
  id?: string | null;
  model_id?: string | null;
  title?: string | null;
  description?: string | null;
  input?: JsonObject | null;
  output?: JsonObject | null;
  status_code?: number | null;
  cost?: string | null;
  start_type?: string | null;
  timing?: JsonObject | null;
  duration_ms?: number | null;
  total_ms?: number | null;
  thumbnail_url?: string | null;
  category_code?: string | null;
  is_featured?: boolean | null;
  is_public?: boolean | null;
  sort_order?: number | null;
  ran_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface ModelPricing {
  id?: string | null;
  model_id?: string | null;
  pricing_model_code?: string | null;
  rule_effect_code?: string | null;
  model_input_id?: string | null;
  match_value?: unknown;
  dimension_code?: string | null;
  min_value?: string | null;
  max_value?: string | null;
  price?: string | null;
  currency_code?: string | null;
  unit_code?: string | null;
  multiplier_label?: string | null;
  description?: string | null;
  sort_order?: number | null;
  disabled_at?: string | null;
  measurement_source?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface ModelFaqEntry {
  id?: string | null;
  model_id?: string | null;
  question?: string | null;
  answer?: string | null;
  sort_order?: number | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface ModelRelatedLink {
  id?: string | null;
  model_id?: string | null;
  related_model_id?: string | null;
  sort_order?: number | null;
  created_at?: string | null;
}

export interface Model {
  id?: string | null;
  org_id?: string | null;
  model_creator_id?: string | null;
  slug?: string | null;
  name?: string | null;
  description?: string | null;
  version?: string | null;
  is_public?: boolean | null;
  is_open_source?: boolean | null;
  icon_url?: string | null;
  cover_url?: string | null;
  category_code?: string | null;
  status_code?: string | null;
  family_id?: string | null;
  family_variant_code?: string | null;
  param_count?: string | null;
  architecture?: string | null;
  license_code?: string | null;
  max_resolution?: string | null;
  lora_support?: boolean | null;
  fine_tuning?: boolean | null;
  supports_streaming?: boolean | null;
  paper_url?: string | null;
  github_url?: string | null;
  is_official?: boolean | null;
  availability_status?: string | null;
  seo?: JsonObject | null;
  notable_features?: unknown[] | null;
  content?: string | null;
  pricing_note?: string | null;
  created_by?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  deleted_at?: string | null;
  deleted_by?: string | null;
  inputs?: ModelInput[] | null;
  outputs?: ModelOutput[] | null;
  examples?: ModelExample[] | null;
  faq_entries?: ModelFaqEntry[] | null;
  pricing?: ModelPricing[] | null;
  related_links?: ModelRelatedLink[] | null;
}

export interface FlowNodeInput extends VariableInput {
  flow_node_id?: string | null;
  behavior_code?: string | null;
  value?: unknown;
  source_output_id?: string | null;
  connection_label?: string | null;
  connection_style_code?: string | null;
  retry_source_output_id?: string | null;
}

export interface FlowNodeOutput extends VariableOutput {
  flow_node_id?: string | null;
}

export interface FlowNode {
  id?: string | null;
  flow_id?: string | null;
  slug?: string | null;
  label?: string | null;
  subtitle?: string | null;
  type_code?: string | null;
  x?: number | null;
  y?: number | null;
  width?: number | null;
  config?: JsonObject | null;
  collapsed?: boolean | null;
  model_id?: string | null;
  builtin_node_code?: string | null;
  comfyui_workflow_id?: string | null;
  sub_flow_id?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  flow?: Flow | null;
  inputs?: FlowNodeInput[] | null;
  outputs?: FlowNodeOutput[] | null;
}

export interface FlowInput extends VariableInput {
  flow_id?: string | null;
}

export interface FlowOutput extends VariableOutput {
  flow_id?: string | null;
}

export interface Flow {
  id?: string | null;
  slug?: string | null;
  name?: string | null;
  description?: string | null;
  cover_url?: string | null;
  org_id?: string | null;
  flow_type_code?: string | null;
  category_code?: string | null;
  visibility_code?: string | null;
  source_visibility_code?: string | null;
  status_code?: string | null;
  version?: number | null;
  current_version_id?: string | null;
  estimated_cost?: string | null;
  context_variables?: JsonObject | null;
  run_count?: number | null;
  avg_duration?: string | null;
  cost_per_run?: string | null;
  featured_at?: string | null;
  created_by?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  nodes?: FlowNode[] | null;
  inputs?: FlowInput[] | null;
  outputs?: FlowOutput[] | null;
  created_by_user?: {
    id?: string | null;
    email?: string | null;
    first_name?: string | null;
    last_name?: string | null;
    avatar_url?: string | null;
  } | null;
  recent_stars?: { id?: string | null; user_id?: string | null; flow_id?: string | null; created_at?: string | null }[] | null;
}

export interface ComfyUIWorkflowInput extends VariableInput {
  comfyui_workflow_id?: string | null;
  comfyui_node_id?: string | null;
  comfyui_field_name?: string | null;
}

export interface ComfyUIWorkflowOutput extends VariableOutput {
  comfyui_workflow_id?: string | null;
  comfyui_node_id?: string | null;
  comfyui_field_name?: string | null;
}

export interface ComfyUIWorkflow {
  id?: string | null;
  org_id?: string | null;
  slug?: string | null;
  name?: string | null;
  description?: string | null;
  workflow_json?: JsonObject | null;
  version?: string | null;
  is_public?: boolean | null;
  status_code?: string | null;
  created_by?: string | null;
  environment?: JsonObject | null;
  models?: JsonObject | null;
  custom_nodes?: JsonObject | null;
  graph?: JsonObject | null;
  resources?: JsonObject | null;
  created_at?: string | null;
  updated_at?: string | null;
  deleted_at?: string | null;
  deleted_by?: string | null;
  category_code?: string | null;
  gpu_current_tier_code?: string | null;
  inputs?: ComfyUIWorkflowInput[] | null;
  outputs?: ComfyUIWorkflowOutput[] | null;
  gpu_explicit_models?: { id?: string | null; comfyui_workflow_id?: string | null; gpu_model_code?: string | null; created_at?: string | null }[] | null;
}

/** One page of a cursor-paginated list. The client guarantees `items` is an array and the cursors are string or null. */
export interface Page<T> {
  items: T[];
  first: string | null;
  next: string | null;
  previous: string | null;
}

/**
 * Query of `GET /v1/runs`. `undefined` and `null` values are left out of the URL.
 * Build `q` with the helpers in `filters.ts` rather than by hand.
 */
export interface SearchRunsParams {
  q?: string | null;
  /** 1..500 */
  limit?: number | null;
  /** e.g. `created_at:desc` */
  sort_by?: string | null;
  /** Projection, e.g. `['id', 'status_code']` or `'id,status_code'`. */
  fields?: string | readonly string[] | null;
  embed?: readonly RunEmbed[] | null;
  /** Cursor from a previous page's `next` / `previous`. */
  pq?: string | null;
  from_prev?: boolean | null;
  evaluation_status?: EvaluationStatusFilter | null;
  evaluation_issue_category?: string | null;
  evaluation_issue_subcategory?: string | null;
}

/** Query of `GET /v1/runs/{run_id}/logs`. */
export interface SearchLogsParams {
  q?: string | null;
  limit?: number | null;
  sort_by?: string | null;
  fields?: string | readonly string[] | null;
  pq?: string | null;
  from_prev?: boolean | null;
}

/** Query of `GET /v1/runs/{id}`. */
export interface GetRunParams {
  embed?: readonly GetRunEmbed[] | null;
}

/** Body of `POST /v1/models/{owner}/{slug}/runs`. */
export interface CreateModelRunBody {
  input: JsonObject;
  metadata?: JsonObject | null;
  callback_url?: string | null;
  /** At most 255 characters. A correlation label only: sending the same body twice creates two runs. */
  client_ref?: string | null;
}

/** Body of `PATCH /v1/runs/{id}`; every field optional. */
export interface PatchRunBody {
  status_code?: RunStatus | null;
  output?: JsonObject | null;
  duration_ms?: number | null;
  /** The reference leaves the type open here; a decimal string keeps precision. */
  cost?: string | number | null;
  nodes_total?: number | null;
  nodes_completed?: number | null;
  started_at?: string | null;
  completed_at?: string | null;
  updated_at?: string | null;
}

/** `owner/slug` of a model. */
export interface ModelRef {
  owner: string;
  slug: string;
}
