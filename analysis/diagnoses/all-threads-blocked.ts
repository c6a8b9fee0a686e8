/**
 * `all_threads_blocked`: in one process no thread runs and none waits on the outside world
 * (a descriptor, a timer, a child, a primitive shared with other processes): every thread waits on a lock, a condition, a join or the
 * GIL, so only another thread of the same process could wake it, and none can. The process is
 * hung, not idle. A process whose every wait is an idle pattern (pool workers waiting for work,
 * an event loop in its selector) is idle; so is any process with a thread in I/O or asleep.
 */
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { isCrashingThread } from './crash-frame.js';
import { describeFrame } from './frame-match.js';
import { type ProcessView, processLabel, processViews } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { isTimedWait } from './timed-wait.js';
import { waitTarget } from './wait-target.js';
import { listThreads, listWords, plural } from './wording.js';

/** Fewest threads the dump must show for the process; one blocked thread is a hang too (a self-deadlock). */
export const MIN_THREADS = 1;

const BLOCKED_STATES = new Set<ClassifiedThread['state']>(['lock_wait', 'gil_wait']);

function waitWords(t: ClassifiedThread): string {
  const target = waitTarget(t);
  const on = target?.kind === 'mutex' && target.lockLabel ? ` ${target.lockLabel}` : '';
  const frame = t.blockingFrame ?? target?.frame ?? t.state;
  const where = target?.caller ? ` in ${describeFrame(target.caller)}` : '';
  return `${listThreads([t])} in ${frame}${on}${where}`;
}

function hungIn(view: ProcessView, ctx: DiagnosisContext): Diagnosis | null {
  const threads = view.threads;
  if (threads.length < MIN_THREADS) return null;
  if (!threads.every((t) => BLOCKED_STATES.has(t.state))) return null;
  if (threads.every((t) => t.idle)) return null;
  if (threads.some((t) => isCrashingThread(t, ctx.crashes))) return null;
  // A multiprocessing lock, semaphore or queue (or a process-shared mutex) is released by another process: the outside world.
  if (threads.some((t) => waitTarget(t)?.crossProcess === true)) return null;
  // A wait with a finite timeout ends by itself: the thread is polling (`q.get(timeout=1)`, `stop.wait(5)`), not hung.
  // (take_gil's condvar wait is timed too, but only to ask the holder to switch: a GIL waiter never gives up.)
  if (threads.some((t) => t.state !== 'gil_wait' && isTimedWait(t))) return null;
  // A capture known to be partial (cut off, one thread's `bt`) cannot say "every thread".
  if (ctx.notes.some((n) => n.kind === 'incomplete')) return null;
  // A join on a thread the dump does not show: the dump does not show every thread.
  const lwps = new Set(threads.map((t) => t.lwp));
  const pthreads = new Set(threads.map((t) => t.pthreadId));
  const joinsUnseen = threads.some((t) => {
    const target = waitTarget(t);
    if (target?.kind !== 'join') return false;
    return (
      (target.joinLwp !== null && !lwps.has(target.joinLwp)) ||
      (target.joinLwp === null && target.joinPthreadId !== null && !pthreads.has(target.joinPthreadId))
    );
  });
  if (joinsUnseen) return null;
  // Threads the dump does not show (native threads faulthandler leaves out) may be the ones doing I/O.
  const expected = view.process?.threadCount ?? null;
  if (expected !== null && expected > threads.length) return null;

  const stuck = threads.filter((t) => !t.idle);
  const idle = threads.filter((t) => t.idle);
  const gil = threads.filter((t) => t.state === 'gil_wait');
  const parts = [
    `Every thread of ${processLabel(view)} waits on something only another thread of the same process could provide (a lock, a condition, a join${gil.length > 0 ? ', the GIL' : ''}), ` +
      'and no thread is running, doing I/O, sleeping on a timer or waiting for a child: nothing is left to wake them. The process is hung, not idle.',
    `Blocked: ${listWords(stuck.map(waitWords), 6)}.`,
  ];
  if (idle.length > 0)
    parts.push(`${listThreads(idle)} wait${idle.length === 1 ? 's' : ''} for work that no remaining thread can hand out.`);
  if (gil.length > 0 && !threads.some((t) => t.state === 'running')) {
    parts.push(
      'Threads wait for the GIL yet none runs: the GIL holder is one of the blocked threads, stuck in a wait that did not release the GIL (a C extension blocking with the GIL held).',
    );
  }
  parts.push(
    'Look at what each blocked thread needs and who should have provided it: a lock never released (an exception path, a lock-order inversion), ' +
      'a condition never signalled, a join on a thread that is itself blocked. Use timeouts on waits so a hang surfaces as an error.',
  );
  return {
    code: 'all_threads_blocked',
    severity: 'critical',
    title: `All threads blocked: ${plural(threads.length, 'thread')} of ${processLabel(view)} wait on each other and none can run`,
    detail: parts.join(' '),
    threadKeys: threads.map((t) => t.key),
    evidence: {
      threads: threads.length,
      lockWaiters: threads.filter((t) => t.state === 'lock_wait').length,
      gilWaiters: gil.length,
      idle: idle.length,
    },
  };
}

/** Reports processes in which every thread is blocked on in-process waits and nothing can wake them. */
export const detectAllThreadsBlocked: DiagnosisRule = (ctx) => processViews(ctx).flatMap((view) => hungIn(view, ctx) ?? []);
