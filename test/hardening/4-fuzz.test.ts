/**
 * A sample of the generated API bodies (support/arbitraries.ts) served by the emulator to the real
 * extension: the Runs view's refresh and an open run panel's poll take whatever comes, the tree draws
 * every node, the panel keeps working, and nothing throws or rejects, in the extension host or in the
 * panel's page.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { evaluate, saveScreenshot } from '../integration/support/driver';
import { waitFor } from '../integration/support/wait';
import type { RunsTreeNode } from '../../src/views/runsTree';
import { runBody, runsPageBody } from './support/arbitraries';
import { extensionLog, insertActiveRun, MODE, openPanel, panelFrame, viewText, withHarness } from './support/harness';
import { TRIPPED, tripwires } from './support/hostile';
import { record } from './support/ledger';
import { describeRejections, rejectionMark, unhandledSince } from './support/rejections';

const SAMPLES = MODE === 'full' ? 120 : 30;
const SEED = Number(process.env.RUNFLOW_HARDENING_SEED) || 20261122;
const VIEW_STATES = new Set(['ready', 'empty', 'loading', 'unreachable']);

describe('Fuzzed API bodies in the real view and panel', function () {
  this.timeout(600_000);
  const harness = withHarness();

  it(`${SAMPLES} generated bodies: the tree draws, the panel keeps working, nothing throws`, async () => {
    const { emu, api } = harness();
    const mark = rejectionMark();
    const logStart = extensionLog().length;
    const live = insertActiveRun(emu);
    await waitFor('the live run in the view', () => api.store.get(live.id!), 30_000);
    await openPanel(api, live.id!);
    const frame = panelFrame(live.id!);
    await evaluate(frame, tripwires({ errors: true }));

    const pages = fc.sample(runsPageBody, { numRuns: SAMPLES, seed: SEED });
    const runs = fc.sample(runBody, { numRuns: SAMPLES, seed: SEED + 1 });
    const states = new Map<string, number>();
    let items = 0;
    for (let i = 0; i < SAMPLES; i++) {
      emu.addFault({ method: 'GET', path: '^/v1/runs$', body: JSON.stringify(pages[i]) ?? 'null', count: 1 });
      emu.addFault({ method: 'GET', path: `^/v1/runs/${live.id}$`, body: JSON.stringify(runs[i]) ?? 'null', count: 1 });
      await api.view.refresh();
      await api.panels.panel(live.id!)!.refresh();
      states.set(api.view.state, (states.get(api.view.state) ?? 0) + 1);
      assert.ok(VIEW_STATES.has(api.view.state), `view state ${api.view.state} after body ${i}`);

      // The whole tree, as VS Code would ask for it (node runs aside: they are fetched on expand).
      const walk = async (node?: RunsTreeNode): Promise<void> => {
        for (const child of await api.view.tree.getChildren(node)) {
          const item = api.view.tree.getTreeItem(child);
          assert.equal(typeof (item.label ?? ''), 'string', `label of ${JSON.stringify(child).slice(0, 100)}`);
          items++;
          if (child.kind === 'group') await walk(child);
        }
      };
      await walk();
      emu.clearFaults();
    }
    // Back to the real emulator: the view and the panel recover.
    await api.view.setFilter({});
    await waitFor('the view ready again', () => api.view.state === 'ready' && api.store.size > 0, 30_000);
    await api.panels.panel(live.id!)!.refresh();
    await waitFor('the panel showing its run again', () =>
      evaluate<boolean>(frame, `document.getElementById('app')?.getAttribute('data-ready') === 'true' && !!document.querySelector('[data-section="header"]')`),
    30_000);
    // The pane's header alone has text: the picture of the recovery needs the tree's rows drawn.
    await waitFor('the tree rows on screen', async () =>
      (await viewText()).length > 0 &&
      evaluate<boolean>('workbench', `(() => { const p = [...document.querySelectorAll('.pane')].find(p => p.querySelector('.pane-header')?.textContent?.includes('Runs')); return !!p && p.querySelectorAll('.pane-body .monaco-list-row').length > 0; })()`),
    30_000);
    await saveScreenshot('hardening-fuzz-after');

    const tripped = await evaluate<{ pwned: unknown; trips: string[] }>(frame, TRIPPED);
    assert.deepEqual(tripped.trips, [], 'the panel page threw nothing and was blocked at nothing');
    const log = extensionLog().slice(logStart);
    const failures = log.split('\n').filter((l) => /TypeError|ReferenceError|RangeError|Run panel action failed/.test(l));
    assert.deepEqual(failures, [], 'the extension logged no programming error');
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    const summary = [...states.entries()].map(([s, n]) => `${s} ×${n}`).join(', ');
    record({
      area: 'Fuzzing',
      attack: 'Generated bodies through the emulator into the real view and panel',
      tried: `${SAMPLES} GET /v1/runs bodies and ${SAMPLES} GET /v1/runs/{id} bodies (seed ${SEED}) served by the emulator (fault "body") to the Runs view's refresh and an open panel's poll, the whole tree walked after each`,
      observed: `view states ${summary}; ${items} tree items drawn; panel page: no error, rejection or CSP block; no programming error in the log; 0 unhandled rejections; both recovered on the real emulator`,
    });
  });
});
