/**
 * Launch plans: every run a file asks for, checked as a whole before any is sent.
 *
 * Besides one run (see launchFile.ts), a launch file may describe a batch: `"inputs": [ {...}, ... ]` makes one
 * run per entry, `"matrix": { "seed": [1, 2], ... }` one per combination, each merged over the shared `input`.
 * A `*.runflow.jsonl` file holds one input object per line. Every entry is checked where it is, and a plan
 * exists only when none is wrong: a batch is never sent in part because one of its entries had a typo.
 * Runs are counted before anything is expanded, so a matrix of a million combinations costs no memory.
 */
import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';
import {
  checkDeclaredInputs,
  describeType,
  isLaunchFileName,
  nodeRange,
  parseObjectText,
  rangeOf,
  readLaunchFields,
  syntaxProblem,
  typeProblem,
  type DeclaredInput,
  type JsonObject,
  type LaunchProblem,
} from './launchFile';
import { isPlainObject } from './plainObject';
import { singleLine } from './sanitize';

export const LAUNCH_LINES_SUFFIX = '.runflow.jsonl';
/** What `runflow.batch.maxRuns` holds when it is not set. */
export const DEFAULT_MAX_RUNS = 200;
const LABEL_MAX = 80;
const LABEL_VALUE_MAX = 40;

export function isLaunchLinesFileName(fileName: string): boolean {
  return fileName.toLowerCase().endsWith(LAUNCH_LINES_SUFFIX);
}

export type PlanForm = 'single' | 'inputs' | 'matrix' | 'lines';

export interface PlanEntry {
  /** 0-based, in file order. */
  index: number;
  /** What is sent: the shared input merged with the entry. */
  input: JsonObject;
  /** What this entry sets, on one short line (`seed=1, steps=4`); empty for a single run. */
  label: string;
  /** Where the entry is in the text: its array element, its line, or for a matrix the "matrix" property. */
  offset: number;
  length: number;
}

export interface LaunchPlan {
  /** `launch`: a `*.runflow.json` file; `input`: any other JSON object file; `lines`: a `*.runflow.jsonl` file. */
  kind: 'launch' | 'input' | 'lines';
  form: PlanForm;
  model?: string;
  metadata?: JsonObject;
  callback_url?: string;
  /** Only for a single run: each run of a batch gets its own. */
  client_ref?: string;
  /** Always `entries.length`. */
  count: number;
  entries: PlanEntry[];
}

export interface ParsedPlan {
  /** Present when nothing stops the launch. */
  plan?: LaunchPlan;
  problems: LaunchProblem[];
}

/**
 * What the text asks to run. `fileName` decides how it is read: a launch file, JSON Lines, or any other JSON
 * object as one input. `maxRuns` is the user's cap on one batch.
 */
export function parseLaunchPlan(text: string, fileName: string, options: { maxRuns?: number } = {}): ParsedPlan {
  const maxRuns = capOf(options.maxRuns);
  if (isLaunchLinesFileName(fileName)) return parseLines(text, maxRuns);
  const isLaunchFile = isLaunchFileName(fileName);
  const { root, value, problems } = parseObjectText(text, { isLaunchFile });
  if (!root || !value) return { problems };
  if (!isLaunchFile) {
    return { plan: { kind: 'input', form: 'single', count: 1, entries: [{ index: 0, input: value, label: '', offset: root.offset, length: root.length }] }, problems };
  }

  const form: PlanForm = present(value.inputs) ? 'inputs' : present(value.matrix) ? 'matrix' : 'single';
  const fieldProblem = (path: string[], message: string, severity: LaunchProblem['severity'] = 'error') =>
    problems.push({ ...rangeOf(root, path), field: path.join('.'), message, severity });
  const shared = readLaunchFields(value, fieldProblem, { batch: form !== 'single', knowsBatches: true });
  const plan: LaunchPlan = { kind: 'launch', form, count: 0, entries: [] };
  if (shared.model !== undefined) plan.model = shared.model;
  if (shared.metadata !== undefined) plan.metadata = shared.metadata;
  if (shared.callback_url !== undefined) plan.callback_url = shared.callback_url;

  if (form === 'single') {
    if (shared.client_ref !== undefined) plan.client_ref = shared.client_ref;
    plan.entries = [{ index: 0, input: shared.input, label: '', offset: root.offset, length: root.length }];
  } else if (form === 'inputs') {
    if (present(value.matrix)) fieldProblem(['matrix'], 'The file has both "inputs" and "matrix": use one of them. List each run in "inputs", or give "matrix" the values to combine.');
    plan.entries = readInputsEntries(root, value.inputs, shared.input, maxRuns, problems);
  } else {
    plan.entries = readMatrixEntries(root, value.matrix, shared.input, maxRuns, problems);
  }
  plan.count = plan.entries.length;
  return problems.some((p) => p.severity === 'error') ? { problems } : { plan, problems };
}

