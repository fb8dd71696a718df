import { strict as assert } from 'node:assert';
import { spokenText } from '../../../src/core/spokenText';

describe('spokenText', () => {
  it('spells out the units a row abbreviates and reads its dots as pauses', () => {
    assert.equal(spokenText('7 min ago · 44 s'), '7 minutes ago, 44 seconds');
    assert.equal(spokenText('1 min ago · 1 s'), '1 minute ago, 1 second');
    assert.equal(spokenText('just now · 285 ms'), 'just now, 285 milliseconds');
    assert.equal(spokenText('3 h ago · running 19m 40s'), '3 hours ago, running 19 minutes 40 seconds');
    assert.equal(spokenText('2 d ago · 3.5 s'), '2 days ago, 3.5 seconds');
  });

  it('leaves everything else as it is', () => {
    assert.equal(spokenText('6/6 · 6 succeeded · $0.100471'), '6/6, 6 succeeded, $0.100471');
    assert.equal(spokenText('seeds and steps'), 'seeds and steps');
    assert.equal(spokenText('unknown time'), 'unknown time');
  });
});
