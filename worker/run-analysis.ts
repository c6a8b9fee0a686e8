/**
 * Runs `analyzeCase` in a worker thread of its own, one per job, so the worker's event loop
 * keeps renewing job locks while a big case is parsed, and a case that exhausts the heap
 * ends its thread rather than the process.
 */
import { Worker } from 'node:worker_threads';
import type { CaseFile } from '../analysis/triage.js';
import type { Limits } from '../config/limits.js';
import type { Report } from '../report/schema.js';

/** What the analysis thread posts back. */
export type AnalysisReply =
  | { kind: 'report'; report: Report }
  | { kind: 'unreadable'; message: string }
  | { kind: 'crash'; message: string; stack: string };

const FROM_SOURCES = import.meta.url.endsWith('.ts');

/**
 * Once built, the thread runs the .js entry. From the sources it must load the .ts entry
 * through tsx, whose `--import` loader registers itself on the main thread only, so a
 * three-line ES module registers it in the thread first.
 */
const ENTRY = FROM_SOURCES
  ? new URL(
      `data:text/javascript,${encodeURIComponent(
        `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};\nregister();\nawait import(${JSON.stringify(new URL('./analysis-thread.ts', import.meta.url).href)});`,
      )}`,
    )
  : new URL('./analysis-thread.js', import.meta.url);

/** Analyses `files` in a new thread; resolves with what the pipeline returned or why it did not. */
export function runAnalysis(files: readonly CaseFile[], limits: Limits): Promise<AnalysisReply> {
  return new Promise((resolve) => {
    const thread = new Worker(ENTRY, { workerData: { files, limits } });
    let reply: AnalysisReply | null = null;
    thread.once('message', (message: AnalysisReply) => {
      reply = message;
    });
    thread.once('error', (err) => {
      const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      reply ??= {
        kind: 'crash',
        message: outOfMemory ? 'the case needs more memory than a worker has' : err.message,
        stack: err.stack ?? '',
      };
    });
    thread.once('exit', (code) => {
      resolve(reply ?? { kind: 'crash', message: `the analysis thread exited with code ${code} without an answer`, stack: '' });
    });
  });
}
