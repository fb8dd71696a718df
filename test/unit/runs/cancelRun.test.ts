import { strict as assert } from 'node:assert';
import type { RunflowClient } from '../../../src/api/client';
import { cancelRun } from '../../../src/runs/cancelRun';
import { RunStore } from '../../../src/runs/runStore';
import type { Emulator } from '../../emulator';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'cancel-test-token';

describe('cancelRun reports only what the server confirmed', function () {
  this.timeout(20_000);
  const suite = useEmulator(TOKEN, { speed: 1 });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  async function runningRun(store: RunStore): Promise<string> {
    const run = emu.insertRun({ status_code: 'running', created_at: new Date().toISOString() });
    await store.refresh();
    return run.id!;
  }

  it('confirms a cancel the answer shows', async () => {
    const store = new RunStore(() => client, 10);
    const id = await runningRun(store);
    const outcome = await cancelRun(client, store, id);
    assert.equal(outcome.kind, 'confirmed');
    assert.equal(store.get(id)?.status_code, 'cancelled');
  });

  it('does not take the answer {"id": null, "status_code": null} for a success, and reads the run again', async () => {
    const store = new RunStore(() => client, 10);
    const id = await runningRun(store);
    emu.addFault({ method: 'PATCH', path: '^/v1/runs/', body: '{"id": null, "status_code": null}' });
    const outcome = await cancelRun(client, store, id);
    assert.equal(outcome.kind, 'unconfirmed');
    assert.equal(store.get(id)?.status_code, 'running', 'the store still shows what the server says');
    const reads = emu.requests({ method: 'GET' }).filter((r) => r.path === `/v1/runs/${id}`);
    assert.equal(reads.length, 1, 'the run was read again once');
  });

  it('confirms through the run read again when the answer was not conclusive but the run is cancelled', async () => {
    const store = new RunStore(() => client, 10);
    const id = await runningRun(store);
    emu.updateRun(id, { status_code: 'cancelled' });
    emu.addFault({ method: 'PATCH', path: '^/v1/runs/', body: '{}' });
    const outcome = await cancelRun(client, store, id);
    assert.equal(outcome.kind, 'confirmed');
    assert.equal(store.get(id)?.status_code, 'cancelled');
  });
});
