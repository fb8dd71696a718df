/**
 * Runflow: Search Logs Across Runs over 1,000 runs and a run of 1,000,000 log lines: how soon the first
 * match is on screen in the Log Matches view, how soon the search is over, the requests it made, and the
 * extension host's memory while it reads. Twice: a plain text the server narrows by, and a /regex/ that the
 * server cannot narrow by, so every line is read and checked here.
 *
 * Each search is set against the same pages read through the API client in the same launch and nothing
 * done with them: what the search costs beyond reading what it has to read.
 */
import * as vscode from 'vscode';
import { saveScreenshot } from '../../integration/support/driver';
import { setPaneExpanded } from '../../integration/support/runsPane';
import { waitFor } from '../../integration/support/wait';
import type { TestApi } from '../../../src/extension';
import type { SearchOutcome } from '../../../src/runs/logSearch';
import { type LogSearchFigures, type PageReadFigures } from '../shared';
import { emulator, type EmulatorControl } from './support/emulators';
import { MemorySampler } from './support/memory';
import { armWaiter, inPage, requireBrowser } from './support/page';
import { recordFigures, repetitions } from './support/results';
import { connectTo, setSetting } from './support/runflow';

const LOGS_ANY = '^/v1/runs/any/logs$';
const PAGE_SIZE = 500;

/** In the last line of every failed seeded run (test/emulator/samples.ts): a few lines of the million, which the server finds. */
const PLAIN = 'CUDA out of memory';
/** Every thousandth line of the big log, and the failed runs' lines: the server is never asked, every line is read here. */
const REGEX = '/line \\d+000 of|CUDA out of memory/';

const PANE = `B.pane('Log Matches')`;
/** A match row (a run's rows are level 1, its matches level 2) drawn in the Log Matches view. */
const MATCH_ROW_DRAWN = `!!${PANE}?.querySelector('.monaco-list-row[aria-level="2"]')`;
const MESSAGE = `(${PANE}?.querySelector('.message')?.textContent ?? '')`;
/** The view's message once a search has ended on its own ("… in 1,042,864 lines."), not while it searches. */
const END_SHOWN = `(() => { const m = ${MESSAGE}; return !m.startsWith('Searching') && / lines?\\.$/.test(m); })()`;

