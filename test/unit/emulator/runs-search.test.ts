import { strict as assert } from 'node:assert';
import { startEmulator, type Emulator } from '../../emulator/index';
import { compareDecimal } from '../../emulator/query';
import { call, qs } from './helpers';

const EMBED_KEYS = ['comfyui_workflow', 'current_evaluation_summary', 'flow', 'logs', 'model', 'node_runs'];

describe('emulator GET /v1/runs', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  describe('common response shape', () => {
    it('answers JSON with an X-Request-Id on success and on errors', async () => {
      for (const path of ['/v1/runs?limit=1', '/v1/runs?limit=0', '/v1/nope', '/v1/runs/unknown-id']) {
        const res = await call(emu, path);
        assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]+$/, path);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
      }
      const missing = await call(emu, '/v1/nope');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { detail: 'Not Found' });
      const wrongMethod = await call(emu, '/v1/runs', { method: 'DELETE' });
      assert.equal(wrongMethod.status, 405);
      assert.equal(wrongMethod.headers.get('allow'), 'GET');
    });
  });

  describe('limit', () => {
    it('defaults to 50 and accepts 1..500', async () => {
      assert.equal((await call(emu, '/v1/runs')).body.items.length, 50);
      assert.equal((await call(emu, '/v1/runs?limit=1')).body.items.length, 1);
      const max = await call(emu, '/v1/runs?limit=500');
      assert.equal(max.status, 200);
      assert.ok(max.body.items.length > 50 && max.body.items.length <= 500);
      assert.equal(max.body.next, null, 'every org_demo run fits in one page of 500');
    });

    for (const bad of ['0', '501', '-1', '1.5', 'abc', '', '1e2', '10 0']) {
      it(`rejects limit=${JSON.stringify(bad)} with a 422 naming query.limit`, async () => {
        const res = await call(emu, `/v1/runs?limit=${encodeURIComponent(bad)}`);
        assert.equal(res.status, 422);
        assert.ok(Array.isArray(res.body.detail));
        const [item] = res.body.detail;
        assert.deepEqual(item.loc, ['query', 'limit']);
        assert.equal(typeof item.msg, 'string');
        assert.ok(item.msg.length > 10);
        assert.equal(typeof item.type, 'string');
      });
    }
  });

  describe('q over HTTP', () => {
    it('filters on run fields, relations and the target slug', async () => {
      const failed = await call(emu, `/v1/runs${qs({ q: 'status_code in ("failed", "cancelled")', limit: 500 })}`);
      assert.equal(failed.status, 200);
      assert.ok(failed.body.items.length > 0);
      assert.ok(failed.body.items.every((r: { status_code: string }) => ['failed', 'cancelled'].includes(r.status_code)));

      const sdxl = await call(emu, `/v1/runs${qs({ q: 'model.slug = "sdxl-turbo"', embed: 'model', limit: 500 })}`);
      assert.ok(sdxl.body.items.length > 0);
      assert.ok(sdxl.body.items.every((r: { model: { slug: string } }) => r.model.slug === 'sdxl-turbo'));

      const flows = await call(emu, `/v1/runs${qs({ q: 'target = "product-shots"', embed: 'flow', limit: 500 })}`);
      assert.ok(flows.body.items.length > 0);
      assert.ok(flows.body.items.every((r: { target_type: string; flow: { slug: string } }) => r.target_type === 'flow' && r.flow.slug === 'product-shots'));

      const comfy = await call(emu, `/v1/runs${qs({ q: 'comfyui_workflow.slug = "portrait-comfy"', limit: 500 })}`);
      assert.ok(comfy.body.items.length > 0);
      assert.ok(comfy.body.items.every((r: { target_type: string }) => r.target_type === 'comfyui'));
    });

    it('reaches into objects and compares costs and timestamps', async () => {
      const batch = await call(emu, `/v1/runs${qs({ q: 'metadata.batch = "b-3"', limit: 500 })}`);
      assert.ok(batch.body.items.length > 0);
      assert.ok(batch.body.items.every((r: { metadata: { batch: string } }) => r.metadata.batch === 'b-3'));

      const fox = await call(emu, `/v1/runs${qs({ q: 'input.prompt ~ "FOX"', limit: 500 })}`);
      assert.ok(fox.body.items.length > 0);
      assert.ok(fox.body.items.every((r: { input: { prompt: string } }) => r.input.prompt.toLowerCase().includes('fox')));

      const pricey = await call(emu, `/v1/runs${qs({ q: 'cost > 0.05', limit: 500 })}`);
      assert.ok(pricey.body.items.length > 0);
      assert.ok(pricey.body.items.every((r: { cost: string }) => compareDecimal(r.cost, '0.05') > 0));

      const all = (await call(emu, '/v1/runs?limit=500')).body.items as Array<{ created_at: string | null }>;
      const pivot = all[40].created_at as string;
      const newer = await call(emu, `/v1/runs${qs({ q: `created_at >= '${pivot}'`, limit: 500 })}`);
      assert.equal(newer.body.items.length, all.filter((r) => r.created_at !== null && r.created_at >= pivot).length);

      const quiet = await call(emu, `/v1/runs${qs({ q: 'not has_logs = true and (status_code = "succeeded" or status_code = "failed")', limit: 500 })}`);
      assert.ok(quiet.body.items.every((r: { has_logs: boolean | null; status_code: string }) => r.has_logs !== true && ['succeeded', 'failed'].includes(r.status_code)));
    });

    it('answers 400 with the position for syntax errors and unknown fields', async () => {
      const syntax = await call(emu, `/v1/runs${qs({ q: 'status_code = "a")' })}`);
      assert.equal(syntax.status, 400);
      assert.match(syntax.body.detail, /^q: unexpected '\)' at position 17/);
      const unknown = await call(emu, `/v1/runs${qs({ q: 'status_code = "a" or colour = "red"' })}`);
      assert.equal(unknown.status, 400);
      assert.equal(typeof unknown.body.detail, 'string');
      assert.match(unknown.body.detail, /^q: unknown field 'colour' at position 21/);
      const unknownRelation = await call(emu, `/v1/runs${qs({ q: 'model.colour = "red"' })}`);
      assert.equal(unknownRelation.status, 400);
    });
  });

  describe('sort_by', () => {
    it('defaults to created_at:desc with a total order', async () => {
      const items = (await call(emu, '/v1/runs?limit=500')).body.items as Array<{ id: string; created_at: string | null }>;
      for (let i = 1; i < items.length; i++) {
        const a = items[i - 1];
        const b = items[i];
        if (a.created_at === null) assert.equal(b.created_at, null, 'nulls come last');
        else if (b.created_at !== null) assert.ok(a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id));
      }
      assert.ok(
        items.some((r, i) => i > 0 && r.created_at !== null && r.created_at === items[i - 1].created_at),
        'the seed has created_at ties that only the id breaks',
      );
    });

    it('sorts costs as decimals, with nulls last', async () => {
      const items = (await call(emu, '/v1/runs?limit=500&sort_by=cost:asc')).body.items as Array<{ cost: string | null }>;
      const costs = items.map((r) => r.cost);
      const firstNull = costs.indexOf(null);
      assert.ok(firstNull > 0);
      assert.ok(costs.slice(firstNull).every((c) => c === null));
      for (let i = 1; i < firstNull; i++) assert.ok(compareDecimal(costs[i - 1] as string, costs[i] as string) <= 0);
    });

    it('rejects unknown fields, object fields and bad directions', async () => {
      for (const s of ['colour:asc', 'input:asc', 'created_at:sideways', 'created_at;desc']) {
        const res = await call(emu, `/v1/runs?sort_by=${encodeURIComponent(s)}`);
        assert.equal(res.status, 422, s);
        assert.deepEqual(res.body.detail[0].loc, ['query', 'sort_by']);
      }
    });
  });

  describe('fields', () => {
    it('projects top-level fields and always keeps id', async () => {
      const res = await call(emu, '/v1/runs?limit=5&fields=status_code,cost');
      for (const r of res.body.items) assert.deepEqual(Object.keys(r).sort(), ['cost', 'id', 'status_code']);
      const idOnly = await call(emu, '/v1/runs?limit=2&fields=id');
      for (const r of idOnly.body.items) assert.deepEqual(Object.keys(r), ['id']);
    });

    it('keeps embedded relations next to a projection', async () => {
      const res = await call(emu, '/v1/runs?limit=3&fields=status_code&embed=node_runs');
      for (const r of res.body.items) assert.deepEqual(Object.keys(r).sort(), ['id', 'node_runs', 'status_code']);
    });

    it('rejects unknown fields', async () => {
      const res = await call(emu, '/v1/runs?fields=id,name');
      assert.equal(res.status, 422);
      assert.deepEqual(res.body.detail[0].loc, ['query', 'fields']);
      assert.match(res.body.detail[0].msg, /name/);
    });
  });

  describe('embed', () => {
    it('leaves relation keys out unless embedded', async () => {
      const res = await call(emu, '/v1/runs?limit=20');
      for (const r of res.body.items) for (const k of EMBED_KEYS) assert.ok(!(k in r), k);
    });

    it('embeds the model with its declared inputs, and null for other targets', async () => {
      const items = (await call(emu, '/v1/runs?limit=500&embed=model')).body.items;
      const sdxl = items.find((r: { model: { slug: string } | null }) => r.model?.slug === 'sdxl-turbo');
      assert.ok(sdxl);
      const prompt = sdxl.model.inputs.find((i: { name: string }) => i.name === 'prompt');
      assert.equal(prompt.variable_type_code, 'string');
      assert.equal(prompt.is_required, true);
      assert.ok(items.filter((r: { target_type: string }) => r.target_type !== 'model').every((r: { model: unknown }) => r.model === null));
      assert.ok(
        items.some((r: { target_type: string; model: unknown }) => r.target_type === 'model' && r.model === null),
        'some model runs point at a deleted model',
      );
    });

    it('embeds flows and ComfyUI workflows', async () => {
      const items = (await call(emu, '/v1/runs?limit=500&embed=flow,comfyui_workflow')).body.items;
      const flow = items.find((r: { target_type: string }) => r.target_type === 'flow');
      assert.ok(Array.isArray(flow.flow.nodes) && flow.flow.nodes.length > 0);
      assert.equal(flow.comfyui_workflow, null);
      const comfy = items.find((r: { target_type: string }) => r.target_type === 'comfyui');
      assert.equal(typeof comfy.comfyui_workflow.workflow_json, 'object');
      assert.equal(comfy.flow, null);
      assert.ok(items.some((r: { flow: { name: string | null } | null }) => r.flow && r.flow.name === null), 'a flow without a name');
    });

    it('embeds logs and node runs as arrays', async () => {
      const items = (await call(emu, '/v1/runs?limit=100&embed=logs,node_runs')).body.items;
      for (const r of items) {
        assert.ok(Array.isArray(r.logs));
        assert.ok(Array.isArray(r.node_runs));
        for (const l of r.logs) assert.equal(l.run_id, r.id);
        for (const n of r.node_runs) assert.equal(n.run_id, r.id);
      }
      assert.ok(items.some((r: { logs: unknown[] }) => r.logs.length > 0));
      assert.ok(items.some((r: { node_runs: unknown[] }) => r.node_runs.length > 0));
    });

    it('embeds current_evaluation_summary as an object or null, but not for a noeval- token', async () => {
      const items = (await call(emu, '/v1/runs?limit=500&embed=current_evaluation_summary')).body.items;
      assert.ok(items.every((r: object) => 'current_evaluation_summary' in r));
      const evaluated = items.filter((r: { current_evaluation_summary: unknown }) => r.current_evaluation_summary !== null);
      assert.ok(evaluated.length > 0 && evaluated.length < items.length);
      for (const r of evaluated) {
        assert.equal(r.current_evaluation_summary.status_code, 'completed');
        assert.ok([true, false, null].includes(r.current_evaluation_summary.passed));
      }
      const gated = await startEmulator({ tokens: { 'noeval-token': '*' }, runCount: 5 });
      try {
        const res = await call(gated, '/v1/runs?embed=current_evaluation_summary', { token: 'noeval-token' });
        assert.equal(res.status, 403);
        assert.match(res.body.detail, /evaluations:read/);
        assert.equal((await call(gated, '/v1/runs?embed=model', { token: 'noeval-token' })).status, 200);
      } finally {
        await gated.close();
      }
    });

    it('rejects unknown embeds', async () => {
      const res = await call(emu, '/v1/runs?embed=model,owner');
      assert.equal(res.status, 422);
      assert.deepEqual(res.body.detail[0].loc, ['query', 'embed']);
    });
  });

  describe('evaluation filters', () => {
    type Item = { current_evaluation_summary: { passed: boolean | null } | null };
    const list = async (params: Record<string, string>) =>
      (await call(emu, `/v1/runs${qs({ ...params, embed: 'current_evaluation_summary', limit: 500 })}`)).body.items as Item[];

    it('filters on the verdict', async () => {
      const passed = await list({ evaluation_status: 'passed' });
      const failed = await list({ evaluation_status: 'failed' });
      const notEvaluated = await list({ evaluation_status: 'not_evaluated' });
      assert.ok(passed.length > 0 && failed.length > 0 && notEvaluated.length > 0);
      assert.ok(passed.every((r) => r.current_evaluation_summary?.passed === true));
      assert.ok(failed.every((r) => r.current_evaluation_summary?.passed === false));
      assert.ok(notEvaluated.every((r) => r.current_evaluation_summary === null || r.current_evaluation_summary.passed === null));
      const all = await list({});
      assert.equal(passed.length + failed.length + notEvaluated.length, all.length);
    });

    it('filters on issue category and subcategory', async () => {
      const quality = await list({ evaluation_issue_category: 'quality' });
      assert.ok(quality.length > 0);
      assert.ok(quality.every((r) => r.current_evaluation_summary?.passed === false));
      const blurry = await list({ evaluation_issue_category: 'quality', evaluation_issue_subcategory: 'blurry' });
      assert.ok(blurry.length <= quality.length);
      const none = await list({ evaluation_issue_category: 'quality', evaluation_issue_subcategory: 'nsfw' });
      assert.equal(none.length, 0, 'category and subcategory must match the same issue');
    });

    it('rejects an unknown evaluation_status', async () => {
      const res = await call(emu, '/v1/runs?evaluation_status=maybe');
      assert.equal(res.status, 422);
      assert.deepEqual(res.body.detail[0].loc, ['query', 'evaluation_status']);
    });
  });

  describe('GET /v1/runs/{id}', () => {
    it('returns one run with the documented embeds', async () => {
      const [first] = (await call(emu, '/v1/runs?limit=1')).body.items;
      const res = await call(emu, `/v1/runs/${first.id}?embed=node_runs,logs,model,flow,comfyui_workflow`);
      assert.equal(res.status, 200);
      assert.equal(res.body.id, first.id);
      for (const k of ['node_runs', 'logs', 'model', 'flow', 'comfyui_workflow']) assert.ok(k in res.body, k);
      assert.ok(!('current_evaluation_summary' in res.body));
    });

    it('does not offer current_evaluation_summary as an embed', async () => {
      const [first] = (await call(emu, '/v1/runs?limit=1')).body.items;
      const res = await call(emu, `/v1/runs/${first.id}?embed=current_evaluation_summary`);
      assert.equal(res.status, 422);
    });

    it('answers 404 for unknown runs', async () => {
      const res = await call(emu, '/v1/runs/3c90c3cc-0d44-4b50-8888-8dd25736052a');
      assert.equal(res.status, 404);
      assert.equal(typeof res.body.detail, 'string');
    });
  });

  describe('auth and organisations', () => {
    it('answers 401 without a token or with an unknown one', async () => {
      for (const token of [null, 'wrong-token']) {
        const res = await call(emu, '/v1/runs', { token });
        assert.equal(res.status, 401);
        assert.equal(typeof res.body.detail, 'string');
      }
      const res = await fetch(`${emu.url}/v1/runs`, { headers: { Authorization: 'Basic abc' } });
      assert.equal(res.status, 401);
    });

    it('scopes runs to the organisation header, defaulting to the first one', async () => {
      const demo = (await call(emu, '/v1/runs?limit=500')).body.items as Array<{ id: string; org_id: string | null }>;
      const other = (await call(emu, '/v1/runs?limit=500', { org: 'org_other' })).body.items as Array<{ id: string; org_id: string | null }>;
      assert.ok(demo.length > other.length && other.length > 0);
      assert.ok(other.every((r) => r.org_id === 'org_other'));
      assert.ok(demo.every((r) => r.org_id === 'org_demo' || r.org_id === null));
      const crossed = await call(emu, `/v1/runs/${other[0].id}`);
      assert.equal(crossed.status, 404, 'a run of another organisation is not visible');
      assert.equal((await call(emu, `/v1/runs/${other[0].id}`, { org: 'org_other' })).status, 200);
    });

    it('answers 403 for an unknown organisation or one the token may not see', async () => {
      const unknown = await call(emu, '/v1/runs', { org: 'org_nope' });
      assert.equal(unknown.status, 403);
      const limited = await startEmulator({ tokens: { 'other-only': ['org_other'] }, runCount: 30 });
      try {
        const denied = await call(limited, '/v1/runs', { token: 'other-only', org: 'org_demo' });
        assert.equal(denied.status, 403);
        const fallback = await call(limited, '/v1/runs?limit=500', { token: 'other-only' });
        assert.equal(fallback.status, 200);
        assert.ok(fallback.body.items.every((r: { org_id: string }) => r.org_id === 'org_other'));
      } finally {
        await limited.close();
      }
    });
  });
});
