/**
 * `queue_feeder_join`: a process is joined while its multiprocessing queue feeder still blocks
 * writing. `Queue.put` hands objects to a feeder thread (`QueueFeederThread`, running
 * `multiprocessing/queues.py _feed`) that writes them into a pipe; when nobody reads the pipe
 * and it fills (64 KiB on Linux), the write blocks. At exit the process joins the feeder
 * (`queues.py _finalize_join` → `threading.py join`), so it never exits, and a parent in
 * `Process.join()` (`process.py join` → `popen_fork.py wait/poll` → `waitpid`) waits for it forever.
 * Python docs, "Joining processes that use queues": drain the queue before joining.
 *
 * Fires on the blocked feeder with, in its own process, the finalize join, and/or a parent
 * waiting for that process; also on a finalize join with a parent proven to wait for it.
 */
import type { Diagnosis } from '../../report/schema.js';
import type { CaseProcess, ClassifiedThread, DiagnosisContext } from '../model.js';
import { hasPythonFrame, intArg, isNamed } from './frame-match.js';
import type { DiagnosisRule } from './rule.js';
import { waitTarget } from './wait-target.js';
import { capitalize, formatCount, listThreads } from './wording.js';

const QUEUES = 'multiprocessing/queues.py';
const CONNECTION = 'multiprocessing/connection.py';
const SEND_FUNCTIONS = ['_send', '_send_bytes', 'send_bytes', 'send'];
const WRITE_CALLS = new Set([
  'write',
  'libc_write',
  'Py_write',
  'Py_write_impl',
  'os_write_impl',
  'os_write',
  'send',
  'sendmsg',
  'sock_send',
]);

/** The feeder thread blocked in the pipe write (not idle in its `nwait()`). */
function isBlockedFeeder(t: ClassifiedThread): boolean {
  if (!hasPythonFrame(t.frames, QUEUES, ['_feed'])) return false;
  if (t.idle || t.state === 'running' || t.state === 'lock_wait' || t.state === 'gil_wait') return false;
  return hasPythonFrame(t.frames, CONNECTION, SEND_FUNCTIONS) || t.frames.some((f) => isNamed(f, WRITE_CALLS));
}

function isFinalizeJoin(t: ClassifiedThread): boolean {
  return hasPythonFrame(t.frames, QUEUES, ['_finalize_join']) && t.state !== 'running';
}

/** A thread waiting for a child process to end through multiprocessing's join or a raw waitpid. */
function joinsChild(t: ClassifiedThread): { pid: number | null; viaMultiprocessing: boolean } | null {
  const viaMultiprocessing =
    hasPythonFrame(t.frames, 'multiprocessing/process.py', ['join']) ||
    hasPythonFrame(t.frames, 'multiprocessing/popen_fork.py', ['wait', 'poll']);
  const target = waitTarget(t);
  if (!viaMultiprocessing && (target?.kind !== 'child' || t.state !== 'child_wait')) return null;
  return { pid: target?.kind === 'child' ? target.childPid : null, viaMultiprocessing };
}

function parentOf(pid: number | null, processes: readonly CaseProcess[]): number | null {
  return pid === null ? null : (processes.find((p) => p.pid === pid)?.ppid ?? null);
}

/** Bytes the feeder is writing, from gdb's `write (… nbytes=2097161 …)`, or null. */
function pendingBytes(t: ClassifiedThread): number | null {
  for (const f of t.frames) {
    const n = intArg(f, 'nbytes') ?? intArg(f, 'count') ?? intArg(f, 'n');
    if (n !== null && isNamed(f, WRITE_CALLS)) return n;
  }
  return null;
}

