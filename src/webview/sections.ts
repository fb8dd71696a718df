/** A titled, optionally collapsible block of the panel (`data-section` is the hook tests use). */
import { el, replace, setAttr, setText, type Child } from './dom';
import { icon } from './icons';

export type SectionId = 'failure' | 'header' | 'evaluation' | 'nodes' | 'input' | 'output' | 'metadata' | 'context' | 'previews' | 'logs';

export interface SectionOptions {
  id: SectionId;
  title: string;
  collapsed?: boolean;
  onToggle?: (collapsed: boolean) => void;
}

export interface Section {
  root: HTMLElement;
  body: HTMLElement;
  setBadge(text: string | undefined): void;
  setActions(...nodes: Child[]): void;
  setCollapsed(collapsed: boolean): void;
  isCollapsed(): boolean;
}

export function collapsibleSection(options: SectionOptions): Section {
  const bodyId = `section-body-${options.id}`;
  const badge = el('span', { class: 'badge section-badge', hidden: true });
  const toggle = el(
    'button',
    { type: 'button', class: 'section-toggle', 'aria-expanded': 'true', 'aria-controls': bodyId },
    icon('chevron-down', 'section-chevron'),
    el('span', { class: 'section-title-text' }, options.title),
    badge,
  );
  const actions = el('div', { class: 'section-actions' });
  const body = el('div', { class: 'section-body', id: bodyId });
  const root = el(
    'section',
    { class: 'section', 'data-section': options.id, 'aria-label': options.title },
    el('header', { class: 'section-header' }, el('h2', { class: 'section-title' }, toggle), actions),
    body,
  );
  let collapsed = false;
  const setCollapsed = (value: boolean) => {
    collapsed = value;
    root.classList.toggle('collapsed', value);
    setAttr(toggle, 'aria-expanded', value ? 'false' : 'true');
    body.hidden = value;
  };
  toggle.addEventListener('click', () => {
    setCollapsed(!collapsed);
    options.onToggle?.(collapsed);
  });
  setCollapsed(!!options.collapsed);
  return {
    root,
    body,
    setBadge(text) {
      setText(badge, text ?? '');
      badge.hidden = !text;
    },
    setActions(...nodes) {
      replace(actions, ...nodes);
    },
    setCollapsed,
    isCollapsed: () => collapsed,
  };
}

/** An empty-state line ("No node runs", "Loading…"). */
export function emptyState(message: string, iconName?: string): HTMLElement {
  return el('div', { class: 'empty-state' }, iconName ? icon(iconName) : null, el('span', null, message));
}
