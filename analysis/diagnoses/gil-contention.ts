/**
 * `gil_contention`: many Python threads of one process wait to take the GIL while few run. Only
 * one thread per interpreter runs Python code at a time; a waiter wakes every switch interval
 * (5 ms) and asks the holder to drop it (CPython `Python/ceval_gil.c`), so a crowd of waiters
 * turns into context switches and latency, not throughput.
 *
 * The likely GIL hogs are named: threads on CPU, threads that were forced off the GIL by the
 * eval loop's drop request (`take_gil ← eval_frame_handle_pending|_Py_HandlePending ←
 * _PyEval_EvalFrameDefault`: they were running bytecode, i.e. a pure-Python loop — unlike
 * `take_gil ← PyEval_RestoreThread`, a thread coming back from I/O or sleep), and threads whose
 * own CPU is high. pidstat's voluntary switches on the waiters confirm the churn.
 */
import type { RawFrame } from '../../parsers/model.js';
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread } from '../model.js';
import { describeFrame, frameNames, innermostPython, isInterpreterFrame } from './frame-match.js';
import { type ProcessView, processLabel, processViews } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { effectiveCpu } from './thread-cpu.js';
import { formatCount, listThreads, listWords } from './wording.js';

/** Fewest GIL waiters that make contention worth reporting. */
export const MIN_GIL_WAITERS = 4;
/** Share of the process's Python threads that must be waiting for the GIL. */
export const MIN_WAITER_SHARE = 0.3;
/** At most this many running threads per waiter ("few run"): with the GIL, at most one runs Python at a time. */
export const MAX_RUNNING_PER_WAITER = 0.5;
/** Critical when at least this share of Python threads waits … */
export const CRITICAL_WAITER_SHARE = 0.75;
/** … and at least this many threads do. */
export const CRITICAL_MIN_WAITERS = 8;
/** Per-thread CPU (percent of one CPU) that marks a thread as a likely GIL holder. */
export const HOG_MIN_CPU = 10;
/** Median voluntary switches per second on the waiters that confirm GIL churn (pidstat -w). */
export const CHURN_MIN_SWITCHES_PER_SEC = 100;

// The eval loop's periodic drop request: the thread was executing bytecode when it had to hand the GIL over.
const EVAL_LOOP_HANDOFF = new Set(['eval_frame_handle_pending', 'Py_HandlePending', 'PyEval_EvalFrameDefault', 'PyEval_EvalFrameEx']);
const GIL_TAKE = new Set(['take_gil', 'PyThread_acquire_lock', 'PyEval_AcquireLock', 'PyThreadState_Attach']);

function isPythonThread(t: ClassifiedThread): boolean {
  return t.state === 'gil_wait' || t.hasPythonStack || t.frames.some((f) => f.language === 'python' || isInterpreterFrame(f));
}

/** True when the thread lost the GIL to the eval loop's drop request: it was running Python bytecode. */
export function wasForcedOffGil(t: Pick<ClassifiedThread, 'frames'>): boolean {
  const frames = t.frames;
  const take = frames.findIndex((f) => frameNames(f).some((n) => GIL_TAKE.has(n)));
  if (take < 0) return false;
  for (let i = take + 1; i < frames.length; i++) {
    const f = frames[i] as RawFrame;
    const names = frameNames(f);
    if (names.some((n) => GIL_TAKE.has(n) || n === 'PyThreadState_Attach' || n === 'PyEval_AcquireLock')) continue;
    return names.some((n) => EVAL_LOOP_HANDOFF.has(n));
  }
  return false;
}

