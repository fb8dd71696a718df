import { strict as assert } from 'node:assert';
import { parseLaunchFile } from '../../../src/core/launchFile';
import { checkPlanInputs, countPlannedRuns, isLaunchLinesFileName, parseLaunchPlan, planFormOf, type LaunchPlan } from '../../../src/core/launchPlan';

const LAUNCH = 'cats.runflow.json';
const LINES = 'cats.runflow.jsonl';
const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const errors = (text: string, fileName = LAUNCH, maxRuns?: number) => parseLaunchPlan(text, fileName, { maxRuns }).problems.filter((p) => p.severity === 'error');
const underlined = (text: string, p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);
const planOf = (text: string, fileName = LAUNCH, maxRuns?: number): LaunchPlan => {
  const parsed = parseLaunchPlan(text, fileName, { maxRuns });
  assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
  assert.ok(parsed.plan);
  return parsed.plan;
};

describe('launch plans', () => {
  it('knows JSON Lines launch files by name', () => {
    assert.ok(isLaunchLinesFileName('/a/Prompts.RUNFLOW.JSONL'));
    assert.ok(!isLaunchLinesFileName('/a/prompts.runflow.json'));
    assert.ok(!isLaunchLinesFileName('/a/prompts.jsonl'));
  });

  describe('one run', () => {
    it('reads a launch file as parseLaunchFile does', () => {
      const text = pretty({ model: 'runflow/sdxl-turbo', input: { prompt: 'a cat' }, metadata: { a: 1 }, callback_url: 'https://x.io/h', client_ref: 'cats-1' });
      const plan = planOf(text);
      const spec = parseLaunchFile(text, { isLaunchFile: true }).spec!;
      assert.equal(plan.kind, 'launch');
      assert.equal(plan.form, 'single');
      assert.equal(plan.count, 1);
      assert.deepEqual(
        { model: plan.model, metadata: plan.metadata, callback_url: plan.callback_url, client_ref: plan.client_ref, input: plan.entries[0].input },
        { model: spec.model, metadata: spec.metadata, callback_url: spec.callback_url, client_ref: spec.client_ref, input: spec.input },
      );
      assert.equal(plan.entries[0].label, '');
      assert.deepEqual([plan.entries[0].offset, plan.entries[0].length], [0, text.length]);
    });

    it('refuses what parseLaunchFile refuses, at the same places', () => {
      for (const text of ['', '[1]', '{"model": "a/b"}', '{"model": "sdxl", "input": {}}', '{"input": {}, "client_ref": ""}', '{"input": [1]}', '{"input": {}, ']) {
        const ours = parseLaunchPlan(text, LAUNCH).problems.map((p) => [p.offset, p.length, p.severity, p.message]);
        const theirs = parseLaunchFile(text, { isLaunchFile: true }).problems.map((p) => [p.offset, p.length, p.severity, p.message]);
        assert.deepEqual(ours, theirs, text);
      }
      assert.equal(parseLaunchPlan('{"model": "a/b"}', LAUNCH).plan, undefined);
    });

    it('launches any other JSON object whole as the input', () => {
      const plan = planOf('{"prompt": "a cat", "inputs": [1]}', 'data.json');
      assert.deepEqual([plan.kind, plan.form, plan.count], ['input', 'single', 1]);
      assert.deepEqual(plan.entries[0].input, { prompt: 'a cat', inputs: [1] });
      assert.match(errors('[1]', 'data.json')[0].message, /holds a list/);
    });

    it('takes a null "inputs" or "matrix" as left out', () => {
      const { plan, problems } = parseLaunchPlan('{"input": {"a": 1}, "inputs": null, "matrix": null}', LAUNCH);
      assert.deepEqual(problems, []);
      assert.equal(plan?.form, 'single');
    });
  });

  describe('"inputs"', () => {
    it('makes one run per entry, each merged over the shared input, the entry winning', () => {
      const text = pretty({ model: 'a/b', input: { prompt: 'a cat', steps: 4 }, inputs: [{ seed: 1 }, { seed: 2, steps: 8 }, {}], metadata: { m: 1 } });
      const plan = planOf(text);
      assert.deepEqual([plan.kind, plan.form, plan.count, plan.model], ['launch', 'inputs', 3, 'a/b']);
      assert.deepEqual(plan.metadata, { m: 1 });
      assert.deepEqual(
        plan.entries.map((e) => e.input),
        [
          { prompt: 'a cat', steps: 4, seed: 1 },
          { prompt: 'a cat', steps: 8, seed: 2 },
          { prompt: 'a cat', steps: 4 },
        ],
      );
      assert.deepEqual(plan.entries.map((e) => e.index), [0, 1, 2]);
      assert.deepEqual(plan.entries.map((e) => e.label), ['seed=1', 'seed=2, steps=8', '(no inputs of its own)']);
      assert.equal(underlined(text, plan.entries[1]), pretty({ seed: 2, steps: 8 }).replace(/\n/g, '\n    '));
      assert.equal(plan.client_ref, undefined);
    });

    it('needs no shared input', () => {
      const plan = planOf('{"model": "a/b", "inputs": [{"prompt": "a cat"}, {"prompt": "a dog"}]}');
      assert.deepEqual(plan.entries.map((e) => e.input), [{ prompt: 'a cat' }, { prompt: 'a dog' }]);
      assert.deepEqual(plan.entries.map((e) => e.label), ['prompt="a cat"', 'prompt="a dog"']);
    });

    it('clips a long label to one short line', () => {
      const plan = planOf(JSON.stringify({ inputs: [{ prompt: `a\ncat ${'x'.repeat(200)}`, steps: 4, more: 'y'.repeat(100) }] }));
      const label = plan.entries[0].label;
      assert.ok(label.length <= 80, label);
      assert.doesNotMatch(label, /\n/);
      assert.match(label, /^prompt="a\\ncat x+…, steps=4, more="y+…$/);
    });

    it('refuses a file whose "inputs" is not a non-empty list, on "inputs"', () => {
      for (const [value, message] of [
        ['{"a": 1}', /"inputs" must be a list of objects, one per run, not an object/],
        ['[]', /"inputs" is empty/],
        ['"x"', /not a string/],
      ] as const) {
        const text = `{"model": "a/b", "inputs": ${value}}`;
        const found = errors(text);
        assert.equal(found.length, 1, text);
        assert.match(found[0].message, message);
        assert.equal(underlined(text, found[0]), `"inputs": ${value}`);
        assert.equal(parseLaunchPlan(text, LAUNCH).plan, undefined);
      }
    });

    it('underlines each entry that is not an object, and sends none of them', () => {
      const text = '{"inputs": [{"seed": 1}, 7, {"seed": 3}, [1]]}';
      const found = errors(text);
      assert.deepEqual(found.map((p) => underlined(text, p)), ['7', '[1]']);
      assert.match(found[0].message, /^Entry 2 of "inputs" must be a JSON object of the model's inputs, not a number\.$/);
      assert.deepEqual(found.map((p) => p.field), ['inputs.1', 'inputs.3']);
      assert.equal(parseLaunchPlan(text, LAUNCH).plan, undefined);
    });

    it('refuses "inputs" and "matrix" together, on "matrix"', () => {
      const text = '{"inputs": [{"a": 1}], "matrix": {"b": [1]}}';
      const found = errors(text);
      assert.equal(found.length, 1);
      assert.match(found[0].message, /both "inputs" and "matrix": use one of them/);
      assert.equal(underlined(text, found[0]), '"matrix": {"b": [1]}');
    });

    it('refuses a client_ref, which names a single run, and still checks the shared fields', () => {
      const text = '{"model": "nope", "client_ref": "x", "input": 3, "inputs": [{}]}';
      const found = errors(text);
      assert.deepEqual(found.map((p) => underlined(text, p)), ['"model": "nope"', '"input": 3', '"client_ref": "x"']);
      assert.match(found[2].message, /"client_ref" names a single run.*each run of a batch gets its own/);
    });

    it('knows "inputs" and "matrix" as fields but still warns of unknown ones', () => {
      const { plan, problems } = parseLaunchPlan('{"inputs": [{}], "promt": 1}', LAUNCH);
      assert.ok(plan);
      assert.equal(problems.length, 1);
      assert.match(problems[0].message, /Unknown field "promt".*input \(or inputs or matrix\)/);
    });

    it('reads the last "inputs" of a file that has two, as JSON.parse does', () => {
      const text = '{"inputs": [1], "inputs": [{"a": 1}, {"a": 2}]}';
      const plan = planOf(text);
      assert.deepEqual(plan.entries.map((e) => underlined(text, e)), ['{"a": 1}', '{"a": 2}']);
    });
  });

  describe('"matrix"', () => {
    it('makes the cross product, the first key varying slowest, merged over the input', () => {
      const text = pretty({ model: 'a/b', input: { prompt: 'a cat', steps: 1 }, matrix: { seed: [1, 2, 3], steps: [4, 8] } });
      const plan = planOf(text);
      assert.deepEqual([plan.form, plan.count], ['matrix', 6]);
      assert.deepEqual(plan.entries.map((e) => e.label), ['seed=1, steps=4', 'seed=1, steps=8', 'seed=2, steps=4', 'seed=2, steps=8', 'seed=3, steps=4', 'seed=3, steps=8']);
      assert.deepEqual(plan.entries[3].input, { prompt: 'a cat', steps: 8, seed: 2 });
      for (const e of plan.entries) assert.ok(underlined(text, e).startsWith('"matrix": {'));
    });

    it('keeps the order keys are written in, integer-like ones included', () => {
      const plan = planOf('{"matrix": {"b": ["x", "y"], "1": [true, false]}}');
      assert.deepEqual(plan.entries.map((e) => e.label), ['b="x", 1=true', 'b="x", 1=false', 'b="y", 1=true', 'b="y", 1=false']);
    });

    it('takes "__proto__" as an input name like any other', () => {
      const plan = planOf('{"matrix": {"__proto__": [1]}}');
      assert.equal(Object.getPrototypeOf(plan.entries[0].input), Object.prototype);
      assert.deepEqual(Object.keys(plan.entries[0].input), ['__proto__']);
    });

    it('refuses a matrix that is not an object or is empty, on "matrix"', () => {
      for (const [value, message] of [
        ['[1, 2]', /"matrix" must be an object of input names, each with a list of values, not a list/],
        ['{}', /"matrix" is empty/],
      ] as const) {
        const text = `{"input": {}, "matrix": ${value}}`;
        const found = errors(text);
        assert.equal(found.length, 1, text);
        assert.match(found[0].message, message);
        assert.equal(underlined(text, found[0]), `"matrix": ${value}`);
      }
    });

    it('underlines each key whose values are not a non-empty list, and repeated keys', () => {
      const text = '{"matrix": {"seed": [1], "steps": 4, "cfg": [], "seed": [2]}}';
      const found = errors(text);
      assert.deepEqual(found.map((p) => underlined(text, p)), ['"steps": 4', '"cfg": []', '"seed": [2]']);
      assert.match(found[0].message, /"steps" must be a list of at least one value, not a number/);
      assert.match(found[1].message, /not an empty list/);
      assert.match(found[2].message, /"seed" appears twice in "matrix"/);
    });

    it('counts a huge matrix without expanding it', () => {
      const hundred = Array.from({ length: 100 }, (_, i) => i);
      const text = JSON.stringify({ model: 'a/b', matrix: { a: hundred, b: hundred, c: hundred } });
      const started = Date.now();
      const found = errors(text);
      assert.ok(Date.now() - started < 500, 'counted, not expanded');
      assert.equal(found.length, 1);
      assert.equal(found[0].message, 'This file makes 1,000,000 runs; at most 200 are launched at once (setting runflow.batch.maxRuns). Split the file or raise the setting.');
      assert.ok(underlined(text, found[0]).startsWith('"matrix":'));
      // Beyond what a double holds exactly, the count is still exact.
      const wide = JSON.stringify({ matrix: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, hundred])) });
      assert.match(errors(wide)[0].message, /^This file makes 10(,000){13} runs/);
    });
  });

  describe('the cap on runs', () => {
    const inputs = (n: number) => JSON.stringify({ inputs: Array.from({ length: n }, (_, seed) => ({ seed })) });

    it('allows up to the cap, 200 unless given', () => {
      assert.equal(planOf(inputs(200)).count, 200);
      const found = errors(inputs(240));
      assert.equal(found.length, 1);
      assert.equal(found[0].message, 'This file makes 240 runs; at most 200 are launched at once (setting runflow.batch.maxRuns). Split the file or raise the setting.');
      assert.ok(underlined(inputs(240), found[0]).startsWith('"inputs":[{"seed":0}'));
      assert.equal(planOf(inputs(3), LAUNCH, 3).count, 3);
      assert.match(errors(inputs(4), LAUNCH, 3)[0].message, /makes 4 runs; at most 3 are/);
      assert.match(errors(inputs(2_500), LAUNCH, 2_000)[0].message, /makes 2,500 runs; at most 2,000 are/);
    });

    it('falls back to 200 for a cap that is not a positive number', () => {
      for (const cap of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(errors(inputs(201), LAUNCH, cap).length, 1, String(cap));
    });

    it('underlines the first JSON line beyond the cap', () => {
      const text = Array.from({ length: 5 }, (_, i) => `{"seed": ${i}}`).join('\n');
      const found = errors(text, LINES, 3);
      assert.equal(found.length, 1);
      assert.equal(underlined(text, found[0]), '{"seed": 3}');
      assert.match(found[0].message, /makes 5 runs; at most 3 are/);
    });
  });

  describe('JSON Lines', () => {
    it('makes one run per line, skipping blank lines', () => {
      const text = '{"prompt": "a cat"}\r\n\n   \n  {"prompt": "a dog", "seed": 2}  \n';
      const plan = planOf(text, LINES);
      assert.deepEqual([plan.kind, plan.form, plan.count, plan.model], ['lines', 'lines', 2, undefined]);
      assert.deepEqual(plan.entries.map((e) => e.input), [{ prompt: 'a cat' }, { prompt: 'a dog', seed: 2 }]);
      assert.deepEqual(plan.entries.map((e) => underlined(text, e)), ['{"prompt": "a cat"}', '{"prompt": "a dog", "seed": 2}']);
      assert.deepEqual(plan.entries.map((e) => e.label), ['prompt="a cat"', 'prompt="a dog", seed=2']);
    });

    it('underlines each line that is not JSON or not an object, with its line number', () => {
      const text = '{"a": 1}\n{"a": \n[1, 2]\n"text"\n{"a": 2}';
      const found = errors(text, LINES);
      assert.deepEqual(found.map((p) => underlined(text, p)), ['{"a":', '[1, 2]', '"text"']);
      assert.match(found[0].message, /^JSON syntax error at line 2, column \d+: /);
      assert.equal(found[1].message, "Line 3 must be a JSON object of the model's inputs, not a list.");
      assert.match(found[2].message, /^Line 4 .* not a string\.$/);
      assert.equal(parseLaunchPlan(text, LINES).plan, undefined);
    });

    it('refuses a file with no lines', () => {
      for (const text of ['', '\n  \n']) {
        const found = errors(text, LINES);
        assert.equal(found.length, 1);
        assert.match(found[0].message, /no runs: write one JSON object/);
      }
    });
  });

  describe('counting runs for a title', () => {
    it('counts each form without expanding it', () => {
      assert.equal(countPlannedRuns('{"input": {}}', LAUNCH), 1);
      assert.equal(countPlannedRuns('{"a": 1}', 'x.json'), 1);
      assert.equal(countPlannedRuns('{"inputs": [{}, {}, 3]}', LAUNCH), 3);
      assert.equal(countPlannedRuns('{"matrix": {"a": [1, 2, 3], "b": [1, 2]}}', LAUNCH), 6);
      assert.equal(countPlannedRuns('{"inputs": null, "input": {}}', LAUNCH), 1);
      assert.equal(countPlannedRuns('{"a": 1}\n\n{"a": 2}\n', LINES), 2);
      const hundred = JSON.stringify(Array.from({ length: 100 }, (_, i) => i));
      assert.equal(countPlannedRuns(`{"matrix": {"a": ${hundred}, "b": ${hundred}, "c": ${hundred}}}`, LAUNCH), 1_000_000);
    });

    it('says nothing when the text does not tell', () => {
      for (const text of ['', '{"input": ', '[1]', '{"inputs": 3}', '{"matrix": {"a": 1}}', '{"matrix": {}}']) assert.equal(countPlannedRuns(text, LAUNCH), undefined, text);
      assert.equal(countPlannedRuns('\n \n', LINES), undefined);
    });
  });

  it('tells the form a text is written in without checking it', () => {
    assert.equal(planFormOf('{"input": {}}', LAUNCH), 'single');
    assert.equal(planFormOf('{"inputs": 3}', LAUNCH), 'inputs');
    assert.equal(planFormOf('{"inputs": null, "matrix": {"a": [1]}}', LAUNCH), 'matrix');
    assert.equal(planFormOf('{"matrix": {}', LAUNCH), 'matrix');
    assert.equal(planFormOf('{"inputs": [1]}', 'x.json'), 'single');
    assert.equal(planFormOf('not json', LINES), 'lines');
    assert.equal(planFormOf('[1]', LAUNCH), undefined);
  });

  describe('declared inputs', () => {
    const declared = [
      { name: 'prompt', type: 'string', required: true },
      { name: 'steps', type: 'integer' },
    ];
    const check = (text: string, fileName = LAUNCH) => {
      const plan = planOf(text, fileName);
      return checkPlanInputs(text, plan, declared, 'a/b').map((p) => [underlined(text, p), p.message, p.field]);
    };

    it('checks a single run as checkDeclaredInputs does', () => {
      assert.deepEqual(check('{"input": {"steps": "x"}}'), [
        ['"input": {"steps": "x"}', 'a/b requires the input "prompt" (string).', 'input.prompt'],
        ['"steps": "x"', 'Input "steps" of a/b must be an integer, not a string.', 'input.steps'],
      ]);
    });

    it('marks an entry\'s own wrong value in it, a shared one once in the input, a missing one at the entry', () => {
      const text = '{"input": {"steps": 1.5}, "inputs": [{"prompt": "a"}, {"prompt": 3, "steps": 2}, {"seed": 1}]}';
      assert.deepEqual(check(text), [
        ['"steps": 1.5', 'Input "steps" of a/b must be an integer, not a number.', 'input.steps'],
        ['"prompt": 3', 'Input "prompt" of a/b must be a string, not a number.', 'inputs.1.prompt'],
        ['{"seed": 1}', 'a/b requires the input "prompt" (string) (entry 3 of "inputs").', 'inputs.2.prompt'],
      ]);
    });

    it('marks the matrix value that is wrong, and a missing input once on the shared input', () => {
      const text = '{"input": {"seed": 1}, "matrix": {"steps": [4, "8", 16, "32"]}}';
      assert.deepEqual(check(text), [
        ['"input": {"seed": 1}', 'a/b requires the input "prompt" (string).', 'input.prompt'],
        ['"8"', 'Input "steps" of a/b must be an integer, not a string.', 'matrix.steps.1'],
        ['"32"', 'Input "steps" of a/b must be an integer, not a string.', 'matrix.steps.3'],
      ]);
      const bare = '{"matrix": {"prompt": ["a", 1]}}';
      assert.deepEqual(check(bare), [['1', 'Input "prompt" of a/b must be a string, not a number.', 'matrix.prompt.1']]);
      const none = '{"matrix": {"steps": [1]}}';
      assert.deepEqual(check(none), [[none.slice(1, -1), 'a/b requires the input "prompt" (string).', 'input.prompt']]);
    });

    it('marks JSON lines where their values are', () => {
      const text = '{"prompt": "a"}\n{"steps": 2}\n{"prompt": "b", "steps": true}\n';
      assert.deepEqual(check(text, LINES), [
        ['{"steps": 2}', 'a/b requires the input "prompt" (string).', 'prompt'],
        ['"steps": true', 'Input "steps" of a/b must be an integer, not true.', 'steps'],
      ]);
    });
  });
});
