/**
 * The only way the panel builds DOM: elements from a fixed list of tags, attributes from a fixed list
 * of names that cannot run script or navigate, children as elements or text nodes. Text from the API
 * therefore always lands in the page as text, and without bidirectional controls: with them a server
 * could make `invoice-model\u202Efdp.exe` read as `invoice-modelexe.pdf`.
 */
import { neutralizeBidi } from '../core/sanitize';

export type Child = Node | string | number | null | undefined | false;
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue>;

/**
 * Attribute names that hold no URL and no script. `style`, `href`, `src`, event handlers, `action`,
 * `formaction`, `xlink:href` and the rest are refused; media sources are set by previews.ts after
 * checking the URL.
 */
const SAFE_ATTRIBUTE = /^(?:class|id|role|title|tabindex|type|for|name|placeholder|disabled|hidden|value|maxlength|spellcheck|autocomplete|colspan|rowspan|scope|lang|dir|controls|preload|alt|loading|decoding|referrerpolicy|aria-[a-z]+|data-[a-z0-9-]+)$/;

const FORBIDDEN_TAGS = new Set(['script', 'style', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'form', 'a', 'svg', 'math', 'template']);

export function isSafeAttribute(name: string): boolean {
  return SAFE_ATTRIBUTE.test(name);
}

export function setAttr(node: Element, name: string, value: AttrValue): void {
  if (!isSafeAttribute(name)) throw new Error(`attribute not allowed: ${name}`);
  if (value === null || value === undefined || value === false) node.removeAttribute(name);
  else node.setAttribute(name, value === true ? '' : neutralizeBidi(String(value)));
}

/** Sets the text of `node` (no-op when it already reads so, which spares layout on every clock tick). */
export function setText(node: Node, text: string | number): void {
  const value = neutralizeBidi(String(text));
  if (node.textContent !== value) node.textContent = value;
}

/** A text node: every string child of the panel is made here. */
export function textNode(value: string | number): Text {
  return document.createTextNode(neutralizeBidi(String(value)));
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  if (FORBIDDEN_TAGS.has(tag)) throw new Error(`element not allowed: ${tag}`);
  const node = document.createElement(tag);
  if (attrs) for (const [name, value] of Object.entries(attrs)) setAttr(node, name, value);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? textNode(child) : child);
  }
}

/** Replaces the children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/**
 * A `<button type="button">` with an accessible name; icon-only buttons get `label` as aria-label and tooltip.
 * A button that shows text is named by that text (`label` is its tooltip): a name that differs from what is
 * on screen leaves a voice-control user unable to say what they see.
 */
export function button(label: string, attrs: Attrs = {}, ...children: Child[]): HTMLButtonElement {
  const hasText = children.some((c) => (typeof c === 'string' ? !!c.trim() : typeof c === 'object' && !!c?.textContent?.trim()));
  return el('button', { type: 'button', title: label, ...(hasText ? {} : { 'aria-label': label }), ...attrs }, ...children);
}
