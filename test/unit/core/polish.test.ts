import { strict as assert } from 'node:assert';
import { describeCostBreakdown } from '../../../src/core/costBreakdown';
import { syntaxProblems, withoutEditorSyntaxErrors } from '../../../src/core/jsonSyntax';
import { parseLaunchFile } from '../../../src/core/launchFile';
import { nodeNamesOf, nodeNamingNote, nodeRunLabel } from '../../../src/core/nodeNames';
import { nodeRunState, nodeStateLookAlike } from '../../../src/core/nodeRunState';
import { formatAgo, statusIcon } from '../../../src/core/runModel';
import { localDateTime, timeWithAgo } from '../../../src/core/timeText';

describe('node run states: one mapping for the tree and the panel', () => {
  it('draws a skipped node as a cancelled one (circle-slash), with its own word', () => {
    const skipped = nodeRunState('skipped');
    assert.equal(skipped.icon.codicon, 'circle-slash');
    assert.equal(skipped.icon.codicon, statusIcon('cancelled').codicon);
    assert.equal(skipped.colorKey, 'cancelled');
    assert.equal(skipped.label, 'Skipped');
  });

  it('maps look-alike states whatever their case, and keeps the seven statuses as they are', () => {
    assert.equal(nodeRunState('COMPLETED').icon.codicon, 'pass');
    assert.equal(nodeRunState(' Pending ').colorKey, 'queued');
    assert.equal(nodeRunState('timed_out').icon.codicon, 'error');
    assert.equal(nodeRunState('running').icon.codicon, 'sync~spin');
    assert.equal(nodeRunState('FAILED').colorKey, 'failed');
    assert.equal(nodeStateLookAlike('canceled'), 'cancelled');
  });

  it('gives a state nobody knows, or none, the question mark and never the look of a status', () => {
    for (const state of ['frobnicated', '', null, undefined, 42, 'constructor', '__proto__']) {
      const view = nodeRunState(state);
      assert.equal(view.icon.codicon, 'question', String(state));
      assert.equal(view.colorKey, 'unknown', String(state));
    }
    assert.equal(nodeRunState(null).label, 'No status');
    assert.equal(nodeRunState('frobnicated').label, 'Frobnicated');
  });
});