/** `null` stands for a field left out, as it does for the other optional fields. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function capOf(maxRuns: number | undefined): number {
  return typeof maxRuns === 'number' && Number.isFinite(maxRuns) && maxRuns >= 1 ? Math.floor(maxRuns) : DEFAULT_MAX_RUNS;
}

function tooManyRuns(count: number | bigint, maxRuns: number): string {
  return `This file makes ${count.toLocaleString('en-US')} runs; at most ${maxRuns.toLocaleString('en-US')} are launched at once (setting runflow.batch.maxRuns). Split the file or raise the setting.`;
}

/** The property of `object` named `key` (key and value): the last of that name, as JSON.parse keeps the last. */
function lastProperty(object: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of object.children ?? []) if (property.children?.[0]?.value === key) found = property;
  return found;
}

function propertyValueNode(object: Node, key: string): Node | undefined {
  return lastProperty(object, key)?.children?.[1];
}

function readInputsEntries(root: Node, inputs: unknown, shared: JsonObject, maxRuns: number, problems: LaunchProblem[]): PlanEntry[] {
  const property = lastProperty(root, 'inputs');
  const where = property ? { offset: property.offset, length: property.length } : rangeOf(root, ['inputs']);
  if (!Array.isArray(inputs)) {
    problems.push({ ...where, field: 'inputs', severity: 'error', message: `"inputs" must be a list of objects, one per run, not ${describeType(inputs)}.` });
    return [];
  }
  if (inputs.length === 0) {
    problems.push({ ...where, field: 'inputs', severity: 'error', message: '"inputs" is empty: add one object per run, e.g. "inputs": [{ "seed": 1 }, { "seed": 2 }].' });
    return [];
  }
  const elements = propertyValueNode(root, 'inputs')?.children ?? [];
  let wrong = false;
  inputs.forEach((entry, i) => {
    if (isPlainObject(entry)) return;
    wrong = true;
    const element = elements[i];
    problems.push({
      ...(element ? { offset: element.offset, length: element.length } : where),
      field: `inputs.${i}`,
      severity: 'error',
      message: `Entry ${i + 1} of "inputs" must be a JSON object of the model's inputs, not ${describeType(entry)}.`,
    });
  });
  if (inputs.length > maxRuns) {
    problems.push({ ...where, field: 'inputs', severity: 'error', message: tooManyRuns(inputs.length, maxRuns) });
    return [];
  }
  if (wrong) return [];
  return inputs.map((entry, i) => {
    const own = entry as JsonObject;
    const element = elements[i];
    return { index: i, input: { ...shared, ...own }, label: labelOf(Object.entries(own)), ...(element ? { offset: element.offset, length: element.length } : where) };
  });
}

interface MatrixAxis {
  key: string;
  values: unknown[];
}

/**
 * The matrix's keys in the order they are written (not JSON.parse's, which puts integer-like keys first), each
 * with its values; problems for what cannot be combined.
 */
