/**
 * `deadlock`: threads wait on each other. A wait-for graph is built from what the stacks prove
 * (joins name their target LWP). A cycle in it is a proven deadlock. Mutex owners are almost
 * never in a backtrace (gdb prints `__owner` only with `print *mutex`), so the usual finding is
 * inferred: in one process at least two threads block acquiring at least two different mutexes
 * and no thread is left that could release them (none runs, none waits on I/O, a child or the
 * GIL). Each blocked thread then most likely holds what another one wants: a lock-order inversion.
 *
 * Not deadlocks: condition-variable, Event, Queue and semaphore waits (idle consumers waiting to
 * be woken), GIL waits, idle threads, and the threads of a process that crashed.
 */
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { isCrashingThread } from './crash-frame.js';
import { describeFrame } from './frame-match.js';
import { type ProcessView, processLabel, processViews } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { type WaitTarget, waitTarget } from './wait-target.js';
import { listThreads, listWords, plural, threadLabel } from './wording.js';

/** Blocked mutex acquisitions needed before a lock-order deadlock is inferred. */
export const MIN_BLOCKED_THREADS = 2;
/** Distinct mutexes they must block on: one contended mutex is contention, not an inversion. */
export const MIN_DISTINCT_LOCKS = 2;

// Threads in these states can still make progress and so may hold, and later release, a lock.
const MAY_RELEASE = new Set<ClassifiedThread['state']>(['running', 'gil_wait', 'io_wait', 'child_wait', 'unknown']);

interface Waiting {
  thread: ClassifiedThread;
  target: WaitTarget;
}

/** Join edges that close a cycle (each thread joins the next, the last joins the first), found in one linear walk. */
function joinCycle(joins: readonly Waiting[], threads: readonly ClassifiedThread[]): ClassifiedThread[] | null {
  const byLwp = new Map<number, ClassifiedThread>();
  const byPthread = new Map<string, ClassifiedThread>();
  for (const t of threads) {
    if (t.lwp !== null) byLwp.set(t.lwp, t);
    if (t.pthreadId !== null) byPthread.set(t.pthreadId, t);
  }
  const next = new Map<ClassifiedThread, ClassifiedThread>();
  for (const j of joins) {
    const byId = j.target.joinLwp !== null ? byLwp.get(j.target.joinLwp) : undefined;
    const to = byId ?? (j.target.joinPthreadId !== null ? byPthread.get(j.target.joinPthreadId) : undefined);
    if (to !== undefined && to !== j.thread) next.set(j.thread, to);
  }
  // A thread joins at most one other: follow each path once, remembering where every walk has been.
  const done = new Set<ClassifiedThread>();
  for (const start of next.keys()) {
    const onPath = new Map<ClassifiedThread, number>();
    const path: ClassifiedThread[] = [];
    let at: ClassifiedThread | undefined = start;
    while (at !== undefined && !done.has(at) && !onPath.has(at)) {
      onPath.set(at, path.length);
      path.push(at);
      at = next.get(at);
    }
    const cycleStart = at === undefined ? undefined : onPath.get(at);
    if (cycleStart !== undefined) return path.slice(cycleStart);
    for (const t of path) done.add(t);
  }
  return null;
}

function lockWords(w: Waiting): string {
  const label = w.target.lockLabel ?? 'an unnamed lock';
  const address = w.target.lock !== null && w.target.lock !== label && w.target.lock.startsWith('0x') ? ` (${w.target.lock})` : '';
  const inFn = w.target.caller ? ` in ${describeFrame(w.target.caller)}` : '';
  return `${threadLabel(w.thread)} waits for ${label}${address}${inFn}`;
}

function joinWords(w: Waiting): string {
  const target =
    w.target.joinLwp !== null
      ? `LWP ${w.target.joinLwp}`
      : w.target.joinPthreadId !== null
        ? `thread ${w.target.joinPthreadId}`
        : 'another thread';
  return `${threadLabel(w.thread)} joins ${target}`;
}

/** How to read the owner the stacks do not show. */
function ownerHint(target: WaitTarget | null): string {
  if (target === null || target.lock?.startsWith('py:') || target.caller?.language === 'python') {
    return 'Python locks do not record their owner, so the cycle is read from which locks are wanted and who else could release them.';
  }
  const label = target.lockLabel;
  const expr = label !== null && !label.startsWith('0x') ? label : `*(pthread_mutex_t *) ${target.lock ?? '<address>'}`;
  return `gdb does not print a mutex's owner in a backtrace; \`print ${expr}.__data.__owner\` (glibc) names the owning LWP.`;
}

function provenCycle(view: ProcessView, cycle: readonly ClassifiedThread[]): Diagnosis {
  return {
    code: 'deadlock',
    severity: 'critical',
    title: `Deadlock: ${listThreads(cycle)} join each other in a cycle`,
    detail:
      `In ${processLabel(view)} each of ${listThreads(cycle)} waits in a join for the next one to exit, and the last waits for the first: ` +
      'none of them can ever finish. The join targets come from the stacks (the futex the join sleeps on holds the target thread id). ' +
      'Fix: break the cycle — a thread must never join a thread that joins it back (directly or through others); let one owner join the workers.',
    threadKeys: cycle.map((t) => t.key),
    evidence: { threads: cycle.length, joins: cycle.length, ownersKnown: true },
  };
}