function diagnosis(
  childPid: number | null,
  feeder: ClassifiedThread | null,
  finalizers: ClassifiedThread[],
  parents: ClassifiedThread[],
): Diagnosis {
  const child = childPid === null ? 'the process' : `process ${childPid}`;
  const parentPids = [...new Set(parents.flatMap((p) => (p.pid === null ? [] : [p.pid])))];
  const bytes = feeder === null ? null : pendingBytes(feeder);
  const parts: string[] = [];
  if (feeder !== null) {
    parts.push(
      `${capitalize(child)}'s queue feeder thread ${listThreads([feeder])} is blocked writing${bytes === null ? '' : ` ${formatCount(bytes)} bytes`} into the multiprocessing.Queue pipe (queues.py _feed → connection.py _send): the pipe is full and nobody reads it.`,
    );
  } else {
    parts.push(`${capitalize(child)} is exiting and waits for its queue feeder thread (not in the dump) to flush.`);
  }
  if (finalizers.length > 0)
    parts.push(
      `${listThreads(finalizers)} waits for that feeder in Queue._finalize_join (Thread.join) at exit, so ${child} can never exit.`,
    );
  if (parents.length > 0) {
    const who = parentPids.length > 0 ? `Parent process ${parentPids.join(', ')}` : 'The parent';
    parts.push(`${who} waits for ${child} to end (${listThreads(parents)} in Process.join/waitpid), so it hangs too.`);
  }
  parts.push(
    'Fix: drain the queue (q.get() every item the child put) before calling join(); or join only after the consumer has read everything; ' +
      'call q.cancel_join_thread() only if losing the unsent items is acceptable (the docs warn it may lose data).',
  );
  const evidence: Diagnosis['evidence'] = {
    feederBlocked: feeder !== null,
    finalizeJoin: finalizers.length,
    parentJoiners: parents.length,
  };
  if (childPid !== null) evidence.childPid = childPid;
  if (parentPids[0] !== undefined) evidence.parentPid = parentPids[0];
  if (bytes !== null) evidence.pendingBytes = bytes;
  const joinedBy =
    parents.length > 0
      ? parentPids.length > 0
        ? ` while parent ${parentPids.join(', ')} joins it`
        : ' while its parent joins it'
      : ' while it joins the feeder at exit';
  return {
    code: 'queue_feeder_join',
    severity: 'critical',
    title: `Queue feeder join: ${child}'s feeder blocks writing to a full queue pipe${joinedBy}`,
    detail: parts.join(' '),
    threadKeys: [...(feeder === null ? [] : [feeder]), ...finalizers, ...parents].map((t) => t.key),
    evidence,
  };
}

/** Reports processes that cannot exit because their multiprocessing queue feeder is stuck writing while they are joined. */
export const detectQueueFeederJoin: DiagnosisRule = (ctx: DiagnosisContext) => {
  const feeders = ctx.threads.filter(isBlockedFeeder);
  const finalizers = ctx.threads.filter(isFinalizeJoin);
  const joiners = ctx.threads.flatMap((t) => {
    const j = joinsChild(t);
    return j === null ? [] : [{ thread: t, ...j }];
  });
  // A parent waits for `pid` when its waitpid names it, when ps says it is pid's parent, or — knowing neither — when it is in multiprocessing's join in another process.
  const parentsOf = (pid: number | null) =>
    joiners
      .filter((j) => {
        if (j.thread.pid !== null && j.thread.pid === pid) return false;
        if (j.pid !== null && pid !== null) return j.pid === pid;
        const ppid = parentOf(pid, ctx.processes);
        if (ppid !== null && j.thread.pid !== null) return ppid === j.thread.pid;
        return j.viaMultiprocessing;
      })
      .map((j) => j.thread);
  const strictParentsOf = (pid: number | null) =>
    joiners.filter((j) => pid !== null && (j.pid === pid || parentOf(pid, ctx.processes) === j.thread.pid)).map((j) => j.thread);

  const out: Diagnosis[] = [];
  const seen = new Set<number | null>();
  for (const feeder of feeders) {
    if (seen.has(feeder.pid)) continue;
    seen.add(feeder.pid);
    const fin = finalizers.filter((t) => t.pid === feeder.pid);
    const parents = parentsOf(feeder.pid);
    if (fin.length > 0 || parents.length > 0) out.push(diagnosis(feeder.pid, feeder, fin, parents));
  }
  for (const fin of finalizers) {
    if (seen.has(fin.pid)) continue;
    seen.add(fin.pid);
    const parents = strictParentsOf(fin.pid);
    if (parents.length > 0)
      out.push(
        diagnosis(
          fin.pid,
          null,
          finalizers.filter((t) => t.pid === fin.pid),
          parents,
        ),
      );
  }
  return out;
};