function readMatrixAxes(root: Node, matrix: unknown, problems: LaunchProblem[]): MatrixAxis[] | undefined {
  const property = lastProperty(root, 'matrix');
  const where = property ? { offset: property.offset, length: property.length } : rangeOf(root, ['matrix']);
  if (!isPlainObject(matrix)) {
    problems.push({ ...where, field: 'matrix', severity: 'error', message: `"matrix" must be an object of input names, each with a list of values, not ${describeType(matrix)}.` });
    return undefined;
  }
  const node = propertyValueNode(root, 'matrix');
  const keyed = (node?.children ?? []).filter((p) => typeof p.children?.[0]?.value === 'string');
  if (keyed.length === 0) {
    problems.push({ ...where, field: 'matrix', severity: 'error', message: '"matrix" is empty: give it input names with lists of values, e.g. "matrix": { "seed": [1, 2, 3] }.' });
    return undefined;
  }
  const axes: MatrixAxis[] = [];
  const seen = new Set<string>();
  let wrong = false;
  for (const p of keyed) {
    const key = p.children![0].value as string;
    const range = { offset: p.offset, length: p.length };
    if (seen.has(key)) {
      wrong = true;
      problems.push({ ...range, field: `matrix.${key}`, severity: 'error', message: `"${singleLine(key, 40)}" appears twice in "matrix": give each input one list of values.` });
      continue;
    }
    seen.add(key);
    const values = matrix[key];
    if (!Array.isArray(values) || values.length === 0) {
      wrong = true;
      const what = Array.isArray(values) ? 'an empty list' : describeType(values);
      problems.push({ ...range, field: `matrix.${key}`, severity: 'error', message: `"matrix" values of "${singleLine(key, 40)}" must be a list of at least one value, not ${what}.` });
      continue;
    }
    axes.push({ key, values });
  }
  return wrong ? undefined : axes;
}

function matrixCount(axes: readonly MatrixAxis[]): bigint {
  return axes.reduce((n, a) => n * BigInt(a.values.length), 1n);
}

/** Which value of each axis makes up the entry at `index`: the first axis varies slowest. */
function matrixPick(axes: readonly MatrixAxis[], index: number): number[] {
  const picks = new Array<number>(axes.length);
  let rest = index;
  for (let a = axes.length - 1; a >= 0; a--) {
    const n = axes[a].values.length;
    picks[a] = rest % n;
    rest = Math.floor(rest / n);
  }
  return picks;
}

function readMatrixEntries(root: Node, matrix: unknown, shared: JsonObject, maxRuns: number, problems: LaunchProblem[]): PlanEntry[] {
  const axes = readMatrixAxes(root, matrix, problems);
  if (!axes) return [];
  const property = lastProperty(root, 'matrix');
  const where = property ? { offset: property.offset, length: property.length } : rangeOf(root, ['matrix']);
  const count = matrixCount(axes);
  if (count > BigInt(maxRuns)) {
    problems.push({ ...where, field: 'matrix', severity: 'error', message: tooManyRuns(count, maxRuns) });
    return [];
  }
  const entries: PlanEntry[] = [];
  for (let index = 0; index < Number(count); index++) {
    const picks = matrixPick(axes, index);
    const fields = axes.map((a, i): [string, unknown] => [a.key, a.values[picks[i]]]);
    // fromEntries defines each key as a plain property, "__proto__" included.
    entries.push({ index, input: { ...shared, ...Object.fromEntries(fields) }, label: labelOf(fields), ...where });
  }
  return entries;
}

/** One JSON Lines line: where its text is, without the line break and surrounding blanks. */
interface Line {
  /** 1-based, as editors count. */
  number: number;
  offset: number;
  text: string;
}

function contentLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    const raw = text.slice(start, stop);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) lines.push({ number, offset: start + lead, text: body });
    if (end < 0) break;
    start = end + 1;
    number++;
  }
  return lines;
}

