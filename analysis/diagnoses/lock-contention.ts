/**
 * `lock_contention`: waiting on futexes dominates the process's time. Evidence: an strace
 * summary where `futex` takes most of the time with many calls (a few long futex waits are idle
 * threads parked on a condition, not contention), or many threads of one process blocked on the
 * same non-GIL mutex. Every lock in glibc, CPython and Rust waits in futex(2), the GIL too, so
 * the detail says which it most likely is: with threads in gil_wait, the GIL.
 */
import type { SyscallStat } from '../../parsers/model.js';
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { describeFrame } from './frame-match.js';
import { everyProcessView, type ProcessView, processLabel, syscallsFor } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { waitTarget } from './wait-target.js';
import { formatCount, formatPercent, listThreads } from './wording.js';

/** Share of system-call time (strace `% time`, or seconds) spent in futex … */
export const MIN_FUTEX_TIME_SHARE = 0.5;
/** … over at least this many futex calls. */
export const MIN_FUTEX_CALLS = 1000;
/** Threads blocked on the same mutex that make contention visible in the stacks alone. */
export const MIN_SAME_LOCK_WAITERS = 4;

function futexShare(stats: readonly SyscallStat[]): { share: number; calls: number } | null {
  const futex = stats.filter((s) => s.name === 'futex');
  const calls = futex.reduce((n, s) => n + s.calls, 0);
  if (futex.length === 0 || calls < MIN_FUTEX_CALLS) return null;
  const percent = futex.reduce((n, s) => (s.percentTime === null ? n : n + s.percentTime), 0);
  if (futex.every((s) => s.percentTime !== null)) return { share: percent / 100, calls };
  const total = stats.reduce((n, s) => n + (s.seconds ?? 0), 0);
  const spent = futex.reduce((n, s) => n + (s.seconds ?? 0), 0);
  return total > 0 ? { share: spent / total, calls } : null;
}

function sameLockWaiters(view: ProcessView): { label: string; threads: ClassifiedThread[]; caller: string | null } | null {
  const byLock = new Map<string, { label: string; threads: ClassifiedThread[]; caller: string | null }>();
  for (const t of view.threads) {
    if (t.idle || t.state === 'gil_wait' || t.state === 'running') continue;
    const target = waitTarget(t);
    if (target?.kind !== 'mutex' || target.lock === null) continue;
    const entry = byLock.get(target.lock) ?? {
      label: target.lockLabel ?? target.lock,
      threads: [],
      caller: target.caller ? describeFrame(target.caller) : null,
    };
    entry.threads.push(t);
    byLock.set(target.lock, entry);
  }
  const largest = [...byLock.values()].sort((a, b) => b.threads.length - a.threads.length)[0];
  return largest !== undefined && largest.threads.length >= MIN_SAME_LOCK_WAITERS ? largest : null;
}

function contentionIn(view: ProcessView, ctx: DiagnosisContext, viewCount: number): Diagnosis | null {
  const summaries = syscallsFor(view, ctx, viewCount);
  const futex = summaries.map((s) => futexShare(s.stats)).find((f) => f !== null && f.share >= MIN_FUTEX_TIME_SHARE) ?? null;
  const sameLock = sameLockWaiters(view);
  if (futex === null && sameLock === null) return null;

  const gilWaiters = view.threads.filter((t) => t.state === 'gil_wait');
  const parts: string[] = [];
  if (futex !== null)
    parts.push(
      `strace shows futex taking ${formatPercent(futex.share * 100)} of ${processLabel(view)}'s system-call time over ${formatCount(futex.calls)} calls: threads spend their time waiting for each other.`,
    );
  if (sameLock !== null) {
    parts.push(
      `${sameLock.threads.length} threads are blocked on the same mutex ${sameLock.label}${sameLock.caller ? ` (taken in ${sameLock.caller})` : ''}: ${listThreads(sameLock.threads, 4)}.`,
    );
  }
  if (gilWaiters.length > 0 && sameLock === null) {
    parts.push(
      `${gilWaiters.length} threads are waiting for the GIL, so this futex time is most likely the GIL being handed back and forth (see gil_contention): fewer Python threads per process, or CPU-bound work in processes.`,
    );
  } else {
    parts.push(
      'These are application locks (or library locks the application drives): keep critical sections short, do no I/O while holding a lock, split one hot lock into finer ones (per key, per shard), ' +
        'or use lock-free/queue hand-off; a profiler with off-CPU view (perf sched, offcputime) names the hottest lock.',
    );
  }
  const keys = sameLock !== null ? sameLock.threads : gilWaiters.length > 0 ? gilWaiters : [];
  const evidence: Diagnosis['evidence'] = { gilWaiters: gilWaiters.length, sameLockWaiters: sameLock?.threads.length ?? 0 };
  if (futex !== null) {
    evidence.futexTimeShare = Math.round(futex.share * 1000) / 1000;
    evidence.futexCalls = futex.calls;
  }
  const what =
    futex !== null
      ? `futex takes ${formatPercent(futex.share * 100)} of system-call time (${formatCount(futex.calls)} calls)`
      : `${sameLock?.threads.length ?? 0} threads wait on ${sameLock?.label ?? 'one mutex'}`;
  const likely =
    gilWaiters.length > 0 && sameLock === null
      ? ', most likely the GIL'
      : sameLock !== null && futex !== null
        ? `; ${sameLock.threads.length} threads wait on ${sameLock.label}`
        : '';
  return {
    code: 'lock_contention',
    severity: 'warning',
    title: `Lock contention: ${what}${likely}`,
    detail: parts.join(' '),
    threadKeys: keys.map((t) => t.key),
    evidence,
  };
}

/** Reports processes whose time goes to waiting on futexes (locks, the GIL). */
export const detectLockContention: DiagnosisRule = (ctx) => {
  const views = everyProcessView(ctx);
  return views.flatMap((view) => contentionIn(view, ctx, views.length) ?? []);
};
