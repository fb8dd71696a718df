/**
 * Launch files: what a JSON file asks to run, and everything wrong with it, found before any request.
 *
 * A launch file (`*.runflow.json`) holds `{ model, input, metadata, callback_url, client_ref }`. Any other
 * JSON file whose top level is an object is launched whole as the `input`. Problems carry offsets into the
 * text so the editor can underline the exact field; the same problems make up the one message shown when
 * a launch is refused.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isPlainObject } from './plainObject';

export type JsonObject = Record<string, unknown>;

export interface LaunchSpec {
  /** `launch`: a `*.runflow.json` file; `input`: any JSON object, sent whole as the input. */
  kind: 'launch' | 'input';
  /** `owner/slug`, when the file names it. */
  model?: string;
  input: JsonObject;
  metadata?: JsonObject;
  callback_url?: string;
  client_ref?: string;
}

export interface LaunchProblem {
  message: string;
  /** Where in the text: a field's value (or its key), or the whole document. */
  offset: number;
  length: number;
  /** The JSON path of the field, e.g. `input.prompt`; empty for the document itself. */
  field?: string;
  /** Errors stop the launch; warnings only inform. */
  severity: 'error' | 'warning';
}

export interface ParsedLaunchFile {
  /** Present when nothing stops the launch. */
  spec?: LaunchSpec;
  problems: LaunchProblem[];
}

/** The API's limit on `client_ref`. */
export const CLIENT_REF_MAX = 255;
export const LAUNCH_FILE_SUFFIX = '.runflow.json';
const LAUNCH_FIELDS = new Set(['$schema', 'model', 'input', 'metadata', 'callback_url', 'client_ref']);
/** The fields that make a launch file a batch: one run per entry of "inputs", or per combination of "matrix". */
const BATCH_FIELDS = new Set(['inputs', 'matrix']);
const MODEL_REF = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function isLaunchFileName(fileName: string): boolean {
  return fileName.toLowerCase().endsWith(LAUNCH_FILE_SUFFIX);
}

export function isModelRef(text: unknown): text is string {
  return typeof text === 'string' && MODEL_REF.test(text);
}

export function parseLaunchFile(text: string, options: { isLaunchFile: boolean }): ParsedLaunchFile {
  const { root, value, problems } = parseObjectText(text, options);
  if (!root || !value) return { problems };
  if (!options.isLaunchFile) return { spec: { kind: 'input', input: value }, problems };

  const spec = readLaunchFields(value, (path, message, severity = 'error') =>
    problems.push({ ...rangeOf(root, path), field: path.join('.'), message, severity }),
  );
  return problems.some((p) => p.severity === 'error') ? { problems } : { spec, problems };
}

/**
 * The text as a JSON object with the tree that locates its fields, or the problems that stop it being one:
 * an empty file, a syntax error, a top level of another type.
 */
export function parseObjectText(text: string, options: { isLaunchFile: boolean }): { root?: Node; value?: JsonObject; problems: LaunchProblem[] } {
  if (!text.trim()) {
    return { problems: [{ message: 'The file is empty: it needs a JSON object.', offset: 0, length: 0, severity: 'error' }] };
  }
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const problems = syntax.map((e) => syntaxProblem(text, e));
  if (problems.length || !root) return { problems };
  if (root.type !== 'object') {
    problems.push({
      message: options.isLaunchFile
        ? 'A launch file must be a JSON object with "model" and "input".'
        : `Only a JSON object can be launched as a model's input; this file holds ${describeType(JSON.parse(text))}.`,
      offset: root.offset,
      length: root.length,
      severity: 'error',
    });
    return { problems };
  }
  // The tree gave positions; the values come from JSON.parse, which agrees on any text without syntax errors.
  return { root, value: JSON.parse(text) as JsonObject, problems };
}

export function syntaxProblem(text: string, e: ParseError): LaunchProblem {
  const { line, column } = lineColumn(text, e.offset);
  return {
    message: `JSON syntax error at line ${line}, column ${column}: ${describeParseError(printParseErrorCode(e.error))}`,
    offset: e.offset,
    // An error at the very end (a missing "}") has nothing after it to underline.
    length: e.offset < text.length ? Math.max(e.length, 1) : 0,
    severity: 'error',
  };
}

