/**
 * A throwaway redis-server per test file: free port, no persistence, its own temp folder,
 * stopped (and the folder removed) in `after`. Tests also get a fresh key prefix each, so
 * nothing they write can meet another test's keys.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type LocalRedis, startLocalRedis } from '../../store/redis-server.js';

export interface TestRedis extends LocalRedis {
  /** A plain client for assertions; closed by stop(). */
  admin: Redis;
}

/** Starts redis-server on a free port with `--save '' --appendonly no`. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'stacksift-redis-'));
  const server = await startLocalRedis({ dir, persist: false });
  const admin = new Redis(server.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  admin.on('error', () => {});
  await admin.connect();
  return {
    ...server,
    admin,
    async stop() {
      admin.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A queue/key prefix unique to one test file, in Redis Cluster hash-tag form like the default. */
export function testPrefix(name: string): string {
  return `{t-${name}-${randomBytes(4).toString('hex')}}`;
}

/** Every key matching `pattern`, sorted (SCAN, so it is safe on a busy server). */
export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