function parseLines(text: string, maxRuns: number): ParsedPlan {
  const lines = contentLines(text);
  const problems: LaunchProblem[] = [];
  if (lines.length === 0) {
    problems.push({ offset: 0, length: 0, severity: 'error', message: 'The file has no runs: write one JSON object of the model\'s inputs per line, e.g. {"prompt": "a cat"}.' });
    return { problems };
  }
  const entries: PlanEntry[] = [];
  lines.forEach((line, i) => {
    const value = parseLine(text, line, problems);
    if (value !== undefined && entries.length === i && i < maxRuns) entries.push({ index: i, input: value, label: labelOf(Object.entries(value)), offset: line.offset, length: line.text.length });
  });
  if (lines.length > maxRuns) {
    const first = lines[maxRuns];
    problems.push({ offset: first.offset, length: first.text.length, severity: 'error', message: tooManyRuns(lines.length, maxRuns) });
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { plan: { kind: 'lines', form: 'lines', count: entries.length, entries }, problems };
}

/** The line's input object, or undefined with a problem on the line. */
function parseLine(text: string, line: Line, problems: LaunchProblem[]): JsonObject | undefined {
  const syntax: ParseError[] = [];
  const node = parseTree(line.text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (syntax.length || !node) {
    const first = syntax[0];
    // The column and message come from the whole text, so they match what the editor shows.
    const problem = first ? syntaxProblem(text, { ...first, offset: line.offset + first.offset }) : undefined;
    problems.push({ offset: line.offset, length: line.text.length, severity: 'error', message: problem?.message ?? `JSON syntax error at line ${line.number}: this line is not JSON.` });
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    problems.push({ offset: line.offset, length: line.text.length, severity: 'error', message: `JSON syntax error at line ${line.number}: this line is not JSON.` });
    return undefined;
  }
  if (!isPlainObject(value)) {
    problems.push({ offset: line.offset, length: line.text.length, severity: 'error', message: `Line ${line.number} must be a JSON object of the model's inputs, not ${describeType(value)}.` });
    return undefined;
  }
  return value;
}

/** `seed=1, prompt="a cat"`: what an entry sets, on one line short enough for a title. */
function labelOf(fields: [string, unknown][]): string {
  if (fields.length === 0) return '(no inputs of its own)';
  const parts = fields.map(([key, value]) => `${key}=${singleLine(JSON.stringify(value) ?? String(value), LABEL_VALUE_MAX)}`);
  return singleLine(parts.join(', '), LABEL_MAX);
}

/** The form the text is written in, read without checking it; undefined while it is not a JSON object. */
export function planFormOf(text: string, fileName: string): PlanForm | undefined {
  if (isLaunchLinesFileName(fileName)) return 'lines';
  const root = parseTree(text);
  if (root?.type !== 'object') return undefined;
  if (!isLaunchFileName(fileName)) return 'single';
  const given = (key: string) => {
    const node = propertyValueNode(root, key);
    return !!node && node.type !== 'null';
  };
  return given('inputs') ? 'inputs' : given('matrix') ? 'matrix' : 'single';
}

/**
 * How many runs the text describes, without expanding or checking them: for a CodeLens title as the file is
 * typed. Undefined when the text does not say (yet).
 */
export function countPlannedRuns(text: string, fileName: string): number | undefined {
  if (isLaunchLinesFileName(fileName)) {
    const count = contentLines(text).length;
    return count > 0 ? count : undefined;
  }
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (syntax.length || root?.type !== 'object') return undefined;
  if (!isLaunchFileName(fileName)) return 1;
  const inputs = propertyValueNode(root, 'inputs');
  if (inputs && inputs.type !== 'null') return inputs.type === 'array' ? (inputs.children ?? []).length : undefined;
  const matrix = propertyValueNode(root, 'matrix');
  if (matrix && matrix.type !== 'null') {
    if (matrix.type !== 'object') return undefined;
    let count = 1;
    for (const p of matrix.children ?? []) {
      const values = p.children?.[1];
      if (values?.type !== 'array') return undefined;
      count *= (values.children ?? []).length;
    }
    return (matrix.children ?? []).length > 0 ? count : undefined;
  }
  return 1;
}

/**
 * The model's declared inputs checked for every entry: required ones present, types matched. A wrong value is
 * marked where it is written (the entry's field, the shared input's field, or the matrix value); a missing one
 * at the entry that lacks it. A problem that several entries share is reported once.
 */
export function checkPlanInputs(text: string, plan: LaunchPlan, declared: readonly DeclaredInput[], modelRef: string): LaunchProblem[] {
  if (plan.form === 'single') {
    const entry = plan.entries[0];
    if (!entry) return [];
    return checkDeclaredInputs(text, { kind: plan.kind === 'input' ? 'input' : 'launch', input: entry.input }, declared, modelRef);
  }
  const locate = plan.form === 'lines' ? lineLocator(text) : plan.form === 'inputs' ? inputsLocator(text) : matrixLocator(text);
  if (!locate) return [];
  const problems: LaunchProblem[] = [];
  const seen = new Set<string>();
  const add = (p: LaunchProblem) => {
    const key = `${p.offset}:${p.length}:${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(p);
  };
  for (const entry of plan.entries) {
    for (const d of declared) {
      const value = Object.prototype.hasOwnProperty.call(entry.input, d.name) ? entry.input[d.name] : undefined;
      if (value === undefined || value === null) {
        if (d.required) {
          add({ ...locate.missing(entry, d.name), severity: 'error', message: `${modelRef} requires the input "${d.name}"${d.type ? ` (${d.type})` : ''}${runOf(plan, entry)}.` });
        }
        continue;
      }
      const expected = typeProblem(d.type, value);
      if (!expected) continue;
      const where = locate.value(entry, d.name);
      add({ ...where, severity: 'error', message: `Input "${d.name}" of ${modelRef} must be ${expected}, not ${describeType(value)}.` });
    }
  }
  return problems;
}

/**
 * Which entry lacks an input, where the underline alone may not say (entries on one line). A matrix's entries
 * all lack it together, and a JSON Lines entry is its own line.
 */
function runOf(plan: LaunchPlan, entry: PlanEntry): string {
  return plan.form === 'inputs' ? ` (entry ${entry.index + 1} of "inputs")` : '';
}

interface ValueLocator {
  /** Where an input the entry lacks should go, and the path of the field that would hold it. */
  missing(entry: PlanEntry, name: string): { offset: number; length: number; field: string };
  /** Where the value of `name` that the entry sends is written. */
  value(entry: PlanEntry, name: string): { offset: number; length: number; field: string };
}

function sharedInputLocator(root: Node | undefined): (name: string, fallback: { offset: number; length: number; field: string }) => { offset: number; length: number; field: string } {
  return (name, fallback) => {
    const input = root && propertyValueNode(root, 'input');
    const property = input?.type === 'object' ? lastProperty(input, name) : undefined;
    return property ? { offset: property.offset, length: property.length, field: `input.${name}` } : fallback;
  };
}

function inputsLocator(text: string): ValueLocator | undefined {
  const root = parseTree(text);
  if (root?.type !== 'object') return undefined;
  const elements = propertyValueNode(root, 'inputs')?.children ?? [];
  const shared = sharedInputLocator(root);
  return {
    missing: (entry, name) => ({ offset: entry.offset, length: entry.length, field: `inputs.${entry.index}.${name}` }),
    value: (entry, name) => {
      const element = elements[entry.index];
      const property = element?.type === 'object' ? lastProperty(element, name) : undefined;
      if (property) return { offset: property.offset, length: property.length, field: `inputs.${entry.index}.${name}` };
      return shared(name, { offset: entry.offset, length: entry.length, field: `inputs.${entry.index}` });
    },
  };
}

function matrixLocator(text: string): ValueLocator | undefined {
  const root = parseTree(text);
  if (root?.type !== 'object') return undefined;
  const matrix = propertyValueNode(root, 'matrix');
  const axes = (matrix?.children ?? []).map((p) => ({ key: p.children?.[0]?.value, values: p.children?.[1]?.children ?? [] }));
  const shared = sharedInputLocator(root);
  return {
    missing: (entry, name) => {
      // Every combination lacks it alike: the shared input is where it belongs.
      const input = lastProperty(root, 'input');
      return { ...(input ? { offset: input.offset, length: input.length } : { offset: entry.offset, length: entry.length }), field: `input.${name}` };
    },
    value: (entry, name) => {
      const axis = axes.findIndex((a) => a.key === name);
      if (axis >= 0 && axes.every((a) => a.values.length > 0)) {
        const pick = matrixPick(axes.map((a) => ({ key: String(a.key), values: a.values })), entry.index)[axis];
        const node = axes[axis].values[pick];
        if (node) return { ...nodeRange(node), field: `matrix.${name}.${pick}` };
      }
      return shared(name, { offset: entry.offset, length: entry.length, field: 'matrix' });
    },
  };
}

function lineLocator(text: string): ValueLocator {
  return {
    missing: (entry, name) => ({ offset: entry.offset, length: entry.length, field: name }),
    value: (entry, name) => {
      const line = parseTree(text.slice(entry.offset, entry.offset + entry.length));
      const node = line && findNodeAtLocation(line, [name]);
      const property = node?.parent?.type === 'property' ? node.parent : undefined;
      return property ? { offset: entry.offset + property.offset, length: property.length, field: name } : { offset: entry.offset, length: entry.length, field: name };
    },
  };
}
