/**
 * ANSI SGR colour codes in log text, turned into styled spans. Pure: no DOM, no vscode, so the
 * panel and the unit tests share it. Everything that is not an SGR sequence (cursor moves, erase,
 * OSC 8 hyperlinks, window titles, other control characters) is dropped: log text is shown, never
 * interpreted.
 */

/** 0–255: palette index (0–15 follow the terminal theme); `#rrggbb`: truecolor. */
export type AnsiColor = number | string;

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

export interface AnsiSpan extends AnsiStyle {
  text: string;
}

export interface ParsedAnsi {
  spans: AnsiSpan[];
  /** Visible characters that were left out because of `maxChars`. */
  truncated: boolean;
}

const ESC = 0x1b;
const BEL = 0x07;
/** Characters that need the slow path: C0 controls other than tab and newline, DEL, C1 controls. */
const SPECIAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Text with every escape and control sequence removed (tab and newline kept). */
export function stripAnsi(text: string): string {
  if (!SPECIAL.test(text)) return text;
  let out = '';
  for (const span of parseAnsi(text)) out += span.text;
  return out;
}

export function parseAnsi(text: string): AnsiSpan[] {
  return parseAnsiLimited(text, Infinity).spans;
}

/**
 * Like `parseAnsi`, but stops once `maxChars` visible characters were produced, so a line of
 * megabytes costs no more than its first screenful. Never splits a surrogate pair.
 */
export function parseAnsiLimited(text: string, maxChars: number): ParsedAnsi {
  if (!SPECIAL.test(text)) {
    if (text.length <= maxChars) return { spans: text ? [{ text }] : [], truncated: false };
    return { spans: [{ text: cut(text, maxChars) }], truncated: true };
  }
  const spans: AnsiSpan[] = [];
  let style: AnsiStyle = {};
  let budget = maxChars;
  let truncated = false;
  let i = 0;
  const n = text.length;

  const emit = (chunk: string): boolean => {
    if (!chunk) return true;
    if (chunk.length > budget) {
      chunk = cut(chunk, budget);
      truncated = true;
    }
    budget -= chunk.length;
    if (chunk) {
      const last = spans[spans.length - 1];
      if (last && sameStyle(last, style)) last.text += chunk;
      else spans.push({ text: chunk, ...style });
    }
    return !truncated && budget > 0;
  };

  while (i < n) {
    // Plain run up to the next special character.
    let j = i;
    while (j < n && !isSpecial(text.charCodeAt(j))) j++;
    if (j > i && !emit(text.slice(i, j))) {
      truncated = truncated || hasVisibleAfter(text, j);
      break;
    }
    if (j >= n) break;
    const c = text.charCodeAt(j);
    if (c === ESC || c === 0x9b || c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
      const seq = readEscape(text, j);
      if (seq.sgr !== undefined) style = applySgr(style, seq.sgr);
      i = seq.end;
    } else {
      // Any other control character (CR, backspace, bell, C1 …) is dropped.
      i = j + 1;
    }
    if (budget <= 0) {
      truncated = hasVisibleAfter(text, i);
      break;
    }
  }
  return { spans, truncated };
}

function isSpecial(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f);
}

function hasVisibleAfter(text: string, from: number): boolean {
  return from < text.length && stripAnsi(text.slice(from, from + 4096)).length > 0;
}

function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, Math.floor(max));
  const code = s.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end--;
  return s.slice(0, end);
}

interface EscapeRead {
  end: number;
  /** SGR parameter text when the sequence was `CSI … m`. */
  sgr?: string;
}

/** Reads one escape sequence starting at `start` (ESC or an 8-bit C1 introducer). */
function readEscape(text: string, start: number): EscapeRead {
  const n = text.length;
  const c = text.charCodeAt(start);
  let kind: 'csi' | 'osc' | 'string' | 'esc';
  let i: number;
  if (c === ESC) {
    if (start + 1 >= n) return { end: n };
    const next = text[start + 1];
    i = start + 2;
    if (next === '[') kind = 'csi';
    else if (next === ']') kind = 'osc';
    else if (next === 'P' || next === 'X' || next === '^' || next === '_') kind = 'string';
    else kind = 'esc';
  } else {
    i = start + 1;
    kind = c === 0x9b ? 'csi' : c === 0x9d ? 'osc' : 'string';
  }

  if (kind === 'csi') {
    const paramStart = i;
    while (i < n && inRange(text.charCodeAt(i), 0x30, 0x3f)) i++;
    const params = text.slice(paramStart, i);
    const interStart = i;
    while (i < n && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
    const hasIntermediates = i > interStart;
    if (i >= n) return { end: n };
    const final = text.charCodeAt(i);
    if (!inRange(final, 0x40, 0x7e)) return { end: i }; // malformed: drop the introducer and parameters
    const isSgr = final === 0x6d && !hasIntermediates && /^[\d;:]*$/.test(params);
    return isSgr ? { end: i + 1, sgr: params } : { end: i + 1 };
  }

  if (kind === 'osc' || kind === 'string') {
    // Up to BEL (OSC only), ST (ESC \) or the 8-bit ST; an unterminated string swallows the rest, as a terminal would.
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === BEL && kind === 'osc') return { end: i + 1 };
      if (d === 0x9c) return { end: i + 1 };
      if (d === ESC && text[i + 1] === '\\') return { end: i + 2 };
      i++;
    }
    return { end: n };
  }

  // nF escapes (ESC, intermediates 0x20–0x2f, one final byte) such as ESC ( B; Fp/Fe/Fs escapes (ESC 7, ESC =, ESC c).
  const first = text.charCodeAt(start + 1);
  if (inRange(first, 0x20, 0x2f)) {
    while (i < n && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
    return { end: Math.min(n, i + 1) };
  }
  if (inRange(first, 0x30, 0x7e)) return { end: start + 2 };
  // ESC before a control character or non-ASCII: drop the ESC alone.
  return { end: start + 1 };
}

