import { strict as assert } from 'node:assert';
import type { RunSummary } from '../../../src/runs/logSearch';
import { RunSummaries } from '../../../src/runs/runSummaries';
import { runTarget } from '../../../src/core/runModel';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'tok-run-summaries-7c2e';
const RUN_PATH = '^/v1/runs/[^/]+$';

describe('names for runs a search found', () => {
  const suite = useEmulator(TOKEN);

  async function runIds(count: number): Promise<string[]> {
    const page = await suite.client.searchRuns({ limit: count, sort_by: 'created_at:desc' });
    return page.items.map((r) => r.id!);
  }

  function until(check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const tick = () => (check() ? resolve() : setTimeout(tick, 5));
      tick();
    });
  }

  it('reads each run once, a few at a time, at most as many as allowed', async () => {
    const ids = await runIds(12);
    const got: RunSummary[] = [];
    let inFlight = 0;
    let most = 0;
    const api = {
      getRun: async (...args: Parameters<typeof suite.client.getRun>) => {
        most = Math.max(most, ++inFlight);
        try {
          return await suite.client.getRun(...args);
        } finally {
          inFlight--;
        }
      },
    };
    suite.emu.resetRequests();
    const names = new RunSummaries(api, (s) => got.push(s), new AbortController().signal, { concurrency: 3, max: 10 });
    names.request(ids.slice(0, 6));
    names.request(ids); // the first six again, and six more of which four fit
    await until(() => names.pending === 0);
    assert.equal(got.length, 10);
    assert.deepEqual(new Set(got.map((s) => s.id)), new Set(ids.slice(0, 10)));
    assert.ok(got.every((s) => typeof s.label === 'string' && s.label.length > 0 && typeof s.status === 'string'));
    // Named by their target, as the Runs view names them, not by an id.
    const page = await suite.client.searchRuns({ limit: 12, sort_by: 'created_at:desc', embed: ['model', 'flow', 'comfyui_workflow'] });
    const targets = new Map(page.items.map((r) => [r.id, runTarget(r).label]));
    for (const s of got) assert.equal(s.label, targets.get(s.id));
    assert.equal(suite.emu.requests({ method: 'GET', path: RUN_PATH }).length, 10, 'one request a run');
    assert.ok(most <= 3, `at most 3 at once: ${most}`);
  });

  it('keeps a run that cannot be read nameless, and asks nothing once aborted', async () => {
    const [id] = await runIds(1);
    const got: RunSummary[] = [];
    const abort = new AbortController();
    suite.emu.resetRequests();
    const names = new RunSummaries(suite.client, (s) => got.push(s), abort.signal);
    names.request(['no-such-run', id]);
    await until(() => names.pending === 0);
    assert.deepEqual(got.map((s) => s.id), [id]);
    abort.abort();
    names.request((await runIds(5)).slice(1));
    await until(() => names.pending === 0);
    assert.equal(got.length, 1);
    assert.equal(suite.emu.requests({ method: 'GET', path: RUN_PATH }).length, 2, 'nothing after the abort');
  });
});
