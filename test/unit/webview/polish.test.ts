import { strict as assert } from 'node:assert';
import { installDom, uninstallDom, type ShimElement } from './domShim';
import { nodeRunState } from '../../../src/core/nodeRunState';
import { followsLog } from '../../../src/webview/follow';
import { renderHeader } from '../../../src/webview/header';
import { levelLabel } from '../../../src/webview/logRow';
import { levelOptionLabel } from '../../../src/webview/logsSection';
import { renderNodeRuns } from '../../../src/webview/nodeRuns';
import { RunView } from '../../../src/webview/runView';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const asNode = (x: unknown) => x as ShimElement;

function runView(): RunView {
  return new RunView({ isCollapsed: () => false, setCollapsed: () => undefined, treeToggles: () => new Map(), setTreeToggle: () => undefined }, { allowedOrigins: [] });
}

function outputText(run: Record<string, unknown>): string {
  const view = runView();
  view.update(run, NOW);
  return asNode(view.root).querySelector('[data-section="output"] .empty-state')?.textContent ?? '';
}

describe('webview: panel polish', () => {
  before(() => installDom());
  after(() => uninstallDom());

  it('says "No output" for a finished run, and "No output yet" only while it may still produce one', () => {
    assert.equal(outputText({ id: 'r', status_code: 'succeeded', output: null }), 'No output');
    assert.equal(outputText({ id: 'r', status_code: 'FAILED', output: {} }), 'No output');
    assert.equal(outputText({ id: 'r', status_code: 'running', output: null }), 'No output yet');
    assert.equal(outputText({ id: 'r', status_code: 'rebooting', output: null }), 'No output yet', 'a status nobody knows may still change');
  });

  it('switches from "No output yet" to "No output" when the run finishes', () => {
    const view = runView();
    view.update({ id: 'r', status_code: 'running' }, NOW);
    const text = () => asNode(view.root).querySelector('[data-section="output"] .empty-state')?.textContent;
    assert.equal(text(), 'No output yet');
    view.update({ id: 'r', status_code: 'succeeded' }, NOW);
    assert.equal(text(), 'No output');
  });

  it('shows the skeleton of the page while the run is on its way', () => {
    const view = runView();
    view.showLoading('run-123');
    const root = asNode(view.root);
    const skeleton = root.querySelector('[data-testid="skeleton"]');
    assert.ok(skeleton, 'a skeleton');
    assert.equal(skeleton!.getAttribute('role'), 'status');
    assert.ok(skeleton!.querySelectorAll('.skeleton-block').length >= 6);
    assert.match(root.textContent, /run-123/);
    view.update({ id: 'run-123', status_code: 'queued' }, NOW);
    assert.equal(root.querySelector('[data-testid="skeleton"]'), null, 'gone once the run is there');
  });

  it('draws the cost breakdown as a table: part, quantity, cost; unknown shapes as JSON', () => {
    const header = asNode(
      renderHeader({ id: 'r', cost: '0.0125', cost_breakdown: { currency: 'USD', gpu_seconds: '3.2', items: [{ label: 'gpu', amount: '0.0125' }, { label: 'odd', amount: [1] }] } }, NOW).root,
    );
    const table = header.querySelector('[data-testid="cost-breakdown"]')!;
    assert.ok(table, 'a table');
    assert.deepEqual(
      table.querySelectorAll('thead th').map((th) => th.textContent),
      ['Part', 'Quantity', 'Cost'],
    );
    const rows = table.querySelectorAll('[data-testid="cost-part"]').map((r) => [r.querySelector('th')!.textContent, ...r.querySelectorAll('td').map((td) => td.textContent)]);
    assert.deepEqual(rows, [
      ['gpu_seconds', '3.2', '—'],
      ['gpu', '—', '$0.0125'],
      ['odd', '{"label":"odd","amount":[1]}'],
    ]);
    assert.ok(!table.textContent.includes('items:'), 'no raw JSON of the whole breakdown');
    assert.ok(!table.textContent.includes('$3.20'), 'GPU seconds are not dollars');
    assert.equal(asNode(renderHeader({ id: 'r', cost: '1', cost_breakdown: {} }, NOW).root).querySelector('[data-testid="cost-breakdown"]'), null);
  });

  it('draws a node state with the icon the Runs tree gives it: skipped is a circle-slash in both', () => {
    const table = asNode(renderNodeRuns({ node_runs: [{ node_id: 'a', state_code: 'skipped' }, { node_id: 'b', state_code: 'completed' }, { node_id: 'c', state_code: 'weird' }] }));
    const icons = table.querySelectorAll('tr[data-testid="node-run"]').map((r) => r.querySelector('.status-icon')!.className);
    for (const [i, state] of ['skipped', 'completed', 'weird'].entries()) {
      const codicon = nodeRunState(state).icon.codicon.split('~')[0];
      assert.ok(icons[i].includes(`codicon-${codicon}`), `${state}: ${icons[i]} has ${codicon}`);
    }
    assert.ok(icons[0].includes('codicon-circle-slash'));
    assert.equal(table.querySelectorAll('tr[data-testid="node-run"]')[0].querySelector('.status-label')!.textContent, 'Skipped');
  });

  it("names node runs from the run's flow, and says why when it cannot", () => {
    const flow = asNode(
      renderNodeRuns({
        target_type: 'flow',
        flow: { nodes: [{ id: 'n1', label: 'Load image' }, { id: 'n2', slug: 'upscale' }] },
        node_runs: [{ node_id: 'n1', state_code: 'succeeded' }, { node_id: 'n2', state_code: 'running' }],
      }),
    );
    assert.deepEqual(
      flow.querySelectorAll('[data-testid="node-name"]').map((n) => n.textContent),
      ['Load image', 'upscale'],
    );
    assert.equal(flow.querySelector('[data-testid="node-naming-note"]'), null);
    const model = asNode(renderNodeRuns({ target_type: 'model', model: { slug: 'sdxl-turbo' }, node_runs: [{ node_id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' }] }));
    assert.match(model.querySelector('[data-testid="node-naming-note"]')!.textContent, /the API does not name a model's nodes/);
    assert.match(model.querySelector('tr[data-testid="node-run"]')!.textContent, /3f2504e0/);
  });

  it('names log levels in the filter as the log rows name them', () => {
    assert.equal(levelOptionLabel('error', ['error', 'info']), 'ERROR');
    assert.equal(levelOptionLabel('error', ['error']), levelLabel('error'));
    assert.equal(levelOptionLabel('info', ['error', 'info']), 'INFO');
    assert.equal(levelOptionLabel('warning', ['warning', 'warn']), 'WARN · warning', 'two codes shown alike stay apart');
    assert.equal(levelOptionLabel('notice', ['notice']), 'NOTIC');
  });

  it('follows the log of a run that may still write lines, not of a finished one unless the user asks', () => {
    assert.equal(followsLog(true, true, undefined), true);
    assert.equal(followsLog(true, undefined, undefined), true, 'until the run is known, as the option says');
    assert.equal(followsLog(true, false, undefined), false, 'a finished run has nothing to follow');
    assert.equal(followsLog(true, false, true), true, 'unless the user turns it on there');
    assert.equal(followsLog(false, true, undefined), false);
    assert.equal(followsLog(false, false, true), true);
    assert.equal(followsLog(true, true, false), false);
  });
});
