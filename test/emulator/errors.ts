/**
 * FastAPI-shaped errors: `{"detail": "message"}` in general, and for 422 a list of
 * `{"loc": [...], "msg": "...", "type": "..."}` entries naming the offending parameter or body field.
 * Strict mode answers the same errors as `{"error": {"message": "...", "code": "..."}}` instead,
 * because the reference publishes no error body and a client must not depend on either shape.
 */
import type { ErrorBody, StrictErrorBody, ValidationErrorItem } from './types';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorBody['detail'],
    readonly headers: Record<string, string> = {},
    /** Machine-readable code of the strict-mode body; derived from the status when absent. */
    readonly code?: string,
  ) {
    super(typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '));
    this.name = 'HttpError';
  }

  get body(): ErrorBody {
    return { detail: this.detail };
  }
}

export function validationError(items: ValidationErrorItem[]): HttpError {
  return new HttpError(422, items);
}

export function invalid(loc: Array<string | number>, msg: string, type: string): HttpError {
  return validationError([{ loc, msg, type }]);
}

export const notFound = (what = 'Not Found'): HttpError => new HttpError(404, what);

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'invalid_request',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'gateway_timeout',
};

export function strictErrorBody(status: number, message: string, code?: string): StrictErrorBody {
  return { error: { message, code: code ?? CODES[status] ?? `http_${status}` } };
}

/** The body of `err` in the shape of the mode the emulator runs in. */
export function errorBodyOf(err: HttpError, strict: boolean): ErrorBody | StrictErrorBody {
  return strict ? strictErrorBody(err.status, err.message, err.code) : err.body;
}
