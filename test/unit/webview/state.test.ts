import { strict as assert } from 'node:assert';
import { defaultUiState, parseUiState, UiStateStore, withTreeToggle } from '../../../src/webview/state';

describe('persisted UI state', () => {
  it('round-trips a valid state', () => {
    const s = { ...defaultUiState('run-1'), options: { timestamps: false, wrap: true, follow: false }, logPosition: 1234.5, logAtBottom: false, collapsed: ['input'], searchText: 'oom', level: 'error', treeToggles: { output: [['/a', true]] as [string, boolean][] } };
    assert.deepEqual(parseUiState(JSON.parse(JSON.stringify(s))), s);
  });

  it('drops what is malformed', () => {
    assert.equal(parseUiState(null), undefined);
    assert.equal(parseUiState({ runId: 3 }), undefined);
    const s = parseUiState({ runId: 'r', options: { timestamps: 'yes' }, logPosition: 'x', collapsed: [1, 'nodes'], level: 'bad level!', treeToggles: { input: [['/a', 'no'], ['/b', false]] } })!;
    assert.equal(s.options, undefined);
    assert.equal(s.logPosition, -1);
    assert.deepEqual(s.collapsed, ['nodes']);
    assert.equal(s.level, '');
    assert.deepEqual(s.treeToggles.input, [['/b', false]]);
  });

  it('keeps the newest tree toggles, each path once', () => {
    let t = withTreeToggle(undefined, '/a', true);
    t = withTreeToggle(t, '/b', true);
    t = withTreeToggle(t, '/a', false);
    assert.deepEqual(t, [['/b', true], ['/a', false]]);
  });

  it('writes back after a delay, once per burst', async () => {
    const saved: unknown[] = [];
    const store = new UiStateStore(defaultUiState('r'), (s) => saved.push(s), 5);
    store.update({ pageScrollY: 1 });
    store.update({ pageScrollY: 2 });
    assert.equal(saved.length, 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(saved.length, 1);
    assert.equal((saved[0] as { pageScrollY: number }).pageScrollY, 2);
  });
});