function inferred(
  view: ProcessView,
  mutexWaiters: readonly Waiting[],
  joiners: readonly Waiting[],
  others: readonly ClassifiedThread[],
  active: readonly ClassifiedThread[],
): Diagnosis {
  const possible = active.length > 0;
  const locks = [...new Set(mutexWaiters.map((w) => w.target.lockLabel ?? w.target.lock ?? '?'))];
  const blocked = mutexWaiters.map((w) => w.thread);
  const sleeping = others.filter((t) => t.state === 'sleep');
  const lockWord = locks.length === 2 ? `${locks[0]} and ${locks[1]}` : listWords(locks, 4);
  const kind = possible ? 'Possible lock-order deadlock' : 'Likely lock-order deadlock';
  const title =
    blocked.length === 2
      ? `${kind}: ${listThreads(blocked)} block on ${lockWord}`
      : `${kind}: ${blocked.length} threads block on ${locks.length} mutexes (${listWords(locks, 4)})`;
  const parts = [
    `In ${processLabel(view)}, ${plural(blocked.length, 'thread')} are blocked acquiring ${locks.length} different mutexes: ${mutexWaiters.map(lockWords).join('; ')}.`,
    possible
      ? `Most likely each blocked thread holds a lock another one wants (a lock-order inversion). But ${listThreads(active)} ${active.length === 1 ? 'is' : 'are'} still active (${[...new Set(active.map((t) => t.state.replace('_', ' ')))].join(', ')}); if one of them holds all of these locks across that call, this is a lock held too long rather than a deadlock — another capture a few seconds later tells: a deadlock does not move.`
      : 'No thread of the process is running or waiting on I/O, a child process or the GIL, so nothing is left that could release these locks: ' +
        'each blocked thread most likely holds a lock another one wants (a lock-order inversion).',
    `The owners are inferred, not read: ${ownerHint(mutexWaiters[0]?.target ?? null)}`,
  ];
  if (joiners.length > 0) parts.push(`Also stuck behind them: ${joiners.map(joinWords).join('; ')}.`);
  if (sleeping.length > 0)
    parts.push(
      `${listThreads(sleeping)} only sleep${sleeping.length === 1 ? 's on a timer and is' : ' on a timer and are'} assumed not to hold these locks.`,
    );
  parts.push(
    'Fix: take locks in one global order everywhere (or take both at once: std::scoped_lock, a single coarser lock), ' +
      'never call out to other code while holding a lock, or acquire with a timeout and back off.',
  );
  return {
    code: 'deadlock',
    severity: possible ? 'warning' : 'critical',
    title,
    detail: parts.join(' '),
    threadKeys: [...blocked, ...joiners.map((j) => j.thread)].map((t) => t.key),
    evidence: {
      blockedThreads: blocked.length,
      distinctLocks: locks.length,
      joinWaiters: joiners.length,
      otherThreads: others.length,
      activeOthers: active.length,
      ownersKnown: false,
    },
  };
}

function deadlockIn(view: ProcessView, ctx: DiagnosisContext): Diagnosis | null {
  if (view.threads.some((t) => isCrashingThread(t, ctx.crashes))) return null;
  const waits: Waiting[] = [];
  for (const thread of view.threads) {
    const target = waitTarget(thread);
    if (target !== null && !thread.idle) waits.push({ thread, target });
  }
  const joins = waits.filter((w) => w.target.kind === 'join');
  const cycle = joinCycle(joins, view.threads);
  if (cycle !== null) return provenCycle(view, cycle);

  const mutexWaiters = waits.filter(
    (w) => w.target.kind === 'mutex' && w.target.certain && !w.target.crossProcess && w.thread.state !== 'running',
  );
  const knownLocks = new Set(mutexWaiters.flatMap((w) => (w.target.lock === null ? [] : [w.target.lock])));
  if (mutexWaiters.length < MIN_BLOCKED_THREADS || knownLocks.size < MIN_DISTINCT_LOCKS) return null;
  const blocked = new Set(mutexWaiters.map((w) => w.thread));
  const joiners = joins.filter((j) => !blocked.has(j.thread));
  const joining = new Set(joiners.map((j) => j.thread));
  const others = view.threads.filter((t) => !blocked.has(t) && !joining.has(t));
  // A thread that waits on another process (a multiprocessing lock or queue, a shared mutex) may be released from outside.
  const outside = new Set(waits.filter((w) => w.target.crossProcess).map((w) => w.thread));
  if (others.some((t) => outside.has(t))) return null;
  // Threads still making progress could hold the locks; one thread holding every one of them
  // across a call is less likely than a cycle, so it is reported, but as possible, not likely.
  const active = others.filter((t) => MAY_RELEASE.has(t.state) && !t.idle);
  if (active.some((t) => t.state === 'running' || t.state === 'unknown')) return null;
  return inferred(view, mutexWaiters, joiners, others, active);
}

/** Finds threads that wait on each other's locks or joins, one diagnosis per process. */
export const detectDeadlock: DiagnosisRule = (ctx) => processViews(ctx).flatMap((view) => deadlockIn(view, ctx) ?? []);
