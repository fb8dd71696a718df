/**
 * Media URLs in a run's output: which strings are images, videos or sounds, and which of them the
 * panel may load. Only http(s) URLs count (never data, blob, file or script URLs), and only
 * origins the extension allowed are loaded; the rest are offered as links. No DOM here.
 */
import { lookup } from '../core/lookup';
import { isWebUrl } from '../shared/protocol';

export type MediaKind = 'image' | 'video' | 'audio';

export interface MediaRef {
  url: string;
  kind: MediaKind;
  /** Where in the output it was found, e.g. `images[0].url`. */
  path: string;
}

/** SVG is left out on purpose: it is a document that can carry script, not just pixels. */
const EXTENSIONS: Record<string, MediaKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  mp4: 'video',
  webm: 'video',
  mp3: 'audio',
  wav: 'audio',
  ogg: 'audio',
};

const MAX_URL_LENGTH = 8_192;

/** The media kind of a web URL, from the extension of its path (query and fragment ignored). */
export function classifyMediaUrl(text: string): MediaKind | undefined {
  if (typeof text !== 'string' || text.length > MAX_URL_LENGTH || !/^https?:\/\//i.test(text.trim())) return undefined;
  const value = text.trim();
  if (!isWebUrl(value)) return undefined;
  let pathname: string;
  try {
    pathname = new URL(value).pathname;
  } catch {
    return undefined;
  }
  const m = /\.([a-z0-9]+)$/i.exec(pathname);
  return m ? lookup(EXTENSIONS, m[1].toLowerCase()) : undefined;
}

/**
 * Whether the URL's origin is one of `allowedOrigins` (compared as parsed origins, so case and default
 * ports do not matter). The entry `https:` allows every https origin.
 */
export function isAllowedOrigin(url: string, allowedOrigins: readonly string[]): boolean {
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
    origin = parsed.origin;
  } catch {
    return false;
  }
  return allowedOrigins.some((allowed) => {
    if (allowed === 'https:') return origin.startsWith('https://');
    try {
      const a = new URL(allowed);
      return (a.protocol === 'https:' || a.protocol === 'http:') && a.origin === origin;
    } catch {
      return false;
    }
  });
}

/**
 * Media URLs anywhere in `value` (depth first, in key order), each URL once, at most `limit`.
 * Visits a bounded number of values so a huge output cannot stall the panel.
 */
export function collectMediaUrls(value: unknown, limit = 24, maxVisited = 20_000): MediaRef[] {
  const found: MediaRef[] = [];
  const seen = new Set<string>();
  let visited = 0;
  const walk = (v: unknown, path: string, depth: number): void => {
    if (found.length >= limit || visited++ > maxVisited || depth > 32) return;
    if (typeof v === 'string') {
      const kind = classifyMediaUrl(v);
      const url = v.trim();
      if (kind && !seen.has(url)) {
        seen.add(url);
        found.push({ url, kind, path });
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length && found.length < limit; i++) walk(v[i], `${path}[${i}]`, depth + 1);
    } else if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
        if (found.length >= limit) break;
        walk(child, path ? `${path}.${key}` : key, depth + 1);
      }
    }
  };
  walk(value, '', 0);
  return found;
}
