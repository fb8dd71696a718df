import { strict as assert } from 'node:assert';
import { PollScheduler, type PollOutcome, type PollPolicy } from '../../../src/core/pollScheduler';
import { FakeTimers, flush } from './fakeTimers';

const policy: PollPolicy = { activeMs: 5_000, idleMinMs: 15_000, idleMaxMs: 60_000, errorMaxMs: 300_000, catchUpMinGapMs: 2_000 };

function setup(outcomes: () => PollOutcome) {
  const timers = new FakeTimers();
  const calls: number[] = [];
  const scheduler = new PollScheduler(
    async () => {
      calls.push(timers.now());
      return outcomes();
    },
    policy,
    timers,
  );
  return { timers, calls, scheduler };
}

describe('PollScheduler', () => {
  it('does not poll while the view is hidden', async () => {
    const { timers, calls, scheduler } = setup(() => ({ kind: 'ok', changed: false, active: true }));
    scheduler.setFocused(true);
    await timers.advance(10 * 60_000);
    assert.equal(calls.length, 0);
    assert.equal(timers.pending, 0);
  });

  it('polls at the active interval while runs are active', async () => {
    const { timers, calls, scheduler } = setup(() => ({ kind: 'ok', changed: true, active: true }));
    scheduler.setVisible(true);
    await timers.advance(60_000);
    // one at once, then every 5 s
    assert.equal(calls.length, 13);
  });

  it('keeps the first idle interval while something may still change (watching), instead of backing off', async () => {
    const { timers, calls, scheduler } = setup(() => ({ kind: 'ok', changed: false, active: false, watching: true }));
    scheduler.setVisible(true);
    scheduler.setFocused(true);
    await timers.advance(5 * 60_000);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    assert.ok(gaps.length >= 19 && gaps.every((g) => g === policy.idleMinMs), `gaps ${gaps.join(', ')}`);
  });

  it('joins a refresh in flight, or with restart runs a new one after it and waits for that', async () => {
    let release: () => void = () => undefined;
    let started = 0;
    const timers = new FakeTimers();
    const scheduler = new PollScheduler(
      () => {
        started++;
        return new Promise<PollOutcome>((resolve) => (release = () => resolve({ kind: 'ok', changed: false, active: false })));
      },
      policy,
      timers,
    );
    const first = scheduler.refreshNow();
    const joined = scheduler.refreshNow();
    const restarted = scheduler.refreshNow({ restart: true });
    assert.equal(started, 1);
    release();
    await first;
    await joined;
    await flush();
    assert.equal(started, 2, 'the restart runs a second refresh once the first is done');
    let done = false;
    void restarted.then(() => (done = true));
    await flush();
    assert.equal(done, false, 'the restart waits for its own refresh');
    release();
    await restarted;
    scheduler.dispose();
  });

  it('backs off to at most one request a minute when nothing changes', async () => {
    const { timers, calls, scheduler } = setup(() => ({ kind: 'ok', changed: false, active: false }));
    scheduler.setVisible(true);
    await timers.advance(10 * 60_000);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    assert.deepEqual(gaps.slice(0, 3), [30_000, 60_000, 60_000]);
    assert.ok(calls.length <= 12, `${calls.length} requests in ten idle minutes`);
    const lastMinute = calls.filter((t) => t > calls[calls.length - 1] - 60_000);
    assert.ok(lastMinute.length <= 2);
  });

  it('stops when the window loses focus and catches up at once when it comes back', async () => {
    const { timers, calls, scheduler } = setup(() => ({ kind: 'ok', changed: false, active: true }));
    scheduler.setVisible(true);
    await timers.advance(0);
    assert.equal(calls.length, 1);
    scheduler.setFocused(false);
    await timers.advance(60_000);
    assert.equal(calls.length, 1);
    scheduler.setFocused(true);
    await flush();
    await timers.advance(0);
    assert.equal(calls.length, 2, 'a refresh right after focus returns');
  });

  it('waits as long as a 429 asks', async () => {
    let n = 0;
    const { timers, calls, scheduler } = setup(() =>
      n++ === 0 ? { kind: 'rate_limited', retryAfterMs: 42_000 } : { kind: 'ok', changed: false, active: true },
    );
    scheduler.setVisible(true);
    await flush();
    await timers.advance(41_000);
    assert.equal(calls.length, 1);
    // regaining focus must not jump the queue either
    scheduler.setFocused(false);
    scheduler.setFocused(true);
    await timers.advance(500);
    assert.equal(calls.length, 1);
    await timers.advance(1_000);
    assert.equal(calls.length, 2);
  });

  it('never runs two refreshes at once: a manual refresh joins the one in flight', async () => {
    const timers = new FakeTimers();
    let started = 0;
    let release!: () => void;
    const scheduler = new PollScheduler(
      () => {
        started++;
        return new Promise<PollOutcome>((r) => (release = () => r({ kind: 'ok', changed: false, active: false })));
      },
      policy,
      timers,
    );
    const a = scheduler.refreshNow();
    const b = scheduler.refreshNow();
    assert.equal(started, 1);
    assert.equal(a, b);
    release();
    await a;
    assert.equal(scheduler.isRefreshing, false);
  });

  it('backs off exponentially on errors and halts on a non-retryable one', async () => {
    let kind: PollOutcome = { kind: 'error', retryable: true };
    const { timers, calls, scheduler } = setup(() => kind);
    scheduler.setVisible(true);
    await timers.advance(5 * 60_000);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    assert.deepEqual(gaps.slice(0, 4), [5_000, 10_000, 20_000, 40_000]);
    kind = { kind: 'error', retryable: false };
    await timers.advance(10 * 60_000);
    const count = calls.length;
    await timers.advance(60 * 60_000);
    assert.equal(calls.length, count, 'halted after a non-retryable error');
    kind = { kind: 'ok', changed: false, active: false };
    scheduler.resume();
    await timers.advance(0);
    assert.equal(calls.length, count + 1);
  });

  it('leaves no timer behind once disposed', async () => {
    const { timers, scheduler } = setup(() => ({ kind: 'ok', changed: false, active: true }));
    scheduler.setVisible(true);
    await timers.advance(6_000);
    scheduler.dispose();
    assert.equal(timers.pending, 0);
  });
});
