import { strict as assert } from 'node:assert';
import { RaceGate } from '../../../src/webview/raceGate';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('race gate: no line requests while the user races through the log', () => {
  it('lets a frame ask when the list moved two screens or less, and not when it moved more', () => {
    const gate = new RaceGate(1_000, () => assert.fail('no race yet'));
    assert.equal(gate.open(0, 40), true);
    assert.equal(gate.open(80, 40), true, 'two screens');
    assert.equal(gate.open(80, 40), true, 'held still');
    gate.dispose();
  });

  it('asks for one frame once the race pauses, and not while it goes on', async () => {
    let settled = 0;
    const gate = new RaceGate(50, () => settled++);
    gate.open(0, 40);
    for (let p = 1; p <= 5; p++) assert.equal(gate.open(p * 3_000, 40), false, `racing, frame ${p}`);
    assert.equal(settled, 0, 'nothing while the race goes on');
    const deadline = Date.now() + 5_000;
    while (settled === 0 && Date.now() < deadline) await wait(10);
    assert.equal(settled, 1, 'one frame once it paused');
    assert.equal(gate.open(15_000, 40), true, 'that frame asks');
    await wait(150);
    assert.equal(settled, 1, 'and nothing more');
  });

  it('asks for nothing after it is disposed', async () => {
    let settled = 0;
    const gate = new RaceGate(10, () => settled++);
    gate.open(0, 40);
    gate.open(50_000, 40);
    gate.dispose();
    await wait(40);
    assert.equal(settled, 0);
  });
});
