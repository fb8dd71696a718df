/**
 * Moves runs created through the API from `queued` to a terminal status over simulated time.
 * Each run gets a precomputed plan of events (status changes, node progress, log lines) on a
 * simulated clock; one timer per run fires whenever the next event is due, scaled by `speed`.
 * Timestamps written on the run are real wall-clock times, so `duration_ms` matches
 * `completed_at - started_at`; `cost` is priced on the simulated running time.
 */
import type { CatalogueModel } from './catalogue';
import { hashString, Random } from './prng';
import { formatMicros } from './money';
import { isActive, type RunRecord, type Store } from './store';
import type { JsonObject, NodeRun } from './types';

interface PlannedEvent {
  at: number;
  apply: () => void;
}

interface LiveRun {
  events: PlannedEvent[];
  next: number;
  realStart: number;
  timer: NodeJS.Timeout | null;
}

export class Lifecycle {
  private readonly live = new Map<string, LiveRun>();

  constructor(
    private readonly store: Store,
    private readonly speed: number,
  ) {}

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  start(record: RunRecord, model: CatalogueModel): void {
    const events = this.plan(record, model);
    const live: LiveRun = { events, next: 0, realStart: Date.now(), timer: null };
    this.live.set(record.run.id, live);
    this.schedule(record.run.id, live);
  }

  /** Takes a run out of the simulation, leaving it as it is. */
  stop(runId: string): void {
    const live = this.live.get(runId);
    if (!live) return;
    if (live.timer) clearTimeout(live.timer);
    this.live.delete(runId);
  }

  stopAll(): void {
    for (const id of [...this.live.keys()]) this.stop(id);
  }

  /** Cancels an active run (simulated or static): stops it and closes its open node runs. */
  cancel(record: RunRecord): void {
    this.stop(record.run.id);
    const run = record.run;
    const now = Date.now();
    run.status_code = 'cancelled';
    run.completed_at = new Date(now).toISOString();
    if (run.started_at) run.duration_ms = Math.max(0, now - Date.parse(run.started_at));
    for (const n of record.nodeRuns) {
      if (n.state_code === 'running') {
        n.state_code = 'cancelled';
        n.completed_at = run.completed_at;
        if (n.started_at) n.duration_ms = Math.max(0, now - Date.parse(n.started_at));
      } else if (n.state_code === 'pending') n.state_code = 'skipped';
    }
    record.logs.append('warning', 'Run cancelled by request', now);
    run.has_logs = true;
  }

  private schedule(runId: string, live: LiveRun): void {
    const event = live.events[live.next];
    if (!event) {
      this.live.delete(runId);
      return;
    }
    const dueReal = live.realStart + event.at / this.speed;
    live.timer = setTimeout(() => this.tick(runId, live), Math.max(0, dueReal - Date.now()));
    live.timer.unref();
  }

  private tick(runId: string, live: LiveRun): void {
    if (this.live.get(runId) !== live) return;
    const record = this.store.get(runId);
    if (!record || !isActive(record.run.status_code)) {
      this.live.delete(runId);
      return;
    }
    const simNow = (Date.now() - live.realStart) * this.speed;
    while (live.next < live.events.length && live.events[live.next].at <= simNow) {
      live.events[live.next++].apply();
      if (!isActive(record.run.status_code)) {
        this.live.delete(runId);
        return;
      }
    }
    this.schedule(runId, live);
  }

  private plan(record: RunRecord, model: CatalogueModel): PlannedEvent[] {
    const b = model.behaviour;
    const rng = new Random(hashString(`lifecycle:${record.run.id}`));
    const run = record.run;
    const events: PlannedEvent[] = [];
    const now = () => Date.now();
    const nowIso = () => new Date().toISOString();
    const log = (level: string, message: string, meta: JsonObject | null = null) => {
      record.logs.append(level, message, now(), meta);
      run.has_logs = true;
    };

    const tDispatch = rng.int(b.queueMs[0], b.queueMs[1]);
    const tRun = tDispatch + rng.int(b.dispatchMs[0], b.dispatchMs[1]);
    const runMs = rng.int(b.runMs[0], b.runMs[1]);
    const tEnd = tRun + runMs;
    const nodeCount = b.nodes.length;
    const nodeEnd = (k: number) => tRun + Math.round((runMs * (k + 1)) / nodeCount);
    const failAt = b.failure ? b.failure.node : -1;
    const endsEarly = b.outcome === 'failed';
    const worker = rng.pick(['gpu-a100-01', 'gpu-a100-07', 'gpu-h100-02']);
    const prompt = typeof run.input?.prompt === 'string' ? run.input.prompt : null;

    events.push({
      at: 0,
      apply: () => log('info', `Run queued for ${model.owner}/${model.model.slug}`),
    });
    events.push({
      at: tDispatch,
      apply: () => {
        run.status_code = 'dispatching';
        log('info', 'Dispatching to worker pool');
      },
    });
    events.push({
      at: tRun,
      apply: () => {
        const iso = nowIso();
        run.status_code = 'running';
        run.started_at = iso;
        run.nodes_total = nodeCount;
        run.nodes_completed = 0;
        record.nodeRuns = b.nodes.map((name, i) => this.nodeRun(rng, record, model, i, name, i === 0 ? 'running' : 'pending', iso));
        run.has_node_runs = true;
        log('info', `Started on worker ${worker}`, { worker });
        if (prompt !== null) log('debug', `prompt: ${prompt}`);
      },
    });

    for (let k = 0; k < nodeCount; k++) {
      const at = nodeEnd(k);
      if (endsEarly && k > failAt && failAt >= 0) break;
      events.push({
        at,
        apply: () => {
          const iso = nowIso();
          const node = record.nodeRuns[k];
          const failed = k === failAt;
          if (node) {
            node.state_code = failed ? 'failed' : 'succeeded';
            node.completed_at = iso;
            node.duration_ms = node.started_at ? Math.max(0, Date.parse(iso) - Date.parse(node.started_at)) : null;
            node.cost = formatMicros(((runMs / nodeCount) / 1000) * b.microsPerSecond);
            node.output = failed ? null : { ok: true };
            node.error_message = failed ? (b.failure?.message ?? null) : null;
          }
          if (failed) log('error', `${b.nodes[k]} failed: ${b.failure?.message ?? 'unknown error'}`, { node: b.nodes[k] });
          else {
            run.nodes_completed = (run.nodes_completed ?? 0) + 1;
            log('info', `${b.nodes[k]} finished`, { node: b.nodes[k] });
          }
          const next = record.nodeRuns[k + 1];
          if (next && !(failed && endsEarly)) {
            next.state_code = 'running';
            next.started_at = iso;
          }
          if (failed && endsEarly) this.finish(record, model, 'failed', runMs);
        },
      });
    }

    const lastLogAt = endsEarly && failAt >= 0 ? nodeEnd(failAt) : tEnd;
    let line = 0;
    for (let at = tRun + b.logEveryMs; at < lastLogAt; at += b.logEveryMs) {
      const n = ++line;
      events.push({ at, apply: () => log(n % 10 === 0 ? 'debug' : 'info', this.progressLine(model, n)) });
    }

    if (!endsEarly) {
      events.push({ at: tEnd, apply: () => this.finish(record, model, b.outcome, runMs) });
    }
    // Stable sort keeps same-time events in plan order (e.g. a node finishing before the run ends).
    events.sort((x, y) => x.at - y.at);
    return events;
  }

