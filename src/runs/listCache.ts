/**
 * The last list answer for each (API base URL, organisation, filter), kept in extension storage so that
 * the Runs view can draw the runs it showed last time before the first request of a new window answers
 * (stale while revalidate). Imports no vscode: it takes the part of a Memento it uses, so it is tested in
 * plain Node.
 *
 * What is kept is what the view showed: the newest page of runs, as the server sent them. Never the
 * token, nor anything derived from it (the key names the server, organisation and filter only), so an
 * entry says nothing about who signed in; signing out or in with another token clears the server's
 * entries instead (see RunsView).
 */
import { checkBaseUrl } from '../api/baseUrl';
import type { Run } from '../api/types';
import type { RunFilter } from '../core/runFilter';

/** The part of VS Code's Memento the cache uses. */
export interface MementoLike {
  keys(): readonly string[];
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** Bumped whenever an entry's shape changes: an entry of another version is dropped, never read. */
export const LIST_CACHE_VERSION = 1;
const PREFIX = 'runflow.runsList:';
/**
 * globalState is read whole at every window's start, sent to the extension host, and written back whole
 * when it changes: a large entry would slow every start and every save for everyone, which is what the
 * cache is there to avoid (VS Code warns about an extension whose state passes 512 KB). A page of runs,
 * kept as the rows need them (see forRows), stays below this (50 runs take about 65 KB); a page that does not is trimmed of its
 * oldest runs until it fits.
 */
export const MAX_ENTRY_BYTES = 128 * 1024;
/** Entries kept, the most recently saved first: a user switches between a few servers or filters, not dozens. */
export const MAX_ENTRIES = 3;
/**
 * An unchanged list is not written again on every poll; only its time is brought up to date, and at most
 * this often, so that "Updated … ago" on the next start is never later than the truth by more than this.
 */
export const SAVED_AT_REFRESH_MS = 15 * 60_000;

export interface ListCacheKey {
  baseUrl: string;
  organizationId: string | undefined;
  filter: RunFilter;
}

export interface CachedList {
  runs: Run[];
  /** When the list was last known current (ms epoch). */
  savedAt: number;
}

interface Entry {
  version: number;
  savedAt: number;
  runs: Run[];
}

/** The same server written as `https://host/` or `https://host` is one server (the token store's rule). */
function normalizedBaseUrl(baseUrl: string): string {
  const checked = checkBaseUrl(baseUrl, true);
  return checked.ok ? checked.url : baseUrl.trim();
}

/** A filter's fields in a fixed order, empty ones left out, so that the same filter always makes the same key. */
function canonicalFilter(filter: RunFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(filter).sort()) {
    const value = (filter as Record<string, unknown>)[name];
    if (value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0)) continue;
    out[name] = Array.isArray(value) ? [...value].sort() : value;
  }
  return out;
}

/** One server and organisation, as text: what batches and kept lists are filed under. */
export function serverIdentity(baseUrl: string, organizationId: string | undefined): string {
  return JSON.stringify([normalizedBaseUrl(baseUrl), organizationId?.trim() || '']);
}

export function listCacheKey(key: ListCacheKey): string {
  return PREFIX + JSON.stringify([normalizedBaseUrl(key.baseUrl), key.organizationId?.trim() || '', canonicalFilter(key.filter)]);
}

/** The base URL a storage key was made for, or undefined for a key that is not the cache's. */
function baseUrlOfKey(storageKey: string): string | undefined {
  if (!storageKey.startsWith(PREFIX)) return undefined;
  try {
    const parts: unknown = JSON.parse(storageKey.slice(PREFIX.length));
    return Array.isArray(parts) && typeof parts[0] === 'string' ? parts[0] : undefined;
  } catch {
    return undefined;
  }
}

const utf8 = new TextEncoder();

/** Large parts of a run that no row shows: its output and metadata, and an embed's body beyond its names. */
const HEAVY_FIELDS = ['output', 'metadata'] as const;
const EMBEDS = ['model', 'flow', 'comfyui_workflow'] as const;

/**
 * A run as the rows that draw it need it, until the first refresh brings the whole run: without its
 * output and metadata, and with each embedded target cut to its id, name and slug (a workflow embed
 * carries its whole graph). Every other field is kept as the server sent it.
 */
