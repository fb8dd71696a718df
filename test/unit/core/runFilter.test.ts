import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import { canFilterLocally, describeFilter, filterParams, isEmptyFilter, matchesFilter, sendsFilter } from '../../../src/core/runFilter';

const run = (fields: Partial<Run>): Run => ({ id: 'r', status_code: 'failed', source_code: 'api', model: { slug: 'sdxl-turbo', name: 'SDXL Turbo' } as Run['model'], ...fields });

describe('runFilter', () => {
  it('never puts the target into q: the field it would need is not in the reference', () => {
    const params = filterParams({ target: 'sdxl' });
    assert.deepEqual(params, {});
    assert.equal(sendsFilter({ target: 'sdxl' }), false);
    assert.ok(matchesFilter(run({}), { target: 'SDXL' }));
    assert.ok(matchesFilter(run({}), { target: 'turbo' }));
    assert.ok(!matchesFilter(run({}), { target: 'flux' }));
  });

  it('sends statuses, source and q to the server, and evaluation filters as their documented parameters', () => {
    const params = filterParams({ statuses: ['failed'], evaluationStatus: 'failed', evaluationIssueCategory: 'safety', evaluationIssueSubcategory: 'nsfw' });
    assert.equal(params.q, "status_code = 'failed'");
    assert.equal(params.evaluation_status, 'failed');
    assert.equal(params.evaluation_issue_category, 'safety');
    assert.equal(params.evaluation_issue_subcategory, 'nsfw');
  });

  it('sends nothing once the filter is local, and checks it on each run instead', () => {
    const filter = { statuses: ['failed'], source: 'api', local: true };
    assert.deepEqual(filterParams(filter), {});
    assert.ok(matchesFilter(run({}), filter));
    assert.ok(matchesFilter(run({ status_code: 'FAILED' }), filter), 'statuses match whatever their case');
    assert.ok(!matchesFilter(run({ status_code: 'running' }), filter));
    assert.ok(!matchesFilter(run({ source_code: 'playground' }), filter));
  });

  it('checks statuses on the answer too, so a server that ignores q cannot widen the view', () => {
    assert.ok(!matchesFilter(run({ status_code: 'succeeded' }), { statuses: ['failed'] }));
  });

  it('judges evaluation status locally only when the run carries a summary', () => {
    assert.ok(matchesFilter(run({ current_evaluation_summary: { passed: true } }), { evaluationStatus: 'passed' }));
    assert.ok(!matchesFilter(run({ current_evaluation_summary: { passed: false } }), { evaluationStatus: 'passed' }));
    assert.ok(!matchesFilter(run({ current_evaluation_summary: null }), { evaluationStatus: 'passed' }));
    assert.ok(matchesFilter(run({}), { evaluationStatus: 'passed' }), 'no summary sent: left to the server');
  });

  it('says what can be filtered locally, and names a local filter as such', () => {
    assert.ok(canFilterLocally({ statuses: ['failed'] }));
    assert.ok(!canFilterLocally({ query: "status_code = 'failed'" }));
    assert.ok(!canFilterLocally({ evaluationIssueCategory: 'safety' }));
    assert.equal(describeFilter({ statuses: ['failed'], local: true }), 'Failed · filtered locally');
    assert.ok(isEmptyFilter({ local: true }));
    assert.ok(!isEmptyFilter({ evaluationIssueSubcategory: 'x' }));
  });
});
