/** Copy buttons: the text goes to the extension, which writes the clipboard (webviews may not reliably). */
import { MAX_COPY_LENGTH } from '../shared/protocol';
import { button, setAttr } from './dom';
import { icon } from './icons';
import { post } from './vscodeApi';

export function copyText(text: string): boolean {
  if (text.length > MAX_COPY_LENGTH) return false;
  post({ type: 'copy', text });
  return true;
}

/** An icon button that copies `getText()` and briefly shows a check mark. */
export function copyButton(label: string, getText: () => string, extraClass = ''): HTMLButtonElement {
  const glyph = icon('copy');
  const b = button(label, { class: `icon-button copy-button ${extraClass}`.trim(), 'data-action': 'copy' }, glyph);
  let timer: ReturnType<typeof setTimeout> | undefined;
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    const ok = copyText(getText());
    glyph.className = `codicon codicon-${ok ? 'check' : 'warning'}`;
    setAttr(b, 'title', ok ? 'Copied' : 'Too large to copy');
    clearTimeout(timer);
    timer = setTimeout(() => {
      glyph.className = 'codicon codicon-copy';
      setAttr(b, 'title', label);
    }, 1200);
  });
  return b;
}
