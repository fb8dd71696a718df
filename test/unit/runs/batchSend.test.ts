import * as assert from 'node:assert/strict';
import type { RunflowClient } from '../../../src/api/client';
import type { JsonObject, Run } from '../../../src/api/types';
import { batchClientRef, batchMetadata, newBatchId, sendBatch, type BatchSendEntry, type BatchSendOptions, type EntryResult } from '../../../src/runs/batchSend';
import type { CreateApi } from '../../../src/runs/createRun';
import type { Emulator } from '../../emulator';
import { useEmulator } from '../support/emulatorSuite';

const TOKEN = 'batch-test-token';
const MODEL = 'runflow/sdxl-turbo';
const CREATES = '^/v1/models/';

/** `count` entries of one prompt with seeds 1, 2, … */
function seeds(count: number): BatchSendEntry[] {
  return Array.from({ length: count }, (_, index) => ({ index, input: { prompt: 'a lighthouse', seed: index + 1 } }));
}

/** The client with its creates counted as they go out and come back: the peak is what the server had to hold at once. */
function countingCreates(client: RunflowClient): { api: CreateApi; peak: () => number; sent: () => number } {
  let inFlight = 0;
  let peak = 0;
  let sent = 0;
  const api: CreateApi = {
    createModelRun: (async (...args: Parameters<RunflowClient['createModelRun']>) => {
      inFlight++;
      sent++;
      peak = Math.max(peak, inFlight);
      try {
        return await client.createModelRun(...args);
      } finally {
        inFlight--;
      }
    }) as RunflowClient['createModelRun'],
    searchRuns: (...args) => client.searchRuns(...args),
  };
  return { api, peak: () => peak, sent: () => sent };
}

const count = (results: readonly EntryResult[], state: EntryResult['state']) => results.filter((r) => r.state === state).length;

