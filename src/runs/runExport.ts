/**
 * One run exported as one JSON document, for a bug report or a hand-off: the run with its embeds and its
 * whole log, every value as the server sent it.
 *
 * The document is written as it is read, never held whole: a million log lines go from a page (or a
 * chunk of the panel's scratch file) to disk. It goes to a temporary file beside the target, renamed
 * over the target only once complete, so a failed or cancelled export leaves nothing under the chosen
 * name. The token never enters it: every value that holds it has it replaced (a hostile server may
 * echo the Authorization header into any field), and each chunk is checked before it is written.
 *
 * The document:
 *   { "format": "runflow-run-export", "version": 1, "exportedAt", "server", "organization",
 *     "run": <GET /v1/runs/{id}?embed=node_runs,model,flow,comfyui_workflow>,
 *     "logs": { "source": "panel" | "server", "lines": [<log items as sent>], "count", "complete",
 *               "stoppedBecause"?, "note"? } }
 * How the log ended comes after its lines, as it is known only once they are written; the lines keep
 * every field the server sent (ids, `meta`, text as it is), whichever source they came from.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunflowClient } from '../api/client';
import type { PaginationStopReason, PaginationSummary } from '../api/pagination';
import { withoutSecret } from '../api/redact';
import type { GetRunEmbed, Run } from '../api/types';
import { shortId } from '../core/runModel';
import type { SentLinesSnapshot } from './sentLines';

export const EXPORT_FORMAT = 'runflow-run-export';
export const EXPORT_VERSION = 1;
/** What the panel shows of a run, and the run's target: what a reader of the export needs to place it. */
const EMBED: GetRunEmbed[] = ['node_runs', 'model', 'flow', 'comfyui_workflow'];
/** The API's largest page. */
const PAGE = 500;
/** Pages read at most: 10,000,000 lines, twice what the panel reads, so a broken server cannot fill the disk. */
export const EXPORT_MAX_PAGES = 20_000;

export type ExportApi = Pick<RunflowClient, 'getRun' | 'iterateLogPages'>;

/** The log as a panel that has read all of it holds it (LogReader.sentLines). */
export interface HeldLog {
  lines: SentLinesSnapshot;
  incomplete?: { reason: PaginationStopReason | undefined; note: string };
}

export interface RunExportRequest {
  api: ExportApi;
  runId: string;
  /** The file to write (a path on this machine). */
  target: string;
  /** The API base URL (settings hold it without credentials). */
  server: string;
  organization?: string;
  /** The API token: it must not be in the document. */
  secret: string | undefined;
  /** The log already read by the run's panel; without it the log is paged from the server. Closed here. */
  heldLog?: HeldLog;
  signal?: AbortSignal;
  /** Log lines written so far. */
  onProgress?: (lines: number) => void;
  maxPages?: number;
  now?: () => Date;
}

export interface RunExportResult {
  file: string;
  run: Run;
  /** Where the log lines came from. */
  source: 'panel' | 'server';
  lines: number;
  complete: boolean;
  stoppedBecause?: PaginationStopReason;
  note?: string;
}

/** The document would have held the secret: nothing was written. */
export class SecretInExportError extends Error {
  constructor() {
    super('the export was stopped: it would have contained the API token');
  }
}
Object.defineProperty(SecretInExportError.prototype, 'name', { value: 'SecretInExportError', writable: true, configurable: true });

export class ExportCancelledError extends Error {
  constructor() {
    super('the export was cancelled');
  }
}
Object.defineProperty(ExportCancelledError.prototype, 'name', { value: 'ExportCancelledError', writable: true, configurable: true });

/** `<target-slug>-<short id>.runflow-run.json`, with nothing a file name cannot hold. */
export function exportFileName(runId: string, target: { slug?: string; label: string }): string {
  const name = (target.slug ?? target.label).replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'run';
  const id = shortId(runId).replace(/[^\w-]+/g, '') || 'run';
  return `${name}-${id}.runflow-run.json`;
}

/** Writes the export of `runId` to `target`; rejects (leaving no file there) when anything fails or it is cancelled. */
export async function exportRun(request: RunExportRequest): Promise<RunExportResult> {
  const { api, runId, signal } = request;
  const held = request.heldLog;
  let writer: DocumentWriter | undefined;
  try {
    const run = await api.getRun(runId, { embed: EMBED }, { signal });
    if (signal?.aborted) throw new ExportCancelledError();
    writer = await DocumentWriter.open(request.target, request.secret);
    const source = held ? 'panel' : 'server';
    await writer.header({
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: (request.now?.() ?? new Date()).toISOString(),
      server: request.server,
      organization: request.organization ?? null,
      run,
      source,
    });
    const ending = held ? await writeHeld(writer, held, request) : await writePaged(writer, request);
    await writer.finish(ending);
    return { file: request.target, run, source, lines: writer.count, ...ending };
  } catch (err) {
    await writer?.abandon();
    throw signal?.aborted && !(err instanceof SecretInExportError) ? new ExportCancelledError() : err;
  } finally {
    held?.lines.close();
  }
}

type LogEnding = Pick<RunExportResult, 'complete' | 'stoppedBecause' | 'note'>;