function doing(t: ClassifiedThread): string | null {
  const py = innermostPython(t.frames);
  return py === null ? null : describeFrame(py);
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function contentionIn(view: ProcessView): Diagnosis | null {
  const python = view.threads.filter(isPythonThread);
  const waiters = view.threads.filter((t) => t.state === 'gil_wait');
  const running = view.threads.filter((t) => t.state === 'running' && !t.isCrashing);
  const base = python.length > 0 ? python.length : view.threads.length;
  if (waiters.length < MIN_GIL_WAITERS || waiters.length / base < MIN_WAITER_SHARE) return null;
  if (running.length > waiters.length * MAX_RUNNING_PER_WAITER) return null;

  // With no thread running Python, someone still holds the GIL: most likely a thread blocked in
  // native code that did not release it (ctypes.PyDLL, a C extension without
  // Py_BEGIN_ALLOW_THREADS). A stack cannot show whether a call released the GIL, so such
  // threads are named as likely holders rather than the waiters that were forced off it.
  const blockedHolders =
    running.length === 0 ? python.filter((t) => t.state !== 'gil_wait' && t.state !== 'running' && t.hasNativeStack && !t.idle) : [];
  const hogs =
    blockedHolders.length > 0
      ? blockedHolders
      : view.threads.filter((t) => {
          if (t.state === 'running') return true;
          const cpu = effectiveCpu(t, view.threads);
          if (cpu !== null && cpu >= HOG_MIN_CPU) return t.state === 'gil_wait' || t.state === 'unknown';
          return t.state === 'gil_wait' && wasForcedOffGil(t);
        });
  const hogFunctions = [...new Set(hogs.flatMap((t) => doing(t) ?? []))];
  const churn = median(waiters.flatMap((t) => (t.voluntarySwitchesPerSec === null ? [] : [t.voluntarySwitchesPerSec])));
  const share = waiters.length / base;
  const severity = share >= CRITICAL_WAITER_SHARE && waiters.length >= CRITICAL_MIN_WAITERS ? 'critical' : 'warning';

  const parts = [
    `In ${processLabel(view)}, ${waiters.length} of ${view.threads.length} threads (${Math.round(share * 100)} % of its ${base} Python threads) are waiting to take the GIL, and ${running.length === 0 ? 'none is' : `only ${running.length} ${running.length === 1 ? 'is' : 'are'}`} running Python code.`,
    'Only one thread of an interpreter executes Python at a time; each waiter wakes every switch interval (5 ms) to ask the holder to let go, so adding threads adds switching and latency, not throughput.',
  ];
  if (blockedHolders.length > 0) {
    const what = hogFunctions.length > 0 ? ` (in ${listWords(hogFunctions, 3)})` : '';
    parts.push(
      `No thread runs Python, yet the waiters cannot take the GIL: it is most likely held by ${listThreads(blockedHolders, 6)}${what}, blocked in native code without releasing it (ctypes.PyDLL, a C extension missing Py_BEGIN_ALLOW_THREADS around a blocking call). Until that call returns the whole interpreter is frozen.`,
    );
  } else if (hogs.length > 0) {
    const what = hogFunctions.length > 0 ? ` (in ${listWords(hogFunctions, 3)})` : '';
    parts.push(
      `Likely GIL holders: ${listThreads(hogs, 6)}${what} — running, or on CPU, or forced off the GIL by the eval loop while executing a pure-Python loop.`,
    );
  }
  if (churn !== null) {
    parts.push(
      churn >= CHURN_MIN_SWITCHES_PER_SEC
        ? `pidstat confirms the churn: the waiters switch a median ${formatCount(churn)} times per second voluntarily.`
        : `pidstat shows a median ${formatCount(churn)} voluntary switches per second on the waiters.`,
    );
  }
  parts.push(
    'Fix: run fewer threads per process (more worker processes instead), move CPU-bound work to processes (multiprocessing, ProcessPoolExecutor), ' +
      'or have the C extension doing the heavy lifting release the GIL (Py_BEGIN_ALLOW_THREADS, `nogil` in Cython).',
  );

  const evidence: Diagnosis['evidence'] = {
    gilWaiters: waiters.length,
    running: running.length,
    threads: view.threads.length,
    pythonThreads: base,
    likelyHolders: hogs.length,
  };
  if (churn !== null) evidence.waiterMedianSwitchesPerSec = Math.round(churn);
  return {
    code: 'gil_contention',
    severity,
    title: `GIL contention: ${waiters.length} of ${view.threads.length} threads wait for the GIL`,
    detail: parts.join(' '),
    threadKeys: [...new Set([...hogs, ...waiters])].map((t) => t.key),
    evidence,
  };
}

/** Reports processes where many Python threads wait for the GIL while few run. */
export const detectGilContention: DiagnosisRule = (ctx) => processViews(ctx).flatMap((view) => contentionIn(view) ?? []);
