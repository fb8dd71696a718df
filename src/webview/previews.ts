/**
 * Previews of media URLs found in the run's output. A URL is loaded only when its origin is in the
 * media policy the extension sent (the page's CSP allows the same origins); otherwise it is offered
 * as a link that the extension opens after VS Code's external-link confirmation.
 */
import type { MediaPolicy } from '../shared/protocol';
import { isWebUrl } from '../shared/protocol';
import { copyButton } from './copy';
import { button, el } from './dom';
import { icon } from './icons';
import { collectMediaUrls, isAllowedOrigin, type MediaKind, type MediaRef } from './mediaUrls';
import { post } from './vscodeApi';

const KIND_ICONS: Record<MediaKind, string> = { image: 'file-media', video: 'device-camera-video', audio: 'unmute' };

export function openLinkButton(url: string, label: string, extraClass = ''): HTMLButtonElement {
  const b = button(`Open ${url} in the browser`, { class: `link-button ${extraClass}`.trim() }, label);
  b.addEventListener('click', () => {
    if (isWebUrl(url)) post({ type: 'openLink', url });
  });
  return b;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function mediaElement(ref: MediaRef, onError: () => void): HTMLElement {
  // The URL passed isWebUrl and the origin check; it is set as a property, never through markup.
  if (ref.kind === 'image') {
    const img = el('img', { alt: `Output ${ref.path || 'image'}`, loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer', class: 'preview-media' });
    img.addEventListener('error', onError, { once: true });
    img.src = ref.url;
    return img;
  }
  const media = el(ref.kind, { controls: true, preload: 'metadata', class: 'preview-media', 'aria-label': `Output ${ref.path || ref.kind}` });
  media.addEventListener('error', onError, { once: true });
  media.src = ref.url;
  return media;
}

function card(ref: MediaRef, allowed: boolean): HTMLElement {
  const caption = el(
    'div',
    { class: 'preview-caption' },
    icon(KIND_ICONS[ref.kind]),
    el('span', { class: 'preview-path mono', title: ref.path }, ref.path || '(output)'),
    el('span', { class: 'preview-actions' }, openLinkButton(ref.url, 'Open'), copyButton('Copy URL', () => ref.url)),
  );
  const root = el('figure', { class: `preview-card preview-${ref.kind}`, 'data-testid': 'preview', 'data-kind': ref.kind, 'data-loaded': allowed ? 'true' : 'false' });
  if (allowed) {
    const frame = el('div', { class: 'preview-frame' });
    frame.append(
      mediaElement(ref, () => {
        root.setAttribute('data-loaded', 'error');
        frame.replaceChildren(el('div', { class: 'preview-blocked' }, icon('warning'), el('span', null, 'Could not load this preview.')));
      }),
    );
    root.append(frame);
  } else {
    root.append(
      el(
        'div',
        { class: 'preview-frame preview-blocked' },
        icon('shield'),
        el('span', null, `Not previewed: ${hostOf(ref.url)} is not an allowed media origin.`),
        openLinkButton(ref.url, 'Open in browser'),
      ),
    );
  }
  root.append(el('figcaption', null, caption));
  return root;
}

export function outputMedia(output: unknown): MediaRef[] {
  return collectMediaUrls(output);
}

export function renderPreviews(refs: MediaRef[], policy: MediaPolicy): HTMLElement {
  return el(
    'div',
    { class: 'preview-grid' },
    ...refs.map((ref) => card(ref, isAllowedOrigin(ref.url, policy.allowedOrigins))),
  );
}
