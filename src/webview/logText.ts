/**
 * What one log line looks like on screen, as plain data: styled segments (from ANSI colours),
 * search highlights, and a cut for very long lines. The row renderer turns segments into text nodes
 * and spans; nothing here touches the DOM.
 */
import { parseAnsiLimited, stripAnsi, type AnsiStyle } from '../core/ansi';
import { neutralizeBidi } from '../core/sanitize';
import type { TextMatcher, TextRange } from '../core/searchText';

/** Characters drawn per line with wrap off: enough for any screen, cheap to lay out. */
export const MAX_CHARS_NO_WRAP = 2_000;
/** With wrap on a line may fill many screen lines, but not megabytes of them. */
export const MAX_CHARS_WRAP = 50_000;
/** Styled segments per line; the rest of the line is drawn unstyled to bound DOM nodes per row. */
export const MAX_SEGMENTS = 40;

export interface Segment {
  text: string;
  style?: AnsiStyle;
  /** Part of a search match. */
  mark?: boolean;
}

export interface LineText {
  segments: Segment[];
  /** Visible text (ANSI removed) that was drawn. */
  shownLength: number;
  /** Characters of the raw message not drawn; 0 when the whole line is shown. */
  hiddenChars: number;
}

function hasStyle(style: AnsiStyle): boolean {
  for (const key in style) if ((style as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

/**
 * A line as drawn. Bidirectional controls are taken out of the drawn spans before the search marks are
 * placed, so marks refer to the text on screen, where a `\u202E` could otherwise reverse the rest of it.
 * Only the drawn part is cleaned: a megabyte line costs no more than before.
 */
export function lineText(message: string, options: { wrap: boolean; matcher?: TextMatcher }): LineText {
  const maxChars = options.wrap ? MAX_CHARS_WRAP : MAX_CHARS_NO_WRAP;
  const parsed = parseAnsiLimited(message, maxChars);
  let drawn = 0;
  const spans = parsed.spans.map((s) => {
    drawn += s.text.length;
    return { ...s, text: neutralizeBidi(s.text) };
  });
  let shown = '';
  for (const s of spans) shown += s.text;
  const marks = options.matcher ? options.matcher.find(shown) : [];
  const segments = capSegments(splitAtMarks(spans, marks));
  return {
    segments,
    shownLength: shown.length,
    // Counting the rest exactly costs one pass over the line, and only lines that were cut pay it.
    hiddenChars: parsed.truncated ? Math.max(1, stripAnsi(message).length - drawn) : 0,
  };
}

/** Splits styled spans where search matches begin and end. */
export function splitAtMarks(spans: readonly ({ text: string } & AnsiStyle)[], marks: readonly TextRange[]): Segment[] {
  const out: Segment[] = [];
  let offset = 0;
  let m = 0;
  for (const span of spans) {
    const { text, ...rest } = span;
    const style = hasStyle(rest) ? rest : undefined;
    const spanEnd = offset + text.length;
    let pos = offset;
    while (pos < spanEnd) {
      while (m < marks.length && marks[m].end <= pos) m++;
      const mark = marks[m];
      let next: number;
      let inMark = false;
      if (mark && mark.start <= pos) {
        inMark = true;
        next = Math.min(spanEnd, mark.end);
      } else {
        next = mark ? Math.min(spanEnd, mark.start) : spanEnd;
      }
      const piece = text.slice(pos - offset, next - offset);
      const seg: Segment = { text: piece };
      if (style) seg.style = style;
      if (inMark) seg.mark = true;
      out.push(seg);
      pos = next;
    }
    offset = spanEnd;
  }
  return out;
}

/** Keeps the first `max - 1` segments and folds the rest into one plain segment. */
export function capSegments(segments: Segment[], max = MAX_SEGMENTS): Segment[] {
  if (segments.length <= max) return segments;
  const head = segments.slice(0, max - 1);
  let rest = '';
  for (let k = max - 1; k < segments.length; k++) rest += segments[k].text;
  head.push({ text: rest });
  return head;
}
