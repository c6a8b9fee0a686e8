/**
 * Redis connections, one factory for every role. The roles differ on purpose (ECOSYSTEM §2.4):
 * a BullMQ Worker needs `maxRetriesPerRequest: null` and an offline queue, while HTTP
 * handlers and producers must fail fast when Redis is away, so a request answers 503
 * instead of hanging.
 */
import { Redis } from 'ioredis';

/** `command`: HTTP handlers, stores and producers. `worker`: a BullMQ Worker's connection. */
export type RedisRole = 'command' | 'worker';

export interface RedisClientOptions {
  /** Called for connection errors; ioredis reconnects by itself, so these are reports, not failures. */
  onError?: (err: Error) => void;
  /** Shown by `CLIENT LIST`, to tell the service's connections apart. */
  connectionName?: string;
}

/** A new ioredis client for `url` with the settings its role needs. */
export function createRedis(url: string, role: RedisRole, options: RedisClientOptions = {}): Redis {
  const client = new Redis(url, {
    connectionName: options.connectionName ?? `stacksift-${role}`,
    connectTimeout: 5_000,
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 10_000 }),
    // Reconnect forever with a capped delay: Redis restarts are normal in production.
    retryStrategy: (times: number) => Math.min(times * 200, 5_000),
  });
  // Without a listener ioredis prints "Unhandled error event" on every reconnect attempt.
  client.on('error', options.onError ?? (() => {}));
  return client;
}

/** Resolves once `client` is ready for commands, or rejects after `timeoutMs` naming the URL's host. */
export async function waitForRedis(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis at ${client.options.host}:${client.options.port} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('Redis connection was closed before it was ready'));
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
    };
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
}

/** Closes `client` politely (QUIT), falling back to a hard disconnect when Redis is unreachable. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}
