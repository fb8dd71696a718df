import { strict as assert } from 'node:assert';
import { LiveLineAnnouncer, newLinesText, type LiveLinesClock } from '../../../src/webview/liveLines';

/** A clock moved by hand, with its timers. */
class HandClock implements LiveLinesClock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    this.t += ms;
    for (const due of this.timers.filter((x) => x.at <= this.t)) {
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }
  get pending(): number {
    return this.timers.length;
  }
}

describe('live log announcements', () => {
  it('says the first lines at once, then one sentence per interval for all that came meanwhile', () => {
    const clock = new HandClock();
    const said: string[] = [];
    const a = new LiveLineAnnouncer((t) => said.push(t), clock, 10_000);
    a.add(1);
    assert.deepEqual(said, ['1 new log line']);
    for (let i = 0; i < 500; i++) {
      clock.advance(10);
      a.add(3);
    }
    assert.deepEqual(said, ['1 new log line'], 'nothing more within the interval');
    clock.advance(5_000);
    assert.deepEqual(said, ['1 new log line', '1,500 new log lines']);
    assert.equal(clock.pending, 0);
  });

  it('is silent when no lines came, and stops on dispose', () => {
    const clock = new HandClock();
    const said: string[] = [];
    const a = new LiveLineAnnouncer((t) => said.push(t), clock, 10_000);
    a.add(0);
    a.add(-3);
    clock.advance(20_000);
    assert.deepEqual(said, []);
    a.add(2);
    a.add(4);
    clock.advance(1_000);
    a.dispose();
    clock.advance(20_000);
    assert.deepEqual(said, ['2 new log lines']);
  });

  it('reads counts as words do', () => {
    assert.equal(newLinesText(1), '1 new log line');
    assert.equal(newLinesText(12_345), '12,345 new log lines');
  });
});
