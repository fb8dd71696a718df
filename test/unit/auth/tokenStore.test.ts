import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TokenStore } from '../../../src/auth/tokenStore';
import { MemorySecretStorage } from '../support/memoryStorage';

const CLOUD = 'https://api.runflow.io';
const LOCAL = 'http://127.0.0.1:8080';

describe('TokenStore', () => {
  it('keeps one token per API base URL, so a token is never sent to another server', async () => {
    const secrets = new MemorySecretStorage();
    const tokens = new TokenStore(secrets);
    await tokens.store(CLOUD, 'rf-cloud');
    await tokens.store(LOCAL, 'rf-local');
    assert.equal(await tokens.get(CLOUD), 'rf-cloud');
    assert.equal(await tokens.get(LOCAL), 'rf-local');
    assert.equal(await tokens.get('https://other.example'), undefined);
    await tokens.delete(LOCAL);
    assert.equal(await tokens.get(LOCAL), undefined);
    assert.equal(await tokens.get(CLOUD), 'rf-cloud', 'signing out of one server keeps the other sign-in');
    tokens.dispose();
  });

  it('puts the token in secret storage only, under a key naming its server', async () => {
    const secrets = new MemorySecretStorage();
    const tokens = new TokenStore(secrets);
    await tokens.store(CLOUD, 'rf-secret');
    assert.deepEqual([...secrets.entries], [[`runflow.token:${CLOUD}`, 'rf-secret']]);
    tokens.dispose();
  });

  it('offers no setting a token could be typed into', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
    };
    const sections = ([] as { properties: Record<string, unknown> }[]).concat(manifest.contributes.configuration);
    const keys = sections.flatMap((s) => Object.keys(s.properties));
    assert.ok(keys.includes('runflow.apiBaseUrl'), 'the settings were read');
    assert.deepEqual(keys.filter((k) => /token|secret|password|key$/i.test(k)), []);
  });

  it('reads secret storage once per server until the token changes, here or in another window', async () => {
    const secrets = new MemorySecretStorage();
    let reads = 0;
    const get = secrets.get.bind(secrets);
    secrets.get = (key: string) => {
      reads++;
      return get(key);
    };
    const tokens = new TokenStore(secrets);
    await tokens.store(CLOUD, 'rf-1');
    assert.equal(await tokens.get(CLOUD), 'rf-1');
    assert.equal(await tokens.get(CLOUD), 'rf-1');
    assert.equal(reads, 0, 'the token it stored is known');
    secrets.storeFromAnotherWindow(`runflow.token:${CLOUD}`, 'rf-2');
    assert.equal(await tokens.get(CLOUD), 'rf-2', 'a change from another window is read anew');
    assert.equal(await tokens.get(CLOUD), 'rf-2');
    assert.equal(reads, 1);
    await tokens.delete(CLOUD);
    assert.equal(await tokens.get(CLOUD), undefined);
    assert.equal(await tokens.get(LOCAL), undefined);
    assert.equal(await tokens.get(LOCAL), undefined);
    assert.equal(reads, 2, 'one read for the other server');
    tokens.dispose();
  });

  it('tells which server a sign-in or sign-out was for, also from another window, and nothing else', async () => {
    const secrets = new MemorySecretStorage();
    const tokens = new TokenStore(secrets);
    const heard: string[] = [];
    tokens.onDidChange((baseUrl) => heard.push(baseUrl));
    await tokens.store(CLOUD, 'rf-1');
    secrets.storeFromAnotherWindow(`runflow.token:${LOCAL}`, 'rf-2');
    secrets.storeFromAnotherWindow('another.extension:key', 'x');
    await tokens.delete(CLOUD);
    assert.deepEqual(heard, [CLOUD, LOCAL, CLOUD]);
    tokens.dispose();
    secrets.storeFromAnotherWindow(`runflow.token:${CLOUD}`, 'rf-3');
    assert.equal(heard.length, 3, 'nothing is heard after dispose');
  });
});
