/**
 * The triage job: read the stored case, analyse it with the pure pipeline (in a thread of its
 * own, see run-analysis.ts), store the report.
 * It tells a bad dump from a bad day: an unreadable case (or a crash of the pure pipeline,
 * which would fail the same way again) is stored as `failed` and raised as UnrecoverableError;
 * Redis and process trouble is thrown as is and BullMQ retries it. Every write is keyed by the
 * report id, so a retry or a re-run after a stalled worker overwrites rather than duplicates.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { Limits } from '../config/limits.js';
import { ReportSchema } from '../report/schema.js';
import type { ReportStore } from '../store/report-store.js';
import { type TriageJob, TriageJobSchema } from './queue.js';
import { runAnalysis } from './run-analysis.js';

export interface ProcessorDeps {
  store: ReportStore;
  limits: Limits;
  logger: Logger;
}

/** What happened to one job, for logs and tests. */
export type TriageOutcome = 'done' | 'gone';

/** Builds the BullMQ processor function for the triage queue. */
export function createTriageProcessor(deps: ProcessorDeps): (job: Job<TriageJob>) => Promise<TriageOutcome> {
  return async (job) => {
    const parsed = TriageJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed triage job ${job.id}: ${parsed.error.message}`);
    const { reportId } = parsed.data;
    const log = deps.logger.child({ reportId, attempt: job.attemptsMade + 1 });
    try {
      return await runTriage(reportId, deps, log);
    } catch (err) {
      if (!(err instanceof UnrecoverableError) && isLastAttempt(job)) {
        // Out of retries: leave the user a reason rather than a report stuck in `processing`.
        await deps.store.fail(reportId, `the service could not finish this analysis: ${(err as Error).message}`).catch(() => {});
      }
      throw err;
    }
  };
}

async function runTriage(reportId: string, deps: ProcessorDeps, log: Logger): Promise<TriageOutcome> {
  const record = await deps.store.get(reportId);
  if (record === null) {
    log.info('report expired or was withdrawn before it was analysed; nothing to do');
    return 'gone';
  }
  if (record.status === 'done') return 'done';
  const files = await deps.store.loadCase(reportId);
  if (files === null) {
    const reason = 'the uploaded files are no longer stored; upload them again';
    await deps.store.fail(reportId, reason);
    throw new UnrecoverableError(reason);
  }
  if (!(await deps.store.markProcessing(reportId))) return 'gone';
  const reply = await runAnalysis(files, deps.limits);
  if (reply.kind === 'unreadable') return failForGood(deps, reportId, reply.message);
  if (reply.kind === 'crash') {
    // The pipeline is pure: what threw once throws again, so a retry would only waste time.
    log.error({ err: { message: reply.message, stack: reply.stack } }, 'triage threw');
    return failForGood(deps, reportId, `stacksift failed while analysing this case: ${reply.message}`);
  }
  const report = reply.report;
  report.id = reportId;
  const checked = ReportSchema.safeParse(report);
  if (!checked.success) {
    log.error({ issues: checked.error.issues.slice(0, 10) }, 'triage produced a report that does not match report v1');
    return failForGood(deps, reportId, 'stacksift produced an invalid report for this case (a bug); it was logged');
  }
  if (!(await deps.store.complete(reportId, checked.data))) return 'gone';
  log.info({ signature: report.signature, diagnoses: report.diagnoses.map((d) => d.code) }, 'report done');
  return 'done';
}

/** A failure that belongs to the case: stored for the user, then raised so BullMQ does not retry. */
async function failForGood(deps: ProcessorDeps, reportId: string, reason: string): Promise<never> {
  await deps.store.fail(reportId, reason);
  throw new UnrecoverableError(reason);
}

function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
