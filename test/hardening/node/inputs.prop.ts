/**
 * What users and webviews hand the extension: launch files (any text at all), messages from the run
 * panel, media URLs and text on its way to a notification. Each is either accepted in a well-defined
 * shape or refused with a clear problem; nothing throws.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseLaunchFile, type LaunchProblem } from '../../../src/core/launchFile';
import { checkPlanInputs, countPlannedRuns, parseLaunchPlan, planFormOf } from '../../../src/core/launchPlan';
import { statusLabel } from '../../../src/core/runModel';
import { notificationText, singleLine } from '../../../src/core/sanitize';
import { isWebUrl, MAX_COPY_LENGTH, MAX_QUERY_LENGTH, MAX_RANGE, MAX_URL_LENGTH, parseWebviewMessage } from '../../../src/shared/protocol';
import { collectMediaUrls, isAllowedOrigin } from '../../../src/webview/mediaUrls';
import { anyJson } from '../support/arbitraries';
import { HOSTILE } from '../support/hostile';
import { record } from '../support/ledger';
import { RUNS, SEED } from './runs';

/** Text that is JSON, nearly JSON, JSON with comments, or anything at all. */
const launchText: fc.Arbitrary<string> = (() => {
  const launchLike = fc.record(
    {
      $schema: anyJson,
      model: fc.oneof(fc.constantFrom('runflow/sdxl-turbo', 'a/b', ' owner/slug ', 'no-slash', '/x', 'a/b/c', ''), anyJson),
      input: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 5 }), anyJson),
      metadata: anyJson,
      callback_url: fc.oneof(fc.constantFrom('https://example.com/hook', 'ftp://x', 'javascript:alert(1)', 'http://'), anyJson),
      client_ref: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('x'.repeat(256)), anyJson),
      extra: anyJson,
    },
    { requiredKeys: [] },
  );
  const json = fc.oneof(launchLike.map((v) => JSON.stringify(v, null, 2)), anyJson.map((v) => JSON.stringify(v) ?? 'null'));
  const mutated = fc.tuple(json, fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 4 })).map(([t, at, cut, insert]) => {
    const i = t.length ? at % t.length : 0;
    return t.slice(0, i) + insert + t.slice(i + cut);
  });
  const commented = json.map((t) => `// a comment\n${t}\n/* trailing */`);
  return fc.oneof(
    { weight: 3, arbitrary: json },
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: commented },
    { weight: 1, arbitrary: json.map((t) => `\uFEFF${t}`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
  );
})();

/** A batch file as written, with whether one of its entries is wrong (known only while it is not mutated). */
interface BatchText {
  text: string;
  fileName: string;
  badEntry: boolean;
}

const LAUNCH_NAME = 'sweep.runflow.json';
const LINES_NAME = 'prompts.runflow.jsonl';
const smallJson = fc.jsonValue({ maxDepth: 2 });
const inputObject = fc.dictionary(fc.oneof(fc.constantFrom('prompt', 'seed', 'steps', '__proto__', '1', ''), fc.string({ maxLength: 6 })), smallJson, { maxKeys: 4 });

