/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns the wait in milliseconds, or undefined when the value is absent or unreadable, so that
 * the caller falls back to its own backoff rather than trusting garbage.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // The grammar is digits only; a fraction is tolerated since some servers send one.
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Math.ceil(Number(text) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  // All three HTTP-date forms start with a day name; Date.parse alone would accept "-1" or "2024".
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  // asctime() dates carry no zone but are GMT by definition; Date.parse would read them as local time.
  const at = Date.parse(/\d{4}$/.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