export type FieldProblem = (path: string[], message: string, severity?: LaunchProblem['severity']) => void;

/**
 * A launch file's fields, each checked: what is wrong goes to `fieldProblem` and stays out of the spec.
 * With `batch`, the file also knows "inputs" and "matrix": it may leave out "input" (each entry brings its
 * own) and may not hold a `client_ref`, which names one run where a batch has many.
 */
export function readLaunchFields(value: JsonObject, fieldProblem: FieldProblem, options: { batch?: boolean; knowsBatches?: boolean } = {}): LaunchSpec {
  const spec: LaunchSpec = { kind: 'launch', input: {} };
  const knowsBatches = options.batch || options.knowsBatches;
  for (const key of Object.keys(value)) {
    if (knowsBatches && BATCH_FIELDS.has(key)) continue;
    if (!LAUNCH_FIELDS.has(key)) {
      fieldProblem(
        [key],
        knowsBatches
          ? `Unknown field "${key}" is not sent. A launch file holds model, input (or inputs or matrix), metadata, callback_url and client_ref; model inputs go inside "input".`
          : `Unknown field "${key}" is not sent. A launch file holds model, input, metadata, callback_url and client_ref; model inputs go inside "input".`,
        'warning',
      );
    }
  }

  const model = value.model;
  if (model !== undefined && model !== null) {
    if (typeof model !== 'string') fieldProblem(['model'], `"model" must be a string such as "owner/slug", not ${describeType(model)}.`);
    else if (!isModelRef(model.trim())) fieldProblem(['model'], `"model" must look like "owner/slug" (letters, digits, "-", "_" or "."), not "${clip(model)}".`);
    else spec.model = model.trim();
  }

  const input = value.input;
  if (input === undefined) {
    // A batch's entries can each bring their whole input, so the shared one may be left out.
    if (!options.batch) fieldProblem([], 'The launch file has no "input": add an object with the model\'s inputs, e.g. "input": { "prompt": "…" }.');
  } else if (!isPlainObject(input)) fieldProblem(['input'], `"input" must be a JSON object, not ${describeType(input)}.`);
  else spec.input = input;

  const metadata = value.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isPlainObject(metadata)) fieldProblem(['metadata'], `"metadata" must be a JSON object, not ${describeType(metadata)}.`);
    else spec.metadata = metadata;
  }

  const callback = value.callback_url;
  if (callback !== undefined && callback !== null) {
    if (typeof callback !== 'string' || !isHttpUrl(callback)) {
      fieldProblem(['callback_url'], `"callback_url" must be an http:// or https:// URL, not ${typeof callback === 'string' ? `"${clip(callback)}"` : describeType(callback)}.`);
    } else spec.callback_url = callback;
  }

  const clientRef = value.client_ref;
  if (clientRef !== undefined && clientRef !== null && options.batch) {
    fieldProblem(['client_ref'], '"client_ref" names a single run, and this file launches several: each run of a batch gets its own. Remove it, or put your label in "metadata".');
  } else if (clientRef !== undefined && clientRef !== null) {
    if (typeof clientRef !== 'string') fieldProblem(['client_ref'], `"client_ref" must be a string, not ${describeType(clientRef)}.`);
    else if (!clientRef.trim()) fieldProblem(['client_ref'], '"client_ref" is empty: remove it to let each launch get its own, or give it a value.');
    else if (clientRef.length > CLIENT_REF_MAX) fieldProblem(['client_ref'], `"client_ref" is ${clientRef.length} characters long; the API takes at most ${CLIENT_REF_MAX}.`);
    else spec.client_ref = clientRef;
  }
  return spec;
}

/** A model input as the API declares it (`embed=model`): enough to check and suggest. */
export interface DeclaredInput {
  name: string;
  type?: string | null;
  required?: boolean | null;
  description?: string | null;
  defaultValue?: unknown;
}

/**
 * Checks `input` against the inputs a model declares: required ones present, known types matched. Types the
 * extension does not know (files, images, "any") are left to the server.
 */
