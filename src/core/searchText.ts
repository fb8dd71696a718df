/**
 * What a log search box holds, parsed once for every place that searches log text: the panel's own
 * search (host and page), and the search across runs. `text` is plain and found case-insensitively;
 * `/pattern/flags` is a regular expression. Matching is always done on text with ANSI codes removed,
 * so a colour code in the middle of a word does not hide it.
 */

export interface TextRange {
  start: number;
  end: number;
}

export interface TextMatcher {
  /** The query as the user wrote it. */
  readonly query: string;
  readonly isRegex: boolean;
  /** For a plain query: the text a server may be asked to narrow by ("contains"); undefined for a regex. */
  readonly plain: string | undefined;
  /** Occurrences in `text`, left to right, not overlapping, at most `limit`. */
  find(text: string, limit?: number): TextRange[];
  test(text: string): boolean;
}

export type ParsedSearch = { ok: true; matcher: TextMatcher } | { ok: false; error: string };

/** Most occurrences reported per line; more would only add marks nobody can tell apart. */
export const MAX_MARKS_PER_LINE = 50;
/** Characters of a line a regular expression is run over: a pathological pattern cannot stall on a megabyte line. */
export const MAX_MATCH_CHARS = 20_000;
const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matcherFor(query: string, source: string, flags: string, isRegex: boolean): TextMatcher {
  const re = new RegExp(source, `${flags}g`);
  const find = (text: string, limit = MAX_MARKS_PER_LINE): TextRange[] => {
    const out: TextRange[] = [];
    if (!text) return out;
    const subject = text.length > MAX_MATCH_CHARS ? text.slice(0, MAX_MATCH_CHARS) : text;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (out.length < limit && (m = re.exec(subject)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      out.push({ start: m.index, end: m.index + m[0].length });
    }
    return out;
  };
  return { query, isRegex, plain: isRegex ? undefined : query, find, test: (text) => find(text, 1).length > 0 };
}

/**
 * `error` when the query is a `/regex/` that does not compile or names a flag other than i, m, s, u. An
 * empty query is an error too: it would match every line.
 */
export function parseSearchText(raw: string): ParsedSearch {
  const query = raw;
  if (query.trim() === '') return { ok: false, error: 'Type the text to search for.' };
  const regex = REGEX_FORM.exec(query);
  if (!regex) return { ok: true, matcher: matcherFor(query, escapeRegExp(query), 'i', false) };
  const [, source, flags] = regex;
  const unknown = [...flags].filter((f) => !ALLOWED_FLAGS.has(f));
  if (unknown.length) return { ok: false, error: `Unsupported regular expression flag "${unknown.join('')}" (use i, m, s or u).` };
  try {
    return { ok: true, matcher: matcherFor(query, source, [...new Set(flags)].join(''), true) };
  } catch (err) {
    return { ok: false, error: `Not a valid regular expression: ${err instanceof Error ? err.message : String(err)}` };
  }
}
