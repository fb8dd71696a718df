/**
 * The one rule for the API base URL, used by the settings and by the client alike: an http(s) URL
 * without credentials, query or fragment, and plain `http:` only to this machine, so that a mistyped
 * URL cannot send the token in clear text across a network.
 */
export type BaseUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

export function checkBaseUrl(raw: string, allowInsecureHttp = false): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: 'the Runflow API URL is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'the Runflow API URL must start with https://' };
  if (url.username || url.password) return { ok: false, problem: 'the Runflow API URL must not contain credentials' };
  if (url.search || url.hash) return { ok: false, problem: 'the Runflow API URL must not contain a query or fragment' };
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    return { ok: false, problem: 'the Runflow API URL must use https:// (plain http is only allowed for localhost)' };
  }
  // Tokens are stored under this text, so it must come out the same for `https://host/` and `https://host`.
  return { ok: true, url: url.toString().replace(/\/+$/, '') };
}

/**
 * Addresses that cannot leave the machine. Names under `.localhost` are left out: whether they resolve
 * to loopback depends on the system's resolver, and elsewhere they go to DNS like any other name.
 */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
