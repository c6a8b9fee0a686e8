/**
 * The one place errors become responses. Known errors (ApiError, upload-limit errors, HTTP
 * errors from express itself) keep their code; anything else is logged with its stack and
 * answered as a 500 `internal` carrying the request id, never the stack.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Limits } from '../config/limits.js';
import { renderErrorPage } from '../report/html/index.js';
import { ApiError, errorBody } from './errors.js';
import { uploadError } from './limits.js';
import { prefersHtml } from './respond.js';

const HTML_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not allowed',
  404: 'Not found',
  411: 'Length required',
  413: 'Upload too large',
  415: 'Unsupported upload',
  500: 'Something broke',
  503: 'Not ready',
};

/** Answers every unmatched route with 404 `not_found`. */
export function notFound(): RequestHandler {
  return (req, _res, next) => next(new ApiError('not_found', `no route for ${req.method} ${req.path}`));
}

/** Maps errors onto the closed set of api/errors.ts. */
export function errorHandler(limits: Limits): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let apiError = err instanceof ApiError ? err : (uploadError(err, limits) ?? httpError(err) ?? storeDown(err));
    if (apiError === null) {
      req.log.error({ err }, 'unhandled error');
      apiError = new ApiError('internal', 'internal error; quote the request id when you report it');
    }
    if (apiError.code === 'not_ready') res.set('Retry-After', '5');
    res.status(apiError.status);
    if (prefersHtml(req)) {
      res.type('html').send(renderErrorPage(apiError.status, HTML_TITLES[apiError.status] ?? 'Error', apiError.message));
      return;
    }
    res.json(errorBody(apiError, typeof req.id === 'string' ? req.id : undefined));
  };
}

// What ioredis raises while Redis cannot be reached (its connection is closed, retrying, or refused).
const REDIS_DOWN = /Connection is closed|enableOfflineQueue|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH/i;

/** Redis unreachable while serving a read: the service is not ready, the client should retry. */
function storeDown(err: unknown): ApiError | null {
  const name = (err as { name?: unknown } | null)?.name;
  const message = err instanceof Error ? err.message : '';
  if (name === 'MaxRetriesPerRequestError' || REDIS_DOWN.test(message))
    return new ApiError('not_ready', 'the report store is unavailable; try again');
  return null;
}

/** Client errors express or its parsers raise with an HTTP status (a bad URL escape, …). */
function httpError(err: unknown): ApiError | null {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  const message = (err as { expose?: boolean; message?: string }).expose ? String((err as Error).message) : 'bad request';
  if (status === 404) return new ApiError('not_found', message);
  if (status === 413) return new ApiError('payload_too_large', message);
  if (status === 415) return new ApiError('unsupported_media_type', message);
  return new ApiError('invalid_request', message);
}