/** Batch launch files and JSON Lines files: valid, with wrong entries, too big, and spliced at random. */
const batchText: fc.Arbitrary<BatchText> = (() => {
  const entry = fc.oneof({ weight: 5, arbitrary: inputObject }, { weight: 1, arbitrary: anyJson });
  const inputs = fc.oneof(
    { weight: 6, arbitrary: fc.array(entry, { maxLength: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 150, max: 400 }).map((n) => Array.from({ length: n }, (_, seed) => ({ seed }))) },
    { weight: 1, arbitrary: anyJson },
  );
  const values = fc.oneof({ weight: 5, arbitrary: fc.array(smallJson, { maxLength: 4 }) }, { weight: 1, arbitrary: anyJson });
  const matrix = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('seed', 'steps', 'cfg', '__proto__', '2'), fc.string({ maxLength: 6 })), values, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 12 }).map((keys) => Object.fromEntries(Array.from({ length: keys }, (_, k) => [`k${k}`, Array.from({ length: 100 }, (_, i) => i)]))) },
    { weight: 1, arbitrary: anyJson },
  );
  const batch = fc.record(
    {
      model: fc.oneof({ weight: 4, arbitrary: fc.constant('runflow/sdxl-turbo') }, { weight: 1, arbitrary: fc.constant('no-slash') }, { weight: 1, arbitrary: anyJson }),
      input: fc.oneof({ weight: 4, arbitrary: inputObject }, { weight: 1, arbitrary: anyJson }),
      metadata: fc.oneof({ weight: 3, arbitrary: inputObject }, { weight: 1, arbitrary: anyJson }),
    },
    { requiredKeys: ['model'] },
  );
  // Mostly one batch form, now and then both or neither, and rarely a client_ref (which a batch refuses).
  const forms = fc.oneof(
    { weight: 4, arbitrary: inputs.map((v) => ({ inputs: v })) },
    { weight: 4, arbitrary: matrix.map((v) => ({ matrix: v })) },
    { weight: 1, arbitrary: fc.record({ inputs, matrix }) },
    { weight: 1, arbitrary: fc.record({ client_ref: fc.oneof(fc.string({ maxLength: 10 }), anyJson) }) },
  );
  const clientRef = fc.option(fc.record({ client_ref: fc.oneof(fc.string({ maxLength: 10 }), anyJson) }), { freq: 8, nil: {} });
  const launch = fc.tuple(batch, forms, clientRef).map(([base, form, ref]): BatchText => {
    const v: Record<string, unknown> = { ...base, ...form, ...ref };
    const wrongInputs = Array.isArray(v.inputs) && v.inputs.some((e) => typeof e !== 'object' || e === null || Array.isArray(e));
    const m = v.matrix;
    const wrongMatrix = v.inputs == null && typeof m === 'object' && m !== null && !Array.isArray(m) && Object.values(m).some((x) => !Array.isArray(x) || x.length === 0);
    return { text: JSON.stringify(v, null, 2), fileName: LAUNCH_NAME, badEntry: wrongInputs || wrongMatrix };
  });
  const line = fc.oneof(
    { weight: 6, arbitrary: inputObject.map((o) => ({ text: JSON.stringify(o), bad: false })) },
    { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null').map((t) => ({ text: t, bad: !t.startsWith('{') })) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', '{"prompt": ', 'not json', '// comment').map((t) => ({ text: t, bad: t.trim() !== '' })) },
  );
  const lines = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]): BatchText => ({
    text: ls.map((l) => l.text).join(eol),
    fileName: LINES_NAME,
    badEntry: ls.some((l) => l.bad),
  }));
  const manyLines = fc.integer({ min: 150, max: 400 }).map((n): BatchText => ({ text: Array.from({ length: n }, (_, i) => `{"seed": ${i}}`).join('\n'), fileName: LINES_NAME, badEntry: false }));
  const written = fc.oneof({ weight: 4, arbitrary: launch }, { weight: 3, arbitrary: lines }, { weight: 1, arbitrary: manyLines });
  const mutated = fc.tuple(written, fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 4 })).map(([w, at, cut, insert]): BatchText => {
    const i = w.text.length ? at % w.text.length : 0;
    return { text: w.text.slice(0, i) + insert + w.text.slice(i + cut), fileName: w.fileName, badEntry: false };
  });
  const other = fc.tuple(launchText, fc.constantFrom(LAUNCH_NAME, LINES_NAME, 'data.json')).map(([text, fileName]): BatchText => ({ text, fileName, badEntry: false }));
  return fc.oneof({ weight: 4, arbitrary: written }, { weight: 3, arbitrary: mutated }, { weight: 2, arbitrary: other });
})();

const declaredInputs = fc.array(
  fc.record({ name: fc.constantFrom('prompt', 'seed', 'steps', '__proto__', ''), type: fc.constantFrom('string', 'integer', 'number', 'boolean', 'list', 'object', 'image', null), required: fc.boolean() }),
  { maxLength: 4 },
);

