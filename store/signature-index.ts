/**
 * Reads how often a problem signature was seen. The counters are written by
 * ReportStore.complete, in the same Lua script that stores the report, so a count never
 * runs ahead of the reports it counts.
 */
import type { Redis } from 'ioredis';
import type { SignatureStats } from '../report/html/page-model.js';
import type { StoreKeys } from './keys.js';

export type { SignatureStats };

/** Looks up signature statistics. */
export class SignatureIndex {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The statistics of `signature`, or null when it was never seen (or its counters expired). */
  async get(signature: string): Promise<SignatureStats | null> {
    const [hash, ids] = await Promise.all([
      this.#redis.hgetall(this.#keys.signature(signature)),
      this.#redis.lrange(this.#keys.signatureReports(signature), 0, -1),
    ]);
    const count = Number(hash.count);
    if (!Number.isInteger(count) || count <= 0 || !hash.firstSeen || !hash.lastSeen) return null;
    return { signature, count, firstSeen: hash.firstSeen, lastSeen: hash.lastSeen, reportIds: ids };
  }
}
