/**
 * The service's configuration, read once from the environment and validated with zod, so
 * a typo in a variable stops the process at start-up with a readable message instead of
 * surfacing later as a strange runtime failure. Upload limits come from config/limits.ts.
 */
import { z } from 'zod';
import { type Limits, limitsFromEnv } from './limits.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings count as unset: `PORT= bin/stacksift serve` must not mean port 0. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  PORT: optional(z.coerce.number().int().min(0).max(65535)).transform((v) => v ?? 8080),
  HOST: optional(z.string()).transform((v) => v ?? '127.0.0.1'),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// or rediss:// URL' })),
  PUBLIC_BASE_URL: optional(z.url({ protocol: /^https?$/ })).transform((v) => v?.replace(/\/+$/, '')),
  // A hash tag keeps every key of the service in one Redis Cluster slot (BullMQ's Lua needs it).
  QUEUE_PREFIX: optional(z.string().regex(/^[^\s:]+$/, 'QUEUE_PREFIX must not contain spaces or ":"')).transform((v) => v ?? '{stacksift}'),
  REPORT_TTL_SECONDS: optional(positiveInt).transform((v) => v ?? 7 * 24 * 3600),
  // Parsing is CPU-bound: scale with more worker processes, not a higher concurrency.
  WORKER_CONCURRENCY: optional(positiveInt.max(64)).transform((v) => v ?? 1),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS)).transform((v) => v ?? 'info'),
  STACKSIFT_TOKENS: optional(z.string()).transform((v) =>
    (v ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  ),
  STACKSIFT_STATE_DIR: optional(z.string()).transform((v) => v ?? '.stacksift'),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every environment variable the service reads (the upload limits through limitsFromEnv). */
export const SERVICE_ENV_NAMES: readonly string[] = [...Object.keys(EnvSchema.shape), 'MAX_UPLOAD_BYTES', 'MAX_FILE_BYTES', 'MAX_FILES'];

export interface ServiceConfig {
  port: number;
  host: string;
  /** Null when unset: `serve` then starts a private redis-server. */
  redisUrl: string | null;
  /** Base of the links in responses, without a trailing slash; null means "from the request's Host". */
  publicBaseUrl: string | null;
  queuePrefix: string;
  reportTtlSeconds: number;
  workerConcurrency: number;
  logLevel: LogLevel;
  /** Bearer tokens accepted on uploads; empty means uploads are open. */
  tokens: string[];
  stateDir: string;
  limits: Limits;
}

/** Thrown when the environment does not describe a runnable service; the message is for the user. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the service configuration from `env`, throwing ConfigError with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid environment:\n${z.prettifyError(parsed.error)}`);
  let limits: Limits;
  try {
    limits = limitsFromEnv(env);
  } catch (err) {
    throw new ConfigError(`invalid environment: ${(err as Error).message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL ?? null,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? null,
    queuePrefix: e.QUEUE_PREFIX,
    reportTtlSeconds: e.REPORT_TTL_SECONDS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    logLevel: e.LOG_LEVEL,
    tokens: e.STACKSIFT_TOKENS,
    stateDir: e.STACKSIFT_STATE_DIR,
    limits,
  };
}
