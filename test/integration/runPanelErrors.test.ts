/**
 * The run panel's log opened on one line: a line found by a search elsewhere (`openAtMatch`), a failed
 * run's first error, F8 / Shift+F8 through the error lines, and a failed node's first line. Asserted in
 * the webview's DOM, against the emulator.
 */
import { strict as assert } from 'node:assert';
import type { Emulator } from '../emulator';
import type { NodeRun, RunLog } from '../emulator/types';
import type { TestApi } from '../../src/extension';
import { click, evaluate, hasBrowser, press, saveScreenshot } from './support/driver';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { currentLine, panelOf } from './support/panelLog';
import { waitUntil } from './support/wait';

const BIG_LOG_LINES = 100_000;

/** A big-log line's time, as the emulator computes it from its index. */
function bigLogTime(emu: Emulator, index: number): string {
  const run = emu.getRun(emu.bigLogRunId!)!;
  const start = Date.parse(run.started_at!);
  const end = Date.parse(run.completed_at!);
  return new Date(start + Math.floor(((end - start) * index) / (BIG_LOG_LINES - 1))).toISOString();
}

function bigLogLine(index: number): string {
  return `line ${index} of ${BIG_LOG_LINES}: loss=${(2 / (1 + index / 1000)).toFixed(5)} lr=3e-4`;
}

