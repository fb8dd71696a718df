/**
 * Strict mode: the emulator serves only what the Runflow reference promises. Where the reference is
 * silent (the q grammar, cursors, error bodies, timestamp precision, the default order and page
 * size) it answers the way another faithful server might, and it returns the statuses, shapes and
 * permissions the reference allows but the default mode never shows. A client proven against both
 * modes depends on nothing the emulator merely chose. See "Strict mode" in README.md.
 */
import type { LogSource } from './logs';
import { checkedPayload, type CursorCodec, type CursorPayload, type Key, type SortSpec, type SortValue } from './paging';
import { hashString, mix } from './prng';
import { isActive, isTerminal, type RunRecord, type Store } from './store';
import type { JsonObject, NodeRun, Run, RunLog, RunStatus } from './types';

export type StrictMode = false | 'refuse-q' | 'ignore-q';

export const STRICT_MODES: readonly Exclude<StrictMode, false>[] = ['refuse-q', 'ignore-q'];

/** Strict-mode state the API handlers need, rebuilt with the data on every reset. */
export interface StrictContext {
  mode: Exclude<StrictMode, false>;
  /** run id -> line index -> how that line's timestamp departs from the stored one. */
  logQuirks: Map<string, Map<number, LineQuirk>>;
  /** Rendered copies of catalogue objects (their timestamps), computed once per object. */
  renderedCatalogue: WeakMap<object, unknown>;
}

// ---------------------------------------------------------------------------------------------
// What differs from the default mode where the reference says nothing

/** Page size when `limit` is absent (the default mode uses 50). */
export const STRICT_DEFAULT_LIMIT = 20;
/** Order when `sort_by` is absent: oldest first (the default mode lists newest first). */
export const STRICT_DEFAULT_RUN_SORT: SortSpec = { field: 'created_at', desc: false };
/** `embed=logs` returns at most this many lines (the default mode: 1,000). */
export const STRICT_EMBEDDED_LOG_LIMIT = 100;

/** Statuses outside the seven of the reference that a share of the seeded runs carry. */
export const ODD_STATUSES = ['timed_out', 'paused', 'RUNNING', ''] as const;

/** Unparseable `timestamp` values of some seeded log lines. */
export const GARBLED_TIMESTAMPS = ['not-a-timestamp', '0000-00-00T00:00:00', '2026-13-45T99:99:99Z', ''] as const;

/** Fields of the PATCH answer, as patch-run.txt lists them (its sample response also carries `links`). */
export const PATCH_RESPONSE_FIELDS = [
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
  'nodes_total',
  'nodes_completed',
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
] as const satisfies ReadonlyArray<keyof Run>;

/**
 * Whether a token holds `evaluations:read`. The reference gates the evaluation embed behind it; in
 * strict mode only tokens starting with `eval-` hold it, so that the ordinary token meets the 403 a
 * client has to recover from.
 */
export function mayReadEvaluations(token: string, strict: boolean): boolean {
  return strict ? token.startsWith('eval-') : !token.startsWith('noeval-');
}

// ---------------------------------------------------------------------------------------------
// Timestamps: one instant, several spellings

/**
 * `seconds` 2026-11-30T04:15:09Z, `millis` .500Z, `micros` .500123Z, `utc-offset` +00:00 (Python's
 * isoformat), `east-offset` +02:00 and `west-offset` -07:00 (local time of the same instant).
 */
export type TimeForm = 'seconds' | 'millis' | 'micros' | 'utc-offset' | 'east-offset' | 'west-offset';

export const TIME_FORMS: readonly TimeForm[] = ['seconds', 'millis', 'micros', 'utc-offset', 'east-offset', 'west-offset'];

const OFFSET_MINUTES: Record<TimeForm, number> = {
  seconds: 0,
  millis: 0,
  micros: 0,
  'utc-offset': 0,
  'east-offset': 120,
  'west-offset': -420,
};

/** Instants as integer microseconds since the epoch: what the strict server holds, sorts and pages on. */
export type Micros = number;

