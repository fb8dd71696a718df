import * as vscode from 'vscode';
import { DEFAULT_API_BASE_URL, Settings } from './constants';

/** Typed reads of the extension's settings. */
export function apiBaseUrl(): string {
  const raw = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.apiBaseUrl) ?? '';
  return normalizeBaseUrl(raw) ?? DEFAULT_API_BASE_URL;
}

export function organizationId(): string | undefined {
  const raw = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.organizationId)?.trim();
  return raw ? raw : undefined;
}

/** An http(s) URL without a trailing slash, or undefined when the text is not one. */
export function normalizeBaseUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.username || url.password) return undefined;
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