describe('Run panel: found lines and errors', function () {
  this.timeout(240_000);
  let emu: Emulator;
  let api: TestApi;

  before(async function () {
    if (!hasBrowser()) this.skip();
    ({ emu, api } = await startFixture({ bigLogLines: BIG_LOG_LINES }));
    await showRunsView();
    await signedIn(api, emu);
  });
  after(async () => {
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    await stopFixture(emu, api);
  });

  it('opens a 100,000-line log on a line deep in it, found by a search elsewhere, and moves to another when asked again', async () => {
    const runId = emu.bigLogRunId!;
    // Matches nearly every line: the line is found by its time and text, not as the first match.
    const query = 'lr=3e-4';
    const deep = 73_421;
    api.panels.openAtMatch(runId, { query, timestamp: bigLogTime(emu, deep), level: 'info', message: bigLogLine(deep) });
    const shown = await waitUntil('the deep line on screen as the current match', () => currentLine(runId), (c) => c.position === deep && c.onScreen, 120_000);
    assert.equal(shown.query, query, 'the search box holds the query');
    assert.ok(shown.text.includes(bigLogLine(deep)), `the current row shows the line: ${shown.text.slice(0, 200)}`);
    const count = await evaluate<string>(panelOf(runId), `document.querySelector('[data-testid="search-count"]')?.textContent ?? ''`);
    assert.match(count, /^[\d,]+ of [\d,]+/, 'the count names the current match among many');
    await saveScreenshot('panel-open-at-match');

    // Asked again on the open panel, with a regular expression this time.
    const other = 12_345;
    const regex = '/line 12345 of \\d+:/';
    api.panels.openAtMatch(runId, { query: regex, timestamp: bigLogTime(emu, other), level: 'info', message: bigLogLine(other) });
    const moved = await waitUntil('the other line as the current match', () => currentLine(runId), (c) => c.position === other && c.onScreen && c.query === regex, 60_000);
    assert.ok(moved.text.includes(bigLogLine(other)));
    assert.equal(api.panels.openRunIds.filter((id) => id === runId).length, 1, 'one panel for the run');
  });

  it('opens a failed run on its first error, and F8 / Shift+F8 move between the error lines', async () => {
    const started = Date.parse('2026-11-30T09:00:00Z');
    const errorsAt = [60, 140, 190];
    const failedNodeFrom = 100;
    const logs = Array.from({ length: 220 }, (_, i): Partial<RunLog> => ({
      timestamp: new Date(started + i * 1_000).toISOString(),
      level_code: errorsAt.includes(i) ? 'error' : i % 7 === 0 ? 'warning' : 'info',
      message: errorsAt.includes(i) ? `error number ${errorsAt.indexOf(i) + 1} at line ${i}` : `step ${i} going fine`,
      meta: i >= failedNodeFrom ? { node_id: 'node-upscale' } : { node_id: 'node-load' },
    }));
    const nodeRun = (node: string, state: string, error: string | null): NodeRun => ({
      id: `nr-${node}`, run_id: null, node_id: node, flow_id: null, state_code: state, input: null, output: null, input_signature: null,
      preview_type: null, preview_value: null, duration_ms: 1_000, cost: null, retry_count: 0, error_message: error,
      created_at: new Date(started).toISOString(), started_at: new Date(started).toISOString(), completed_at: new Date(started + 220_000).toISOString(),
    });
    const run = emu.insertRun({
      status_code: 'failed',
      failure_code: 'CUDA_OOM',
      failure_stage_code: 'execution',
      failure_message: 'CUDA out of memory',
      has_logs: true,
      has_node_runs: true,
      logs: logs as RunLog[],
      node_runs: [nodeRun('node-load', 'succeeded', null), nodeRun('node-upscale', 'failed', 'CUDA out of memory')],
    });
    const runId = run.id!;
    api.panels.open(runId);
    const first = await waitUntil('the first error on screen as the current line', () => currentLine(runId), (c) => c.position === errorsAt[0] && c.onScreen, 60_000);
    assert.ok(first.text.includes('error number 1'), first.text);
    assert.equal(first.errorCount, 'Error 1 of 3');
    const button = await evaluate<{ disabled: boolean; title: string | null }>(panelOf(runId), `(() => { const b = document.querySelector('[data-testid="first-error"]'); return { disabled: b.disabled, title: b.getAttribute('title') }; })()`);
    assert.deepEqual(button, { disabled: false, title: 'First error (F8 next, Shift+F8 previous)' });
    // The page's own scroll (not the log's), to have the log in the picture.
    await evaluate(panelOf(runId), `(document.querySelector('[data-section="logs"]').scrollIntoView({ block: 'start' }), true)`);
    await saveScreenshot('panel-first-error');

    // The keys go to the panel once it has the focus (a click in its log, as a user would).
    await click(panelOf(runId), '[data-testid="log-viewport"]');
    await press('F8');
    const second = await waitUntil('F8 to the second error', () => currentLine(runId), (c) => c.position === errorsAt[1] && c.onScreen, 30_000);
    assert.ok(second.text.includes('error number 2'), second.text);
    assert.equal(second.errorCount, 'Error 2 of 3');
    await press('F8');
    await waitUntil('F8 to the third error', () => currentLine(runId), (c) => c.position === errorsAt[2] && c.onScreen, 30_000);
    await press('Shift+F8');
    await waitUntil('Shift+F8 back to the second error', () => currentLine(runId), (c) => c.position === errorsAt[1] && c.onScreen, 30_000);

    // The failed node's row leads to its first line.
    await waitUntil(
      'a Show in log link on the failed node only',
      () => evaluate<string[]>(panelOf(runId), `[...document.querySelectorAll('[data-testid="node-run"]')].filter((r) => { const l = r.querySelector('[data-testid="node-show-in-log"]'); return l && !l.hidden; }).map((r) => r.getAttribute('data-state'))`),
      (states) => states.length === 1 && states[0] === 'failed',
      30_000,
    );
    await click(panelOf(runId), '[data-testid="node-show-in-log"]');
    const nodeLine = await waitUntil("the failed node's first line as the current line", () => currentLine(runId), (c) => c.position === failedNodeFrom && c.onScreen, 30_000);
    assert.ok(nodeLine.text.includes(`step ${failedNodeFrom} going fine`), nodeLine.text);
  });

  it('says in the search box why a regular expression cannot be searched for', async () => {
    const runId = api.panels.openRunIds[api.panels.openRunIds.length - 1];
    const frame = panelOf(runId);
    await evaluate(frame, `(() => { const i = document.querySelector('[data-testid="search-input"]'); i.value = '/(unclosed/'; i.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); return true; })()`);
    const label = await waitUntil(
      'the count label to explain the query',
      () => evaluate<{ text: string; title: string | null; invalid: string | null }>(frame, `(() => { const c = document.querySelector('[data-testid="search-count"]'); return { text: c.textContent, title: c.getAttribute('title'), invalid: document.querySelector('[data-testid="search-input"]').getAttribute('aria-invalid') }; })()`),
      (l) => l.text === 'Invalid regex',
      10_000,
    );
    assert.match(label.title ?? '', /regular expression/i);
    assert.equal(label.invalid, 'true');
  });
});
