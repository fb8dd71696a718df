/**
 * API text shown outside the webview: notifications render `[label](link)` as a link, and tree labels
 * are single lines, so text from the server is flattened and defanged before it gets there.
 */
import { stripAnsi } from './ansi';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/**
 * Bidirectional formatting characters: with them a server can make `invoice-model\u202Efdp.exe` read as
 * `invoice-modelexe.pdf`. Text from the API is shown in its logical order, without them.
 */
export const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without bidirectional controls; everything else (newlines, tabs, ANSI) is left as it is. */
export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROL, '');
}

export function singleLine(text: unknown, max = 120): string {
  const s = stripAnsi(String(text ?? ''))
    .replace(CONTROL, '')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** For notification messages: one line, and no markdown link syntax that could turn into a command link. */
export function notificationText(text: unknown, max = 120): string {
  return singleLine(text, max).replace(/\[/g, '⟦').replace(/\]/g, '⟧');
}
