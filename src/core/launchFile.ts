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
const MODEL_REF = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function isLaunchFileName(fileName: string): boolean {
  return fileName.toLowerCase().endsWith(LAUNCH_FILE_SUFFIX);
}

export function isModelRef(text: unknown): text is string {
  return typeof text === 'string' && MODEL_REF.test(text);
}

export function parseLaunchFile(text: string, options: { isLaunchFile: boolean }): ParsedLaunchFile {
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
  const value = JSON.parse(text) as JsonObject;
  if (!options.isLaunchFile) return { spec: { kind: 'input', input: value }, problems };

  const spec = readLaunchFields(value, (path, message, severity = 'error') =>
    problems.push({ ...rangeOf(root, path), field: path.join('.'), message, severity }),
  );
  return problems.some((p) => p.severity === 'error') ? { problems } : { spec, problems };
}

function syntaxProblem(text: string, e: ParseError): LaunchProblem {
  const { line, column } = lineColumn(text, e.offset);
  return {
    message: `JSON syntax error at line ${line}, column ${column}: ${describeParseError(printParseErrorCode(e.error))}`,
    offset: e.offset,
    // An error at the very end (a missing "}") has nothing after it to underline.
    length: e.offset < text.length ? Math.max(e.length, 1) : 0,
    severity: 'error',
  };
}

type FieldProblem = (path: string[], message: string, severity?: LaunchProblem['severity']) => void;

/** A launch file's fields, each checked: what is wrong goes to `fieldProblem` and stays out of the spec. */
function readLaunchFields(value: JsonObject, fieldProblem: FieldProblem): LaunchSpec {
  const spec: LaunchSpec = { kind: 'launch', input: {} };
  for (const key of Object.keys(value)) {
    if (!LAUNCH_FIELDS.has(key)) {
      fieldProblem([key], `Unknown field "${key}" is not sent. A launch file holds model, input, metadata, callback_url and client_ref; model inputs go inside "input".`, 'warning');
    }
  }

  const model = value.model;
  if (model !== undefined && model !== null) {
    if (typeof model !== 'string') fieldProblem(['model'], `"model" must be a string such as "owner/slug", not ${describeType(model)}.`);
    else if (!isModelRef(model.trim())) fieldProblem(['model'], `"model" must look like "owner/slug" (letters, digits, "-", "_" or "."), not "${clip(model)}".`);
    else spec.model = model.trim();
  }

  const input = value.input;
  if (input === undefined) fieldProblem([], 'The launch file has no "input": add an object with the model\'s inputs, e.g. "input": { "prompt": "…" }.');
  else if (!isPlainObject(input)) fieldProblem(['input'], `"input" must be a JSON object, not ${describeType(input)}.`);
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
  if (clientRef !== undefined && clientRef !== null) {
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

function typeProblem(type: string | null | undefined, value: unknown): string | undefined {
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

function rangeOf(root: Node, path: (string | number)[]): { offset: number; length: number } {
  if (path.length === 0) return { offset: root.offset, length: 1 };
  const node = findNodeAtLocation(root, path);
  if (!node) return { offset: root.offset, length: 1 };
  // Underline the key and its value together, as VS Code's own JSON validation does.
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  return property ? { offset: property.offset, length: property.length } : nodeRange(node);
}

function nodeRange(node: Node): { offset: number; length: number } {
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

function describeType(v: unknown): string {
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

function clip(text: string, max = 60): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}
