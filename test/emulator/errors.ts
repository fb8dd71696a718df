/**
 * FastAPI-shaped errors: `{"detail": "message"}` in general, and for 422 a list of
 * `{"loc": [...], "msg": "...", "type": "..."}` entries naming the offending parameter or body field.
 */
import type { ErrorBody, ValidationErrorItem } from './types';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorBody['detail'],
    readonly headers: Record<string, string> = {},
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