function assertInside(text: string, p: { offset: number; length: number }, what: string): void {
  // A syntax error at the very end is marked one character wide past it, which editors clamp.
  const endCaret = p.offset === text.length && p.length === 1;
  assert.ok(Number.isInteger(p.offset) && p.offset >= 0 && p.offset <= text.length, `${what}: offset ${p.offset} within ${text.length}`);
  assert.ok(Number.isInteger(p.length) && p.length >= 0 && (p.offset + p.length <= text.length || endCaret), `${what}: range ${p.offset}+${p.length} within ${text.length}`);
}

function assertProblem(text: string, p: LaunchProblem): void {
  assert.ok(typeof p.message === 'string' && p.message.trim().length > 0, 'a problem says what is wrong');
  assertInside(text, p, 'problem');
  assert.ok(p.severity === 'error' || p.severity === 'warning');
}

describe('Inputs from users and webviews (fast-check)', () => {
  it('launch files: a spec or problems, never a throw; problems point inside the text', () => {
    let specs = 0;
    let refused = 0;
    fc.assert(
      fc.property(launchText, fc.boolean(), (text, isLaunchFile) => {
        const parsed = parseLaunchFile(text, { isLaunchFile });
        assert.ok(Array.isArray(parsed.problems));
        const errors = parsed.problems.filter((p) => p.severity === 'error');
        assert.equal(parsed.spec !== undefined, errors.length === 0, 'a spec exactly when no error stops the launch');
        for (const p of parsed.problems) {
          assert.ok(typeof p.message === 'string' && p.message.trim().length > 0, 'a problem says what is wrong');
          assert.ok(Number.isInteger(p.offset) && p.offset >= 0 && p.offset <= text.length, `offset ${p.offset} within ${text.length}`);
          // A syntax error at the very end is marked one character wide past it, which editors clamp.
          const endCaret = p.offset === text.length && p.length === 1;
          assert.ok(Number.isInteger(p.length) && p.length >= 0 && (p.offset + p.length <= text.length || endCaret), `range ${p.offset}+${p.length} within ${text.length}`);
          assert.ok(p.field === undefined || typeof p.field === 'string');
          assert.ok(p.severity === 'error' || p.severity === 'warning');
        }
        if (parsed.spec) {
          specs++;
          const { spec } = parsed;
          assert.ok(spec.input && typeof spec.input === 'object' && !Array.isArray(spec.input), 'the input is an object');
          if (spec.model !== undefined) assert.match(spec.model, /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);
          if (spec.client_ref !== undefined) assert.ok(spec.client_ref.length <= 255 && spec.client_ref.trim().length > 0);
          if (spec.callback_url !== undefined) assert.ok(isWebUrl(spec.callback_url));
          if (spec.metadata !== undefined) assert.ok(typeof spec.metadata === 'object' && !Array.isArray(spec.metadata));
        } else refused++;
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    record({
      area: 'Fuzzing',
      attack: 'Launch files',
      tried: `${RUNS * 4} texts through parseLaunchFile (as launch file and as plain input): launch-shaped JSON with every field of any type, any JSON, the same with random splices, comments, a BOM, binary strings, naughty strings, brackets nested 5,000 deep`,
      observed: `${specs} accepted with a well-formed spec, ${refused} refused with problems whose offsets lie inside the text; a spec exactly when no error; nothing threw`,
    });
  });

  it('batch files: a plan only when every entry is right, never more runs than the cap, never a throw', () => {
    let plans = 0;
    let refused = 0;
    let wrongEntries = 0;
    let capped = 0;
    fc.assert(
      fc.property(batchText, fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), declaredInputs, ({ text, fileName, badEntry }, maxRuns, declared) => {
        const cap = maxRuns ?? 200;
        const parsed = parseLaunchPlan(text, fileName, { maxRuns });
        assert.ok(Array.isArray(parsed.problems));
        const errors = parsed.problems.filter((p) => p.severity === 'error');
        assert.equal(parsed.plan !== undefined, errors.length === 0, 'a plan exactly when no error stops the launch');
        for (const p of parsed.problems) assertProblem(text, p);
        if (badEntry) {
          wrongEntries++;
          assert.equal(parsed.plan, undefined, 'a wrong entry stops the whole batch');
        }
        if (errors.some((p) => p.message.includes('runflow.batch.maxRuns'))) capped++;
        const counted = countPlannedRuns(text, fileName);
        assert.ok(counted === undefined || (Number.isInteger(counted) && counted >= 0) || counted === Infinity);
        const form = planFormOf(text, fileName);
        if (form === 'single' && fileName !== LINES_NAME) {
          // One run reads as it always has: the same errors as parseLaunchFile.
          const single = parseLaunchFile(text, { isLaunchFile: fileName === LAUNCH_NAME });
          const key = (p: LaunchProblem) => `${p.offset}+${p.length} ${p.message}`;
          assert.deepEqual(errors.map(key), single.problems.filter((p) => p.severity === 'error').map(key));
        }
        if (!parsed.plan) {
          refused++;
          return;
        }
        plans++;
        const { plan } = parsed;
        assert.equal(plan.form, form);
        assert.equal(plan.count, plan.entries.length);
        assert.ok(plan.count >= 1 && plan.count <= cap, `${plan.count} runs within the cap of ${cap}`);
        assert.equal(counted, plan.count, 'the cheap count agrees with the plan');
        if (plan.form !== 'single') assert.equal(plan.client_ref, undefined, 'a batch names no single run');
        plan.entries.forEach((e, i) => {
          assert.equal(e.index, i);
          assert.ok(typeof e.input === 'object' && e.input !== null && !Array.isArray(e.input), 'each input is an object');
          assert.equal(Object.getPrototypeOf(e.input), Object.prototype, 'no input has its prototype replaced');
          assertInside(text, e, 'entry');
          assert.ok(e.label.length <= 80 && !/[\r\n]/.test(e.label), `label ${JSON.stringify(e.label)}`);
          assert.equal(e.label === '', plan.form === 'single');
        });
        for (const p of checkPlanInputs(text, plan, declared, 'runflow/sdxl-turbo')) {
          assertProblem(text, p);
          assert.equal(p.severity, 'error');
        }
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    assert.ok(wrongEntries > 0 && capped > 0 && plans > 0, `the cases reach wrong entries (${wrongEntries}), the cap (${capped}) and plans (${plans})`);
    record({
      area: 'Fuzzing',
      attack: 'Batch launch files',
      tried: `${RUNS * 4} texts through parseLaunchPlan, countPlannedRuns and checkPlanInputs, with caps of 1–300 runs: launch files with "inputs" and "matrix" of every shape (wrong entries, empty lists, __proto__ keys, hundreds of entries, matrices of up to 10^24 combinations), JSON Lines with blank, broken and non-object lines, the same with random splices, and every launch-file text of the property above`,
      observed: `${plans} planned within the cap, ${refused} refused with problems inside the text (${wrongEntries} with a wrong entry, none of them planned; ${capped} over the cap); a plan exactly when no error; the cheap count agreed with every plan; nothing threw`,
    });
  });

  it('panel messages: accepted within bounds or refused, never a command or a non-web URL', () => {
    const fields = fc.record(
      {
        type: fc.oneof(fc.constantFrom('ready', 'logRange', 'search', 'setLevel', 'setOption', 'action', 'copy', 'openLink', 'runflow.signOut', '__proto__'), anyJson),
        requestId: anyJson,
        start: fc.oneof(fc.integer(), anyJson),
        end: fc.oneof(fc.integer(), anyJson),
        query: fc.oneof(fc.string({ maxLength: 1_200 }), anyJson),
        level: fc.oneof(fc.constantFrom('error', '../x', ''), anyJson),
        key: fc.oneof(fc.constantFrom('timestamps', 'wrap', 'follow', '__proto__', 'constructor'), anyJson),
        value: anyJson,
        action: fc.oneof(fc.constantFrom('refresh', 'rerun', 'cancel', 'runflow.signOut', 'workbench.action.quit'), anyJson),
        text: fc.oneof(fc.string(), anyJson),
        url: fc.oneof(fc.constantFrom('https://a.io/x', 'http://127.0.0.1/x', 'file:///etc/passwd', 'command:runflow.signOut', 'javascript:alert(1)', 'vscode://x', 'https://u:p@a.io/'), fc.webUrl(), anyJson),
      },
      { requiredKeys: [] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 6, arbitrary: fields }, { weight: 1, arbitrary: anyJson }), (raw) => {
        const m = parseWebviewMessage(raw);
        if (!m) return;
        accepted++;
        switch (m.type) {
          case 'logRange':
            assert.ok(m.end >= m.start && m.end - m.start <= MAX_RANGE);
            break;
          case 'search':
            assert.ok(m.query.length <= MAX_QUERY_LENGTH);
            break;
          case 'setLevel':
            assert.match(m.level, /^[\w-]*$/);
            break;
          case 'setOption':
            assert.ok(['timestamps', 'wrap', 'follow'].includes(m.key) && typeof m.value === 'boolean');
            break;
          case 'action':
            assert.ok(['refresh', 'rerun', 'openInput', 'cancel', 'copyId', 'exportRun', 'openLogInEditor', 'saveLog', 'retryLog'].includes(m.action));
            break;
          case 'copy':
            assert.ok(m.text.length <= MAX_COPY_LENGTH);
            break;
          case 'openLink':
            assert.ok(m.url.length <= MAX_URL_LENGTH && /^https?:\/\//i.test(m.url) && isWebUrl(m.url));
            break;
          case 'ready':
            break;
          default:
            assert.fail(`an unknown message type was accepted: ${JSON.stringify(m)}`);
        }
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    record({
      area: 'Fuzzing',
      attack: 'Webview messages',
      tried: `${RUNS * 4} generated messages (every field of every type, command ids as type and action, file:/command:/javascript:/vscode:/credential URLs, oversized text) through parseWebviewMessage`,
      observed: `${accepted} accepted, each within its bounds (ranges ≤ ${MAX_RANGE}, queries ≤ ${MAX_QUERY_LENGTH}, only http(s) links, only known actions and options); the rest refused; nothing threw`,
    });
  });

  it('media URLs and notification text: only web URLs are loaded, only inert text is shown', () => {
    const origins = ['http://127.0.0.1:4010', 'https:'];
    fc.assert(
      fc.property(anyJson, fc.array(fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)//x.png', 'data:image/png;base64,xx', 'file:///x.png', 'http://127.0.0.1:4011/a.png', 'https://x.io/a.png', 'https://u:p@x.io/a.png')), { maxLength: 5 }), (value, urls) => {
        const refs = collectMediaUrls({ value, urls: urls.map((u) => (/\.\w+$/.test(u) ? u : `${u}/x.png`)) });
        for (const r of refs) {
          assert.match(r.url, /^https?:\/\//i);
          assert.ok(isWebUrl(r.url));
          const allowed = isAllowedOrigin(r.url, origins);
          assert.equal(allowed, r.url.toLowerCase().startsWith('https://') || new URL(r.url).origin === 'http://127.0.0.1:4010', `allowed ${r.url}`);
        }
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...HOSTILE)), (text) => {
        const note = notificationText(text, 200);
        assert.doesNotMatch(note, /[[\]\n\r\u0000-\u0008\u000b-\u001f\u202e]/, `notification text ${JSON.stringify(note)}`);
        assert.ok(note.length <= 200);
        assert.doesNotMatch(singleLine(text, 80), /[\n\r]/);
        const label = statusLabel(text);
        assert.doesNotMatch(label, /[[\]\n\r]/, `status label ${JSON.stringify(label)}`);
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    record({
      area: 'Fuzzing',
      attack: 'Media URLs and notification text',
      tried: `${RUNS * 2} outputs with any JSON and web, javascript:, data:, file: and credential URLs through collectMediaUrls/isAllowedOrigin; ${RUNS * 4} binary and naughty strings through notificationText, singleLine and statusLabel`,
      observed: 'only http(s) URLs offered, loaded only from the API origin or https; notification text and labels one line with no link brackets or control characters',
    });
  });
});
