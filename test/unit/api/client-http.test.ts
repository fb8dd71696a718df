/**
 * Client behaviour that needs a misbehaving or observable server the emulator does not model:
 * redirects, odd 2xx bodies, stalled bodies, URL building and client-side refusals.
 */
import { strict as assert } from 'node:assert';
import {
  AuthenticationError,
  CancelledError,
  HttpError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
  ValidationError,
} from '../../../src/api/errors';
import { checkBaseUrl } from '../../../src/api/baseUrl';
import { buildQueryString, parseModelRef, RunflowClient, type RunflowClientOptions } from '../../../src/api/client';
import { closedPort, sendJson, startTinyServer, type TinyHandler, type TinyServer } from './http-fixtures';

const TOKEN = 'sk-SENTINEL-http-abcdef123456';

describe('RunflowClient over HTTP (tiny servers)', () => {
  let server: TinyServer;
  let handler: TinyHandler;
  before(async () => {
    server = await startTinyServer((req, res, body) => handler(req, res, body));
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    handler = (_req, res) => sendJson(res, 200, { items: [], first: null, next: null, previous: null });
  });

  const client = (opts: Partial<RunflowClientOptions> = {}) =>
    new RunflowClient({ baseUrl: server.url, getToken: async () => TOKEN, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...opts });

  describe('requests', () => {
    it('sends auth, accept, user agent and organisation headers', async () => {
      await client({ userAgent: 'runflow-vscode/0.1.0', organizationId: async () => 'org-7' }).searchRuns();
      const { headers } = server.requests[0];
      assert.equal(headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(headers.accept, 'application/json');
      assert.equal(headers['user-agent'], 'runflow-vscode/0.1.0');
      assert.equal(headers['x-organization-id'], 'org-7');
    });

    it('asks for the token on every call and never keeps it', async () => {
      let n = 0;
      const c = client({ getToken: async () => `${TOKEN}-${++n}` });
      await c.searchRuns();
      await c.searchRuns();
      assert.equal(server.requests[0].headers.authorization, `Bearer ${TOKEN}-1`);
      assert.equal(server.requests[1].headers.authorization, `Bearer ${TOKEN}-2`);
      assert.ok(!JSON.stringify(c).includes(TOKEN));
    });

    it('keeps a base path prefix and encodes path segments', async () => {
      handler = (_req, res) => sendJson(res, 200, { id: 'x' });
      const c = client({ baseUrl: `${server.url}/proxy/api/` });
      await c.getRun('a/b c?d#e');
      assert.equal(server.requests[0].url, '/proxy/api/v1/runs/a%2Fb%20c%3Fd%23e');
      await assert.rejects(c.getRun('..'), TypeError);
      await assert.rejects(c.getRun(''), TypeError);
      assert.equal(server.requests.length, 1);
    });

    it('encodes query values and leaves out undefined and null', () => {
      assert.equal(
        buildQueryString({ q: "a = 'x & y' and b ~ '100%'", limit: 5, from_prev: false, pq: undefined, sort_by: null, embed: ['model', 'logs'], fields: [] }),
        "?q=a%20%3D%20'x%20%26%20y'%20and%20b%20~%20'100%25'&limit=5&from_prev=false&embed=model%2Clogs",
      );
      assert.equal(buildQueryString({}), '');
    });

    it('parses model references', () => {
      assert.deepEqual(parseModelRef('runflow/sdxl-turbo'), { owner: 'runflow', slug: 'sdxl-turbo' });
      assert.deepEqual(parseModelRef(' a / b '), { owner: 'a', slug: 'b' });
      for (const bad of ['', 'a', 'a/', '/b', 'a/b/c']) assert.throws(() => parseModelRef(bad), TypeError, bad);
    });

    it('sends nothing without a usable token or organisation id', async () => {
      await assert.rejects(client({ getToken: async () => undefined }).searchRuns(), (e: unknown) => e instanceof AuthenticationError && e.status === undefined);
      await assert.rejects(client({ getToken: async () => '   ' }).searchRuns(), AuthenticationError);
      await assert.rejects(client({ getToken: async () => `${TOKEN}\r\nX-Evil: 1` }).searchRuns(), (e: unknown) => e instanceof AuthenticationError && !e.message.includes(TOKEN));
      await assert.rejects(client({ getToken: () => Promise.reject(new Error(`vault said ${TOKEN}`)) }).searchRuns(), (e: unknown) => e instanceof AuthenticationError && !String((e as Error).stack).includes(TOKEN));
      await assert.rejects(client({ organizationId: 'org\nx' }).searchRuns(), ValidationError);
      assert.equal(server.requests.length, 0);
    });
  });

  describe('base URL', () => {
    it('refuses plain http except to loopback, and URLs with credentials or a query', () => {
      const accepted = (raw: string, insecure?: boolean) => {
        const checked = checkBaseUrl(raw, insecure);
        return checked.ok ? checked.url : undefined;
      };
      const problem = (raw: string) => {
        const checked = checkBaseUrl(raw);
        return checked.ok ? undefined : checked.problem;
      };
      assert.equal(accepted('https://api.runflow.io'), 'https://api.runflow.io');
      assert.equal(accepted('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
      assert.equal(accepted('http://localhost:1'), 'http://localhost:1');
      assert.equal(accepted('http://[::1]:1'), 'http://[::1]:1');
      assert.match(String(problem('http://api.runflow.io')), /must use https:\/\/ \(plain http is only allowed for localhost\)/);
      assert.equal(accepted('http://api.runflow.io', true), 'http://api.runflow.io');
      assert.match(String(problem('https://u:p@api.runflow.io')), /credentials/);
      assert.match(String(problem('https://api.runflow.io/?x=1')), /query/);
      assert.match(String(problem('ftp://api.runflow.io')), /https/);
      assert.match(String(problem('not a url')), /not a valid URL/);
      assert.throws(() => new RunflowClient({ baseUrl: 'http://example.com', getToken: async () => TOKEN }), TypeError);
    });

    it('refuses plain http to a name under .localhost, which the resolver may send elsewhere', () => {
      assert.equal(checkBaseUrl('http://api.localhost:8080').ok, false);
      assert.equal(checkBaseUrl('https://api.localhost:8080').ok, true);
    });

    it('gives the settings and the client the same URL, whatever the spacing and trailing slash', () => {
      assert.deepEqual(checkBaseUrl('  https://Example.COM/runflow/ '), { ok: true, url: 'https://example.com/runflow' });
      assert.deepEqual(checkBaseUrl('https://api.runflow.io/'), { ok: true, url: 'https://api.runflow.io' });
    });
  });

  describe('responses', () => {
    it('keeps unknown fields and unknown statuses', async () => {
      handler = (_req, res) => sendJson(res, 200, { id: 'r', status_code: 'hibernating', brand_new_field: { a: 1 } });
      const run = await client().getRun('r');
      assert.equal(run.status_code, 'hibernating');
      assert.deepEqual((run as Record<string, unknown>).brand_new_field, { a: 1 });
    });

    it('normalises missing cursors to null and keeps extra page fields', async () => {
      handler = (_req, res) => sendJson(res, 200, { items: [{ id: 'a' }], total: 1 });
      const page = await client().searchRuns();
      assert.deepEqual(page, { items: [{ id: 'a' }], total: 1, first: null, next: null, previous: null });
    });

    it('treats bodies that are not the promised JSON object as malformed, without retrying', async () => {
      const bodies: [string, string][] = [
        ['not json', 'text/plain'],
        ['', 'application/json'],
        ['[1,2]', 'application/json'],
        ['null', 'application/json'],
        ['"run"', 'application/json'],
        ['{"items": 5}', 'application/json'],
        ['{"items": [null]}', 'application/json'],
        ['{"items": [], "next": 7}', 'application/json'],
        ['{"id": "x"', 'application/json'],
      ];
      for (const [body, type] of bodies) {
        server.requests.length = 0;
        handler = (_req, res) => {
          res.writeHead(200, { 'Content-Type': type, 'X-Request-Id': 'rid-1' });
          res.end(body);
        };
        await assert.rejects(client().searchRuns(), (e: unknown) => e instanceof MalformedResponseError && e.status === 200 && e.requestId === 'rid-1', body);
        assert.equal(server.requests.length, 1, body);
      }
    });

    it('does not follow redirects (the token must not travel)', async () => {
      const elsewhere = await startTinyServer((_req, res) => sendJson(res, 200, { id: 'stolen' }));
      try {
        handler = (_req, res) => {
          res.writeHead(302, { Location: `${elsewhere.url}/v1/runs/x` });
          res.end();
        };
        await assert.rejects(client().getRun('x'), (e: unknown) => e instanceof HttpError && e.status === 302);
        assert.equal(elsewhere.requests.length, 0);
      } finally {
        await elsewhere.close();
      }
    });

    it('takes a plain-text or HTML error body in its stride', async () => {
      handler = (_req, res) => {
        res.writeHead(418, { 'Content-Type': 'text/html' });
        res.end('<html><body><h1>teapot</h1></body></html>');
      };
      await assert.rejects(client().getRun('x'), (e: unknown) => e instanceof HttpError && e.status === 418 && e.serverMessage === undefined);
    });

    it('times out a body that stalls after the headers', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"items": [');
      };
      await assert.rejects(client({ retry: { maxAttempts: 1 } }).searchRuns({}, { timeoutMs: 150 }), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 150);
    });

    it('cancels an in-flight request and one whose signal already fired', async () => {
      handler = () => {
        /* never answers */
      };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(client().searchRuns({}, { signal: controller.signal }), CancelledError);
      assert.equal(server.requests.length, 1);

      server.requests.length = 0;
      await assert.rejects(client().searchRuns({}, { signal: AbortSignal.abort() }), CancelledError);
      assert.equal(server.requests.length, 0);
    });

    it('reports a refused connection as an unsent network error, retrying a GET', async () => {
      const port = await closedPort();
      const logs: string[] = [];
      const c = new RunflowClient({ baseUrl: `http://127.0.0.1:${port}`, getToken: async () => TOKEN, retry: { baseDelayMs: 1 }, log: (_l, m) => logs.push(m) });
      await assert.rejects(c.searchRuns({ q: `client_ref = '${TOKEN}'` }), (e: unknown) => e instanceof NetworkError && e.code === 'ECONNREFUSED' && e.requestSent === false);
      assert.equal(logs.filter((m) => m.includes('retrying')).length, 2);
      for (const m of logs) assert.ok(!m.includes(TOKEN) && !m.includes('?'), m);
    });
  });
});
