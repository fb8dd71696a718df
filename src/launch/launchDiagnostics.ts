import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../core/disposable';
import { batchMaxRuns } from '../config';
import { Settings } from '../constants';
import { isLaunchFileName, lineColumn, type LaunchProblem } from '../core/launchFile';
import { checkPlanInputs, isLaunchLinesFileName, parseLaunchPlan, planFormOf } from '../core/launchPlan';
import { withoutEditorSyntaxErrors, type EditorJsonLanguage } from '../core/jsonSyntax';
import type { ModelCatalog } from './modelCatalog';

const SOURCE = 'Runflow';
const DEBOUNCE_MS = 300;

/**
 * Problems in launch files, in the editor. Open `*.runflow.json` files are checked as they are typed, against
 * the inputs their model declares (VS Code's JSON schema already covers the file's shape, but not all of a
 * batch's: its entries, its size and what it may not combine are checked here). `*.runflow.jsonl` files, which
 * no JSON schema covers, are checked in full, line by line. A refused launch — before sending, or by the
 * server's 422 — puts all its problems on the file, and they stay until fixed; syntax errors VS Code's JSON
 * language already shows for an open file are not shown a second time.
 */
export class LaunchDiagnostics extends Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('runflow');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Files whose launch was refused: checked in full as they change, until clean. */
  private readonly refused = new Set<string>();
  /** Problems the server reported, kept until the text changes. */
  private readonly serverProblems = new Map<string, vscode.Diagnostic[]>();

  constructor(private readonly catalog: ModelCatalog) {
    super();
    this._register(
      toDisposable(() => {
        for (const t of this.timers.values()) clearTimeout(t);
        this.timers.clear();
      }),
    );
    this._register(this.collection);
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.serverProblems.delete(e.document.uri.toString());
        this.schedule(e.document);
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    this._register(catalog.onDidLearn(() => vscode.workspace.textDocuments.forEach((d) => this.schedule(d))));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.batchMaxRuns}`)) vscode.workspace.textDocuments.forEach((d) => this.schedule(d));
      }),
    );
    this._register(
      // Whether VS Code shows a file's syntax errors itself depends on its having a tab.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const uris = new Set([...e.opened, ...e.closed].flatMap((t) => (t.input instanceof vscode.TabInputText ? [t.input.uri.toString()] : [])));
        for (const d of vscode.workspace.textDocuments) if (uris.has(d.uri.toString())) this.schedule(d);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  /** A launch was refused with these problems: show them all on the file. */
  showRefused(uri: vscode.Uri, text: string, problems: readonly LaunchProblem[], fromServer = false): void {
    const key = uri.toString();
    const diagnostics = withoutEditorSyntaxErrors(text, problems, editorJsonLanguage(uri)).map((p) => toDiagnostic(text, p, fromServer));
    if (fromServer) {
      this.serverProblems.set(key, diagnostics);
      this.collection.set(uri, diagnostics);
      return;
    }
    this.refused.add(key);
    this.collection.set(uri, diagnostics);
  }

  /** A launch went through: nothing to show from earlier attempts. */
  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this.refused.delete(key);
    this.serverProblems.delete(key);
    this.collection.delete(uri);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!isLaunchFileName(doc.uri.path) && !isLaunchLinesFileName(doc.uri.path) && !this.refused.has(key)) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.check(doc);
      }, DEBOUNCE_MS),
    );
  }

  private check(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const text = doc.getText();
    const parsed = parseLaunchPlan(text, doc.uri.path, { maxRuns: batchMaxRuns() });
    const form = parsed.plan?.form ?? planFormOf(text, doc.uri.path);
    const problems: LaunchProblem[] =
      this.refused.has(key) || form === 'lines'
        ? [...parsed.problems]
        : form === 'inputs' || form === 'matrix'
          ? parsed.problems.filter(isBeyondSchema)
          : [];
    if (parsed.plan?.model) {
      const declared = this.catalog.knownInputs(parsed.plan.model);
      if (declared) problems.push(...checkPlanInputs(text, parsed.plan, declared, parsed.plan.model));
    }
    if (this.refused.has(key) && !problems.some((p) => p.severity === 'error')) this.refused.delete(key);
    const server = this.serverProblems.get(key) ?? [];
    const shown = withoutEditorSyntaxErrors(text, problems, editorJsonLanguage(doc.uri));
    this.collection.set(doc.uri, [...shown.map((p) => toDiagnostic(text, p, false)), ...server]);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.refused.delete(key);
    this.serverProblems.delete(key);
    this.collection.delete(uri);
  }
}

/**
 * A batch's problems that the launch file schema does not show while the file is typed: each entry where it
 * is, its size, "inputs" with "matrix", a client_ref. The shared fields' problems are the schema's to show.
 */
function isBeyondSchema(p: LaunchProblem): boolean {
  return !!p.field && (/^(inputs|matrix)(\.|$)/.test(p.field) || p.field === 'client_ref');
}

/**
 * The JSON language VS Code validates the file as, when it does: its JSON language checks documents shown
 * in editor tabs, and only while `json.validate.enable` is on. A JSON Lines file is not one JSON document,
 * so what VS Code would say of it as one says nothing about its lines.
 */
function editorJsonLanguage(uri: vscode.Uri): EditorJsonLanguage | undefined {
  if (isLaunchLinesFileName(uri.path)) return undefined;
  const key = uri.toString();
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  if (!doc || (doc.languageId !== 'json' && doc.languageId !== 'jsonc')) return undefined;
  if (!tabUris().has(key)) return undefined;
  if (!vscode.workspace.getConfiguration('json', doc).get<boolean>('validate.enable', true)) return undefined;
  return doc.languageId;
}

function tabUris(): Set<string> {
  const uris = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) uris.add(tab.input.uri.toString());
  }
  return uris;
}

function toDiagnostic(text: string, p: LaunchProblem, fromServer: boolean): vscode.Diagnostic {
  const range = new vscode.Range(positionAt(text, p.offset), positionAt(text, p.offset + p.length));
  const d = new vscode.Diagnostic(
    range,
    fromServer ? `The API refused the launch: ${p.message}` : p.message,
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = SOURCE;
  if (p.field) d.code = p.field;
  return d;
}

function positionAt(text: string, offset: number): vscode.Position {
  const { line, column } = lineColumn(text, offset);
  return new vscode.Position(line - 1, column - 1);
}