  private progressLine(model: CatalogueModel, n: number): string {
    switch (model.behaviour.output) {
      case 'text':
        return `generated ${n * 8} tokens (${(38 + (n % 7)).toFixed(1)} tok/s)`;
      case 'lines':
        return `storm line ${n}: ${'#'.repeat(n % 40)}`;
      case 'transcript':
        return `transcribed ${n * 5} s of audio`;
      default:
        return `step ${n}: denoising ${(Math.min(100, n * 7) % 101).toString().padStart(3)}%`;
    }
  }

  private nodeRun(rng: Random, record: RunRecord, model: CatalogueModel, i: number, name: string, state: string, iso: string): NodeRun {
    return {
      id: rng.uuid(),
      run_id: record.run.id,
      node_id: model.nodeIds[i],
      flow_id: null,
      state_code: state,
      input: { node: name },
      output: null,
      input_signature: rng.hex(8),
      preview_type: null,
      preview_value: null,
      duration_ms: null,
      cost: null,
      retry_count: 0,
      error_message: null,
      created_at: iso,
      started_at: state === 'running' ? iso : null,
      completed_at: null,
    };
  }

  private finish(record: RunRecord, model: CatalogueModel, outcome: 'succeeded' | 'failed' | 'partial_succeeded', runMs: number): void {
    const b = model.behaviour;
    const run = record.run;
    const now = Date.now();
    const iso = new Date(now).toISOString();
    run.status_code = outcome;
    run.completed_at = iso;
    run.duration_ms = run.started_at ? Math.max(0, now - Date.parse(run.started_at)) : null;
    const cost = formatMicros((runMs / 1000) * b.microsPerSecond);
    run.cost = cost;
    run.cost_breakdown = { currency: 'USD', gpu_seconds: (runMs / 1000).toFixed(1), items: [{ label: 'gpu', amount: cost }] };
    for (const n of record.nodeRuns) if (n.state_code === 'pending' || n.state_code === 'running') n.state_code = 'skipped';
    if (outcome === 'failed' || outcome === 'partial_succeeded') {
      run.failure_code = b.failure?.code ?? 'NODE_FAILED';
      run.failure_message = b.failure?.message ?? 'a node failed';
      run.failure_stage_code = b.failure?.stage ?? 'execution';
    }
    run.output = outcome === 'failed' ? {} : this.output(record, model);
    record.logs.append(
      outcome === 'succeeded' ? 'info' : outcome === 'failed' ? 'error' : 'warning',
      outcome === 'succeeded'
        ? `Run succeeded in ${((run.duration_ms ?? 0) / 1000).toFixed(1)} s`
        : outcome === 'failed'
          ? `Run failed: ${run.failure_message}`
          : `Run finished with partial results: ${run.failure_message}`,
      now,
    );
  }

  private output(record: RunRecord, model: CatalogueModel): JsonObject {
    const id8 = record.run.id.slice(0, 8);
    const image = (i: number) => ({
      url: `${this.store.baseUrl}/files/${id8}-${i}.png`,
      width: 1024,
      height: 1024,
      content_type: 'image/png',
    });
    switch (model.behaviour.output) {
      case 'images': {
        if (record.run.status_code === 'partial_succeeded') {
          const ok = record.nodeRuns.filter((n, i) => i > 0 && i < record.nodeRuns.length - 1 && n.state_code === 'succeeded');
          return {
            images: ok.map((_, i) => image(i)),
            errors: [{ node: model.behaviour.nodes[model.behaviour.failure?.node ?? 0], message: model.behaviour.failure?.message ?? null }],
          };
        }
        return { images: [image(0), image(1)] };
      }
      case 'text':
        return { text: `Echo: ${String(record.run.input?.prompt ?? '')}`, tokens: 128 };
      case 'transcript':
        return { transcript: 'Hello and welcome.', language: 'en' };
      case 'lines':
        return { lines_written: record.logs.length };
    }
  }
}