describe('log search', function () {
  this.timeout(1_200_000);
  let api: TestApi;
  let emu: EmulatorControl;

  before(async () => {
    requireBrowser();
    emu = emulator('search');
    await emu.reset();
    api = await connectTo(emu, { autoRefresh: false });
    // The whole log is walked: no line or time budget stops the search first.
    await setSetting('logSearch.maxLines', 2_000_000);
    await setSetting('logSearch.maxSeconds', 3_600);
    await vscode.commands.executeCommand('runflow.logMatches.focus');
    // The Runs view's pane closed, as a user does to give the matches the room.
    await setPaneExpanded('Runs', false);
    await setPaneExpanded('Log Matches', true);
  });

  after(async () => {
    api?.logMatches.clear();
    await setSetting('logSearch.maxLines', undefined);
    await setSetting('logSearch.maxSeconds', undefined);
    await setPaneExpanded('Runs', true);
  });

  it('searches 1,000 runs and 1,000,000 lines for a text the server narrows by', async () => {
    const all: LogSearchFigures[] = [];
    for (let rep = 0; rep < repetitions(3); rep++) all.push(await measureSearch(PLAIN, 120_000));
    recordFigures((f) => {
      f.vscodeVersion = vscode.version;
      f.extensionHostNode = process.version;
      f.logSearch ??= {};
      f.logSearch.plain = all;
    });
    console.log(`log search, plain text: ${JSON.stringify(all)}`);
  });

  it('searches 1,000 runs and 1,000,000 lines for a regex, every line read here', async () => {
    // A walk of a million lines is measured once, with its reference.
    const figures = await measureSearch(REGEX, 900_000);
    await saveScreenshot('bench-log-search-regex');
    recordFigures((f) => {
      f.logSearch ??= {};
      f.logSearch.regex = [figures];
    });
    console.log(`log search, regex: ${JSON.stringify(figures)}`);
  });

  /** One search from the command, then the same pages read through the client alone. */
  async function measureSearch(text: string, timeoutMs: number): Promise<LogSearchFigures> {
    api.logMatches.clear();
    await waitFor('the Log Matches view to be empty', async () => (await inPage<boolean>(`!${PANE}?.querySelector('.monaco-list-row') && ${MESSAGE} === ''`)) || undefined, 20_000);
    await emu.resetRequests();
    const firstRow = await armWaiter('the first match row in the Log Matches view', MATCH_ROW_DRAWN, timeoutMs);
    const endShown = await armWaiter("the Log Matches view's message that the search ended", END_SHOWN, timeoutMs);
    const memory = MemorySampler.start();
    const t0 = Date.now();
    const outcome = (await vscode.commands.executeCommand('runflow.searchLogs', { text, level: 'any', range: 'all', filtered: false })) as SearchOutcome | undefined;
    const resolvedMs = Date.now() - t0;
    const endShownMs = (await endShown.done) - t0;
    const used = memory.stop();
    if (!outcome || outcome.stop !== 'end') throw new Error(`the search did not walk to the end: ${JSON.stringify(outcome)}`);
    const firstMatchMs = (await firstRow.done) - t0;
    const requests = await emu.requests({ method: 'GET', path: LOGS_ANY });
    const q = requests[0]?.query.q;
    // The first match found is the first of the first run the view lists (runs in the order found).
    const firstMatch = api.logMatches.results?.groups.groups()[0]?.matches[0];
    const reference = await readPages(q, outcome.progress.pages, firstMatch?.logId);
    return {
      text,
      serverNarrowed: outcome.serverNarrowed,
      stop: outcome.stop,
      firstMatchMs,
      resolvedMs,
      endShownMs,
      endMs: Math.max(resolvedMs, endShownMs),
      pages: outcome.progress.pages,
      lines: outcome.progress.lines,
      matches: outcome.progress.matches,
      matchRuns: outcome.progress.runs,
      requests: requests.length,
      bytes: sumBytes(requests),
      memory: used,
      reference,
    };
  }

  /**
   * The reference: `pages` pages read through the client as the search asked for them, each let go, noting
   * when the page holding the line with `firstMatchId` (the search's first match) was in hand.
   */
  async function readPages(q: string | undefined, pages: number, firstMatchId: string | undefined): Promise<PageReadFigures> {
    await emu.resetRequests();
    const client = api.connection.client;
    const memory = MemorySampler.start();
    const t0 = Date.now();
    let firstPageMs = -1;
    let firstMatchPageMs = -1;
    let firstMatchPage = -1;
    let read = 0;
    let lines = 0;
    let pq: string | undefined;
    while (read < pages) {
      const page = await client.searchLogs('any', { sort_by: 'timestamp:desc', limit: PAGE_SIZE, pq, ...(q === undefined ? {} : { q }) });
      if (firstPageMs < 0) firstPageMs = Date.now() - t0;
      read++;
      lines += page.items.length;
      if (firstMatchPage < 0 && page.items.some((l) => l.id === firstMatchId)) {
        firstMatchPageMs = Date.now() - t0;
        firstMatchPage = read;
      }
      if (!page.next) break;
      pq = page.next;
    }
    const endMs = Date.now() - t0;
    const used = memory.stop();
    const requests = await emu.requests({ method: 'GET', path: LOGS_ANY });
    return { firstPageMs, firstMatchPageMs, firstMatchPage, endMs, pages: read, lines, requests: requests.length, bytes: sumBytes(requests), memory: used };
  }
});

function sumBytes(records: { bytes: number | null }[]): number {
  return records.reduce((a, r) => a + (r.bytes ?? 0), 0);
}
