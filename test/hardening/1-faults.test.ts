/**
 * Every fault the emulator can inject, each while the Runs view and a run's detail panel are open and
 * that run is active: what the user sees while it lasts, that everything recovers by itself once it
 * clears, that no promise is left rejected, and that a launch under the same fault never creates a run
 * twice.
 */
import { strict as assert } from 'node:assert';
import type { FaultSpec, Run } from '../emulator';
import type { Run as ApiRun } from '../../src/api/types';
import { evaluate, hasBrowser, saveScreenshot } from '../integration/support/driver';
import { waitFor } from '../integration/support/wait';
import {
  answerQuickInput,
  clearNotifications,
  insertActiveRun,
  openPanel,
  panelBanner,
  panelFrame,
  SENTINEL,
  startHarness,
  stopHarness,
  MODE,
  TIME_SCALE,
  allNotifications,
  viewText,
  type Harness,
} from './support/harness';
import { record } from './support/ledger';
import { describeRejections, rejectionMark, unhandledSince } from './support/rejections';

type CreateOutcome = 'created' | 'adopted' | 'not_created';

interface FaultCase {
  name: string;
  spec: Omit<FaultSpec, 'path' | 'method' | 'count'>;
  /** What the Runs view says while every GET fails this way; undefined when the data keeps flowing. */
  view?: RegExp;
  /** What the panel's banner says meanwhile. */
  panel?: RegExp;
  /** What follows when the fault lasts long enough (checked in the full suite only: it takes a minute). */
  after?: { view: RegExp; panel: RegExp };
  /** What a launch under the same fault (on the POST) ends as. */
  create: CreateOutcome;
  /** What the user is told about that launch. */
  createNotice: RegExp;
}

const NOT_LAUNCHED = /was not launched: .*Nothing was created/;
const LAUNCHED = /launched/;

