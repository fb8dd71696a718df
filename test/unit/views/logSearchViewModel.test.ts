import { strict as assert } from 'node:assert';
import type { LogMatch } from '../../../src/runs/logSearch';
import { countText, matchClipboardText, matchRecord, MatchGroups } from '../../../src/views/logMatchGroups';
import { cycle, describeScope, HISTORY_SIZE, LEVELS, parseSearchRequest, remember, sinceMs } from '../../../src/views/logSearchRequest';

function match(runId: string | null, message: string, extra: Partial<LogMatch> = {}): LogMatch {
  return { runId, logId: undefined, timestamp: '2026-11-30T10:00:00Z', timeMs: Date.parse('2026-11-30T10:00:00Z'), level: 'error', text: message, ranges: [], message, ...extra };
}

describe('log search request', () => {
  it('reads a request from outside, with defaults, and refuses what is not one', () => {
    assert.deepEqual(parseSearchRequest({ text: 'oom' }), { text: 'oom', level: 'any', range: 'all', filtered: false });
    assert.deepEqual(parseSearchRequest({ text: 'x', level: 'error', range: 'today', filtered: true }), { text: 'x', level: 'error', range: 'today', filtered: true });
    assert.equal(parseSearchRequest({ text: '  ' }), undefined);
    assert.equal(parseSearchRequest('oom'), undefined);
    assert.equal(parseSearchRequest({ text: 'x'.repeat(1_001) }), undefined);
    assert.deepEqual(parseSearchRequest({ text: 'x', level: 'fatal', range: 'year' }), { text: 'x', level: 'any', range: 'all', filtered: false });
  });

  it('keeps the last searches newest first, without repeats, within its size', () => {
    let history: unknown[] = [{ text: 'bogus', level: 7 }, 'junk'];
    for (let i = 0; i < HISTORY_SIZE + 3; i++) history = remember(history, { text: `q${i}`, level: 'any', range: 'all', filtered: false });
    history = remember(history, { text: 'q5', level: 'any', range: 'all', filtered: false });
    assert.equal(history.length, HISTORY_SIZE);
    assert.equal((history[0] as { text: string }).text, 'q5');
    assert.equal(history.filter((h) => (h as { text: string }).text === 'q5').length, 1);
  });

  it('turns a time range into its earliest instant, today from local midnight', () => {
    const now = new Date(2026, 10, 30, 15, 30).getTime();
    assert.equal(sinceMs('all', now), undefined);
    assert.equal(sinceMs('hour', now), now - 3_600_000);
    assert.equal(sinceMs('today', now), new Date(2026, 10, 30).getTime());
    assert.equal(sinceMs('week', now), now - 7 * 86_400_000);
  });

  it('cycles the level and names the scope', () => {
    assert.equal(cycle(LEVELS, 'any'), 'warning');
    assert.equal(cycle(LEVELS, 'error'), 'any');
    assert.equal(describeScope({ level: 'error', range: 'today', filtered: true }), "errors only · today · runs in the Runs view's filter");
  });
});

describe('log match groups', () => {
  it('groups matches by run in the order runs were found, keeping lines without a run', () => {
    const groups = new MatchGroups();
    const changed = groups.add([match('b', 'one'), match(null, 'orphan'), match('a', 'two'), match('b', 'three')], [{ id: 'a', label: 'Model A' }]);
    assert.equal(changed.length, 3);
    assert.deepEqual(
      groups.groups().map((g) => [g.runId, g.matches.length]),
      [
        ['b', 2],
        [null, 1],
        ['a', 1],
      ],
    );
    assert.equal(groups.group('a')?.summary?.label, 'Model A');
    assert.equal(groups.matchCount, 4);
    assert.equal(groups.runCount, 3);
    assert.deepEqual([...groups.all()].map((m) => m.message), ['one', 'three', 'orphan', 'two']);
    // A later page may bring the summary of a run already listed.
    assert.deepEqual(groups.add([], [{ id: 'b', label: 'Model B' }]).map((g) => g.runId), ['b']);
  });

  it('writes a match for the clipboard and as JSON Lines without ANSI codes', () => {
    const m = match('r1', '\u001b[31mboom\u001b[0m', { logId: 'l1' });
    assert.equal(matchClipboardText(m), 'r1 2026-11-30T10:00:00Z [ERROR] boom');
    assert.deepEqual(JSON.parse(matchRecord(m, 'boom')), { run_id: 'r1', log_id: 'l1', timestamp: '2026-11-30T10:00:00Z', level: 'error', message: 'boom', query: 'boom' });
    assert.equal(matchClipboardText(match(null, 'x', { timestamp: '', level: '' })), 'unknown-run - x');
  });

  it('counts in words', () => {
    assert.equal(countText(1, 1), '1 match in 1 run');
    assert.equal(countText(1_200, 3), '1,200 matches in 3 runs');
    assert.equal(countText(0, 0), '0 matches');
  });
});
