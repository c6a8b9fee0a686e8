/**
 * Bearer-token check for uploads. Tokens come from STACKSIFT_TOKENS; reading reports stays
 * open because report ids are unguessable. Tokens are compared as SHA-256 digests with
 * timingSafeEqual, so neither their content nor their length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

const digest = (token: string) => createHash('sha256').update(token).digest();

/** Middleware that lets a request through only with `Authorization: Bearer <one of tokens>`; a no-op when `tokens` is empty. */
export function requireBearerToken(tokens: readonly string[]): RequestHandler {
  const accepted = tokens.map(digest);
  return (req, res, next) => {
    if (accepted.length === 0) return next();
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    const given = match?.[1] ? digest(match[1]) : null;
    // Check every token so the time taken does not tell which one nearly matched.
    let ok = false;
    for (const token of accepted) ok = (given !== null && timingSafeEqual(token, given)) || ok;
    if (ok) return next();
    res.set('WWW-Authenticate', 'Bearer realm="stacksift"');
    next(new ApiError('unauthorized', given ? 'the bearer token is not accepted' : 'uploads need an Authorization: Bearer token'));
  };
}