const CASES: FaultCase[] = [
  {
    name: '429 with Retry-After',
    spec: { status: 429, retryAfter: '2' },
    view: /asked to slow down \(429\)/,
    panel: /429 rate limited/,
    create: 'not_created',
    createNotice: NOT_LAUNCHED,
  },
  { name: 'HTTP 500', spec: { status: 500 }, view: /The Runflow API failed \(500 server error\)/, panel: /500 server error/, create: 'not_created', createNotice: NOT_LAUNCHED },
  { name: 'HTTP 503', spec: { status: 503 }, view: /The Runflow API failed \(503 server error\)/, panel: /503 server error/, create: 'not_created', createNotice: NOT_LAUNCHED },
  {
    name: 'connection dropped before commit',
    spec: { drop: 'before' },
    view: /Can't reach .* \(network error/,
    panel: /network error/,
    create: 'not_created',
    createNotice: NOT_LAUNCHED,
  },
  {
    name: 'connection dropped after commit',
    spec: { drop: 'after' },
    view: /Can't reach .* \(network error/,
    panel: /network error/,
    create: 'adopted',
    createNotice: /launched [\s\S]*found by its client_ref/,
  },
  { name: 'slow body', spec: { slowBodyMs: 2_000 }, create: 'created', createNotice: LAUNCHED },
  {
    name: 'malformed JSON body',
    spec: { malformed: true },
    view: /The Runflow API failed \(response body is not valid JSON\)/,
    panel: /not valid JSON/,
    create: 'not_created',
    createNotice: NOT_LAUNCHED,
  },
  {
    name: 'request that never answers',
    spec: { hang: true },
    view: /Waiting for .* to answer/,
    panel: /Waiting for .* to answer/,
    // Then, once the request timed out (twice: a read is retried), the failure itself.
    after: { view: /Can't reach .* \(timed out after/, panel: /timed out after/ },
    create: 'not_created',
    createNotice: NOT_LAUNCHED,
  },
];

/** Runs whose client_ref starts with `prefix`, straight from the emulator. */
async function runsByClientRef(h: Harness, prefix: string): Promise<Run[]> {
  // The newest runs, matched here: the suite also runs against a server that refuses q.
  const res = await fetch(`${h.emu.url}/v1/runs?limit=500&sort_by=created_at:desc`, { headers: { Authorization: `Bearer ${SENTINEL}` } });
  assert.equal(res.status, 200, 'the emulator answers the check');
  const page = (await res.json()) as { items: Run[] };
  return page.items.filter((r) => typeof r.client_ref === 'string' && r.client_ref.startsWith(prefix));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

describe('Faults while the view and a panel are open and a run is active', function () {
  this.timeout(300_000);
  let h: Harness;
  let active: Run;
  /** A finished model run whose input is launched again under each fault. */
  let source: ApiRun;
  let refPrefix: string;
  let step = 0;

  before(async function () {
    if (!hasBrowser()) this.skip();
    h = await startHarness({ speed: 40 });
    active = insertActiveRun(h.emu, { nodes_total: 100 });
    await waitFor('the active run in the view', () => h.api.store.get(active.id!), 30_000);
    await openPanel(h.api, active.id!);
    const slugs = h.emu.modelSlugs();
    // Matched here rather than with q: the suite also runs against a server that refuses q.
    const page = await h.api.connection.client.searchRuns({ limit: 500, sort_by: 'created_at:desc', embed: ['model'] });
    const candidate = page.items.find(
      (r) =>
        r.status_code === 'succeeded' &&
        r.target_type === 'model' &&
        r.source_code === 'api' &&
        slugs.some((s) => s.endsWith(`/${(r.model as { slug?: string } | null)?.slug}`)),
    );
    assert.ok(candidate?.id, 'a succeeded model run to launch again');
    source = candidate;
    h.api.store.upsert(source);
    refPrefix = `rerun-${source.id!.slice(0, 8)}`;
    const ref = slugs.find((s) => s.endsWith(`/${(source.model as { slug?: string }).slug}`))!;
    // The first launch asks which owner/slug the model is, as it would for a user, and remembers it.
    const first = h.api.actions.rerun(source.id!);
    await answerQuickInput(ref);
    const created = await first;
    assert.ok(created?.id, 'a launch without faults creates the run');
    await clearNotifications();
  });

  afterEach(() => h?.emu.clearFaults());

  after(async () => {
    await stopHarness(h);
  });

  it('a fault on the very first load: the welcome state says so, and the view fills by itself once it clears', async () => {
    const { emu, api } = h;
    const mark = rejectionMark();
    // The panel's reads fail too: it would otherwise put its own run back on the list.
    emu.addFault({ method: 'GET', path: '^/v1/runs', status: 503, count: -1 });
    const armedAt = Date.now();
    // A new filter starts the list over: the first load of it meets the fault.
    void api.view.setFilter({ source: 'api' });
    const welcome = await waitFor('the unreachable welcome content', async () => {
      const text = await viewText();
      return api.view.state === 'unreachable' && /Can't reach the Runflow API/.test(text) ? text : undefined;
    }, 60_000, 250);
    await saveScreenshot('hardening-fault-first-load');
    const shownAfter = Date.now() - armedAt;
    emu.clearFaults();
    const clearedAt = Date.now();
    await waitFor('the runs to appear by themselves', () => api.view.state === 'ready' && api.store.size > 0, 60_000, 250);
    const recovered = Date.now() - clearedAt;
    await api.view.setFilter({});
    await waitFor('the active run back in the view', () => api.store.get(active.id!), 30_000);
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    record({
      area: 'Faults',
      attack: 'HTTP 503 on the first load',
      tried: 'every GET /v1/runs… answered 503 while the view loaded a new filter from scratch (nothing on screen to fall back on)',
      observed: `welcome content "${firstLine(welcome, /Can't reach/)}" after ${seconds(shownAfter)}; the runs appeared by themselves ${seconds(recovered)} after the fault cleared; 0 unhandled rejections`,
    });
  });

  for (const c of CASES) {
    it(`${c.name}: a clear state, recovery by itself, no unhandled rejection, no run created twice`, async () => {
      const { emu, api } = h;
      const mark = rejectionMark();
      step++;
      const observed: string[] = [];

      // ---- every read fails (or crawls) this way, for as long as it is armed ----
      emu.resetRequests();
      const armedAt = Date.now();
      emu.addFault({ method: 'GET', path: '^/v1/runs', count: -1, ...c.spec });
      if (c.view && c.panel) {
        const viewSays = await waitFor(`the Runs view to show the ${c.name}`, async () => {
          const text = await viewText();
          return c.view!.test(text) ? text : undefined;
        }, 120_000, 250);
        observed.push(`view: "${firstLine(viewSays, c.view)}" after ${seconds(Date.now() - armedAt)}`);
        const bannerSays = await waitFor(`the panel banner to show the ${c.name}`, async () => {
          const text = await panelBanner(active.id!);
          return c.panel!.test(text) ? text : undefined;
        }, 120_000, 250);
        observed.push(`panel: "${bannerSays.trim().slice(0, 90)}" after ${seconds(Date.now() - armedAt)}`);
        if (c.after && MODE === 'full') {
          const later = await waitFor(`the view to show what followed the ${c.name}`, async () => {
            const text = await viewText();
            return c.after!.view.test(text) ? text : undefined;
          }, 120_000, 250);
          await waitFor(`the panel to show what followed the ${c.name}`, async () => c.after!.panel.test(await panelBanner(active.id!)), 120_000, 250);
          observed.push(`then "${firstLine(later, c.after.view)}" after ${seconds(Date.now() - armedAt)}`);
        }
        assert.ok(api.store.get(active.id!), 'the runs loaded before stay on screen');
      } else {
        // The data keeps flowing, only slower: a change made now still arrives, and nothing says "error".
        emu.updateRun(active.id!, { nodes_completed: 10 * step + 1 });
        await waitFor('the change to arrive through the slow bodies', () => api.store.get(active.id!)?.nodes_completed === 10 * step + 1, 120_000);
        const slowRequests = emu.requests({ method: 'GET', path: '^/v1/runs' }).filter((r) => r.fault?.includes('slow-body')).length;
        assert.ok(slowRequests > 0, 'the requests were slowed');
        const view = await viewText();
        assert.doesNotMatch(view, /Can't reach|slow down/, 'no error state for a slow answer');
        assert.equal(await panelBanner(active.id!), '', 'no error banner in the panel for a slow answer');
        observed.push(`view and panel stayed current through ${slowRequests} slowed answers, no error shown`);
      }
      await saveScreenshot(`hardening-fault-${c.name}`);

      // ---- the fault clears: everything comes back by itself ----
      emu.clearFaults();
      const clearedAt = Date.now();
      const marker = `after ${c.name}`;
      emu.updateRun(active.id!, { nodes_completed: 10 * step + 2 });
      emu.appendLogs(active.id!, [{ level_code: 'info', message: marker }]);
      await waitFor('the view to recover', async () => api.store.get(active.id!)?.nodes_completed === 10 * step + 2 && !/Can't reach|slow down|Waiting for/.test(await viewText()), 150_000, 250);
      await waitFor('the panel to recover', async () => {
        if (await panelBanner(active.id!)) return false;
        return evaluate<boolean>(panelFrame(active.id!), `(document.querySelector('[data-testid="log-viewport"]')?.textContent ?? '').includes(${JSON.stringify(marker)}) || [...document.querySelectorAll('[data-testid="log-row"]')].some(r => r.textContent.includes(${JSON.stringify(marker)}))`);
      }, 150_000, 250);
      observed.push(`recovered ${seconds(Date.now() - clearedAt)} after the fault cleared`);

      // ---- a launch under the same fault creates the run at most once ----
      await clearNotifications();
      const postsBefore = emu.requests({ method: 'POST' }).length;
      const refsBefore = new Set((await runsByClientRef(h, refPrefix)).map((r) => r.client_ref));
      emu.addFault({ method: 'POST', path: '^/v1/models/', count: 1, ...c.spec });
      const launched = await api.actions.rerun(source.id!);
      emu.clearFaults();
      const posts = emu.requests({ method: 'POST' }).length - postsBefore;
      const refsAfter = await runsByClientRef(h, refPrefix);
      const fresh = refsAfter.filter((r) => !refsBefore.has(r.client_ref));
      assert.equal(posts, 1, 'the POST was sent exactly once');
      assert.equal(new Set(refsAfter.map((r) => r.client_ref)).size, refsAfter.length, 'no client_ref names two runs');
      assert.equal(fresh.length, c.create === 'not_created' ? 0 : 1, `runs created by the launch (${c.create})`);
      if (c.create !== 'not_created') assert.equal(launched?.id, fresh[0].id, 'the launch hands back the run that exists');
      else assert.equal(launched, undefined, 'nothing is handed back when nothing was created');
      let notifications = '';
      const notice = await waitFor('the launch outcome notification', async () => {
        notifications = await allNotifications();
        return c.createNotice.test(notifications) ? notifications : undefined;
      }, 30_000).catch((err: Error) => {
        throw new Error(`${err.message}; the notifications were:\n${notifications}`);
      });
      observed.push(`launch: 1 POST, ${fresh.length} run created (${c.create}), told "${firstLine(notice, c.createNotice)}"`);
      await clearNotifications();

      const unhandled = await unhandledSince(mark);
      assert.equal(unhandled.length, 0, `unhandled in the extension host:\n${describeRejections(unhandled)}`);
      observed.push('0 unhandled rejections');
      console.log(`    ${c.name}: ${observed.join('; ')}`);
      record({
        area: 'Faults',
        attack: c.name,
        tried: `every GET /v1/runs… answered with ${faultText(c.spec)} until cleared (view, panel and a running run live, polling ×${TIME_SCALE}); then one launch with the POST under the same fault`,
        observed: observed.join('; '),
      });
    });
  }
});

function faultText(spec: FaultCase['spec']): string {
  if (spec.status) return `HTTP ${spec.status}${spec.retryAfter ? ` (Retry-After: ${spec.retryAfter})` : ''}`;
  if (spec.drop) return `a connection dropped ${spec.drop} the server handled it`;
  if (spec.slowBodyMs) return `the body spread over ${spec.slowBodyMs} ms`;
  if (spec.malformed) return 'a truncated JSON body';
  if (spec.hang) return 'no answer at all';
  return JSON.stringify(spec);
}

function firstLine(text: string, pattern: RegExp): string {
  const line = text.split('\n').find((l) => pattern.test(l)) ?? text;
  return line.trim().slice(0, 120);
}
