import { strict as assert } from 'node:assert';
import type { Run } from '../../../src/api/types';
import { ModelRefs } from '../../../src/runs/modelRefs';
import { MemoryMemento } from '../support/memoryStorage';

const slugOnly: Run = { id: 'r1', model_id: 'm-1', model: { slug: 'sdxl-turbo' } } as Run;

describe('ModelRefs', () => {
  it('records the owner/slug of a model id and lists it, also after a reload', () => {
    const memento = new MemoryMemento();
    const refs = new ModelRefs(memento, async () => assert.fail('nothing to ask'));
    refs.remember('m-1', 'runflow/sdxl-turbo');
    refs.remember('m-2', 'acme/flux');
    refs.remember('m-3', 'acme/flux');
    refs.remember(undefined, 'nobody/nothing');
    assert.deepEqual(refs.known(), ['runflow/sdxl-turbo', 'acme/flux']);
    const reloaded = new ModelRefs(memento, async () => assert.fail('nothing to ask'));
    assert.deepEqual(reloaded.known(), ['runflow/sdxl-turbo', 'acme/flux']);
    assert.equal(reloaded.guess(slugOnly), 'runflow/sdxl-turbo');
  });

  it('guesses a slug that already names its owner, and nothing from a bare slug', () => {
    const refs = new ModelRefs(new MemoryMemento(), async () => undefined);
    assert.equal(refs.guess({ id: 'r', model: { slug: 'acme/flux' } } as Run), 'acme/flux');
    assert.equal(refs.guess(slugOnly), undefined);
  });

  it('asks once for a model it cannot name, starting from the slug, and remembers the answer', async () => {
    const asked: string[] = [];
    const refs = new ModelRefs(new MemoryMemento(), async (slug) => {
      asked.push(slug);
      return ' runflow/sdxl-turbo ';
    });
    assert.equal(await refs.resolve(slugOnly), 'runflow/sdxl-turbo');
    assert.equal(await refs.resolve(slugOnly), 'runflow/sdxl-turbo');
    assert.deepEqual(asked, ['sdxl-turbo']);
    assert.deepEqual(refs.known(), ['runflow/sdxl-turbo']);
  });

  it('remembers nothing when the question is dismissed or the answer is not owner/slug', async () => {
    let answer: string | undefined = undefined;
    const refs = new ModelRefs(new MemoryMemento(), async () => answer);
    assert.equal(await refs.resolve(slugOnly), undefined);
    answer = 'no owner';
    assert.equal(await refs.resolve(slugOnly), undefined);
    assert.deepEqual(refs.known(), []);
  });
});
