/**
 * An accelerated hour of polling (RUNFLOW_TEST_TIME_SCALE makes the extension's poll clock run that many
 * times faster than the wall clock) with the Runs view and a live run's panel open and random faults
 * injected: the extension host's heap, timers and listeners stay flat, and once the faults stop the
 * request rate is what it was before them, not a storm.
 */
import { strict as assert } from 'node:assert';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { FaultSpec } from '../emulator';
import { mulberry32 } from '../emulator/prng';
import { hasBrowser } from '../integration/support/driver';
import { waitFor } from '../integration/support/wait';
import { insertActiveRun, MODE, openPanel, sleep, startHarness, stopHarness, TIME_SCALE, type Harness } from './support/harness';
import { record } from './support/ledger';
import { describeRejections, rejectionMark, unhandledSince } from './support/rejections';

const MINUTE = 60_000;
/** Simulated minutes: the full suite watches an hour; CI a third of it. */
const SIMULATED_MINUTES = Number(process.env.RUNFLOW_HARDENING_ENDURANCE_MINUTES) || (MODE === 'full' ? 60 : 20);
const SEED = Number(process.env.RUNFLOW_HARDENING_SEED) || 20261122;
/**
 * The view and the panel poll this often while a run is active (a setting users may choose too). At the
 * suite's clock ×40 that is a poll every 250 ms of wall time: slower than a poll costs, so what is
 * measured is the schedule, not how fast this machine can answer.
 */
const ACTIVE_SECONDS = 10;
/** Requests a minute the schedule asks for: the view's refresh, and the panel's run and log. */
const EXPECTED_PER_MINUTE = 3 * (60 / ACTIVE_SECONDS);

const FAULTS: Omit<FaultSpec, 'path' | 'method'>[] = [
  { status: 429, retryAfter: '1' },
  { status: 500 },
  { status: 503 },
  { drop: 'before' },
  { drop: 'after' },
  { malformed: true },
  { slowBodyMs: 400 },
  { status: 502 },
];

function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

interface Sample {
  heapMb: number;
  timers: number;
  sockets: number;
  processListeners: number;
  storeListeners: number;
}

