import { strict as assert } from 'node:assert';
import { parseSearchText, type TextMatcher } from '../../../src/core/searchText';
import { installDom, uninstallDom, visibleStrings, type ShimElement } from './domShim';
import { append, el, setAttr, setText } from '../../../src/webview/dom';
import { renderEvaluation } from '../../../src/webview/evaluation';
import { renderFailure } from '../../../src/webview/failure';
import { renderHeader } from '../../../src/webview/header';
import { statusBadge } from '../../../src/webview/icons';
import { renderJsonTree } from '../../../src/webview/jsonTree';
import { fillRow } from '../../../src/webview/logRow';
import { lineText } from '../../../src/webview/logText';
import { renderNodeRuns } from '../../../src/webview/nodeRuns';
import { renderPreviews } from '../../../src/webview/previews';
import { RunView } from '../../../src/webview/runView';
import { collapsibleSection } from '../../../src/webview/sections';

function matcher(query: string): TextMatcher {
  const parsed = parseSearchText(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.matcher;
}

/** Reads as "invoice-modelexe.pdf" wherever the U+202E survives. */
const SPOOF = 'invoice-model\u202Efdp.exe';
const CLEAN = 'invoice-modelfdp.exe';
const EVERY_CONTROL = 'a\u061Cb\u200Ec\u200Fd\u202Ae\u202Bf\u202Cg\u202Dh\u202Ei\u2066j\u2067k\u2068l\u2069m';
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function assertNoBidi(root: unknown, where: string): void {
  const hits = visibleStrings(root as ShimElement).filter((s) => BIDI.test(s));
  assert.deepEqual(hits.map((s) => JSON.stringify(s)), [], `${where} shows bidirectional controls`);
}

const asNode = (x: unknown) => x as ShimElement;

function spoofedRun(): Record<string, unknown> {
  return {
    id: SPOOF,
    status_code: `paused${SPOOF}`,
    target_type: 'model',
    target_version: SPOOF,
    model: { name: SPOOF, slug: SPOOF },
    request_id: SPOOF,
    batch_id: SPOOF,
    client_ref: SPOOF,
    source_code: SPOOF,
    created_at: SPOOF,
    started_at: '2026-11-22T11:00:00Z',
    cost: SPOOF,
    cost_breakdown: { [SPOOF]: SPOOF, gpu: '0.5' },
    failure_code: SPOOF,
    failure_stage_code: SPOOF,
    failure_message: `${SPOOF}\n${EVERY_CONTROL}`,
    input: { [SPOOF]: SPOOF, nested: { [SPOOF]: [SPOOF, { deep: SPOOF }] }, long: `${SPOOF}${'x'.repeat(2_000)}` },
    output: { [SPOOF]: `https://cdn.example.com/${SPOOF}.png`, clip: 'https://cdn.example.com/a.mp4' },
    metadata: { [SPOOF]: SPOOF },
    context: { note: SPOOF },
    node_runs: [
      { id: 'n1', node_id: SPOOF, state_code: SPOOF, error_message: SPOOF, cost: SPOOF, duration_ms: 10 },
      { id: 'n2', node_id: 'named', state_code: 'failed', error_message: `${SPOOF}${'y'.repeat(400)}` },
    ],
    flow: { nodes: [{ id: 'named', name: SPOOF }] },
    current_evaluation_summary: { passed: null, status_code: SPOOF, score: null },
  };
}

describe('webview: bidirectional controls never reach the page', () => {
  before(() => installDom());
  after(() => uninstallDom());

  it('dom.ts cleans every string child and every attribute value it sets', () => {
    const node = asNode(el('span', { title: SPOOF, 'aria-label': SPOOF, 'data-testid': 'x' }, SPOOF, 42));
    assert.equal(node.textContent, `${CLEAN}42`);
    assert.equal(node.getAttribute('title'), CLEAN);
    assert.equal(node.getAttribute('aria-label'), CLEAN);
    append(node as unknown as Node, EVERY_CONTROL);
    assert.equal(node.textContent, `${CLEAN}42abcdefghijklm`);
    setAttr(node as unknown as Element, 'title', EVERY_CONTROL);
    assert.equal(node.getAttribute('title'), 'abcdefghijklm');
    setText(node as unknown as Node, SPOOF);
    assert.equal(node.textContent, CLEAN);
  });

  it('the header: title, target, version, ids, source, cost, breakdown and times', () => {
    const header = renderHeader(spoofedRun(), Date.parse('2026-11-22T12:00:00Z'));
    const root = asNode(header.root);
    assertNoBidi(root, 'the header');
    assert.equal(root.querySelector('[data-testid="target"]')!.textContent, CLEAN);
    assert.equal(root.querySelector('[data-testid="target"]')!.getAttribute('dir'), 'auto');
    assert.ok(root.textContent.includes(CLEAN));
    header.tick(Date.parse('2026-11-22T12:05:00Z'));
    assertNoBidi(root, 'the header after a tick');
  });

  it('failure text, code and stage', () => {
    const root = asNode(renderFailure(spoofedRun()));
    assertNoBidi(root, 'the failure section');
    assert.equal(root.querySelector('[data-testid="failure-message"]')!.textContent, `${CLEAN}\nabcdefghijklm`);
    assert.equal(root.querySelector('[data-testid="failure-code"]')!.textContent, CLEAN);
  });

  it('node ids, node names, states, costs and errors, also after "more"', () => {
    const root = asNode(renderNodeRuns(spoofedRun()));
    assertNoBidi(root, 'the node runs');
    assert.ok(root.textContent.includes(CLEAN));
    const more = root.querySelector('.link-button')!;
    more.click();
    assertNoBidi(root, 'an expanded node error');
  });

  it('JSON tree keys and strings, expanded, collapsed and shown whole', () => {
    const run = spoofedRun();
    const root = asNode(renderJsonTree(run.input, { toggles: new Map(), onToggle: () => undefined }));
    for (const toggle of root.querySelectorAll('.jt-toggle')) {
      toggle.click();
      toggle.click();
    }
    for (const more of root.querySelectorAll('.jt-more')) more.click();
    assertNoBidi(root, 'the JSON tree');
    assert.ok(root.textContent.includes(JSON.stringify(CLEAN)));
  });

  it('preview labels', () => {
    const root = asNode(renderPreviews([{ url: `https://cdn.example.com/${SPOOF}.png`, kind: 'image', path: SPOOF }], { allowedOrigins: [] }));
    assertNoBidi(root, 'the previews');
  });

  it('the evaluation status and the status badge', () => {
    assertNoBidi(renderEvaluation({ passed: null, status_code: SPOOF, score: null }), 'the evaluation');
    assertNoBidi(statusBadge(SPOOF), 'a status badge');
  });

  it('section badges', () => {
    const section = collapsibleSection({ id: 'input', title: 'Input' });
    section.setBadge(SPOOF);
    assertNoBidi(section.root, 'a section badge');
  });

  it('log lines: message, level and timestamp, with search marks placed on the text as shown', () => {
    const row = asNode(el('div'));
    const line = { index: 0, level: SPOOF, timestamp: SPOOF, message: `\u001b[31m${SPOOF}\u001b[0m ${EVERY_CONTROL}` };
    for (const wrap of [false, true]) {
      fillRow(row as unknown as HTMLElement, 0, line, { timestamps: true, wrap, matcher: matcher('modelfdp'), current: true });
      assertNoBidi(row, 'a log row');
      assert.ok(row.textContent.includes(`${CLEAN} abcdefghijklm`));
      assert.equal(row.querySelector('mark')!.textContent, 'modelfdp', 'the match spans where the control was');
    }
    const t = lineText(SPOOF, { wrap: false, matcher: matcher('fdp') });
    assert.deepEqual(t.segments, [{ text: 'invoice-model' }, { text: 'fdp', mark: true }, { text: '.exe' }]);
    assert.equal(t.hiddenChars, 0);
  });

  it('the whole panel above the logs, section by section', () => {
    const view = new RunView(
      { isCollapsed: () => false, setCollapsed: () => undefined, treeToggles: () => new Map(), setTreeToggle: () => undefined },
      { allowedOrigins: ['https://cdn.example.com'] },
    );
    view.update(spoofedRun(), Date.parse('2026-11-22T12:00:00Z'));
    const root = asNode(view.root);
    for (const id of ['failure', 'header', 'evaluation', 'nodes', 'input', 'output', 'metadata', 'context', 'previews']) {
      assert.ok(root.querySelector(`[data-section="${id}"]`), `section ${id} drawn`);
    }
    assertNoBidi(root, 'the panel');
    view.showLoading(SPOOF);
    assertNoBidi(root, 'the loading panel');
  });
});
