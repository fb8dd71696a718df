import { strict as assert } from 'node:assert';
import { FollowState } from '../../../src/webview/follow';

describe('follow mode', () => {
  it('follows at the bottom, pauses when scrolled up, resumes at the bottom', () => {
    const f = new FollowState(true);
    assert.equal(f.following, true);
    f.onScroll(false);
    assert.equal(f.following, false);
    assert.equal(f.paused, true);
    assert.equal(f.showJump(true, 100), true);
    f.onScroll(true);
    assert.equal(f.following, true);
    assert.equal(f.showJump(true, 100), false);
  });

  it('jump to latest resumes following', () => {
    const f = new FollowState(true);
    f.onScroll(false);
    f.jumpToLatest();
    assert.equal(f.following, true);
  });

  it('with the option off never follows, but offers the jump while lines arrive', () => {
    const f = new FollowState(false);
    assert.equal(f.following, false);
    f.onScroll(false);
    assert.equal(f.paused, false);
    assert.equal(f.showJump(true, 10), true);
    assert.equal(f.showJump(false, 10), false);
    assert.equal(f.showJump(true, 0), false);
  });

  it('turning the option on goes to the bottom', () => {
    const f = new FollowState(false);
    f.onScroll(false);
    assert.equal(f.setOption(true), true);
    assert.equal(f.following, true);
    assert.equal(f.setOption(false), false);
    assert.equal(f.following, false);
  });
});
