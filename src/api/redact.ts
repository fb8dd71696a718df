/**
 * Keeps credentials out of text that ends up in error messages and logs. Messages are built from
 * method, path and status only, but server-provided text is untrusted: a misbehaving proxy or server
 * could echo the Authorization header back, so it is scrubbed before it is kept anywhere.
 */

const REDACTED = '[redacted]';

/** Tokens shorter than this are not searched for: replacing every "a" in a message helps nobody. */
const MIN_SECRET_LENGTH = 6;

const BEARER_PATTERN = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi;

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return out.replace(BEARER_PATTERN, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}

/**
 * `value` (parsed JSON) with every occurrence of `secret` in its strings, keys included, replaced by the
 * redaction mark: for documents that keep the server's values as sent, where only the secret must go.
 * Unlike `redact`, it leaves text that merely looks like a credential alone, and it is not length-gated:
 * whatever the secret, it never stays.
 */
export function withoutSecret(value: unknown, secret: string): unknown {
  if (!secret) return value;
  if (typeof value === 'string') return value.split(secret).join(REDACTED);
  if (Array.isArray(value)) return value.map((v) => withoutSecret(v, secret));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.split(secret).join(REDACTED), withoutSecret(v, secret)]));
  }
  return value;
}

/** Shortens text for a one-line message, on a code point boundary. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
