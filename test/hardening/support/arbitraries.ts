/**
 * fast-check generators of what a server might answer in place of the runs API's bodies: the right
 * fields missing, of the wrong type, null, unknown statuses, huge numbers and strings, deep nesting.
 * Shared by the plain-Node properties and the sample fed through the emulator into the real view.
 */
import fc from 'fast-check';
import { HOSTILE } from './hostile';

const STATUSES = ['queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'partial_succeeded'];

/** Any JSON value, deep or wide now and then. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((depth) => nest(depth)) },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1 + 0.2) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'x'.repeat(n)) },
);

function nest(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { deeper: v };
  return v;
}

/** A field as the reference types it most of the time, anything else sometimes, or left out. */
function field<T>(usual: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: anyJson });
}

const isoTime = fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }).map((t) => new Date(t).toISOString());
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...HOSTILE));
const status = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...STATUSES) }, { weight: 1, arbitrary: text });
const count = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(-1, 1e308, 2 ** 53 + 1, 0.5));

const target = fc.record(
  { id: field(fc.uuid()), name: field(text), slug: field(text), version: field(text) },
  { requiredKeys: [] },
);

const nodeRun = fc.record(
  {
    id: field(fc.uuid()),
    node_id: field(text),
    state_code: field(status),
    error_message: field(text),
    duration_ms: field(count),
    retry_count: field(count),
    cost: field(fc.oneof(fc.constantFrom('0.0012', '12', '-0.5', '1e3', '0.'.padEnd(200, '9')), text)),
  },
  { requiredKeys: [] },
);

/** A run as a careless or hostile server might send it. `id` is kept a string more often than not. */
export const runLike: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    id: fc.oneof({ weight: 8, arbitrary: fc.uuid() }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: text }),
    status_code: field(status),
    target_type: field(fc.constantFrom('model', 'flow', 'comfyui', 'other')),
    model_id: field(fc.uuid()),
    flow_id: field(fc.uuid()),
    model: field(target),
    flow: field(target),
    comfyui_workflow: field(target),
    created_at: field(isoTime),
    started_at: field(isoTime),
    completed_at: field(isoTime),
    duration_ms: field(count),
    cost: field(fc.oneof(fc.constantFrom('0.0012', '3', '-1', '1'.repeat(130)), text)),
    cost_breakdown: field(fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 4 })),
    nodes_total: field(count),
    nodes_completed: field(count),
    failure_message: field(text),
    failure_code: field(text),
    failure_stage_code: field(fc.constantFrom('dispatch', 'execution', 'callback', 'reconciliation')),
    client_ref: field(text),
    source_code: field(fc.constantFrom('api', 'playground', 'flow-node')),
    input: field(fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 5 })),
    output: field(fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 5 })),
    metadata: field(fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 5 })),
    node_runs: field(fc.array(nodeRun, { maxLength: 6 })),
    has_node_runs: field(fc.boolean()),
    current_evaluation_summary: field(fc.record({ passed: field(fc.boolean()), score: field(count) }, { requiredKeys: [] })),
  },
  { requiredKeys: ['id'] },
);

/** A `GET /v1/runs` body: usually a page, sometimes not even an object. */
export const runsPageBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        items: fc.oneof({ weight: 6, arbitrary: fc.array(runLike, { maxLength: 30 }) }, { weight: 1, arbitrary: anyJson }),
        next: field(fc.base64String({ minLength: 4, maxLength: 40 })),
        previous: field(fc.base64String({ minLength: 4, maxLength: 40 })),
        first: field(fc.base64String({ minLength: 4, maxLength: 40 })),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anyJson },
);

/** A `GET /v1/runs/{id}` body. */
export const runBody: fc.Arbitrary<unknown> = fc.oneof({ weight: 8, arbitrary: runLike }, { weight: 1, arbitrary: anyJson });

/** A `GET /v1/runs/{id}/logs` body. */
export const logsPageBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        items: fc.array(
          fc.record(
            { id: field(fc.uuid()), run_id: field(fc.uuid()), level_code: field(fc.constantFrom('debug', 'info', 'warning', 'error')), message: field(text), timestamp: field(isoTime) },
            { requiredKeys: [] },
          ),
          { maxLength: 40 },
        ),
        next: fc.constant(null),
      },
      { requiredKeys: ['items'] },
    ),
  },
  { weight: 1, arbitrary: anyJson },
);
