import { strict as assert } from 'node:assert';
import {
  checkDeclaredInputs,
  isLaunchFileName,
  lineColumn,
  locateApiField,
  parseLaunchFile,
  summarizeProblems,
} from '../../../src/core/launchFile';

const launch = (text: string) => parseLaunchFile(text, { isLaunchFile: true });
const errors = (text: string) => launch(text).problems.filter((p) => p.severity === 'error');

describe('launch files', () => {
  it('reads a complete launch file', () => {
    const text = JSON.stringify({
      model: 'runflow/sdxl-turbo',
      input: { prompt: 'a cat' },
      metadata: { batch: 1 },
      callback_url: 'https://example.com/hook',
      client_ref: 'cats-1',
    });
    const { spec, problems } = launch(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(spec, {
      kind: 'launch',
      model: 'runflow/sdxl-turbo',
      input: { prompt: 'a cat' },
      metadata: { batch: 1 },
      callback_url: 'https://example.com/hook',
      client_ref: 'cats-1',
    });
  });

  it('treats null optional fields as absent and leaves the model to be picked when missing', () => {
    const { spec, problems } = launch('{"input": {}, "metadata": null, "callback_url": null, "client_ref": null}');
    assert.deepEqual(problems, []);
    assert.deepEqual(spec, { kind: 'launch', input: {} });
  });

  it('reports a syntax error with its line and column and gives no spec', () => {
    const text = '{\n  "model": "a/b",\n  "input": { "prompt": "x" ,}\n}';
    const { spec, problems } = launch(text);
    assert.equal(spec, undefined);
    assert.ok(problems.length >= 1);
    assert.match(problems[0].message, /^JSON syntax error at line 3, column \d+: /);
    assert.equal(lineColumn(text, problems[0].offset).line, 3);
  });

  it('refuses an empty file and a top level that is not an object', () => {
    assert.match(errors('')[0].message, /empty/);
    assert.match(errors('[1, 2]')[0].message, /must be a JSON object/);
    assert.match(parseLaunchFile('"text"', { isLaunchFile: false }).problems[0].message, /holds a string/);
  });

  it('refuses each invalid field with a message naming it, placed on that field', () => {
    const cases: [string, string, RegExp][] = [
      ['{"model": "a/b", "input": [1]}', 'input', /"input" must be a JSON object, not a list/],
      ['{"model": "a/b"}', '', /has no "input"/],
      ['{"model": "sdxl", "input": {}}', 'model', /owner\/slug/],
      ['{"model": 7, "input": {}}', 'model', /must be a string/],
      ['{"model": "a/b", "input": {}, "metadata": "x"}', 'metadata', /"metadata" must be a JSON object/],
      ['{"model": "a/b", "input": {}, "callback_url": "ftp://x.org/"}', 'callback_url', /http:\/\/ or https:\/\//],
      ['{"model": "a/b", "input": {}, "callback_url": "javascript:alert(1)"}', 'callback_url', /http:\/\/ or https:\/\//],
      [`{"model": "a/b", "input": {}, "client_ref": "${'x'.repeat(256)}"}`, 'client_ref', /256 characters long; the API takes at most 255/],
      ['{"model": "a/b", "input": {}, "client_ref": "  "}', 'client_ref', /empty/],
    ];
    for (const [text, field, message] of cases) {
      const found = errors(text);
      assert.equal(found.length, 1, text);
      assert.equal(found[0].field, field, text);
      assert.match(found[0].message, message, text);
      if (field) assert.ok(text.slice(found[0].offset, found[0].offset + found[0].length).startsWith(`"${field}"`), text);
      assert.equal(launch(text).spec, undefined);
    }
  });

  it('accepts a client_ref of exactly 255 characters', () => {
    assert.deepEqual(errors(`{"model": "a/b", "input": {}, "client_ref": "${'x'.repeat(255)}"}`), []);
  });

  it('warns about unknown top-level fields without stopping the launch', () => {
    const { spec, problems } = launch('{"model": "a/b", "input": {}, "prompt": "misplaced"}');
    assert.ok(spec);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /Unknown field "prompt"/);
  });

  it('launches any other JSON object whole as the input', () => {
    const { spec, problems } = parseLaunchFile('{"prompt": "a cat", "steps": 4}', { isLaunchFile: false });
    assert.deepEqual(problems, []);
    assert.deepEqual(spec, { kind: 'input', input: { prompt: 'a cat', steps: 4 } });
  });

  it('checks declared inputs: required ones and known types', () => {
    const text = '{"model": "a/b", "input": {"steps": "four", "seed": 1.5, "anything": 3}}';
    const spec = launch(text).spec!;
    const problems = checkDeclaredInputs(
      text,
      spec,
      [
        { name: 'prompt', type: 'string', required: true },
        { name: 'steps', type: 'integer' },
        { name: 'seed', type: 'integer' },
        { name: 'anything', type: 'image' },
      ],
      'a/b',
    );
    assert.deepEqual(problems.map((p) => p.field), ['input.prompt', 'input.steps', 'input.seed']);
    assert.match(problems[0].message, /a\/b requires the input "prompt" \(string\)/);
    assert.ok(text.slice(problems[0].offset).startsWith('"input"'));
    assert.ok(text.slice(problems[1].offset).startsWith('"steps"'));
    assert.match(problems[1].message, /must be an integer, not a string/);
  });

  it('places a 422 on the field it names, or the nearest one that exists', () => {
    const text = '{"model": "a/b", "input": {"prompt": 3}}';
    const named = locateApiField(text, 'launch', ['body', 'input', 'prompt']);
    assert.equal(named.field, 'input.prompt');
    assert.ok(text.slice(named.offset).startsWith('"prompt"'));
    const missing = locateApiField(text, 'launch', ['body', 'input', 'negative_prompt']);
    assert.equal(missing.field, 'input');
    const plain = locateApiField('{"prompt": 3}', 'input', ['body', 'input', 'prompt']);
    assert.equal(plain.field, 'prompt');
  });

  it('sums up the errors in one message', () => {
    const text = '{"model": "nope", "input": 3}';
    const message = summarizeProblems('cat.runflow.json', text, launch(text).problems);
    assert.match(message, /^cat\.runflow\.json was not launched: line 1: "model" must look like/);
    assert.match(message, /"input" must be a JSON object/);
  });

  it('recognises launch file names', () => {
    assert.ok(isLaunchFileName('/a/cat.runflow.json'));
    assert.ok(isLaunchFileName('C:\\a\\Cat.RUNFLOW.JSON'));
    assert.ok(!isLaunchFileName('/a/package.json'));
  });
});
