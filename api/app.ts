/**
 * The express application: security headers, request ids and logs, the routes, and the one
 * error middleware. `createApp` never listens, so tests drive it with supertest or
 * `listen(0)`, and api/server.ts, the only place that binds a port, stays small.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Limits } from '../config/limits.js';
import type { ReportStore } from '../store/report-store.js';
import type { SignatureIndex } from '../store/signature-index.js';
import type { TriageJob } from '../worker/queue.js';
import { requireBearerToken } from './auth.js';
import { errorHandler, notFound } from './error-handler.js';
import { requestLogger } from './request-log.js';
import { docsRoutes } from './routes/docs.js';
import { dumpRoutes } from './routes/dumps.js';
import { healthRoutes } from './routes/health.js';
import { pageRoutes } from './routes/pages.js';
import { reportRoutes } from './routes/reports.js';

export interface AppDeps {
  /** A "command" role connection: PING for /readyz. */
  redis: Redis;
  store: ReportStore;
  signatures: SignatureIndex;
  queue: Queue<TriageJob>;
  limits: Limits;
  /** Bearer tokens accepted on uploads; empty leaves uploads open. */
  tokens: readonly string[];
  publicBaseUrl: string | null;
  logger: Logger;
  /** True once shutdown started: /readyz answers 503 so load balancers stop sending traffic. */
  isDraining?: () => boolean;
  /** Folder served at /static/; defaults to web/static of this checkout. */
  staticDir?: string;
}

/** Builds the HTTP application without listening. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(deps.logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  app.use(healthRoutes(deps.redis, deps.isDraining ?? (() => false)));
  app.use(docsRoutes());
  app.use(
    '/static',
    express.static(deps.staticDir ?? defaultStaticDir(), { index: false, maxAge: '1h', fallthrough: true, redirect: false }),
  );
  app.use(
    dumpRoutes({
      store: deps.store,
      queue: deps.queue,
      limits: deps.limits,
      publicBaseUrl: deps.publicBaseUrl,
      guard: requireBearerToken(deps.tokens),
    }),
  );
  app.use(reportRoutes(deps.store, deps.signatures));
  app.use(pageRoutes(deps.store, deps.signatures, deps.limits));
  app.use(notFound());
  app.use(errorHandler(deps.limits));
  return app;
}

/**
 * web/static beside this checkout: `../web/static` from api/ in the sources, and from
 * dist/api/ once built (the Dockerfile copies the folder into dist/web/static).
 */
function defaultStaticDir(): string {
  const candidates = ['../web/static/', '../../web/static/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? (candidates[0] as string);
}
