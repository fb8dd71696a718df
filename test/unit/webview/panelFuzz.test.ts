import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { installDom, uninstallDom, visibleStrings, type ShimElement } from './domShim';
import { RunView } from '../../../src/webview/runView';
import { runLike } from '../../hardening/support/arbitraries';

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('webview: any run a server may send', () => {
  before(() => installDom());
  after(() => uninstallDom());

  it('is drawn without throwing, without a bidirectional control, a currency sign on text, or an hour count from 1e308', function () {
    this.timeout(30_000);
    fc.assert(
      fc.property(runLike, (run) => {
        const view = new RunView({ isCollapsed: () => false, setCollapsed: () => undefined, treeToggles: () => new Map(), setTreeToggle: () => undefined }, { allowedOrigins: [] });
        view.update(run, Date.now());
        view.tick(Date.now() + 1_000);
        const root = view.root as unknown as ShimElement;
        assert.equal(visibleStrings(root).filter((s) => BIDI.test(s)).length, 0);
        const cost = root.querySelector('[data-testid="cost"]');
        if (cost?.getAttribute('data-kind') === 'text') assert.ok(!cost.textContent.startsWith('$') || String(run.cost).trim().startsWith('$'));
        assert.doesNotMatch(root.querySelector('[data-testid="duration"]')?.textContent ?? '', /e\+\d+h/);
        const fill = root.querySelector('.progress-fill');
        if (fill) assert.ok(Number.parseFloat(fill.style.width) >= 0 && Number.parseFloat(fill.style.width) <= 100, fill.style.width);
      }),
      { numRuns: 100, seed: 14 },
    );
  });
});