describe('sendBatch against the emulator', function () {
  this.timeout(30_000);
  // The client's own retries, as the extension has them: a create must still go out once.
  const suite = useEmulator(TOKEN, { speed: 50 }, { timeoutMs: 2_000, retry: {} });
  let emu: Emulator;
  let client: RunflowClient;
  before(() => ({ emu, client } = suite));

  /** The runs of a batch the server holds, by client_ref (the newest 500 runs cover every batch here). */
  async function runsByRef(batchId: string): Promise<Map<string, Run[]>> {
    const page = await client.searchRuns({ limit: 500, sort_by: 'created_at:desc' });
    const byRef = new Map<string, Run[]>();
    for (const run of page.items) {
      if (typeof run.client_ref !== 'string' || !run.client_ref.includes(`-${batchId}-`)) continue;
      byRef.set(run.client_ref, [...(byRef.get(run.client_ref) ?? []), run]);
    }
    return byRef;
  }

  function options(batchId: string, entries: BatchSendEntry[], more: Partial<BatchSendOptions> = {}): BatchSendOptions {
    return { model: MODEL, batchId, origin: 'lighthouse.runflow.json', entries, concurrency: 3, lookupDelayMs: 10, ...more };
  }

  it('creates one run per entry of a 3×2 set, with its input, client_ref and the batch in its metadata', async () => {
    const entries: BatchSendEntry[] = [];
    for (const prompt of ['a lighthouse', 'a harbour', 'a cliff']) for (const steps of [2, 4]) entries.push({ index: entries.length, input: { prompt, steps } });
    const metadata: JsonObject = { project: 'coast', tags: ['sea'] };
    const outcomes: EntryResult[] = [];
    const results = await sendBatch(client, options('b3x2', entries, { metadata, onOutcome: (r) => void outcomes.push(r) }));

    assert.deepEqual(
      results.map((r) => [r.index, r.state, r.adopted]),
      entries.map((e) => [e.index, 'launched', undefined]),
    );
    assert.equal(outcomes.length, 6, 'every outcome is reported once');
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).length, 6);
    const byRef = await runsByRef('b3x2');
    assert.equal(byRef.size, 6);
    for (const entry of entries) {
      const ref = `lighthouse-b3x2-${entry.index}`;
      const runs = byRef.get(ref) ?? [];
      assert.equal(runs.length, 1, `one run for ${ref}`);
      const [run] = runs;
      assert.equal(run.id, results[entry.index].runId);
      assert.deepEqual(run.input, entry.input);
      assert.deepEqual(run.metadata, { project: 'coast', tags: ['sea'], batch: 'b3x2', index: entry.index });
      assert.equal(run.callback_url, null);
    }
  });

  it('never has more creates in flight than its concurrency', async () => {
    // Each create held a while at the server, so that workers overlap if they can.
    emu.addFault({ method: 'POST', path: CREATES, delayMs: 40, count: -1 });
    for (const concurrency of [1, 3, 5]) {
      const counted = countingCreates(client);
      const batchId = `conc${concurrency}`;
      const results = await sendBatch(counted.api, options(batchId, seeds(12), { concurrency }));
      assert.equal(count(results, 'launched'), 12);
      assert.equal(counted.sent(), 12);
      assert.equal(counted.peak(), concurrency, `peak in flight at concurrency ${concurrency}`);
    }
    // Fewer entries than workers: no worker idles with nothing to send, and none sends twice.
    const counted = countingCreates(client);
    await sendBatch(counted.api, options('few', seeds(2), { concurrency: 8 }));
    assert.equal(counted.peak(), 2);
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).length, 3 * 12 + 2);
  });

  it('adopts the runs whose connection dropped after the server created them, creating none twice', async () => {
    // The 5th and 6th creates: committed, then the connection cut before the answer.
    emu.addFault({ method: 'POST', path: CREATES, delayMs: 5, count: 4 });
    emu.addFault({ method: 'POST', path: CREATES, drop: 'after', count: 2 });
    const results = await sendBatch(client, options('drop25', seeds(25)));

    assert.equal(count(results, 'launched'), 25);
    assert.equal(results.filter((r) => r.adopted).length, 2);
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).length, 25, 'no create is sent again');
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).filter((r) => r.fault === 'drop:after').length, 2);
    const byRef = await runsByRef('drop25');
    assert.equal(byRef.size, 25);
    for (const [ref, runs] of byRef) assert.equal(runs.length, 1, `one run for ${ref}`);
    for (const r of results.filter((x) => x.adopted)) assert.equal(byRef.get(batchClientRef('lighthouse.runflow.json', 'drop25', r.index))?.[0].id, r.runId);
  });

  it('stops sending when cancelled: creates in flight finish, the rest stay pending', async () => {
    emu.addFault({ method: 'POST', path: CREATES, delayMs: 30, count: -1 });
    const cancel = new AbortController();
    let settled = 0;
    const results = await sendBatch(
      client,
      options('cancel', seeds(12), {
        concurrency: 3,
        signal: cancel.signal,
        onOutcome: () => {
          if (++settled === 4) cancel.abort();
        },
      }),
    );

    const launched = count(results, 'launched');
    const pending = count(results, 'pending');
    assert.equal(launched + pending, 12, `only launched or pending: ${JSON.stringify(results)}`);
    assert.ok(launched >= 4 && launched <= 4 + 2, `the 4 settled and at most the 2 still in flight: ${launched}`);
    assert.ok(pending > 0);
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).length, launched, 'no pending entry was sent');
    const byRef = await runsByRef('cancel');
    assert.equal(byRef.size, launched);
    for (const r of results) assert.equal(byRef.has(batchClientRef('lighthouse.runflow.json', 'cancel', r.index)), r.state === 'launched');
  });

  it('sends nothing when cancelled before it starts', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const results = await sendBatch(client, options('early', seeds(4), { signal: cancel.signal, reconcileFirst: true }));
    assert.deepEqual(
      results.map((r) => r.state),
      ['pending', 'pending', 'pending', 'pending'],
    );
    assert.equal(emu.requests().length, 0);
  });

  it('on a retry of a half-sent batch, adopts what was created and creates only the missing entries', async () => {
    emu.addFault({ method: 'POST', path: CREATES, delayMs: 20, count: -1 });
    const entries = seeds(10);
    const cancel = new AbortController();
    let settled = 0;
    const first = await sendBatch(
      client,
      options('retry', entries, {
        signal: cancel.signal,
        onOutcome: () => {
          if (++settled === 3) cancel.abort();
        },
      }),
    );
    const sentFirst = first.filter((r) => r.state === 'launched');
    assert.ok(sentFirst.length > 0 && sentFirst.length < 10);
    emu.resetRequests();

    const retried = await sendBatch(client, options('retry', entries, { reconcileFirst: true }));
    assert.equal(count(retried, 'launched'), 10);
    const adopted = retried.filter((r) => r.adopted);
    assert.deepEqual(
      adopted.map((r) => [r.index, r.runId]),
      sentFirst.map((r) => [r.index, r.runId]),
      'every entry sent before is adopted, with its run',
    );
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).length, 10 - sentFirst.length);
    assert.equal(emu.requests({ method: 'GET' }).length, 1, 'one scan finds every entry sent before');
    const byRef = await runsByRef('retry');
    assert.equal(byRef.size, 10);
    for (const [ref, runs] of byRef) assert.equal(runs.length, 1, `one run for ${ref}`);
  });

  it('on a retry of a batch longer than one look-up page, reads back to when it was sent and sends none twice', async () => {
    const sentSince = Date.now();
    const entries = seeds(250);
    // Entry 249 was never sent; runs of others arrived after the batch.
    await sendBatch(client, options('long', entries.slice(0, 249), { concurrency: 10 }));
    for (let i = 0; i < 30; i++) emu.insertRun({ status_code: 'queued', created_at: new Date().toISOString() });
    emu.resetRequests();

    const retried = await sendBatch(client, options('long', entries, { reconcileFirst: true, sentSince, concurrency: 10 }));
    assert.equal(count(retried, 'launched'), 250);
    assert.equal(retried.filter((r) => r.adopted).length, 249);
    assert.equal(emu.requests({ method: 'POST', path: CREATES }).length, 1, 'only the entry never sent');
    assert.ok(emu.requests({ method: 'GET' }).length >= 2, 'more than the newest page was read');
    const byRef = await runsByRef('long');
    assert.equal(byRef.size, 250);
    for (const [ref, runs] of byRef) assert.equal(runs.length, 1, `one run for ${ref}`);
  });

  it('sends nothing on a retry whose look-up fails, and says why', async () => {
    emu.addFault({ method: 'GET', path: '^/v1/runs$', status: 400 });
    const results = await sendBatch(client, options('lookup', seeds(3), { reconcileFirst: true }));
    assert.deepEqual(
      results.map((r) => r.state),
      ['failed', 'failed', 'failed'],
    );
    assert.match(results[0].message ?? '', /check for runs already created failed/);
    assert.equal(emu.requests({ method: 'POST' }).length, 0);
  });

  it('reports an entry the server refuses (422) as refused, and sends the others', async () => {
    const entries: BatchSendEntry[] = [
      { index: 0, input: { prompt: 'a lighthouse', steps: 4 } },
      { index: 1, input: { prompt: 'a lighthouse', steps: 'four' } },
      { index: 2, input: { prompt: 'a lighthouse', steps: 8 } },
    ];
    const results = await sendBatch(client, options('refuse', entries));
    assert.deepEqual(
      results.map((r) => r.state),
      ['launched', 'refused', 'launched'],
    );
    assert.equal(results[1].runId, undefined);
    assert.match(results[1].message ?? '', /422|validation/i);
    assert.equal(emu.requests({ method: 'GET' }).length, 0, 'a refusal needs no look-up');
    assert.equal((await runsByRef('refuse')).size, 2);
  });

  it('counts a create that provably never reached the server as failed, not refused', async () => {
    emu.addFault({ method: 'POST', path: CREATES, drop: 'before' });
    const results = await sendBatch(client, options('before', seeds(2), { concurrency: 1 }));
    assert.deepEqual(
      results.map((r) => r.state),
      ['failed', 'launched'],
    );
    assert.equal((await runsByRef('before')).size, 1);
  });
});

