/**
 * A report's life in Redis: accepted (case files + `queued` record, written together),
 * `processing`, then `done` with the report or `failed` with a reason. Every write is
 * idempotent for one id, so a retried or re-run job overwrites instead of duplicating,
 * and none recreates a record that expired or was withdrawn.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { Report } from '../report/schema.js';
import { decodeCase, encodeCase, type StoredFile } from './case-codec.js';
import type { StoreKeys } from './keys.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const REPORT_STATUSES = ['queued', 'processing', 'done', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What the service knows about one report id. */
export interface ReportRecord {
  id: string;
  status: ReportStatus;
  createdAt: string;
  updatedAt: string;
  /** Present when `done`. */
  report: Report | null;
  /** A reason for the user when `failed`. */
  error: string | null;
}

/** Report ids kept per signature (newest first) for "seen before in …" links. */
export const SIGNATURE_REPORTS_KEPT = 20;
/** Signature counters outlive single reports; each new sighting renews them. */
export const SIGNATURE_TTL_SECONDS = 90 * 24 * 3600;

// HSET only when the record still exists: a job for an expired or withdrawn report must not
// leave a partial record behind. KEYS: record. ARGV: ttl, field, value, field, value…
const UPDATE_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

// Stores the finished report and counts its signature once per report, all or nothing, so a
// worker killed half-way can be retried without counting twice.
// KEYS: record, case, signature hash, signature list. ARGV: report gz, now, ttl, id, kept, signature ttl.
const COMPLETE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', 'done', 'report', ARGV[1], 'updatedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'error')
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('DEL', KEYS[2])
if redis.call('HSETNX', KEYS[1], 'indexed', '1') == 1 then
  redis.call('HINCRBY', KEYS[3], 'count', 1)
  redis.call('HSETNX', KEYS[3], 'firstSeen', ARGV[2])
  redis.call('HSET', KEYS[3], 'lastSeen', ARGV[2])
  redis.call('LREM', KEYS[4], 0, ARGV[4])
  redis.call('LPUSH', KEYS[4], ARGV[4])
  redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[5]) - 1)
  redis.call('EXPIRE', KEYS[3], ARGV[6])
  redis.call('EXPIRE', KEYS[4], ARGV[6])
end
return 1`;

interface StoreCommands {
  stacksiftUpdateIfExists(key: string, ttl: number, ...fieldValues: string[]): Promise<number>;
  stacksiftComplete(
    record: string,
    caseKey: string,
    signature: string,
    signatureList: string,
    reportGz: Buffer,
    now: string,
    ttl: number,
    id: string,
    kept: number,
    signatureTtl: number,
  ): Promise<number>;
}

export interface ReportStoreOptions {
  ttlSeconds: number;
  /** Cap on a stored case's inflated size, from Limits.maxCaseBytes. */
  maxCaseBytes: number;
  /** Clock for timestamps; the service passes `() => new Date()`. */
  now?: () => Date;
}

/** Reads and writes report records and case files. */
export class ReportStore {
  readonly #redis: Redis & StoreCommands;
  readonly #keys: StoreKeys;
  readonly #options: Required<ReportStoreOptions>;

  constructor(redis: Redis, keys: StoreKeys, options: ReportStoreOptions) {
    const commands = redis as Redis & Partial<StoreCommands>;
    if (commands.stacksiftComplete === undefined) {
      redis.defineCommand('stacksiftUpdateIfExists', { numberOfKeys: 1, lua: UPDATE_IF_EXISTS });
      redis.defineCommand('stacksiftComplete', { numberOfKeys: 4, lua: COMPLETE });
    }
    this.#redis = redis as Redis & StoreCommands;
    this.#keys = keys;
    this.#options = { now: () => new Date(), ...options };
  }

  /** Stores the case files and a `queued` record in one transaction; returns the record's creation time. */
  async accept(id: string, files: readonly StoredFile[]): Promise<string> {
    const blob = await encodeCase(files);
    const now = this.#options.now().toISOString();
    const ttl = this.#options.ttlSeconds;
    const replies = await this.#redis
      .multi()
      .set(this.#keys.case(id), blob, 'EX', ttl)
      .hset(this.#keys.report(id), { status: 'queued', createdAt: now, updatedAt: now })
      .expire(this.#keys.report(id), ttl)
      .exec();
    const failed = replies?.find(([err]) => err !== null);
    if (!replies || failed) throw failed?.[0] ?? new Error('Redis discarded the transaction');
    return now;
  }

  /** Removes everything `accept` stored, for an upload that could not be queued. */
  async withdraw(id: string): Promise<void> {
    await this.#redis.del(this.#keys.case(id), this.#keys.report(id));
  }

  /** The record of `id`, or null when unknown or expired. */
  async get(id: string): Promise<ReportRecord | null> {
    const hash = await this.#redis.hgetallBuffer(this.#keys.report(id));
    const status = hash.status?.toString();
    if (!status || !(REPORT_STATUSES as readonly string[]).includes(status)) return null;
    const reportGz = hash.report;
    return {
      id,
      status: status as ReportStatus,
      createdAt: hash.createdAt?.toString() ?? '',
      updatedAt: hash.updatedAt?.toString() ?? '',
      report: reportGz && reportGz.byteLength > 0 ? (JSON.parse((await gunzipAsync(reportGz)).toString('utf8')) as Report) : null,
      error: hash.error?.toString() ?? null,
    };
  }

  /** The case files of `id`, or null when they are gone (expired, or the report already finished). */
  async loadCase(id: string): Promise<StoredFile[] | null> {
    const blob = await this.#redis.getBuffer(this.#keys.case(id));
    return blob ? decodeCase(blob, this.#options.maxCaseBytes + 1024 * 1024) : null;
  }

  /** Marks `id` as being analysed; false when the record no longer exists. */
  async markProcessing(id: string): Promise<boolean> {
    const now = this.#options.now().toISOString();
    const updated = await this.#redis.stacksiftUpdateIfExists(
      this.#keys.report(id),
      this.#options.ttlSeconds,
      'status',
      'processing',
      'updatedAt',
      now,
    );
    return updated === 1;
  }

  /** Stores the finished report and counts its signature (once per report); false when the record no longer exists. */
  async complete(id: string, report: Report): Promise<boolean> {
    const reportGz = await gzipAsync(Buffer.from(JSON.stringify(report)));
    const sig = report.signature;
    const done = await this.#redis.stacksiftComplete(
      this.#keys.report(id),
      this.#keys.case(id),
      this.#keys.signature(sig),
      this.#keys.signatureReports(sig),
      reportGz,
      this.#options.now().toISOString(),
      this.#options.ttlSeconds,
      id,
      SIGNATURE_REPORTS_KEPT,
      SIGNATURE_TTL_SECONDS,
    );
    return done === 1;
  }

  /** Marks `id` as failed with a reason for the user and drops its case files. */
  async fail(id: string, reason: string): Promise<boolean> {
    const now = this.#options.now().toISOString();
    const updated = await this.#redis.stacksiftUpdateIfExists(
      this.#keys.report(id),
      this.#options.ttlSeconds,
      'status',
      'failed',
      'error',
      reason,
      'updatedAt',
      now,
    );
    await this.#redis.del(this.#keys.case(id));
    return updated === 1;
  }
}
