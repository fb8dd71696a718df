/**
 * The batches this workspace launched, kept in workspace state so that a window reload keeps their tracing,
 * their retry offer and their finish notice. Each batch keeps what it planned to send (inputs, metadata) and
 * what became of every entry; runs are known by id only, their status comes from the run store.
 */
import { Emitter } from '../core/emitter';
import type { JsonObject } from '../api/types';
import type { EntryResult, EntryState } from './batchSend';

const KEY = 'runflow.batches';
/** Enough for a day's work without letting the workspace state grow for ever. */
const MAX_BATCHES = 20;

export interface BatchEntryRecord {
  index: number;
  /** What the entry sets (`seed=1, steps=4`), for its row and the preview. */
  label: string;
  input: JsonObject;
  state: EntryState;
  runId?: string;
  adopted?: boolean;
  message?: string;
}

export interface BatchRecord {
  id: string;
  /** The launch file's URI, as text. */
  file: string;
  /** The file as the user knows it (workspace-relative path). */
  label: string;
  model: string;
  /** The server and organisation it was sent to (serverIdentity); batches of others are not shown. */
  server?: string;
  createdAt: number;
  metadata?: JsonObject;
  callback_url?: string;
  entries: BatchEntryRecord[];
  /** Its finish was announced (once, even across reloads). */
  announced?: boolean;
}

/** The part of VS Code's Memento the state uses. */
export interface BatchMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class BatchState {
  private readonly changed = new Emitter<string | undefined>();
  /** A batch id, or undefined when any may have changed. */
  readonly onDidChange = this.changed.event;
  private writes: Promise<void> = Promise.resolve();
  /** What the memento holds, or will once the writes on their way land: read once, then kept here. */
  private kept: BatchRecord[] | undefined;

  constructor(
    private readonly memento: BatchMemento,
    /** The server in use now (serverIdentity). */
    private readonly server: () => string,
  ) {}

  /** The current server's batches (and those kept before batches named theirs), newest first. */
  all(): BatchRecord[] {
    const server = this.server();
    return this.read()
      .filter((b) => b.server === undefined || b.server === server)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Any batch by id, whatever its server. */
  get(id: string): BatchRecord | undefined {
    return this.read().find((b) => b.id === id);
  }

  /** The newest batch launched from `file` on the current server. */
  lastFor(file: string): BatchRecord | undefined {
    return this.all().find((b) => b.file === file);
  }

  /** The batch a run belongs to, on the current server. */
  batchOfRun(runId: string): BatchRecord | undefined {
    return this.all().find((b) => b.entries.some((e) => e.runId === runId));
  }

  async add(batch: BatchRecord): Promise<void> {
    const record = { ...batch, server: this.server() };
    const rest = this.read().filter((b) => b.id !== batch.id);
    await this.write([...rest, record].sort((a, b) => a.createdAt - b.createdAt).slice(-MAX_BATCHES), batch.id);
  }

  /** Records what became of entries of a batch (a result of a send or a retry). */
  async record(id: string, results: readonly EntryResult[]): Promise<void> {
    await this.change(id, (b) => {
      for (const r of results) {
        const entry = b.entries.find((e) => e.index === r.index);
        if (!entry) continue;
        // A launched entry stays launched: nothing later may mark it otherwise.
        if (entry.state === 'launched' && r.state !== 'launched') continue;
        entry.state = r.state;
        entry.runId = r.runId;
        entry.adopted = r.adopted;
        entry.message = r.message;
      }
    });
  }

  async markAnnounced(id: string): Promise<void> {
    await this.change(id, (b) => {
      b.announced = true;
    });
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async change(id: string, edit: (b: BatchRecord) => void): Promise<void> {
    const all = this.read().map((b) => (b.id === id ? structuredClone(b) : b));
    const batch = all.find((b) => b.id === id);
    if (!batch) return;
    edit(batch);
    await this.write(all, id);
  }

  private read(): BatchRecord[] {
    if (!this.kept) {
      const value = this.memento.get<unknown>(KEY);
      this.kept = Array.isArray(value) ? value.filter(isBatchRecord) : [];
    }
    return this.kept;
  }

  private async write(batches: BatchRecord[], id: string): Promise<void> {
    this.kept = batches;
    // Writes go out in order: a later state never lands before an earlier one.
    const done = this.writes.then(() => this.memento.update(KEY, batches));
    this.writes = done.catch(() => undefined);
    this.changed.fire(id);
    await done;
  }
}

/** Kept state is read back with care: another version of the extension may have written it. */
function isBatchRecord(v: unknown): v is BatchRecord {
  if (!v || typeof v !== 'object') return false;
  const b = v as Partial<BatchRecord>;
  return typeof b.id === 'string' && typeof b.file === 'string' && typeof b.model === 'string' && typeof b.createdAt === 'number' && Array.isArray(b.entries);
}