async function writeHeld(writer: DocumentWriter, held: HeldLog, request: RunExportRequest): Promise<LogEnding> {
  for (const chunk of held.lines.chunks()) {
    if (request.signal?.aborted) throw new ExportCancelledError();
    await writer.lines(chunk);
    request.onProgress?.(writer.count);
  }
  if (!held.incomplete) return { complete: true };
  return { complete: false, ...(held.incomplete.reason ? { stoppedBecause: held.incomplete.reason } : {}), note: held.incomplete.note };
}

async function writePaged(writer: DocumentWriter, request: RunExportRequest): Promise<LogEnding> {
  let summary: PaginationSummary | undefined;
  const maxPages = request.maxPages ?? EXPORT_MAX_PAGES;
  const pages = request.api.iterateLogPages(
    request.runId,
    { sort_by: 'timestamp:asc', limit: PAGE },
    { maxPages, onLimit: 'stop', onStop: (s) => (summary = s), signal: request.signal },
  );
  for await (const page of pages) {
    // Items as sent, whatever they are: an export is evidence of what the server answered.
    const items: unknown[] = Array.isArray(page.items) ? page.items : [];
    await writer.lines(items.map((item) => JSON.stringify(item) ?? 'null'));
    request.onProgress?.(writer.count);
  }
  if (!summary || summary.complete) return { complete: true };
  return { complete: false, stoppedBecause: summary.reason, note: stopNote(summary.reason, maxPages) };
}

function stopNote(reason: PaginationStopReason, maxPages: number): string {
  switch (reason) {
    case 'max_pages':
      return `The export stops after ${(maxPages * PAGE).toLocaleString('en-US')} lines; the log goes on.`;
    case 'repeated_cursor':
      return 'The server repeated a page cursor, so the log may be incomplete.';
    case 'empty_page':
      return 'The server sent an empty page that pointed to more, so the log may be incomplete.';
    default:
      return '';
  }
}

/**
 * The document, written piece by piece to a temporary file: the header with the run, the log lines one a
 * line (so the file reads and greps line by line), then how the log ended. Every piece is checked for the
 * secret before it is written.
 */
class DocumentWriter {
  count = 0;
  private readonly escapedSecret: string | undefined;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly temp: string,
    private readonly target: string,
    private readonly secret: string | undefined,
  ) {
    // The form the secret takes inside a JSON string, when it holds a quote or a backslash.
    this.escapedSecret = secret ? JSON.stringify(secret).slice(1, -1) : undefined;
  }

  static async open(target: string, secret: string | undefined): Promise<DocumentWriter> {
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(4).toString('hex')}.part`);
    const handle = await fs.promises.open(temp, 'wx');
    return new DocumentWriter(handle, temp, target, secret || undefined);
  }

  async header(head: { format: string; version: number; exportedAt: string; server: string; organization: string | null; run: Run; source: string }): Promise<void> {
    const { run, source, ...rest } = head;
    const top = Object.entries(rest).map(([k, v]) => `  ${JSON.stringify(k)}: ${this.json(v)},\n`);
    // JSON.stringify escapes newlines inside strings: every newline of its output is layout, safe to indent.
    const runText = this.json(run, 2).replace(/\n/g, '\n  ');
    await this.write(`{\n${top.join('')}  "run": ${runText},\n  "logs": {\n    "source": ${JSON.stringify(source)},\n    "lines": [`);
  }

  /** Log lines, each the JSON text of one item. */
  async lines(texts: readonly string[]): Promise<void> {
    if (!texts.length) return;
    const lead = this.count === 0 ? '\n      ' : ',\n      ';
    await this.write(lead + texts.map((t) => this.clean(t)).join(',\n      '));
    this.count += texts.length;
  }

  async finish(ending: LogEnding): Promise<void> {
    const fields: [string, unknown][] = [['count', this.count], ['complete', ending.complete]];
    if (ending.stoppedBecause) fields.push(['stoppedBecause', ending.stoppedBecause]);
    if (ending.note) fields.push(['note', ending.note]);
    const tail = fields.map(([k, v]) => `,\n    ${JSON.stringify(k)}: ${this.json(v)}`).join('');
    await this.write(`${this.count ? '\n    ' : ''}]${tail}\n  }\n}\n`);
    await this.handle.close();
    await fs.promises.rename(this.temp, this.target);
  }

  /** Removes the temporary file; the target is left as it was. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.promises.rm(this.temp, { force: true });
  }

  private json(value: unknown, indent?: number): string {
    return JSON.stringify(this.secret ? withoutSecret(value, this.secret) : value, null, indent) ?? 'null';
  }

  /** A line's JSON text, parsed and written again only when it holds the secret. */
  private clean(text: string): string {
    return this.holdsSecret(text) ? this.json(JSON.parse(text)) : text;
  }

  private holdsSecret(text: string): boolean {
    return !!this.secret && (text.includes(this.secret) || text.includes(this.escapedSecret!));
  }

  private async write(text: string): Promise<void> {
    if (this.holdsSecret(text)) throw new SecretInExportError();
    await this.handle.write(text);
  }
}
