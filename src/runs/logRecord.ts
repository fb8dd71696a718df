/**
 * One log item of the API as the extension reads it: the text of its message, its id, and the record the
 * log reader stores. The log reader and the search across runs both read lines through here, so a line
 * found by a search reads the same as the line in the run's panel.
 */
import type { RunLog } from '../api/types';
import { isPlainObject } from '../core/plainObject';
import { neutralizeBidi } from '../core/sanitize';
import { type LogRecord, MAX_NODE_KEY, normalizeLevel } from './logBuffer';

/** A message as text: a string as it is, anything else (the reference types it, servers may not) as JSON. */
export function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === null || message === undefined) return '';
  try {
    return JSON.stringify(message) ?? '';
  } catch {
    return String(message);
  }
}

/**
 * The node a line names: its `meta.node_id`, else its `meta.node`, when a string. The reference leaves
 * `meta` open; nothing else in it is read.
 */
function nodeOf(log: RunLog): string | undefined {
  const meta: unknown = log.meta;
  if (!isPlainObject(meta)) return undefined;
  for (const key of ['node_id', 'node']) {
    const v = meta[key];
    if (typeof v === 'string' && v !== '' && v.length <= MAX_NODE_KEY) return neutralizeBidi(v);
  }
  return undefined;
}

export function toRecord(log: RunLog): LogRecord {
  return {
    level: normalizeLevel(neutralizeBidi(typeof log.level_code === 'string' ? log.level_code : '')),
    timestamp: typeof log.timestamp === 'string' ? neutralizeBidi(log.timestamp) : '',
    message: neutralizeBidi(messageText(log.message)),
    node: nodeOf(log),
  };
}

/** The line's id as text, when it has a usable one. */
export function logId(item: RunLog): string | undefined {
  const id: unknown = item.id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}