const TIME_FIELDS = ['created_at', 'started_at', 'completed_at'] as const;

function formSeed(id: string): number {
  return mix(hashString(id), 0x71e5);
}

/** The spelling of every timestamp of one record, and the sub-millisecond digits it holds. */
export function recordForm(id: string): { form: TimeForm; micro: number } {
  const h = formSeed(id);
  return { form: TIME_FORMS[h % TIME_FORMS.length], micro: 1 + ((h >>> 8) % 999) };
}

/**
 * The instant a stored millisecond timestamp stands for in a given form: a record spelled without a
 * fraction holds the whole second, one spelled with microseconds holds extra digits.
 */
export function heldInstant(ms: number, form: TimeForm, micro: number): Micros {
  if (form === 'seconds') return Math.floor(ms / 1000) * 1_000_000;
  return ms * 1000 + (form === 'micros' ? micro : 0);
}

const pad3 = (n: number) => String(n).padStart(3, '0');

export function renderInstant(us: Micros, form: TimeForm): string {
  const ms = Math.floor(us / 1000);
  const sub = us - ms * 1000;
  const offset = OFFSET_MINUTES[form];
  const local = new Date(ms + offset * 60_000).toISOString();
  const base = local.slice(0, 19);
  const millis = local.slice(20, 23);
  const whole = us % 1_000_000 === 0;
  switch (form) {
    case 'seconds':
      return `${base}Z`;
    case 'millis':
      return `${base}.${millis}Z`;
    case 'micros':
      return `${base}.${millis}${pad3(sub)}Z`;
    case 'utc-offset':
      return `${base}${whole ? '' : `.${millis}${pad3(sub)}`}+00:00`;
    default: {
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      const fraction = whole ? '' : sub === 0 ? `.${millis}` : `.${millis}${pad3(sub)}`;
      return `${base}${fraction}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    }
  }
}

/** Strict spelling of a stored timestamp of record `id`; an unparseable stored value passes unchanged. */
export function renderRecordTime(iso: string | null, id: string): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const { form, micro } = recordForm(id);
  return renderInstant(heldInstant(ms, form, micro), form);
}

export function recordTimeKey(iso: string | null, id: string): Micros | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const { form, micro } = recordForm(id);
  return heldInstant(ms, form, micro);
}

/** Sort value of a run field: timestamps compare as the instants the strict server holds. */
export function strictRunSortValue(record: RunRecord, field: string, fallback: (record: RunRecord, field: string) => SortValue): SortValue {
  if ((TIME_FIELDS as readonly string[]).includes(field)) {
    return recordTimeKey((record.run as unknown as Record<string, string | null>)[field] ?? null, record.run.id);
  }
  return fallback(record, field);
}

/** The base fields of a run (no embeds) as strict mode serves them. */
export function strictBaseRun(run: Run): Run {
  const out = { ...run };
  for (const f of TIME_FIELDS) out[f] = renderRecordTime(run[f], run.id);
  return out;
}

export function strictNodeRun(node: NodeRun): NodeRun {
  const id = node.id ?? `${node.run_id ?? ''}:${node.node_id ?? ''}`;
  const out = { ...node };
  for (const f of TIME_FIELDS) out[f] = renderRecordTime(node[f], id);
  return out;
}

const TIME_KEY = /(^|_)at$/;

function renderTree(value: unknown, ownerId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renderTree(v, ownerId));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as JsonObject;
  const id = typeof obj.id === 'string' ? obj.id : ownerId;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = TIME_KEY.test(k) && typeof v === 'string' ? renderRecordTime(v, id) : renderTree(v, id);
  }
  return out;
}

/** A model, flow or workflow with its timestamps spelled the strict way (catalogue objects are shared, so this copies). */
export function strictCatalogueObject<T extends object | null>(ctx: StrictContext, obj: T): T {
  if (obj === null) return obj;
  let rendered = ctx.renderedCatalogue.get(obj);
  if (rendered === undefined) {
    rendered = renderTree(obj, '');
    ctx.renderedCatalogue.set(obj, rendered);
  }
  return rendered as T;
}

// ---------------------------------------------------------------------------------------------
// Log lines

/**
 * How a seeded log line departs from its stored timestamp: no timestamp at all, an unparseable
 * one, or a fixed instant and spelling (used for the `…:09Z` / `…:09.500Z` pair).
 */
export type LineQuirk = { kind: 'missing' } | { kind: 'garbled'; text: string } | { kind: 'exact'; ms: number; form: TimeForm };

export interface StrictLine {
  log: RunLog;
  /** (instant held, line id); a line without a usable timestamp takes the instant of the nearest timestamped line before it. */
  key: Key;
}

/** How far back a line without a timestamp looks for one; quirky lines are sparse. */
const MAX_LOOKBACK = 1000;

/**
 * The lines of one run as strict mode serves them, in server order. Each line gets a spelling
 * from its id; the instants stay non-decreasing with the index, which keeps paging a binary search:
 * a line is spelled without a fraction (its instant truncated to the second) only when the previous
 * timestamped line lies in an earlier second, and holds sub-millisecond digits only when the next
 * line, fixed from the start, lies in a later millisecond. A line's spelling never changes once it
 * exists: it depends only on lines before it, or on seeded lines after it.
 */
export class StrictLogView {
  constructor(
    private readonly source: LogSource,
    private readonly quirks: ReadonlyMap<number, LineQuirk> | undefined,
  ) {}

  get length(): number {
    return this.source.length;
  }

  at(index: number): StrictLine {
    const line = this.source.at(index);
    const quirk = this.quirks?.get(index);
    let timestamp: string | null;
    let held: Micros;
    if (quirk?.kind === 'missing' || quirk?.kind === 'garbled') {
      timestamp = quirk.kind === 'missing' ? null : quirk.text;
      const before = this.previousTimestamped(index);
      held = before === null ? 0 : this.timed(before).held;
    } else {
      const t = this.timed(index, line);
      timestamp = renderInstant(t.held, t.form);
      held = t.held;
    }
    // `run` stays null here, as in `embed=logs`; the logs endpoint splices the run in when serialising.
    return { log: { ...line, timestamp, run: null }, key: [held, line.id ?? ''] };
  }

  head(limit: number): RunLog[] {
    const out: RunLog[] = [];
    for (let i = 0; i < Math.min(limit, this.length); i++) out.push(this.at(i).log);
    return out;
  }

  /** Stored instant in ms, after quirks; null for a line without a usable timestamp. */
  private raw(index: number, line?: RunLog): number | null {
    const quirk = this.quirks?.get(index);
    if (quirk) return quirk.kind === 'exact' ? quirk.ms : null;
    const ts = (line ?? this.source.at(index)).timestamp;
    if (ts === null) return null;
    const ms = Date.parse(ts);
    return Number.isNaN(ms) ? null : ms;
  }

  private previousTimestamped(index: number): number | null {
    for (let i = index - 1; i >= 0 && i >= index - MAX_LOOKBACK; i--) if (this.raw(i) !== null) return i;
    return null;
  }

  private timed(index: number, line?: RunLog): { held: Micros; form: TimeForm } {
    const resolved = line ?? this.source.at(index);
    const ms = this.raw(index, resolved) as number;
    const quirk = this.quirks?.get(index);
    if (quirk?.kind === 'exact') return { held: heldInstant(quirk.ms, quirk.form, 0), form: quirk.form };
    let { form, micro } = recordForm(resolved.id ?? String(index));
    const appended = index >= this.source.generatedLength;
    if (form === 'seconds' || appended) {
      const before = this.previousTimestamped(index);
      const beforeMs = before === null ? null : this.raw(before);
      const firstOfItsSecond = ms % 1000 === 0 || beforeMs === null || beforeMs < Math.floor(ms / 1000) * 1000;
      // Lines written while a run is live open each second without a fraction, so that a live tail
      // meets `…:09Z` followed by `…:09.412Z` in every run that logs twice within a second.
      if (firstOfItsSecond && appended) form = 'seconds';
      else if (!firstOfItsSecond && form === 'seconds') form = 'millis';
    }
    if (form === 'micros') {
      const next = index + 1 < this.source.generatedLength ? this.raw(index + 1) : null;
      if (next === null || next <= ms) micro = 0;
    }
    return { held: heldInstant(ms, form, micro), form };
  }
}

// ---------------------------------------------------------------------------------------------
// Cursors

/**
 * Strict cursors: standard base64 (with `+`, `/` and `=`, so they need URL encoding) of a compact
 * array, then `~` and a checksum, so a cursor that was altered in transit is refused rather than
 * misread. Still keyset cursors on (sort value, id), like the default ones.
 */
export const STRICT_CURSORS: CursorCodec = {
  encode(p: CursorPayload): string {
    const d = p.d === 'first' ? 'f' : p.d === 'next' ? 'n' : 'p';
    const body = Buffer.from(JSON.stringify(p.k ? [d, p.s, p.k[0], p.k[1]] : [d, p.s]), 'utf8').toString('base64');
    return `${body}~${hashString(`cursor:${body}`).toString(36)}`;
  },
  decode(text: string): CursorPayload | null {
    const cut = text.lastIndexOf('~');
    if (cut <= 0) return null;
    const body = text.slice(0, cut);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || text.slice(cut + 1) !== hashString(`cursor:${body}`).toString(36)) return null;
    try {
      const a = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as unknown[];
      if (!Array.isArray(a)) return null;
      const d = a[0] === 'f' ? 'first' : a[0] === 'n' ? 'next' : a[0] === 'p' ? 'prev' : null;
      if (d === null) return null;
      return checkedPayload({ s: a[1] as string, k: a.length === 4 ? ([a[2], a[3]] as Key) : null, d });
    } catch {
      return null;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Seeded data

function eligibleForOddStatus(record: RunRecord, store: Store): boolean {
  const s = record.run.status_code;
  return record.run.id !== store.bigLogRunId && record.run.created_at !== null && (isActive(s) || isTerminal(s));
}

function preferredOddStatus(status: string | null, h: number): (typeof ODD_STATUSES)[number] {
  if (status === 'running') return h % 2 === 0 ? 'RUNNING' : 'paused';
  if (status === 'queued' || status === 'dispatching') return 'paused';
  if (status === 'failed') return 'timed_out';
  return h % 2 === 0 ? 'timed_out' : '';
}

function poolFor(odd: (typeof ODD_STATUSES)[number]): (status: string | null) => boolean {
  switch (odd) {
    case 'RUNNING':
      return (s) => s === 'running';
    case 'paused':
      return (s) => isActive(s);
    case 'timed_out':
      return (s) => s === 'failed' || s === 'cancelled';
    default:
      return (s) => isTerminal(s);
  }
}

/**
 * Gives a few percent of the seeded runs a status outside the seven of the reference, at least one
 * of each in the default organisation, chosen so that each still reads plausibly (`RUNNING` was
 * running, `timed_out` failed...). Seeded runs never progress, so they keep it.
 */
function seedOddStatuses(store: Store): void {
  const eligible = [...store.records.values()].filter((r) => eligibleForOddStatus(r, store));
  const chosen = new Map<string, string>();
  for (const r of eligible) {
    const h = mix(hashString(r.run.id), 0x5747);
    if (h % 100 < 5) chosen.set(r.run.id, preferredOddStatus(r.run.status_code, h >>> 8));
  }
  const inDefault = eligible.filter((r) => r.orgId === store.defaultOrg);
  const candidates = inDefault.length > 0 ? inDefault : eligible;
  for (const odd of ODD_STATUSES) {
    if (candidates.some((r) => chosen.get(r.run.id) === odd)) continue;
    const free = candidates.filter((r) => !chosen.has(r.run.id));
    const pick = free.find((r) => poolFor(odd)(r.run.status_code)) ?? free[0];
    if (pick) chosen.set(pick.run.id, odd);
  }
  for (const [id, status] of chosen) (store.get(id) as RunRecord).run.status_code = status as RunStatus;
}

function storedMs(source: LogSource, index: number): number {
  return Date.parse(source.at(index).timestamp as string);
}

/** First j where lines j and j+1 fit in one whole second between lines j-1 and j+2. */
function pairSlot(source: LogSource): number | null {
  const generated = source.generatedLength;
  for (let j = 1; j + 2 < generated; j++) {
    const second = (Math.floor(storedMs(source, j - 1) / 1000) + 1) * 1000;
    if (second + 500 <= storedMs(source, j + 2)) return j;
  }
  return null;
}

/**
 * Log quirks of the seeded runs. Every run with room for it gets a line spelled `…:09Z` followed
 * by one spelled `…:09.500Z` (the same second, half a second later), the case a client comparing
 * strings gets wrong. About one run in six with eight or more lines gets a line whose timestamp is
 * null or unparseable; at least one of each sits in the default organisation.
 */
function seedLogQuirks(store: Store): Map<string, Map<number, LineQuirk>> {
  const all = new Map<string, Map<number, LineQuirk>>();
  const pairs = new Map<string, number>();
  const big = (r: RunRecord) => r.run.id === store.bigLogRunId;
  for (const r of store.records.values()) {
    if (big(r)) continue;
    const j = pairSlot(r.logs);
    if (j === null) continue;
    const second = (Math.floor(storedMs(r.logs, j - 1) / 1000) + 1) * 1000;
    all.set(
      r.run.id,
      new Map<number, LineQuirk>([
        [j, { kind: 'exact', ms: second, form: 'seconds' }],
        [j + 1, { kind: 'exact', ms: second + 500, form: 'millis' }],
      ]),
    );
    pairs.set(r.run.id, j);
  }

  const place = (r: RunRecord, h: number, kind: 'missing' | 'garbled'): boolean => {
    const generated = r.logs.generatedLength;
    if (generated < 8) return false;
    const j = pairs.get(r.run.id);
    const free = (k: number) => k >= 2 && k < generated - 1 && (j === undefined || k < j - 1 || k > j + 2);
    let k = 2 + ((h >>> 4) % (generated - 4));
    if (!free(k) && j !== undefined) k = free(j + 3) ? j + 3 : j - 2;
    if (!free(k)) return false;
    const quirks = all.get(r.run.id) ?? new Map<number, LineQuirk>();
    quirks.set(k, kind === 'missing' ? { kind } : { kind, text: GARBLED_TIMESTAMPS[(h >>> 16) % GARBLED_TIMESTAMPS.length] });
    all.set(r.run.id, quirks);
    return true;
  };

  const kinds = new Map<string, 'missing' | 'garbled'>();
  for (const r of store.records.values()) {
    if (big(r)) continue;
    const h = mix(hashString(r.run.id), 0x6e75);
    if (h % 6 !== 0) continue;
    const kind = (h >>> 12) % 2 === 0 ? 'missing' : 'garbled';
    if (place(r, h, kind)) kinds.set(r.run.id, kind);
  }
  for (const kind of ['missing', 'garbled'] as const) {
    const inDefault = (r: RunRecord) => r.orgId === store.defaultOrg && !big(r);
    if ([...kinds].some(([id, k]) => k === kind && inDefault(store.get(id) as RunRecord))) continue;
    for (const r of store.records.values()) {
      if (!inDefault(r) || kinds.has(r.run.id)) continue;
      if (place(r, mix(hashString(r.run.id), 0x6e76), kind)) {
        kinds.set(r.run.id, kind);
        break;
      }
    }
  }
  return all;
}

/** Applies strict mode to freshly seeded data (again after every reset) and returns its state. */
export function applyStrictSeed(store: Store, mode: Exclude<StrictMode, false>): StrictContext {
  seedOddStatuses(store);
  return { mode, logQuirks: seedLogQuirks(store), renderedCatalogue: new WeakMap() };
}
