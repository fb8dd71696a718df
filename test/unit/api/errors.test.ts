import { strict as assert } from 'node:assert';
import {
  AuthenticationError,
  HttpError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  RunflowApiError,
  ServerError,
  ValidationError,
} from '../../../src/api/errors';
import { redact } from '../../../src/api/redact';
import { errorFromResponse, parseErrorBody } from '../../../src/api/responseErrors';

const TOKEN = 'sk-SENTINEL-errors-0123456789';

function headers(values: Record<string, string> = {}) {
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower[name.toLowerCase()] ?? null };
}

function fromResponse(status: number, bodyText: string, hdrs: Record<string, string> = {}) {
  return errorFromResponse({ method: 'GET', path: '/v1/runs/x', status, headers: headers(hdrs), bodyText, secrets: [TOKEN], now: 0 });
}

describe('errors', () => {
  describe('parseErrorBody', () => {
    it('reads FastAPI, message and error shapes', () => {
      assert.deepEqual(parseErrorBody('{"detail":"Run not found"}'), { message: 'Run not found' });
      assert.equal(parseErrorBody('{"message":"m"}').message, 'm');
      assert.equal(parseErrorBody('{"error":"e"}').message, 'e');
      assert.equal(parseErrorBody('{"error":{"message":"nested"}}').message, 'nested');
      assert.equal(parseErrorBody('{"detail":{"message":"obj"}}').message, 'obj');
      assert.equal(parseErrorBody('{"request_id":"r-1"}').requestId, 'r-1');
    });

    it('reads validation lists', () => {
      const parsed = parseErrorBody(JSON.stringify({
        detail: [
          { loc: ['query', 'limit'], msg: 'must be <= 500', type: 'less_than_equal' },
          { loc: ['body', 'input', 0], msg: 'bad' },
          { nonsense: true },
        ],
      }));
      assert.deepEqual(parsed.details, [
        { loc: ['query', 'limit'], msg: 'must be <= 500', type: 'less_than_equal' },
        { loc: ['body', 'input', 0], msg: 'bad' },
      ]);
      assert.equal(parsed.message, 'query.limit: must be <= 500; body.input.0: bad (+1 more)');
    });

    it('copes with text, HTML, broken JSON and JSON that is not an object', () => {
      assert.deepEqual(parseErrorBody(''), {});
      assert.deepEqual(parseErrorBody('Bad Gateway\nmore'), { message: 'Bad Gateway' });
      assert.deepEqual(parseErrorBody('<html><body>502</body></html>'), {});
      assert.deepEqual(parseErrorBody('{"detail": '), {});
      assert.deepEqual(parseErrorBody('[1,2]'), {});
      assert.deepEqual(parseErrorBody('"str"'), { message: '"str"' });
    });
  });

  describe('errorFromResponse', () => {
    it('maps statuses to classes and kinds', () => {
      const cases: [number, abstract new (...args: never[]) => RunflowApiError, string][] = [
        [401, AuthenticationError, 'auth'],
        [403, PermissionError, 'permission'],
        [404, NotFoundError, 'not_found'],
        [422, ValidationError, 'validation'],
        [429, RateLimitedError, 'rate_limited'],
        [500, ServerError, 'server'],
        [503, ServerError, 'server'],
        [400, HttpError, 'http'],
        [409, HttpError, 'http'],
        [302, HttpError, 'http'],
      ];
      for (const [status, cls, kind] of cases) {
        const e = fromResponse(status, '{"detail":"nope"}');
        assert.ok(e instanceof cls, `${status}`);
        assert.ok(e instanceof RunflowApiError);
        assert.ok(e instanceof Error);
        assert.equal(e.kind, kind);
        assert.equal(e.status, status);
        assert.equal(e.serverMessage, 'nope');
        assert.equal(e.method, 'GET');
        assert.equal(e.path, '/v1/runs/x');
        assert.equal(e.name, cls.name);
      }
    });

    it('builds one-line messages from method, path, status and server text', () => {
      const e = fromResponse(404, '{"detail":"Run not found"}', { 'X-Request-Id': 'req-42' });
      assert.equal(e.message, 'GET /v1/runs/x: 404 not found — Run not found (request id req-42)');
      assert.equal(e.requestId, 'req-42');
      assert.match(String(e.stack), /^NotFoundError: GET \/v1\/runs\/x/);
    });

    it('takes the request id from the body when the header is missing', () => {
      assert.equal(fromResponse(500, '{"detail":"x","request_id":"body-id"}').requestId, 'body-id');
    });

    it('parses 422 details and 429 Retry-After', () => {
      const v = fromResponse(422, '{"detail":[{"loc":["query","limit"],"msg":"too big","type":"value_error"}]}') as ValidationError;
      assert.deepEqual(v.details, [{ loc: ['query', 'limit'], msg: 'too big', type: 'value_error' }]);
      assert.match(v.message, /query\.limit: too big/);
      const r = fromResponse(429, '{"detail":"slow down"}', { 'Retry-After': '7' }) as RateLimitedError;
      assert.equal(r.retryAfterMs, 7000);
      assert.equal((fromResponse(503, '', { 'Retry-After': '2' }) as ServerError).retryAfterMs, 2000);
      assert.equal((fromResponse(429, '') as RateLimitedError).retryAfterMs, undefined);
    });

    it('scrubs the token and bearer credentials out of server-provided text', () => {
      const body = JSON.stringify({
        detail: [{ loc: ['header', TOKEN], msg: `token ${TOKEN} is revoked`, type: 't' }],
        request_id: TOKEN,
      });
      const errors = [
        fromResponse(401, JSON.stringify({ detail: `bad token ${TOKEN}` })),
        fromResponse(401, `Authorization: Bearer ${TOKEN}`),
        fromResponse(500, JSON.stringify({ message: `Bearer abc.def-ghi echo ${TOKEN}${TOKEN}` })),
        fromResponse(422, body),
        fromResponse(404, '{}', { 'X-Request-Id': TOKEN }),
      ];
      for (const e of errors) {
        for (const text of [e.message, String(e.stack), JSON.stringify(e), String(e.serverMessage), String(e.requestId)]) {
          assert.ok(!text.includes(TOKEN), text);
          assert.ok(!text.includes('abc.def-ghi'), text);
        }
      }
      assert.match(errors[0].message, /\[redacted\]/);
    });

    it('truncates long server messages', () => {
      const e = fromResponse(500, JSON.stringify({ detail: 'x'.repeat(5000) }));
      assert.ok((e.serverMessage ?? '').length <= 300);
    });
  });

  it('serialises to a log-safe object', () => {
    const e = new NetworkError({ method: 'POST', path: '/v1/models/a/b/runs' }, 'ECONNRESET', 'unknown');
    const json = JSON.parse(JSON.stringify(e));
    assert.equal(json.name, 'NetworkError');
    assert.equal(json.kind, 'network');
    assert.equal(json.code, 'ECONNRESET');
    assert.equal(json.message, 'POST /v1/models/a/b/runs: network error (ECONNRESET)');
  });

  it('redact leaves short secrets alone but always strips bearer values', () => {
    assert.equal(redact('a b c', ['a']), 'a b c');
    assert.equal(redact('Authorization: Bearer xyz', []), 'Authorization: Bearer [redacted]');
    assert.equal(redact(`x${TOKEN}y`, [TOKEN]), 'x[redacted]y');
  });
});