describe('batchClientRef', () => {
  it('is `<file>-<batch>-<index>`, the same every time', () => {
    assert.equal(batchClientRef('lighthouse.runflow.json', 'abc12xyz', 3), 'lighthouse-abc12xyz-3');
    assert.equal(batchClientRef('lighthouse.runflow.json', 'abc12xyz', 3), batchClientRef('lighthouse.runflow.json', 'abc12xyz', 3));
    assert.equal(batchClientRef('sweep.runflow.jsonl', 'b', 0), 'sweep-b-0');
    assert.equal(batchClientRef('plain.json', 'b', 0), 'plain-b-0');
    assert.notEqual(batchClientRef('a.runflow.json', 'b', 1), batchClientRef('a.runflow.json', 'b', 11));
  });

  it('keeps only letters, digits, dot, dash and underscore', () => {
    // NFKD splits an accent from its letter; the accent then goes the way of any other sign.
    assert.equal(batchClientRef('my prompts/été: 2 (final).runflow.json', 'b', 0), 'my-prompts-e-te-2-final-b-0');
    assert.equal(batchClientRef('--.runflow.json', 'b', 0), 'batch-b-0');
    assert.equal(batchClientRef('', 'b', 7), 'batch-b-7');
    for (const ref of [batchClientRef('日本語 😀.runflow.json', 'b', 1), batchClientRef('a\nb\tc.json', 'b', 1)]) assert.match(ref, /^[\w.-]+$/);
  });

  it('fits in 255 characters whatever the name, keeping the batch and index whole', () => {
    const long = `${'very-long-name-'.repeat(40)}.runflow.json`;
    for (const index of [0, 9, 12_345]) {
      const ref = batchClientRef(long, 'abc12xyz', index);
      assert.ok(ref.length <= 255, `${ref.length} characters`);
      assert.ok(ref.endsWith(`-abc12xyz-${index}`));
      assert.ok(ref.startsWith('very-long-name-'));
    }
  });

  it('goes with batch ids and metadata made for it', () => {
    assert.match(newBatchId(0, () => 0), /^[0-9a-z]{8}$/);
    assert.notEqual(newBatchId(1_000, () => 0.1), newBatchId(1_000, () => 0.2));
    assert.deepEqual(batchMetadata({ project: 'x', batch: 'old' }, 'b', 2), { project: 'x', batch: 'b', index: 2 });
    assert.deepEqual(batchMetadata(undefined, 'b', 0), { batch: 'b', index: 0 });
  });
});
