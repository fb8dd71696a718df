/**
 * When a panel reads its run's log: against the emulator over real sockets, on a clock the test moves.
 * A log endpoint that always fails is retried with the Runs view's backoff, and for a finished run only
 * a few times, after which a Retry is offered; requests are counted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunflowClient } from '../../../src/api/client';
import { LogBuffer } from '../../../src/runs/logBuffer';
import { LogFollower, runPhase } from '../../../src/runs/logFollower';
import { LogReader } from '../../../src/runs/logReader';
import { startEmulator, type Emulator } from '../../emulator';
import { FakeTimers } from '../core/fakeTimers';

const TOKEN = 'tok-log-follower';
const MINUTE = 60_000;

describe('LogFollower', function () {
  this.timeout(20_000);

  let emu: Emulator;
  let scratch: string;
  let files = 0;
  let timers: FakeTimers;
  const open: { dispose(): void }[] = [];

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-log-follower-'));
    emu = await startEmulator({ port: 0, tokens: { [TOKEN]: '*' }, runCount: 5 });
  });
  after(async () => {
    await emu.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    emu.clearFaults();
    emu.resetRequests();
    timers = new FakeTimers();
  });
  afterEach(() => {
    for (const d of open.splice(0)) d.dispose();
  });

  /** The client's own retry stays on (3 attempts per read, quickly), as in the extension. */
  function follow(runId: string, phase: 'active' | 'open' | 'settled') {
    const client = new RunflowClient({ baseUrl: emu.url, getToken: () => TOKEN, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const reader = new LogReader(() => client, runId, () => new LogBuffer(path.join(scratch, `log-${++files}.ndjson`)), phase !== 'settled');
    const follower = new LogFollower(reader, phase, { timers });
    follower.setVisible(true);
    follower.setFocused(true);
    open.push(follower, reader);
    return { reader, follower };
  }

  async function idle(follower: LogFollower): Promise<void> {
    for (let i = 0; i < 2_000 && follower.reading; i++) await new Promise((r) => setTimeout(r, 2));
    assert.equal(follower.reading, false, 'the read finished');
  }

  /** Moves the clock to the next planned read and waits for it; the delay it waited. */
  async function nextRead(follower: LogFollower): Promise<number> {
    const at = follower.nextReadAt;
    assert.ok(at !== undefined, 'a read is planned');
    const delay = at - timers.now();
    await timers.advance(delay);
    await idle(follower);
    return delay;
  }

  const logRequests = () => emu.requests({ method: 'GET', path: '/logs$' }).length;

  it('tells the phase from the status: settled only in a known final one', () => {
    assert.equal(runPhase(undefined), 'open');
    assert.equal(runPhase({ status_code: 'running' }), 'active');
    assert.equal(runPhase({ status_code: 'succeeded' }), 'settled');
    assert.equal(runPhase({ status_code: 'timed_out' }), 'open');
    assert.equal(runPhase({ status_code: '' }), 'open');
    assert.equal(runPhase({ status_code: null }), 'open');
  });

  it("stops retrying a finished run's failing log after 3 tries with backoff, then reads again on Retry", async () => {
    const run = emu.insertRun({ status_code: 'succeeded' });
    emu.appendLogs(run.id!, [{ message: 'done' }]);
    emu.addFault({ method: 'GET', path: '/logs$', status: 500, count: -1 });
    const { reader, follower } = follow(run.id!, 'settled');

    await follower.readNow();
    assert.equal(logRequests(), 3, 'one try: the client sends it 3 times');
    assert.equal(await nextRead(follower), 5_000);
    assert.equal(await nextRead(follower), 10_000);
    assert.equal(follower.stoppedRetrying, true);
    assert.equal(follower.nextReadAt, undefined);
    assert.equal(logRequests(), 9);
    const status = reader.status();
    assert.match(status.error, /Could not read the log/);
    assert.equal(status.retry, true, 'the panel offers a Retry');

    // An hour later, and the panel shown again: nothing more was asked.
    await timers.advance(60 * MINUTE);
    follower.resume();
    await timers.advance(MINUTE);
    await idle(follower);
    assert.equal(logRequests(), 9);

    emu.clearFaults();
    await follower.retry();
    assert.equal(reader.status().error, '');
    assert.equal(reader.status().retry, false);
    assert.equal(reader.status().complete, true);
    assert.deepEqual(reader.lines(0, 10).map((l) => l.message), ['done']);
    assert.equal(follower.nextReadAt, undefined, 'read and finished: nothing more to follow');
    assert.equal(logRequests(), 10);
  });

  it("backs off an active run's failing log like the Runs view, and gives up only once the run has finished", async () => {
    const run = emu.insertRun({ status_code: 'running' });
    emu.addFault({ method: 'GET', path: '/logs$', status: 503, count: -1 });
    const { reader, follower } = follow(run.id!, 'active');
    await follower.readNow();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) delays.push(await nextRead(follower));
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    // 9 tries in 15¼ simulated minutes, where a fixed 5 s pace makes 183.
    assert.equal(logRequests(), 27);
    assert.equal(follower.stoppedRetrying, false);
    assert.equal(reader.status().retry, false);

    follower.setPhase('settled');
    await idle(follower);
    await nextRead(follower);
    await nextRead(follower);
    assert.equal(follower.stoppedRetrying, true);
    assert.equal(logRequests(), 36);
    assert.equal(reader.status().retry, true);
  });

  it('follows an active run every 5 s, a status nobody knows at the idle pace without halting, and stops once settled', async () => {
    const run = emu.insertRun({ status_code: 'running' });
    emu.appendLogs(run.id!, [{ message: 'one' }]);
    const { reader, follower } = follow(run.id!, 'active');
    await follower.readNow();
    assert.equal(await nextRead(follower), 5_000);

    follower.setPhase('open');
    assert.equal(reader.status().live, true, 'still live');
    emu.appendLogs(run.id!, [{ message: 'two' }]);
    assert.equal(await nextRead(follower), 5_000);
    for (let i = 0; i < 5; i++) assert.equal(await nextRead(follower), 15_000, 'the idle pace, not backing off further');
    assert.deepEqual(reader.lines(0, 10).map((l) => l.message), ['one', 'two']);

    emu.appendLogs(run.id!, [{ message: 'three' }]);
    const before = logRequests();
    follower.setPhase('settled');
    await idle(follower);
    assert.equal(logRequests(), before + 1, 'one last read for the lines written as it finished');
    assert.deepEqual(reader.lines(0, 10).map((l) => l.message), ['one', 'two', 'three']);
    assert.equal(reader.status().live, false);
    assert.equal(follower.nextReadAt, undefined);
  });
});
