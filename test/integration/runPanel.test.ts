import { strict as assert } from 'node:assert';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { evaluate, hasBrowser, saveScreenshot } from './support/driver';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { waitFor, waitUntil } from './support/wait';

/** The panel of one run, found in the browser by the run id it shows. */
function panelOf(runId: string) {
  return { selector: `#app[data-ready="true"][data-run-id="${runId}"]` };
}

const PWNED = `window.__runflowPwned`;
const HOSTILE = {
  failure: `<img src=x onerror="${PWNED}=1"><script>${PWNED}=2</script>`,
  log: `<script>${PWNED}=3</script> \u001b[31mred\u001b[0m <img src=x onerror=${PWNED}=4> javascript:${PWNED}=5`,
  link: `javascript:${PWNED}=6`,
};

describe('Run detail panel', function () {
  this.timeout(180_000);
  let emu: Emulator;
  let api: TestApi;

  before(async function () {
    if (!hasBrowser()) this.skip();
    ({ emu, api } = await startFixture({ bigLogLines: 100_000 }));
    await showRunsView();
    await signedIn(api, emu);
  });
  after(async () => {
    for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
    await stopFixture(emu, api);
  });

  it('shows a failed run with its failure block first', async () => {
    // Found among the newest runs here, not with q: the suite also runs against a server that refuses q.
    const page = await api.connection.client.searchRuns({ limit: 500, sort_by: 'created_at:desc' });
    const failed = page.items.find((r) => r.status_code === 'failed' && r.failure_message);
    assert.ok(failed?.id, 'a failed run with a message');
    api.panels.open(failed.id);
    // Until the run arrives (it may not be among the runs the view loaded) the page shows a loading
    // header, whose section would be the first one: wait for the failure block itself.
    const shown = await waitUntil(
      'the panel to show the failure block',
      () =>
        evaluate<{ first: string | null; failure: string | null }>(
          panelOf(failed.id!),
          `({ first: document.querySelector('[data-section]')?.getAttribute('data-section') ?? null, failure: document.querySelector('[data-section="failure"]')?.innerText ?? null })`,
        ),
      (s) => s.failure !== null,
      30_000,
    );
    assert.equal(shown.first, 'failure');
    const text = shown.failure!;
    assert.ok(text.includes(String(failed.failure_message).slice(0, 30)), 'the failure message is shown');
    await saveScreenshot('panel-failed-run');
  });

  it('renders hostile strings as inert text and runs no script', async () => {
    const run = emu.insertRun({
      status_code: 'failed',
      created_at: new Date().toISOString(),
      failure_code: 'HOSTILE',
      failure_stage_code: 'execution',
      failure_message: HOSTILE.failure,
      output: { link: HOSTILE.link, note: HOSTILE.failure },
      metadata: { title: HOSTILE.failure },
      has_logs: true,
    });
    emu.appendLogs(run.id!, [{ level_code: 'error', message: HOSTILE.log }, { level_code: 'info', message: HOSTILE.failure }]);
    api.panels.open(run.id!);
    const frame = panelOf(run.id!);
    // The log is read as the panel opens and the run arrives with the panel's first poll: either may come first.
    await waitFor('log rows with their text and the failure block', () =>
      evaluate<boolean>(frame, `(() => { document.querySelector('[data-section="logs"]')?.scrollIntoView(); return (document.querySelector('[data-testid="log-viewport"]')?.textContent ?? '').includes('<script>') && (document.querySelector('[data-section="failure"]')?.innerText ?? '').includes('<img src=x onerror='); })()`),
    30_000);
    const report = await evaluate<{ pwned: unknown; scripts: number; handlers: number; jsLinks: number; failureText: string; logText: string }>(
      frame,
      `({
        pwned: ${PWNED} ?? null,
        scripts: [...document.querySelectorAll('script')].filter(s => (s.textContent + (s.getAttribute('src') ?? '')).includes('runflowPwned')).length,
        handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        jsLinks: [...document.querySelectorAll('[href],[src]')].filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? '')).length,
        failureText: document.querySelector('[data-section="failure"]').innerText,
        logText: document.querySelector('[data-testid="log-viewport"]').textContent,
      })`,
    );
    assert.equal(report.pwned, null, 'no injected script ran');
    assert.equal(report.scripts, 0, 'no script element made from API text');
    assert.equal(report.handlers, 0, 'no inline event handlers');
    assert.equal(report.jsLinks, 0, 'no javascript: links');
    assert.ok(report.failureText.includes('<img src=x onerror='), 'the failure message shows as text');
    assert.ok(report.logText.includes('<script>'), `log lines show markup as text: ${report.logText.slice(0, 300)}`);
    await saveScreenshot('panel-hostile-run');
  });

  it('follows a running run: new log lines and the final status arrive by themselves', async () => {
    // Driven by hand so the test does not race the emulator's simulation clock.
    const run = emu.insertRun({ status_code: 'running', created_at: new Date().toISOString(), started_at: new Date().toISOString(), has_logs: true });
    emu.appendLogs(run.id!, [{ level_code: 'info', message: 'step 1 of 3' }]);
    await api.store.refresh();
    api.panels.open(run.id!);
    const frame = panelOf(run.id!);
    const total = () => evaluate<number>(frame, `Number(document.querySelector('[data-testid="log-viewport"]')?.getAttribute('data-total') ?? 0)`);
    const first = await waitFor('some log lines', async () => ((await total()) > 0 ? total() : undefined), 60_000);
    emu.appendLogs(run.id!, [{ level_code: 'info', message: 'step 2 of 3' }, { level_code: 'warning', message: 'step 3 of 3' }]);
    await waitFor('more log lines', async () => (await total()) > first || undefined, 60_000);
    // The length is set at once; the rows are drawn on a later frame, once their lines came back.
    const rows = await waitFor('log rows drawn for the new lines', () =>
      evaluate<number | null>(frame, `document.querySelectorAll('[data-testid="log-row"]:not(.pending)').length || null`),
    30_000);
    assert.ok(rows > 0, 'log rows on screen');
    emu.updateRun(run.id!, { status_code: 'succeeded', completed_at: new Date().toISOString() });
    const status = await waitFor('a terminal status', async () => {
      const s = await evaluate<string>(frame, `document.querySelector('[data-testid="status"]')?.innerText ?? ''`);
      return /succeeded|failed|cancelled/i.test(s) ? s : undefined;
    }, 90_000);
    assert.match(status, /succeeded|failed|cancelled/i);
    const logRequests = emu.requests({ method: 'GET', path: `^/v1/runs/${run.id}/logs$` });
    assert.ok(logRequests.length >= 2, 'the log was polled');
    await saveScreenshot('panel-live-run');
  });

  it('reads the run and the newest log page while the page starts, and asks nothing more to show them', async () => {
    const now = new Date().toISOString();
    const run = emu.insertRun({ status_code: 'succeeded', created_at: now, started_at: now, completed_at: now, has_logs: true });
    emu.appendLogs(run.id!, [{ level_code: 'info', message: 'read before the page was ready' }]);
    // Known to the store as finished, so the panel follows nothing after its first reads.
    await api.store.refresh();
    // Both answers held: the page is ready long before either comes back.
    emu.addFault({ method: 'GET', path: `^/v1/runs/${run.id}$`, delayMs: 1_500 });
    emu.addFault({ method: 'GET', path: `^/v1/runs/${run.id}/logs$`, delayMs: 1_500 });
    api.panels.open(run.id!);
    const frame = panelOf(run.id!);
    await waitFor('the log line and the run read with its node runs on screen', () =>
      evaluate<boolean>(frame, `(document.querySelector('[data-testid="log-viewport"]')?.textContent ?? '').includes('read before the page was ready') && !!document.querySelector('[data-section="nodes"]')`),
    30_000);
    const readyAt = api.panels.panel(run.id!)?.readyAt;
    assert.ok(readyAt, 'the page said it is ready');
    const runReads = emu.requests({ method: 'GET', path: `^/v1/runs/${run.id}$` });
    const logReads = emu.requests({ method: 'GET', path: `^/v1/runs/${run.id}/logs$` });
    assert.equal(runReads.length, 1, 'one read of the run');
    assert.equal(logReads.length, 1, 'one read of the log');
    assert.match(runReads[0].query.embed ?? '', /node_runs/, 'the run is read with what the panel shows');
    assert.ok(runReads[0].at < readyAt, `the run was asked for ${readyAt - runReads[0].at} ms before the page was ready`);
    assert.ok(logReads[0].at < readyAt, `the log was asked for ${readyAt - logReads[0].at} ms before the page was ready`);
  });

  it('opens a 100,000-line log with the newest lines on screen and a bounded DOM', async () => {
    const runId = emu.bigLogRunId!;
    api.panels.open(runId, 'logs');
    const frame = panelOf(runId);
    await waitFor('log rows drawn with their lines', () => evaluate<number | null>(frame, `document.querySelectorAll('[data-testid="log-row"]:not(.pending)').length || null`), 30_000);
    await waitFor('the whole log read', async () => api.panels.panel(runId)?.logFullyRead, 60_000);
    const total = await waitFor('rows for the whole log', async () => {
      const t = await evaluate<number>(frame, `Number(document.querySelector('[data-testid="log-viewport"]')?.getAttribute('data-total') ?? 0)`);
      return t >= 100_000 ? t : undefined;
    }, 30_000);
    assert.equal(total, 100_000);
    const nodes = await evaluate<number>(frame, `document.getElementsByTagName('*').length`);
    assert.ok(nodes < 2_000, `DOM holds ${nodes} elements`);
    await evaluate(frame, `(() => { const v = document.querySelector('[data-testid="log-viewport"]'); v.scrollTop = v.scrollHeight / 2; return true; })()`);
    await waitFor('rows in the middle', async () => {
      const idx = await evaluate<number>(frame, `Number(document.querySelector('[data-testid="log-row"]')?.getAttribute('data-index') ?? -1)`);
      return idx > 10_000 && idx < 90_000 ? idx : undefined;
    });
    const after = await evaluate<number>(frame, `document.getElementsByTagName('*').length`);
    assert.ok(after < 2_000, `DOM holds ${after} elements after scrolling`);
    await saveScreenshot('panel-big-log');
  });

  it('shows a succeeded run with its image output previewed', async () => {
    const page = await api.connection.client.searchRuns({ limit: 500, sort_by: 'created_at:desc', embed: ['model'] });
    const withImage = page.items.find((r) => r.status_code === 'succeeded' && r.model?.slug?.includes('sdxl') && JSON.stringify(r.output ?? {}).includes('.png'));
    assert.ok(withImage?.id, 'a succeeded image run');
    api.panels.open(withImage.id);
    const frame = panelOf(withImage.id);
    // Scrolled to, as a user would: previews below the fold load lazily.
    const loaded = await waitFor('the image preview', () =>
      evaluate<boolean>(frame, `(() => { const s = document.querySelector('[data-section="previews"]'); s?.scrollIntoView(); return [...(s?.querySelectorAll('img') ?? [])].some(i => i.complete && i.naturalWidth > 0); })()`),
    30_000);
    assert.ok(loaded);
    await saveScreenshot('panel-succeeded-image');
  });

  it('reveals the open panel instead of opening a second one', () => {
    const id = api.panels.openRunIds[0];
    const before = api.panels.openRunIds.length;
    const panel = api.panels.open(id);
    assert.equal(api.panels.openRunIds.length, before);
    assert.equal(panel, api.panels.panel(id));
  });
});
