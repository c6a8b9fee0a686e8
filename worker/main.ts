/**
 * The triage worker as a long-running part of a process: connections, the BullMQ Worker
 * with its processor, and a shutdown that lets the running job finish within a deadline.
 * Parsing is CPU-bound, so one process runs one job at a time by default; to go faster, run
 * more `stacksift worker` processes against the same Redis (ECOSYSTEM §4.8).
 */
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/env.js';
import { storeKeys } from '../store/keys.js';
import { closeRedis, createRedis, waitForRedis } from '../store/redis.js';
import { ReportStore } from '../store/report-store.js';
import { createTriageProcessor, type ProcessorDeps, type TriageOutcome } from './processor.js';
import { TRIAGE_QUEUE, TRIAGE_WORKER_TIMING, type TriageJob, type WorkerTiming } from './queue.js';

export interface TriageWorkerOptions {
  /** A "worker" role connection (`maxRetriesPerRequest: null`); BullMQ duplicates it for blocking calls. */
  connection: Redis;
  prefix: string;
  deps: ProcessorDeps;
  concurrency: number;
  /** Shown in BullMQ as the job's `processedBy`. */
  name?: string;
  /** Tests shorten these to see stalled-job recovery within seconds. */
  timing?: Partial<WorkerTiming>;
}

/** A running BullMQ worker for the triage queue, with its error and failure events logged. */
export function createTriageWorker(options: TriageWorkerOptions): Worker<TriageJob, TriageOutcome> {
  const { deps } = options;
  const worker = new Worker<TriageJob, TriageOutcome>(TRIAGE_QUEUE, createTriageProcessor(deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    ...(options.name ? { name: options.name } : {}),
    ...TRIAGE_WORKER_TIMING,
    ...options.timing,
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'triage worker error'));
  worker.on('failed', (job, err) => {
    deps.logger.warn({ reportId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'triage job failed');
    // The stalled checker fails a job that stalled too often without running the processor,
    // which leaves the record in `processing`; say why instead.
    if (job?.id && /stalled more than/i.test(err.message)) {
      deps.store
        .fail(
          job.id,
          'the worker analysing this case was stopped or died more than once (a restart or deploy does this too); it was not retried again, and resubmitting it is safe',
        )
        .catch(() => {});
    }
  });
  return worker;
}

/**
 * Closes a worker: waits for running jobs up to `deadlineMs`, then forces the close. In BullMQ
 * 6.7 a second `close(true)` only returns the first, still pending, graceful close, so the
 * force is done by cutting the Redis connections (`connections`, and the worker's own) and
 * returning without waiting for the graceful close. A job cut off this way keeps its lock
 * until it expires and then comes back through the stalled checker on another worker.
 */
export async function closeTriageWorker(
  worker: Worker,
  deadlineMs: number,
  connections: readonly Redis[] = [],
): Promise<'drained' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'forced'>((done) => {
    timer = setTimeout(() => done('forced'), deadlineMs);
  });
  const closing = worker.close().then(
    () => 'drained' as const,
    () => 'drained' as const,
  );
  const outcome = await Promise.race([closing, deadline]);
  clearTimeout(timer);
  if (outcome === 'forced') {
    for (const connection of connections) connection.disconnect();
    // Bounded: with Redis gone a polite disconnect may never see its 'end'.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      worker.disconnect().catch(() => {}),
      new Promise<void>((done) => {
        grace = setTimeout(done, 1_000);
      }),
    ]);
    clearTimeout(grace);
  }
  return outcome;
}

/** A started worker part and how to stop it. */
export interface WorkerService {
  worker: Worker<TriageJob, TriageOutcome>;
  /** Drains the worker up to `deadlineMs`; 'forced' means a job was cut off (its analysis thread may still run). */
  stop(deadlineMs?: number): Promise<'drained' | 'forced'>;
}

/** Connects to Redis and starts consuming the triage queue with the service configuration. */
export async function startWorkerService(config: ServiceConfig, redisUrl: string, logger: Logger): Promise<WorkerService> {
  const onError = (err: Error) => logger.warn({ err: err.message }, 'redis connection error (worker)');
  const commands = createRedis(redisUrl, 'command', { onError, connectionName: 'stacksift-worker-store' });
  const connection = createRedis(redisUrl, 'worker', { onError });
  try {
    await waitForRedis(commands, 10_000);
  } catch (err) {
    commands.disconnect();
    connection.disconnect();
    throw err;
  }
  const store = new ReportStore(commands, storeKeys(config.queuePrefix), {
    ttlSeconds: config.reportTtlSeconds,
    maxCaseBytes: config.limits.maxCaseBytes,
  });
  const worker = createTriageWorker({
    connection,
    prefix: config.queuePrefix,
    deps: { store, limits: config.limits, logger: logger.child({ part: 'worker' }) },
    concurrency: config.workerConcurrency,
    // Shows in each job's processedBy, to tell which process of several ran it.
    name: `${hostname()}:${process.pid}`,
  });
  return {
    worker,
    async stop(deadlineMs = 25_000) {
      const outcome = await closeTriageWorker(worker, deadlineMs, [connection, commands]);
      if (outcome === 'forced') logger.warn('worker closed before its job finished; the job will be retried');
      else await Promise.all([closeRedis(connection), closeRedis(commands)]);
      return outcome;
    },
  };
}
