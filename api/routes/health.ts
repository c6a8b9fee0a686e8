/** Liveness and readiness probes. */
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { ApiError } from '../errors.js';

const PING_TIMEOUT_MS = 2_000;

/** `/healthz` always answers while the process runs; `/readyz` only when Redis answers and the server is not draining. */
export function healthRoutes(redis: Redis, isDraining: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (isDraining()) throw new ApiError('not_ready', 'the server is shutting down');
    if (!(await answersPing(redis))) throw new ApiError('not_ready', 'Redis does not answer');
    res.json({ status: 'ready' });
  });
  return router;
}

async function answersPing(redis: Redis): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), PING_TIMEOUT_MS);
  });
  const ping = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}
