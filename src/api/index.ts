/**
 * Public surface of the Runflow API client.
 *
 *   const client = new RunflowClient({ baseUrl, getToken, organizationId, userAgent, log });
 *   const page = await client.searchRuns({ q: combineQuery(userQ, filters.statusIn(['running'])), limit: 50 });
 *   for await (const run of client.iterateRuns({ limit: 100 }, { maxPages: 20, signal })) { ... }
 *
 * Failed calls reject with `RunflowApiError` subclasses (errors.ts); page walks can also end with
 * `PaginationLimitError` (pagination.ts). Cost arithmetic lives in `src/core/cost.ts`.
 */
export * from './types';
export * from './errors';
export { parseRetryAfter } from './retryAfter';
export { parseErrorBody } from './responseErrors';
export {
  DEFAULT_RETRY_OPTIONS,
  backoffDelay,
  decideRetry,
  isRetryable,
  resolveRetryOptions,
  withRetry,
  type ResolvedRetryOptions,
  type RetryContext,
  type RetryDecision,
  type RetryOptions,
} from './retry';
export * from './pagination';
export * as filters from './filters';
export { FilterClause, combineQuery } from './filters';
export {
  DEFAULT_TIMEOUT_MS,
  RunflowClient,
  buildQueryString,
  parseModelRef,
  validateBaseUrl,
  type CallOptions,
  type FetchInitLike,
  type FetchLike,
  type FetchResponseLike,
  type IterateOptions,
  type LogLevel,
  type RunflowClientOptions,
} from './client';
