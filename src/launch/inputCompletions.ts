import { getLocation, parseTree, findNodeAtLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { isModelRef } from '../core/launchFile';
import type { ModelCatalog } from './modelCatalog';

/**
 * Inside a launch file's "input" object, suggests the inputs its model declares that are not there yet, with
 * their type, whether they are required, and their default as the value.
 */
export class InputCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly catalog: ModelCatalog) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const location = getLocation(text, offset);
    if (!location.isAtPropertyKey || location.path.length !== 2 || location.path[0] !== 'input') return undefined;
    const root = parseTree(text);
    const model = root && findNodeAtLocation(root, ['model'])?.value;
    if (!isModelRef(model)) return undefined;
    const declared = this.catalog.knownInputs(model);
    if (!declared) return undefined;
    const inputNode = root && findNodeAtLocation(root, ['input']);
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
        item.insertText = new vscode.SnippetString(`"${d.name}": ${valueSnippet(d.type, d.defaultValue)}`);
        if (range) item.range = range;
        // Required inputs first, then the model's own order.
        item.sortText = `${d.required ? 0 : 1}-${String(i).padStart(4, '0')}`;
        return item;
      });
  }
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