function forRows(run: Run): Run {
  const copy: Record<string, unknown> = { ...run };
  for (const field of HEAVY_FIELDS) delete copy[field];
  for (const embed of EMBEDS) {
    const value = copy[embed];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { id, name, slug } = value as Record<string, unknown>;
      copy[embed] = { id, name, slug };
    }
  }
  return copy as Run;
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false;
  const e = value as Partial<Entry>;
  return e.version === LIST_CACHE_VERSION && typeof e.savedAt === 'number' && Number.isFinite(e.savedAt) && Array.isArray(e.runs);
}

export class RunListCache {
  /** The runs text last read or written per key, so that an unchanged list is not written again. */
  private readonly known = new Map<string, { runsText: string; savedAt: number }>();

  constructor(
    private readonly memento: MementoLike,
    private readonly limits: { maxEntryBytes: number; maxEntries: number } = { maxEntryBytes: MAX_ENTRY_BYTES, maxEntries: MAX_ENTRIES },
  ) {}

  /** The list kept for `key`; an entry of another version or shape is dropped. */
  read(key: ListCacheKey): CachedList | undefined {
    const storageKey = listCacheKey(key);
    const value = this.memento.get<unknown>(storageKey);
    if (value === undefined) return undefined;
    if (!isEntry(value)) {
      void this.memento.update(storageKey, undefined);
      return undefined;
    }
    const runs = value.runs.filter((r): r is Run => !!r && typeof r === 'object' && typeof r.id === 'string' && r.id !== '');
    this.known.set(storageKey, { runsText: JSON.stringify(value.runs), savedAt: value.savedAt });
    return { runs, savedAt: value.savedAt };
  }

  /**
   * Keeps `runs` (the newest page, newest first) for `key`. Writes only when the runs differ from what is
   * kept, or the time kept is older than SAVED_AT_REFRESH_MS; answers whether it wrote.
   */
  async save(key: ListCacheKey, runs: readonly Run[], now: number): Promise<boolean> {
    const storageKey = listCacheKey(key);
    const kept = runs.map(forRows);
    // The whole page's text, before any trimming: what the next poll's page is compared with.
    const pageText = JSON.stringify(kept);
    const before = this.known.get(storageKey) ?? this.storedText(storageKey);
    if (before && before.runsText === pageText && now - before.savedAt < SAVED_AT_REFRESH_MS) return false;
    let runsText = pageText;
    // Trimmed from the oldest end: the newest runs are the ones the view shows first.
    while (kept.length > 0 && this.entryBytes(runsText, now) > this.limits.maxEntryBytes) {
      kept.length = Math.min(kept.length - 1, Math.floor(kept.length * 0.9));
      runsText = JSON.stringify(kept);
    }
    const entry: Entry = { version: LIST_CACHE_VERSION, savedAt: now, runs: kept };
    this.known.set(storageKey, { runsText: pageText, savedAt: now });
    await this.memento.update(storageKey, kept.length ? entry : undefined);
    await this.dropBeyondLimit(storageKey);
    return true;
  }

  /** Forgets every list kept for `baseUrl`, whatever the organisation and filter (sign-out, another token). */
  async clearBaseUrl(baseUrl: string): Promise<void> {
    const url = normalizedBaseUrl(baseUrl);
    for (const storageKey of this.storageKeys()) {
      if (baseUrlOfKey(storageKey) !== url) continue;
      this.known.delete(storageKey);
      await this.memento.update(storageKey, undefined);
    }
  }

  private storageKeys(): string[] {
    return this.memento.keys().filter((k) => k.startsWith(PREFIX));
  }

  private storedText(storageKey: string): { runsText: string; savedAt: number } | undefined {
    const value = this.memento.get<unknown>(storageKey);
    return isEntry(value) ? { runsText: JSON.stringify(value.runs), savedAt: value.savedAt } : undefined;
  }

  private entryBytes(runsText: string, now: number): number {
    // The entry as the state database keeps it: JSON, counted in UTF-8 bytes.
    return utf8.encode(`{"version":${LIST_CACHE_VERSION},"savedAt":${now},"runs":${runsText}}`).length;
  }

  /** Only the most recently saved entries stay; `current` was just written and is one of them. */
  private async dropBeyondLimit(current: string): Promise<void> {
    const others = this.storageKeys()
      .filter((k) => k !== current)
      .map((k) => {
        const value = this.memento.get<unknown>(k);
        return { key: k, savedAt: isEntry(value) ? value.savedAt : -Infinity };
      })
      .sort((a, b) => b.savedAt - a.savedAt);
    for (const { key } of others.slice(Math.max(0, this.limits.maxEntries - 1))) {
      this.known.delete(key);
      await this.memento.update(key, undefined);
    }
  }
}
