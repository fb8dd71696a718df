/**
 * The one owner of polling, against the emulator over real sockets, on a clock the test moves: what the
 * Runs view and the run panels ask of the server, and when, counted from the emulator's request log.
 */
import { strict as assert } from 'node:assert';
import type { RunflowClient } from '../../../src/api/client';
import type { PollPolicy } from '../../../src/core/pollScheduler';
import { CLOCK_TICK_MS, RunsPoller, SLOW_ANSWER_MS, type RunRefresh, type RunWatch } from '../../../src/runs/runsPoller';
import { RunStore } from '../../../src/runs/runStore';
import type { Emulator } from '../../emulator';
import { useEmulator } from '../support/emulatorSuite';
import { FakeTimers } from '../core/fakeTimers';

const TOKEN = 'tok-runs-poller';
const policy: PollPolicy = { activeMs: 5_000, idleMinMs: 15_000, idleMaxMs: 60_000, errorMaxMs: 300_000, catchUpMinGapMs: 2_000 };

describe('RunsPoller', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { runCount: 20 });
  let emu: Emulator;
  let client: RunflowClient;
  let timers: FakeTimers;
  let store: RunStore;
  let poller: RunsPoller;
  before(() => ({ emu, client } = suite));
  beforeEach(() => {
    timers = new FakeTimers();
    store = new RunStore(() => client, 10);
    poller = new RunsPoller(store, { policy, timers, clock: timers });
  });
  afterEach(() => {
    poller.dispose();
    store.dispose();
  });

  const listRequests = () => emu.requests({ method: 'GET', path: '^/v1/runs$' }).length;
  const runRequests = (id: string) => emu.requests({ method: 'GET', path: `^/v1/runs/${id}$` }).length;

  /** Real time for the requests a due timer started to be answered. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 2_000; i++) {
      const busy = poller.list.isRefreshing || watches.some((w) => w.isRefreshing);
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.fail('the requests finished');
  }
  let watches: RunWatch[] = [];
  beforeEach(() => (watches = []));

  /** Moves the clock step by step, letting each request finish before the next timer falls due. */
  async function run(ms: number, step = 500): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      await timers.advance(Math.min(step, ms - t));
      await settle();
    }
  }

  function activeRun(): string {
    return emu.insertRun({ status_code: 'running', created_at: new Date().toISOString() }).id!;
  }

  function watch(runId: string, visible = true): RunWatch {
    const w = poller.watch(runId, { visible });
    watches.push(w);
    return w;
  }

  it('polls the list only while the view is visible, and catches up when it is shown again', async () => {
    activeRun();
    poller.setViewVisible(true);
    await run(20_000);
    const visibleRequests = listRequests();
    assert.ok(visibleRequests >= 4 && visibleRequests <= 6, `list requests while visible: ${visibleRequests}`);
    poller.setViewVisible(false);
    await settle();
    emu.resetRequests();
    await run(60_000, 5_000);
    assert.equal(emu.requests().length, 0, 'no request while hidden');
    assert.equal(poller.list.nextRefreshAt, undefined, 'none planned');
    poller.setViewVisible(true);
    await run(500);
    assert.equal(listRequests(), 1, 'one refresh at once when shown again');
  });

  it('stops every schedule while the window has no focus, and catches up when it is regained', async () => {
    const id = activeRun();
    poller.setViewVisible(true);
    watch(id);
    await run(10_000);
    assert.ok(listRequests() > 0 && runRequests(id) > 0);
    poller.setFocused(false);
    await settle();
    emu.resetRequests();
    await run(60_000, 5_000);
    assert.equal(emu.requests().length, 0, 'no request without focus');
    poller.setFocused(true);
    await run(500);
    assert.equal(listRequests(), 1, 'the list catches up');
    assert.equal(runRequests(id), 1, 'the watched run catches up');
  });

  it('keeps a watched run current while it is active, and stops when it finished', async () => {
    const id = activeRun();
    const w = watch(id);
    const results: RunRefresh[] = [];
    w.onDidRefresh((r) => results.push(r));
    await run(20_000);
    const whileActive = runRequests(id);
    assert.ok(whileActive >= 4 && whileActive <= 6, `detail requests while active: ${whileActive}`);
    assert.equal(listRequests(), 0, 'a panel asks for its run, not the list');
    assert.ok(results.every((r) => r.kind === 'ok' && r.run.status_code === 'running'));
    assert.ok(results.some((r) => r.kind === 'ok' && Array.isArray(r.run.node_runs)), 'with its node runs');
    emu.updateRun(id, { status_code: 'succeeded', completed_at: new Date().toISOString() });
    await run(10_000);
    const last = results[results.length - 1];
    assert.ok(last.kind === 'ok' && last.run.status_code === 'succeeded', 'the final status is shown');
    emu.resetRequests();
    await run(120_000, 5_000);
    assert.equal(runRequests(id), 0, 'a finished run is not asked for again');
    assert.equal(w.nextRefreshAt, undefined);
    await w.refreshNow();
    assert.equal(runRequests(id), 1, 'until the user asks');
  });

  it('merges what a watched run brings into the store, through the store', async () => {
    poller.setViewVisible(true);
    await run(500);
    const id = store.all()[0].id!;
    const changes: string[] = [];
    store.onDidChange((c) => changes.push(...c.changed));
    emu.updateRun(id, { status_code: 'running', started_at: new Date().toISOString() });
    watch(id);
    await run(500);
    assert.ok(runRequests(id) >= 1);
    assert.equal(store.get(id)?.status_code, 'running', 'the store has the answer');
    assert.ok(changes.includes(id), 'and told its listeners');
  });

  it('does not poll for a hidden panel', async () => {
    const id = activeRun();
    const w = watch(id, false);
    await run(60_000, 5_000);
    assert.equal(emu.requests().length, 0);
    w.setVisible(true);
    await run(500);
    assert.equal(runRequests(id), 1);
  });

  it('never doubles requests: two panels of one run share its schedule, two runs one request each per interval', async () => {
    const a = activeRun();
    const b = activeRun();
    watch(a);
    watch(a);
    watch(b);
    await run(30_000);
    const forA = runRequests(a);
    const forB = runRequests(b);
    assert.ok(forA >= 6 && forA <= 7, `requests for a: ${forA}`);
    assert.ok(forB >= 6 && forB <= 7, `requests for b: ${forB}`);
    assert.deepEqual(poller.watchedRunIds.sort(), [a, b].sort());
    // Asked for at once by both panels: one request.
    emu.resetRequests();
    await Promise.all([watches[0].refreshNow(), watches[1].refreshNow()]);
    assert.equal(runRequests(a), 1);
  });

  it('lets go of a read on its way when the last panel of the run closes', async () => {
    const id = activeRun();
    emu.addFault({ method: 'GET', path: `^/v1/runs/${id}$`, hang: true });
    const w = watch(id);
    const results: RunRefresh[] = [];
    w.onDidRefresh((r) => results.push(r));
    const reading = w.refreshNow();
    for (let i = 0; i < 1_000 && runRequests(id) === 0; i++) await new Promise((r) => setTimeout(r, 2));
    assert.equal(runRequests(id), 1, 'the read reached the server');
    w.dispose();
    await reading;
    assert.deepEqual(results, [], 'no answer for a panel no longer there');
    assert.deepEqual(poller.watchedRunIds, []);
    assert.equal(emu.requests({ path: `^/v1/runs/${id}$` })[0].status, null, 'the server never answered: the client let go');
  });

  it('applies a policy change to watched runs and their logs', async () => {
    const id = activeRun();
    const follower = { visible: [] as boolean[], focused: [] as boolean[], policies: [] as PollPolicy[] };
    const w = poller.watch(id, {
      visible: true,
      follower: {
        setVisible: (v) => follower.visible.push(v),
        setFocused: (f) => follower.focused.push(f),
        setPolicy: (p) => follower.policies.push(p),
      },
    });
    watches.push(w);
    await run(20_000);
    const before = runRequests(id);
    poller.setPolicy({ ...policy, activeMs: 2_000 });
    emu.resetRequests();
    await run(20_000);
    const after = runRequests(id);
    assert.ok(after >= 9 && after <= 11, `requests in 20 s at 2 s: ${after} (were ${before} at 5 s)`);
    assert.deepEqual(follower.policies.map((p) => p.activeMs), [5_000, 2_000]);
    poller.setFocused(false);
    w.setVisible(false);
    assert.deepEqual(follower.focused, [true, false]);
    assert.deepEqual(follower.visible, [true, false]);
  });

  it('says when the list or a run keeps it waiting', async () => {
    const id = activeRun();
    const waits: boolean[] = [];
    poller.onDidChangeListWaiting((w) => waits.push(w));
    const w = watch(id);
    let runWaits = 0;
    w.onDidWait(() => runWaits++);
    emu.addFault({ path: '^/v1/runs', hang: true, count: 2 });
    poller.setViewVisible(true);
    await timers.advance(0);
    await timers.advance(SLOW_ANSWER_MS);
    assert.deepEqual(waits, [true]);
    assert.equal(runWaits, 1);
    poller.dispose();
  });

  it('ticks for clock-dependent rows only while the view is visible', async () => {
    const ticks: number[] = [];
    poller.onDidTick((now) => ticks.push(now));
    await timers.advance(CLOCK_TICK_MS * 2);
    assert.equal(ticks.length, 0);
    poller.setListEnabled(false);
    poller.setViewVisible(true);
    await timers.advance(CLOCK_TICK_MS * 2);
    assert.equal(ticks.length, 2);
    poller.setViewVisible(false);
    await timers.advance(CLOCK_TICK_MS * 2);
    assert.equal(ticks.length, 2);
  });

  it('stops everything when disposed', async () => {
    const id = activeRun();
    poller.setViewVisible(true);
    watch(id);
    await run(10_000);
    poller.dispose();
    await settle();
    emu.resetRequests();
    await run(60_000, 5_000);
    assert.equal(emu.requests().length, 0);
    assert.equal(timers.pending, 0, 'no timer left');
    assert.throws(() => poller.watch(id, { visible: true }));
  });
});
