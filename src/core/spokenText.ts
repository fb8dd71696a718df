/**
 * Row text as a screen reader should say it. The rows abbreviate for the eye ("7 min ago · 44 s", "19m 40s");
 * read aloud, "min" and "s" are noise and "·" is read as a symbol, so units are spelled out and the dot
 * becomes a pause.
 */
const SPACED_UNITS: Record<string, string> = { ms: 'millisecond', s: 'second', min: 'minute', h: 'hour', d: 'day' };
const JOINED_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };

function unit(amount: string, name: string): string {
  return `${amount} ${name}${amount === '1' ? '' : 's'}`;
}

export function spokenText(text: string): string {
  return text
    .split(' · ')
    .join(', ')
    .replace(/\b(\d+(?:\.\d+)?) (ms|s|min|h|d)\b/g, (_, amount: string, u: string) => unit(amount, SPACED_UNITS[u]))
    .replace(/\b(\d+)(s|m|h|d)\b/g, (_, amount: string, u: string) => unit(amount, JOINED_UNITS[u]));
}