export function checkDeclaredInputs(text: string, spec: LaunchSpec, declared: readonly DeclaredInput[], modelRef: string): LaunchProblem[] {
  const root = parseTree(text);
  if (!root) return [];
  const base = spec.kind === 'launch' ? ['input'] : [];
  const problems: LaunchProblem[] = [];
  for (const d of declared) {
    const value = spec.input[d.name];
    const path = [...base, d.name];
    if (value === undefined || value === null) {
      if (d.required) {
        problems.push({ ...rangeOf(root, base), field: path.join('.'), severity: 'error', message: `${modelRef} requires the input "${d.name}"${d.type ? ` (${d.type})` : ''}.` });
      }
      continue;
    }
    const expected = typeProblem(d.type, value);
    if (expected) problems.push({ ...rangeOf(root, path), field: path.join('.'), severity: 'error', message: `Input "${d.name}" of ${modelRef} must be ${expected}, not ${describeType(value)}.` });
  }
  return problems;
}

/** What a value of the declared `type` must be, when `value` is not that; undefined when it fits or the type is not checked here. */
export function typeProblem(type: string | null | undefined, value: unknown): string | undefined {
  switch ((type ?? '').toLowerCase()) {
    case 'string':
    case 'text':
      return typeof value === 'string' ? undefined : 'a string';
    case 'integer':
    case 'int':
      return Number.isInteger(value) ? undefined : 'an integer';
    case 'number':
    case 'float':
      return typeof value === 'number' ? undefined : 'a number';
    case 'boolean':
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'array':
    case 'list':
      return Array.isArray(value) ? undefined : 'a list';
    case 'object':
    case 'json':
      return isPlainObject(value) ? undefined : 'an object';
    default:
      return undefined;
  }
}

/**
 * Where a 422's `loc` (`["body", "input", "prompt"]`) points in the file: the deepest field that exists,
 * so a missing input underlines the `input` object that should hold it.
 */
export function locateApiField(text: string, kind: LaunchSpec['kind'], loc: readonly (string | number)[]): { offset: number; length: number; field: string } {
  const root = parseTree(text);
  const parts = loc[0] === 'body' ? loc.slice(1) : [...loc];
  // In a plain input file the whole document is the input.
  const path = kind === 'input' && parts[0] === 'input' ? parts.slice(1) : parts;
  for (let n = path.length; n >= 0; n--) {
    const node = root && findNodeAtLocation(root, path.slice(0, n));
    if (node) return { ...nodeRange(node), field: path.slice(0, n).join('.') };
  }
  return { offset: 0, length: 0, field: '' };
}

/** 1-based line and column of `offset`, as editors count them. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** One message for every error in a file, as a refused launch reports it. */
export function summarizeProblems(fileLabel: string, text: string, problems: readonly LaunchProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  const first = errors.slice(0, 3).map((p) => {
    const { line } = lineColumn(text, p.offset);
    return p.message.startsWith('JSON syntax error') ? p.message : `line ${line}: ${p.message}`;
  });
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${fileLabel} was not launched: ${first.join(' ')}${more}`;
}

/** Where the field at `path` is: its key and value together; the document's first character when it is not there. */
export function rangeOf(root: Node, path: (string | number)[]): { offset: number; length: number } {
  if (path.length === 0) return { offset: root.offset, length: 1 };
  const node = findNodeAtLocation(root, path);
  if (!node) return { offset: root.offset, length: 1 };
  // Underline the key and its value together, as VS Code's own JSON validation does.
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  return property ? { offset: property.offset, length: property.length } : nodeRange(node);
}

export function nodeRange(node: Node): { offset: number; length: number } {
  const property = node.parent?.type === 'property' && node.parent.children?.[1] === node ? node.parent : undefined;
  return property ? { offset: property.offset, length: property.length } : { offset: node.offset, length: node.length };
}


function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.hostname;
  } catch {
    return false;
  }
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: '":" was expected',
    CommaExpected: '"," was expected',
    CloseBraceExpected: '"}" was expected',
    CloseBracketExpected: '"]" was expected',
    EndOfFileExpected: 'nothing more was expected after the top-level value',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unfinished comment',
    UnexpectedEndOfString: 'unfinished string',
    UnexpectedEndOfNumber: 'unfinished number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return words[code] ?? code;
}

export function clip(text: string, max = 60): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}