describe('Endurance', function () {
  this.timeout(30 * MINUTE);
  let h: Harness;
  const gc = collectGarbage();

  /**
   * The smallest of a few readings taken a moment apart: requests in flight hold timers and sockets for
   * a while, so one reading is noise; what a leak adds never goes away.
   */
  async function settledSample(): Promise<Sample> {
    const readings: Sample[] = [];
    for (let i = 0; i < 6; i++) {
      readings.push(sample());
      await sleep(150);
    }
    const least = (k: keyof Sample) => Math.min(...readings.map((r) => r[k]));
    return { heapMb: least('heapMb'), timers: least('timers'), sockets: least('sockets'), processListeners: least('processListeners'), storeListeners: least('storeListeners') };
  }

  function sample(): Sample {
    gc();
    const resources = process.getActiveResourcesInfo();
    const store = h.api.store as unknown as Record<string, { listenerCount?: number }>;
    return {
      heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
      timers: resources.filter((r) => r === 'Timeout').length,
      sockets: resources.filter((r) => r === 'TCPSocketWrap').length,
      processListeners: ['unhandledRejection', 'uncaughtException', 'exit', 'warning'].reduce((n, e) => n + process.listenerCount(e), 0),
      storeListeners: ['changeEmitter', 'stateEmitter', 'finishEmitter'].reduce((n, k) => n + (store[k]?.listenerCount ?? 0), 0),
    };
  }

  /** Waits until the extension's clock has moved on by `minutes`. */
  const simulated = (minutes: number) => sleep((minutes * MINUTE) / TIME_SCALE);

  before(async function () {
    if (!hasBrowser()) this.skip();
    if (TIME_SCALE < 10) {
      // An hour at the wall clock's pace is not what this launch is for.
      this.skip();
    }
    h = await startHarness({ activeIntervalSeconds: ACTIVE_SECONDS });
  });

  after(async () => {
    await stopHarness(h);
  });

  it(`an accelerated ${SIMULATED_MINUTES} minutes of polling with random faults: heap, timers and listeners flat, no storm after`, async () => {
    const { emu, api } = h;
    const mark = rejectionMark();
    const random = mulberry32(SEED);
    const live = insertActiveRun(emu);
    await waitFor('the live run in the view', () => api.store.get(live.id!), 30_000);
    await openPanel(api, live.id!);

    const phase = Math.max(3, Math.round(SIMULATED_MINUTES / 6));
    // Warm-up, then the calm baseline.
    await simulated(phase);
    const warm = await settledSample();
    emu.resetRequests();
    const baselineStart = Date.now();
    await simulated(phase);
    const baselineRequests = emu.requests().length;

    const baselineRate = baselineRequests / ((Date.now() - baselineStart) / (MINUTE / TIME_SCALE));

    // Faults: every simulated minute a coin decides whether to arm one for a few requests.
    let armed = 0;
    const faultMinutes = SIMULATED_MINUTES - 3 * phase;
    const kinds: Record<string, number> = {};
    for (let minute = 0; minute < faultMinutes; minute++) {
      if (random() < 0.6) {
        const spec = FAULTS[Math.floor(random() * FAULTS.length)];
        const target = random() < 0.5 ? '^/v1/runs$' : '^/v1/runs/';
        emu.addFault({ method: 'GET', path: target, count: 1 + Math.floor(random() * 4), ...spec });
        const key = Object.entries(spec).map(([k, v]) => `${k}:${v}`).join(',');
        kinds[key] = (kinds[key] ?? 0) + 1;
        armed++;
      }
      if (random() < 0.5) emu.appendLogs(live.id!, [{ level_code: random() < 0.2 ? 'error' : 'info', message: `minute ${minute}: ${'x'.repeat(Math.floor(random() * 200))}` }]);
      await simulated(1);
    }
    emu.clearFaults();
    const faulted = emu.requests().filter((r) => r.fault).length;

    // Calm again: the rate must come back to the baseline, not burst to catch up.
    await simulated(phase / 2);
    emu.resetRequests();
    const calmStart = Date.now();
    await simulated(phase);
    const calmRequests = emu.requests().length;
    const calmRate = calmRequests / ((Date.now() - calmStart) / (MINUTE / TIME_SCALE));
    const perMinute = new Map<number, number>();
    for (const r of emu.requests()) {
      const m = Math.floor((r.at - calmStart) / (MINUTE / TIME_SCALE));
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    const busiestMinute = Math.max(...perMinute.values());
    await simulated(phase / 2);
    const end = await settledSample();

    assert.ok(api.view.state === 'ready', `the view is ready again (${api.view.state})`);
    assert.ok(api.panels.panel(live.id!), 'the panel is still open');
    assert.ok(baselineRequests > 0 && calmRequests > 0, 'polling went on');
    // Against the schedule, not the baseline: a busy machine can only slow polling down, so a baseline taken
    // during a load spike would make an ordinary rate afterwards look like a storm.
    assert.ok(
      calmRate <= EXPECTED_PER_MINUTE * 1.5,
      `no request storm after the faults: ${calmRate.toFixed(1)}/min against a schedule of ${EXPECTED_PER_MINUTE}/min (${baselineRate.toFixed(1)}/min before)`,
    );
    assert.ok(calmRate <= EXPECTED_PER_MINUTE * 1.25, `no more than the schedule asks for: ${calmRate.toFixed(1)}/min, schedule ${EXPECTED_PER_MINUTE}/min`);
    assert.ok(busiestMinute <= EXPECTED_PER_MINUTE * 2, `no burst after the faults: ${busiestMinute} requests in the busiest simulated minute`);
    const heapGrowth = end.heapMb - warm.heapMb;
    assert.ok(heapGrowth < Math.max(10, warm.heapMb * 0.15), `heap flat: ${warm.heapMb.toFixed(1)} MB → ${end.heapMb.toFixed(1)} MB`);
    assert.ok(end.timers <= warm.timers + 2, `timers flat: ${warm.timers} → ${end.timers}`);
    assert.ok(end.sockets <= warm.sockets + 4, `sockets flat: ${warm.sockets} → ${end.sockets}`);
    assert.equal(end.processListeners, warm.processListeners, 'process listeners flat');
    assert.equal(end.storeListeners, warm.storeListeners, 'store listeners flat');
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));

    const summary =
      `heap ${warm.heapMb.toFixed(1)} → ${end.heapMb.toFixed(1)} MB (after gc); timers ${warm.timers} → ${end.timers}; sockets ${warm.sockets} → ${end.sockets}; ` +
      `store listeners ${warm.storeListeners} → ${end.storeListeners}; process listeners ${warm.processListeners} → ${end.processListeners}; ` +
      `requests/simulated min ${baselineRate.toFixed(1)} before, ${calmRate.toFixed(1)} after (schedule ${EXPECTED_PER_MINUTE}, busiest minute ${busiestMinute}); ${faulted} requests hit by ${armed} faults; 0 unhandled rejections`;
    console.log(`    ${summary}`);
    record({
      area: 'Endurance',
      attack: `${SIMULATED_MINUTES} simulated minutes with random faults`,
      tried: `Runs view + the panel of a live run polling every ${ACTIVE_SECONDS} s on a clock ×${TIME_SCALE} (${((SIMULATED_MINUTES * MINUTE) / TIME_SCALE / 1000).toFixed(0)} s of wall time), log lines arriving; in ${faultMinutes} of the minutes a seeded coin (seed ${SEED}) armed one of ${Object.keys(kinds).length} fault kinds (${Object.entries(kinds).map(([k, n]) => `${k} ×${n}`).join('; ')}) for 1–4 requests`,
      observed: summary,
    });
  });
});
