/**
 * Entry of the thread that runs one analysis. The pure pipeline is synchronous and CPU-bound;
 * run on the worker's main thread it would block lock renewal for as long as a big dump takes,
 * and BullMQ would call a healthy job stalled (ECOSYSTEM §2.4). Here it blocks only itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeCase, type CaseFile, UnreadableCaseError } from '../analysis/triage.js';
import type { Limits } from '../config/limits.js';
import type { AnalysisReply } from './run-analysis.js';

const { files, limits } = workerData as { files: CaseFile[]; limits: Limits };
let reply: AnalysisReply;
try {
  reply = { kind: 'report', report: analyzeCase(files, { limits }) };
} catch (err) {
  reply =
    err instanceof UnreadableCaseError
      ? { kind: 'unreadable', message: err.message }
      : { kind: 'crash', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? (err.stack ?? '') : '' };
}
parentPort?.postMessage(reply);