describe('node names', () => {
  const flowRun = {
    target_type: 'flow',
    flow: { nodes: [{ id: 'n1', label: 'Load image' }, { id: 'n2', slug: 'upscale' }, { id: 'n3', name: 'Merge', label: 'merge_tiles' }] },
  };

  it('names node runs from the embedded flow: name, else label, else slug', () => {
    const names = nodeNamesOf(flowRun);
    assert.equal(names.source, 'flow');
    assert.deepEqual(nodeRunLabel('n1', 0, names), { text: 'Load image', named: true });
    assert.equal(nodeRunLabel('n2', 1, names).text, 'upscale');
    assert.equal(nodeRunLabel('n3', 2, names).text, 'Merge');
    assert.equal(nodeNamingNote(flowRun, ['n1', 'n2', 'n3'], names), undefined, 'nothing to explain when all are named');
  });

  it('says how many nodes are not in the flow when some are not', () => {
    const names = nodeNamesOf(flowRun);
    assert.deepEqual(nodeRunLabel('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 3, names), { text: '3f2504e0', named: false });
    assert.equal(nodeNamingNote(flowRun, ['n1', 'zz', 'n2'], names), "1 of 3 nodes are not in the run's flow: their ids are shown.");
  });

  it('names ComfyUI nodes from the workflow, in the API format and the editor format', () => {
    const api = { target_type: 'comfyui', comfyui_workflow: { workflow_json: { '3': { class_type: 'KSampler' }, '4': { class_type: 'CheckpointLoader', _meta: { title: 'Load SDXL' } } } } };
    const names = nodeNamesOf(api);
    assert.equal(names.source, 'comfyui');
    assert.equal(nodeRunLabel('3', 0, names).text, 'KSampler');
    assert.equal(nodeRunLabel('4', 1, names).text, 'Load SDXL');
    const editor = { comfyui_workflow: { workflow_json: { nodes: [{ id: 7, type: 'VAEDecode' }, { id: 9, type: 'SaveImage', title: 'Save' }] } } };
    assert.equal(nodeRunLabel('9', 0, nodeNamesOf(editor)).text, 'Save');
    assert.equal(nodeRunLabel('7', 0, nodeNamesOf(editor)).text, 'VAEDecode');
  });

  it("says why ids are shown when the run gives no names: a model's nodes, a flow sent without nodes", () => {
    const model = { target_type: 'model', model: { slug: 'sdxl-turbo', name: 'SDXL Turbo' } };
    assert.equal(nodeNamingNote(model, ['a', 'b'], nodeNamesOf(model)), "Node ids are shown: the API does not name a model's nodes.");
    const bareFlow = { flow_id: 'f1' };
    assert.equal(nodeNamingNote(bareFlow, ['a'], nodeNamesOf(bareFlow)), "Node ids are shown: the run's flow came without its nodes.");
    assert.equal(nodeNamingNote({}, ['a'], nodeNamesOf({})), 'Node ids are shown: the run names no flow or workflow to take node names from.');
    assert.equal(nodeNamingNote(model, [undefined, ''], nodeNamesOf(model)), undefined, 'no ids, nothing to explain');
    assert.equal(nodeRunLabel(undefined, 4, nodeNamesOf(model)).text, 'node 5');
  });

  it('keeps names to one short line without control characters, and ignores prototype keys', () => {
    const run = { flow: { nodes: [{ id: 'x', label: `a\nb\u0007${'c'.repeat(200)}` }, { id: '__proto__', label: 'proto' }] } };
    const name = nodeRunLabel('x', 0, nodeNamesOf(run)).text;
    assert.ok(!/[\n\u0007]/.test(name));
    assert.ok(name.length <= 80);
    assert.equal(nodeRunLabel('constructor', 0, nodeNamesOf(run)).named, false);
  });
});

describe('cost breakdown as a table', () => {
  it('reads the emulator shape: items with label and amount, gpu seconds as a quantity, the currency named once', () => {
    const view = describeCostBreakdown({ currency: 'USD', gpu_seconds: '3.2', items: [{ label: 'gpu', amount: '0.0125' }] })!;
    assert.equal(view.currency, 'USD');
    assert.deepEqual(
      view.rows.map((r) => [r.label, r.quantity, r.cost?.text, r.json]),
      [
        ['gpu_seconds', '3.2', undefined, undefined],
        ['gpu', undefined, '$0.0125', undefined],
      ],
    );
  });

  it('shows quantity and unit of an item, in the breakdown currency', () => {
    const view = describeCostBreakdown({ currency: 'eur', items: [{ name: 'tokens', quantity: 1024, unit: 'tokens', cost: '0.0020' }] })!;
    assert.deepEqual(view.rows[0], { label: 'tokens', quantity: '1,024 tokens', cost: { kind: 'amount', text: '€0.002' } });
  });

  it('keeps a flat part → cost map as costs, and text costs as text', () => {
    const view = describeCostBreakdown({ gpu: '000.000100', storage: -0.3, note: 'abc' })!;
    assert.deepEqual(
      view.rows.map((r) => r.cost),
      [
        { kind: 'amount', text: '$0.0001' },
        { kind: 'amount', text: '-$0.30' },
        { kind: 'text', text: 'abc' },
      ],
    );
  });

  it('shows shapes it does not understand as JSON, never dropped and never a price', () => {
    const view = describeCostBreakdown({ items: [{ label: 'gpu', amount: { value: 1 } }, 'odd', { nothing: true }], nested: { a: [1, 2] }, flag: true })!;
    assert.deepEqual(
      view.rows.map((r) => [r.label, r.json, r.cost]),
      [
        ['gpu', '{"label":"gpu","amount":{"value":1}}', undefined],
        ['item 2', '"odd"', undefined],
        ['item 3', '{"nothing":true}', undefined],
        ['nested', '{"a":[1,2]}', undefined],
        ['flag', 'true', undefined],
      ],
    );
    assert.deepEqual(describeCostBreakdown([1, 2])!.rows, [{ label: 'breakdown', json: '[1,2]' }]);
  });

  it('has nothing to show for no breakdown or an empty one, and caps a huge one', () => {
    assert.equal(describeCostBreakdown(undefined), undefined);
    assert.equal(describeCostBreakdown(null), undefined);
    assert.equal(describeCostBreakdown({}), undefined);
    const big = describeCostBreakdown({ items: Array.from({ length: 100 }, (_, i) => ({ label: `p${i}`, amount: '1' })) })!;
    assert.equal(big.rows.length, 30);
    assert.equal(big.omitted, 70);
  });
});

describe('times for tooltips', () => {
  const NOW = Date.parse('2026-11-30T12:00:00Z');

  it('gives the local time and how long ago, never the raw ISO text', () => {
    const text = timeWithAgo('2026-11-30T11:55:00.123456Z', NOW, { timeZone: 'Europe/Paris', locale: 'en-GB' })!;
    assert.match(text, /12:55:00/, 'Paris is an hour ahead of UTC in November');
    assert.match(text, /· 5 min ago$/);
    assert.ok(!text.includes('T11:55'), text);
    assert.equal(text.split(' · ')[1], formatAgo('2026-11-30T11:55:00Z', NOW), 'the same relative time as the panel');
  });

  it('reads every offset style as the instant it is', () => {
    const a = localDateTime('2026-11-30T11:55:00Z', { timeZone: 'UTC', locale: 'en-GB' });
    const b = localDateTime('2026-11-30T13:55:00+02:00', { timeZone: 'UTC', locale: 'en-GB' });
    assert.equal(a, b);
  });

  it('says nothing for no time, and says so for a time that is not one', () => {
    assert.equal(timeWithAgo(null, NOW), undefined);
    assert.equal(timeWithAgo('', NOW), undefined);
    assert.equal(timeWithAgo('yesterday', NOW), 'unreadable time (the server sent "yesterday")');
    assert.match(timeWithAgo(12345, NOW)!, /^unreadable time/);
  });
});

describe('JSON syntax errors the editor already shows', () => {
  const TRAILING = '{\n  "model": "runflow/sdxl-turbo",\n  "input": { "prompt": "x", }\n}\n';
  const COMMENT = '{\n  // a note\n  "model": "runflow/sdxl-turbo",\n  "input": { "prompt": "x" }\n}\n';
  const MISSING_COMMA = '{\n  "model": "runflow/sdxl-turbo"\n  "input": { "prompt": "x" }\n}\n';
  const problems = (text: string) => parseLaunchFile(text, { isLaunchFile: true }).problems;

  it('leaves every syntax error to the editor in a json document', () => {
    for (const text of [TRAILING, COMMENT, MISSING_COMMA]) {
      assert.ok(problems(text).length > 0);
      assert.deepEqual(withoutEditorSyntaxErrors(text, problems(text), 'json'), [], text);
    }
  });

  it('keeps, in a jsonc document, the comments and trailing commas the editor allows there but the API does not', () => {
    assert.equal(withoutEditorSyntaxErrors(COMMENT, problems(COMMENT), 'jsonc').length, problems(COMMENT).length);
    assert.ok(withoutEditorSyntaxErrors(TRAILING, problems(TRAILING), 'jsonc').length > 0);
    assert.deepEqual(withoutEditorSyntaxErrors(MISSING_COMMA, problems(MISSING_COMMA), 'jsonc'), []);
  });

  it('keeps them all when the editor shows none (a closed file), and never drops a field problem', () => {
    assert.equal(withoutEditorSyntaxErrors(TRAILING, problems(TRAILING), undefined).length, problems(TRAILING).length);
    const input = '{ "model": "runflow/sdxl-turbo", "input": ["a cat"] }';
    assert.equal(withoutEditorSyntaxErrors(input, problems(input), 'json').length, 1);
    const empty = '   ';
    assert.equal(withoutEditorSyntaxErrors(empty, problems(empty), 'json').length, 1, 'an empty file is not an error VS Code reports');
  });

  it('finds the syntax errors among the problems, for one message about the first', () => {
    assert.equal(syntaxProblems(TRAILING, problems(TRAILING)).length, problems(TRAILING).length);
    const input = '{ "model": "runflow/sdxl-turbo", "input": ["a cat"] }';
    assert.deepEqual(syntaxProblems(input, problems(input)), []);
  });
});
