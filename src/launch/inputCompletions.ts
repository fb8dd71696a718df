import { getLocation, parseTree, findNodeAtLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { isModelRef } from '../core/launchFile';
import type { ModelCatalog } from './modelCatalog';

/**
 * Inside a launch file's "input" object, or one of a batch's "inputs" entries, suggests the inputs its model
 * declares that are not there yet, with their type, whether they are required, and their default as the value.
 * As a key of "matrix", the same names come with a list of values to sweep.
 */
export class InputCompletionProvider implements vscode.CompletionItemProvider {
  /** Launch files: a JSON Lines file has no object around its lines to complete in. */
  static readonly selector: vscode.DocumentSelector = [
    { language: 'json', pattern: '**/*.runflow.json' },
    { language: 'jsonc', pattern: '**/*.runflow.json' },
  ];
  constructor(private readonly catalog: ModelCatalog) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const location = getLocation(text, offset);
    const container = location.isAtPropertyKey ? inputsObjectAt(location.path) : undefined;
    if (!container) return undefined;
    const root = parseTree(text);
    const model = root && findNodeAtLocation(root, ['model'])?.value;
    if (!isModelRef(model)) return undefined;
    const declared = this.catalog.knownInputs(model);
    if (!declared) return undefined;
    const inputNode = root && findNodeAtLocation(root, container.path);
    const present = new Set((inputNode?.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string'));
    // Replace the key being typed, quotes included, so accepting never leaves a stray quote.
    const keyNode = location.previousNode?.type === 'string' ? location.previousNode : undefined;
    const range = keyNode ? new vscode.Range(doc.positionAt(keyNode.offset), doc.positionAt(keyNode.offset + keyNode.length)) : undefined;
    return declared
      .filter((d) => !present.has(d.name) || keyNode?.value === d.name)
      .map((d, i) => {
        const item = new vscode.CompletionItem(d.name, vscode.CompletionItemKind.Property);
        item.detail = `${d.required ? 'required' : 'optional'}${d.type ? ` · ${d.type}` : ''} · ${model}`;
        if (d.description) item.documentation = d.description;
        const value = valueSnippet(d.type, d.defaultValue);
        item.insertText = new vscode.SnippetString(`"${d.name}": ${container.values === 'list' ? `[${value}]` : value}`);
        if (range) item.range = range;
        // Required inputs first, then the model's own order.
        item.sortText = `${d.required ? 0 : 1}-${String(i).padStart(4, '0')}`;
        return item;
      });
  }
}

/**
 * The object whose keys are input names, from the JSON path of the key being typed: "input" itself, an entry
 * of "inputs", or "matrix", whose keys each take a list of values.
 */
function inputsObjectAt(path: readonly (string | number)[]): { path: (string | number)[]; values: 'one' | 'list' } | undefined {
  if (path.length === 2 && path[0] === 'input') return { path: ['input'], values: 'one' };
  if (path.length === 3 && path[0] === 'inputs' && typeof path[1] === 'number') return { path: ['inputs', path[1]], values: 'one' };
  if (path.length === 2 && path[0] === 'matrix') return { path: ['matrix'], values: 'list' };
  return undefined;
}

function valueSnippet(type: string | null | undefined, fallback: unknown): string {
  if (fallback !== undefined && fallback !== null) return `\${1:${JSON.stringify(fallback).replace(/[$}\\]/g, '\\$&')}}`;
  switch ((type ?? '').toLowerCase()) {
    case 'integer':
    case 'int':
    case 'number':
    case 'float':
      return '${1:0}';
    case 'boolean':
    case 'bool':
      return '${1|true,false|}';
    case 'array':
    case 'list':
      return '[$1]';
    case 'object':
    case 'json':
      return '{$1}';
    default:
      return '"$1"';
  }
}
