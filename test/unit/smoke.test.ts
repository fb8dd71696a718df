import { strict as assert } from 'node:assert';
import fetch from 'node-fetch';
describe('smoke', () => { it('loads node-fetch', () => { assert.equal(typeof fetch, 'function'); }); });
