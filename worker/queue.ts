/**
 * The triage queue: its name, the job's data (small: the dump itself waits in Redis under its
 * case key), and the options every producer and worker uses (ECOSYSTEM §4.7).
 */
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { REPORT_ID_PATTERN } from '../store/report-id.js';

export const TRIAGE_QUEUE = 'triage';

export const TriageJobSchema = z.object({
  reportId: z.string().regex(REPORT_ID_PATTERN),
  files: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
});
export type TriageJob = z.infer<typeof TriageJobSchema>;

/** Retries are for a bad day (Redis away, a killed process), never for a bad dump: that one is an UnrecoverableError. */
export const TRIAGE_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;

/** How long a job's lock lasts, how often stalled jobs are looked for, how often one may stall. */
export interface WorkerTiming {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/** Lock and stall settings: BullMQ's defaults, named so tests can shorten them knowingly. */
export const TRIAGE_WORKER_TIMING: Readonly<WorkerTiming> = {
  lockDuration: 30_000,
  stalledInterval: 30_000,
  // A job that keeps killing workers fails instead of looping forever.
  maxStalledCount: 1,
};

/** A producer for the triage queue on a fail-fast ("command") connection. */
export function createTriageQueue(connection: Redis, prefix: string): Queue<TriageJob> {
  return new Queue<TriageJob>(TRIAGE_QUEUE, { connection, prefix, defaultJobOptions: TRIAGE_JOB_OPTIONS });
}

/** Queues the analysis of one accepted case; the job id is the report id, so a repeat never duplicates. */
export async function enqueueTriage(queue: Queue<TriageJob>, job: TriageJob): Promise<void> {
  await queue.add(TRIAGE_QUEUE, TriageJobSchema.parse(job), { jobId: job.reportId });
}
