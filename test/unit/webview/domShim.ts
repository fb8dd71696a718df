/**
 * A small DOM for running the panel's renderers in plain Node: elements, text nodes, fragments,
 * attributes, classes, events and simple selectors (tag, .class, [attr], [attr="value"], descendants).
 * Text goes in exactly as the code hands it over (like the browser's own `append`), so a test sees
 * whatever the code failed to clean.
 */

type Listener = (event: ShimEvent) => void;

export class ShimEvent {
  defaultPrevented = false;
  propagationStopped = false;
  constructor(readonly type: string) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  stopPropagation(): void {
    this.propagationStopped = true;
  }
}

export class ShimNode {
  childNodes: ShimNode[] = [];
  parentNode: ShimNode | null = null;
  constructor(readonly ownerDocument: ShimDocument | null) {}

  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.replaceChildren();
    if (value !== '') this.appendChild(new ShimText(this.ownerDocument, String(value)));
  }

  get firstChild(): ShimNode | null {
    return this.childNodes[0] ?? null;
  }

  get isConnected(): boolean {
    let root: ShimNode = this.parentNode ?? this;
    while (root.parentNode) root = root.parentNode;
    return root === this.ownerDocument?.body || root === this.ownerDocument;
  }

  appendChild<T extends ShimNode>(child: T): T {
    return this.insertBefore(child, null);
  }

  insertBefore<T extends ShimNode>(child: T, ref: ShimNode | null): T {
    const nodes = child instanceof ShimFragment ? [...child.childNodes] : [child];
    for (const n of nodes) {
      n.remove();
      n.parentNode = this;
      const at = ref ? this.childNodes.indexOf(ref) : -1;
      if (at >= 0) this.childNodes.splice(at, 0, n);
      else this.childNodes.push(n);
    }
    if (child instanceof ShimFragment) child.childNodes = [];
    return child;
  }

  append(...nodes: (ShimNode | string)[]): void {
    for (const n of nodes) this.appendChild(typeof n === 'string' ? new ShimText(this.ownerDocument, n) : n);
  }

  replaceChildren(...nodes: (ShimNode | string)[]): void {
    for (const c of [...this.childNodes]) c.remove();
    this.append(...nodes);
  }

  remove(): void {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
}

export class ShimText extends ShimNode {
  constructor(
    doc: ShimDocument | null,
    public data: string,
  ) {
    super(doc);
  }
  override get textContent(): string {
    return this.data;
  }
  override set textContent(value: string) {
    this.data = value;
  }
}

export class ShimFragment extends ShimNode {}

class ClassList {
  constructor(private readonly owner: ShimElement) {}
  private list(): string[] {
    return (this.owner.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
  }
  contains(c: string): boolean {
    return this.list().includes(c);
  }
  add(...cs: string[]): void {
    const l = this.list();
    for (const c of cs) if (!l.includes(c)) l.push(c);
    this.owner.setAttribute('class', l.join(' '));
  }
  remove(...cs: string[]): void {
    this.owner.setAttribute('class', this.list().filter((c) => !cs.includes(c)).join(' '));
  }
  toggle(c: string, force?: boolean): boolean {
    const on = force ?? !this.contains(c);
    if (on) this.add(c);
    else this.remove(c);
    return on;
  }
}

export class ShimElement extends ShimNode {
  readonly tagName: string;
  readonly attributes = new Map<string, string>();
  readonly style: Record<string, string> = {};
  readonly classList = new ClassList(this);
  private readonly listeners = new Map<string, Listener[]>();
  value = '';
  src = '';
  disabled = false;

  constructor(doc: ShimDocument | null, tag: string) {
    super(doc);
    this.tagName = tag.toUpperCase();
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
    if (name === 'disabled') this.disabled = true;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
    if (name === 'disabled') this.disabled = false;
  }

  get className(): string {
    return this.getAttribute('class') ?? '';
  }
  set className(value: string) {
    this.setAttribute('class', value);
  }
  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  get title(): string {
    return this.getAttribute('title') ?? '';
  }
  set title(value: string) {
    this.setAttribute('title', value);
  }
  get hidden(): boolean {
    return this.hasAttribute('hidden');
  }
  set hidden(value: boolean) {
    if (value) this.setAttribute('hidden', '');
    else this.removeAttribute('hidden');
  }