function inRange(c: number, lo: number, hi: number): boolean {
  return c >= lo && c <= hi;
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.inverse === b.inverse &&
    a.strikethrough === b.strikethrough
  );
}

/** Style after one SGR sequence; unknown codes are skipped with their arguments. */
export function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  const style: AnsiStyle = { ...current };
  const parts = params === '' ? ['0'] : params.split(';');
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (part.includes(':')) {
      applyColonForm(style, part.split(':'));
      continue;
    }
    const code = part === '' ? 0 : Number(part);
    if (!Number.isFinite(code)) continue;
    if (code === 38 || code === 48 || code === 58) {
      const mode = Number(parts[k + 1]);
      let color: AnsiColor | undefined;
      if (mode === 5) {
        color = paletteIndex(parts[k + 2]);
        k += 2;
      } else if (mode === 2) {
        color = rgb(parts[k + 2], parts[k + 3], parts[k + 4]);
        k += 4;
      } else {
        k += 1;
      }
      if (color !== undefined && code !== 58) setColor(style, code === 38 ? 'fg' : 'bg', color);
      continue;
    }
    applyCode(style, code);
  }
  return clean(style);
}

function applyColonForm(style: AnsiStyle, sub: string[]): void {
  const code = Number(sub[0]);
  if (code === 4) {
    // 4:0 is "no underline"; 4:1…4:5 are underline variants.
    style.underline = Number(sub[1] || 1) !== 0 ? true : undefined;
    return;
  }
  if (code !== 38 && code !== 48) return;
  const mode = Number(sub[1]);
  let color: AnsiColor | undefined;
  if (mode === 5) color = paletteIndex(sub[2]);
  else if (mode === 2) {
    // 38:2:<colour space>:r:g:b (ITU form) or the common 38:2:r:g:b.
    const rest = sub.length >= 6 ? sub.slice(3, 6) : sub.slice(2, 5);
    color = rgb(rest[0], rest[1], rest[2]);
  }
  if (color !== undefined) setColor(style, code === 38 ? 'fg' : 'bg', color);
}

function setColor(style: AnsiStyle, which: 'fg' | 'bg', color: AnsiColor): void {
  style[which] = color;
}

function applyCode(style: AnsiStyle, code: number): void {
  if (code === 0) {
    for (const key of Object.keys(style) as (keyof AnsiStyle)[]) delete style[key];
  } else if (code === 1) style.bold = true;
  else if (code === 2) style.dim = true;
  else if (code === 3) style.italic = true;
  else if (code === 4 || code === 21) style.underline = true;
  else if (code === 7) style.inverse = true;
  else if (code === 9) style.strikethrough = true;
  else if (code === 22) {
    style.bold = undefined;
    style.dim = undefined;
  } else if (code === 23) style.italic = undefined;
  else if (code === 24) style.underline = undefined;
  else if (code === 27) style.inverse = undefined;
  else if (code === 29) style.strikethrough = undefined;
  else if (code >= 30 && code <= 37) style.fg = code - 30;
  else if (code === 39) style.fg = undefined;
  else if (code >= 40 && code <= 47) style.bg = code - 40;
  else if (code === 49) style.bg = undefined;
  else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
  else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
  // Blink, conceal, fonts, overline, …: ignored. Concealed text stays visible on purpose.
}

function clean(style: AnsiStyle): AnsiStyle {
  const out: AnsiStyle = {};
  if (style.fg !== undefined) out.fg = style.fg;
  if (style.bg !== undefined) out.bg = style.bg;
  if (style.bold) out.bold = true;
  if (style.dim) out.dim = true;
  if (style.italic) out.italic = true;
  if (style.underline) out.underline = true;
  if (style.inverse) out.inverse = true;
  if (style.strikethrough) out.strikethrough = true;
  return out;
}

function paletteIndex(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '' || !/^\d+$/.test(raw)) return undefined;
  const v = Number(raw);
  return v >= 0 && v <= 255 ? v : undefined;
}

function rgb(r: string | undefined, g: string | undefined, b: string | undefined): string | undefined {
  const parts = [r, g, b].map((x) => (x !== undefined && /^\d+$/.test(x) ? Number(x) : NaN));
  if (parts.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) return undefined;
  return `#${parts.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

const CUBE = [0, 95, 135, 175, 215, 255];
/** xterm's default 16 colours, for callers without a theme (the panel uses the VS Code terminal theme instead). */
const BASIC = [
  '#000000', '#cd0000', '#00cd00', '#cdcd00', '#0000ee', '#cd00cd', '#00cdcd', '#e5e5e5',
  '#7f7f7f', '#ff0000', '#00ff00', '#ffff00', '#5c5cff', '#ff00ff', '#00ffff', '#ffffff',
];

/** `#rrggbb` of an xterm 256-colour palette index. */
export function ansi256ToHex(index: number): string {
  const n = Math.max(0, Math.min(255, Math.floor(index)));
  if (n < 16) return BASIC[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `#${hex2(v)}${hex2(v)}${hex2(v)}`;
  }
  const i = n - 16;
  return `#${hex2(CUBE[Math.floor(i / 36)])}${hex2(CUBE[Math.floor(i / 6) % 6])}${hex2(CUBE[i % 6])}`;
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}
