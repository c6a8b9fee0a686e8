/**
 * The API part of a process: its Redis connections, the queue producer, the app, and the
 * HTTP listener, with the shutdown order of ECOSYSTEM §4.6: not ready first, then stop
 * taking connections, let in-flight requests finish (bounded), then close queue and Redis.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/env.js';
import { storeKeys } from '../store/keys.js';
import { closeRedis, createRedis, waitForRedis } from '../store/redis.js';
import { ReportStore } from '../store/report-store.js';
import { SignatureIndex } from '../store/signature-index.js';
import { createTriageQueue } from '../worker/queue.js';
import { createApp } from './app.js';

/** A listening API and how to stop it. */
export interface ApiService {
  /** `http://host:port` as bound (the real port when PORT=0). */
  url: string;
  /** Makes /readyz answer 503, closes the listener (waiting up to `graceMs` for requests in flight), then the queue and Redis. */
  stop(graceMs?: number): Promise<void>;
}

/** The configured port is taken by another process. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} on ${host} is in use; set PORT`);
    this.name = 'PortInUseError';
  }
}

/** Connects to Redis and starts listening on the configured host and port. */
export async function startApiService(config: ServiceConfig, redisUrl: string, logger: Logger): Promise<ApiService> {
  const onError = (err: Error) => logger.warn({ err: err.message }, 'redis connection error (api)');
  const redis = createRedis(redisUrl, 'command', { onError, connectionName: 'stacksift-api' });
  const queueConnection = createRedis(redisUrl, 'command', { onError, connectionName: 'stacksift-api-queue' });
  try {
    await Promise.all([waitForRedis(redis, 10_000), waitForRedis(queueConnection, 10_000)]);
  } catch (err) {
    redis.disconnect();
    queueConnection.disconnect();
    throw err;
  }
  const keys = storeKeys(config.queuePrefix);
  const queue = createTriageQueue(queueConnection, config.queuePrefix);
  queue.on('error', (err) => logger.warn({ err: err.message }, 'triage queue error'));
  let draining = false;
  const app = createApp({
    redis,
    store: new ReportStore(redis, keys, { ttlSeconds: config.reportTtlSeconds, maxCaseBytes: config.limits.maxCaseBytes }),
    signatures: new SignatureIndex(redis, keys),
    queue,
    limits: config.limits,
    tokens: config.tokens,
    publicBaseUrl: config.publicBaseUrl,
    logger: logger.child({ part: 'api' }),
    isDraining: () => draining,
  });
  let server: Server;
  try {
    server = await listen(app, config.port, config.host);
  } catch (err) {
    // Without this the clients reconnect forever and the process never exits.
    await queue.close().catch(() => {});
    redis.disconnect();
    queueConnection.disconnect();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(config.port, config.host);
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return {
    url,
    async stop(graceMs = 10_000) {
      draining = true;
      await closeServer(server, graceMs);
      await queue.close();
      await Promise.all([closeRedis(redis), closeRedis(queueConnection)]);
    },
  };
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), graceMs);
  });
  if ((await Promise.race([closed, late])) === 'late') {
    server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
}