  addEventListener(type: string, listener: Listener): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener);
    this.listeners.set(type, list);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((l) => l !== listener));
  }
  dispatchEvent(event: ShimEvent): boolean {
    for (const n of selfAndAncestors(this)) {
      if (event.propagationStopped) break;
      if (n instanceof ShimElement) for (const l of [...(n.listeners.get(event.type) ?? [])]) l(event);
    }
    return !event.defaultPrevented;
  }
  click(): void {
    if (!this.disabled) this.dispatchEvent(new ShimEvent('click'));
  }

  querySelectorAll(selector: string): ShimElement[] {
    const out: ShimElement[] = [];
    const walk = (n: ShimNode) => {
      for (const c of n.childNodes) {
        if (c instanceof ShimElement) {
          if (c.matches(selector, this)) out.push(c);
          walk(c);
        }
      }
    };
    walk(this);
    return out;
  }
  querySelector(selector: string): ShimElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  /** Compound selectors joined by descendant combinators, within `scope`. */
  matches(selector: string, scope: ShimNode | null = null): boolean {
    const parts = selector.trim().split(/\s+(?![^[]*\])/);
    const last = parts.pop()!;
    if (!matchesCompound(this, last)) return false;
    let n = this.parentNode;
    for (let i = parts.length - 1; i >= 0; i--) {
      while (n && n !== scope && !(n instanceof ShimElement && matchesCompound(n, parts[i]))) n = n.parentNode;
      if (!n || n === scope) return false;
      n = n.parentNode;
    }
    return true;
  }
}

/** Lazily, as a bubbling event goes: a listener that moves a node changes where the event goes next. */
function* selfAndAncestors(node: ShimNode): Generator<ShimNode> {
  for (let n: ShimNode | null = node; n; n = n.parentNode) yield n;
}

function matchesCompound(e: ShimElement, compound: string): boolean {
  const re = /([a-zA-Z][\w-]*)|\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/g;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(compound))) {
    if (m.index !== consumed) throw new Error(`selector not supported by the shim: ${compound}`);
    consumed = re.lastIndex;
    if (m[1] && e.tagName !== m[1].toUpperCase()) return false;
    if (m[2] && !e.classList.contains(m[2])) return false;
    if (m[3] && (!e.hasAttribute(m[3]) || (m[4] !== undefined && e.getAttribute(m[3]) !== m[4]))) return false;
  }
  if (consumed !== compound.length) throw new Error(`selector not supported by the shim: ${compound}`);
  return true;
}

export class ShimDocument extends ShimNode {
  readonly body: ShimElement;
  constructor() {
    super(null);
    this.body = new ShimElement(this, 'body');
    this.body.parentNode = this;
  }
  createElement(tag: string): ShimElement {
    return new ShimElement(this, tag);
  }
  createTextNode(data: string): ShimText {
    return new ShimText(this, data);
  }
  createDocumentFragment(): ShimFragment {
    return new ShimFragment(this);
  }
  getElementById(id: string): ShimElement | null {
    return this.body.querySelector(`[id="${id}"]`);
  }
}

/** Messages the renderers posted to the extension. */
export const posted: unknown[] = [];

const globals = globalThis as Record<string, unknown>;

/** Puts a fresh document (and the webview's `acquireVsCodeApi`) on the global object; returns it. */
export function installDom(): ShimDocument {
  const doc = new ShimDocument();
  globals.document = doc;
  globals.acquireVsCodeApi ??= () => ({
    postMessage: (m: unknown) => posted.push(m),
    getState: () => undefined,
    setState: () => undefined,
  });
  return doc;
}

export function uninstallDom(): void {
  delete globals.document;
}

/** Every string an element shows or says: text, plus the attributes a user sees or hears. */
export function visibleStrings(root: ShimNode): string[] {
  const out: string[] = [];
  const walk = (n: ShimNode) => {
    if (n instanceof ShimText) out.push(n.data);
    if (n instanceof ShimElement) for (const [name, value] of n.attributes) if (/^(title|alt|placeholder|aria-.*|value)$/.test(name)) out.push(value);
    for (const c of n.childNodes) walk(c);
  };
  walk(root);
  return out;
}
