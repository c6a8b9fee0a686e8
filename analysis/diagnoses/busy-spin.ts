/**
 * `busy_spin`: a thread burns CPU in a wait loop whose wait returns at once. Evidence, any of:
 * - a stack in poll/select/epoll with a zero timeout (`__GI___poll (fds=…, nfds=1,
 *   timeout=timeout@entry=0)`, FRAMES.md §6.5) and high CPU for that thread;
 * - high CPU on a thread whose stack is in a wait call that can return at once (poll family,
 *   timed waits, sched_yield, short sleeps): an always-ready fd or a zero timeout, caught
 *   inside the call; a thread blocked for real would use no CPU;
 * - a raw strace of the thread where most poll-family calls returned immediately;
 * - an `strace -c` table with a poll-family call counted in the tens of thousands at ~0 µs each.
 * Untimed lock waits (mutex, untimed condvar/semaphore) cannot return at once and are not
 * counted; GIL waiters are gil_contention's business.
 */
import type { RawFrame, SyscallStat } from '../../parsers/model.js';
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext, SyscallSummary } from '../model.js';
import { argValue, describeFrame, frameNames, innermostPython } from './frame-match.js';
import { everyProcessView, type ProcessView, processLabel, syscallsFor } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { effectiveCpu } from './thread-cpu.js';
import { formatCount, formatPercent, listThreads, listWords, threadLabel } from './wording.js';

/** Per-thread CPU (percent of one CPU) that counts as burning CPU. */
export const SPIN_MIN_CPU = 50;
/** Per-thread CPU from which a spin is critical. */
export const CRITICAL_CPU = 90;
/** Raw strace: immediate returns needed on one thread … */
export const MIN_IMMEDIATE_RETURNS = 1000;
/** … and their share of that thread's poll-family calls. */
export const MIN_IMMEDIATE_SHARE = 0.9;
/** strace -c: calls of one poll-family syscall that make a storm … */
export const TABLE_MIN_CALLS = 10_000;
/** … at no more than this many microseconds per call. */
export const TABLE_MAX_USECS_PER_CALL = 10;
/** How many innermost frames may hold the wait call (a spinner is often caught just around the syscall). */
const WAIT_DEPTH = 12;

// Syscall and libc names (strace and frameNames() spellings) of calls that wait for descriptors.
const POLL_FAMILY = new Set([
  'poll',
  'ppoll',
  'select',
  'select64',
  'pselect',
  'pselect6',
  'epoll_wait',
  'epoll_pwait',
  'epoll_pwait2',
  'kevent',
  '_newselect',
]);
// CPython and event-loop frames that sit around a poll call (FRAMES.md §6.5: a busy poller is mostly caught outside the syscall).
const POLL_CALLERS = new Set([
  'select_poll_poll_impl',
  'select_poll_poll',
  'select_epoll_poll_impl',
  'select_epoll_poll',
  'select_select_impl',
  'select_select',
  'pyepoll_poll',
  'poll_poll',
  'g_poll',
  'g_main_context_poll',
  'epoll_poll',
  'uv__io_poll',
  'uv_io_poll',
]);
// Waits that return on their own: timed condvars/semaphores, yields and sleeps.
const TIMED_WAITS = new Set([
  'sched_yield',
  'nanosleep',
  'clock_nanosleep',
  'usleep',
  'pthread_cond_timedwait',
  'pthread_cond_timedwait64',
  'pthread_cond_clockwait',
  'pthread_cond_clockwait64',
  'sem_timedwait',
  'sem_timedwait64',
  'sem_clockwait',
  'sem_clockwait64',
  'g_cond_wait_until',
  'PR_WaitCondVar',
  'Py_yield',
]);

interface Spin {
  thread: ClassifiedThread;
  cpu: number | null;
  why: string;
}

function waitCall(t: ClassifiedThread): { frame: RawFrame; poll: boolean; zeroTimeout: boolean } | null {
  const near = t.frames.slice(0, WAIT_DEPTH);
  const cut = near.findIndex((f) => f.language !== 'native');
  const native = cut < 0 ? near : near.slice(0, cut);
  const poll = native.find((f) => frameNames(f).some((n) => POLL_FAMILY.has(n) || POLL_CALLERS.has(n)));
  if (poll !== undefined) {
    const timeout = argValue(poll, 'timeout') ?? argValue(poll, '__timeout');
    return { frame: poll, poll: true, zeroTimeout: timeout !== null && /^0(?![x\d])/.test(timeout) };
  }
  const py = innermostPython(t.frames);
  if (py?.file?.endsWith('selectors.py') && py.function === 'select') return { frame: py, poll: true, zeroTimeout: false };
  const timed = native.find((f) => frameNames(f).some((n) => TIMED_WAITS.has(n)));
  return timed === undefined ? null : { frame: timed, poll: false, zeroTimeout: false };
}

function straceSpin(t: ClassifiedThread): { immediate: number; calls: number } | null {
  const polls = (t.syscalls ?? []).filter((s) => POLL_FAMILY.has(s.name));
  const calls = polls.reduce((n, s) => n + s.calls, 0);
  const immediate = polls.reduce((n, s) => n + (s.immediateReturns ?? 0), 0);
  return immediate >= MIN_IMMEDIATE_RETURNS && calls > 0 && immediate / calls >= MIN_IMMEDIATE_SHARE ? { immediate, calls } : null;
}

function threadSpin(t: ClassifiedThread, view: ProcessView): Spin | null {
  if (t.isCrashing) return null;
  const cpu = effectiveCpu(t, view.threads);
  const strace = straceSpin(t);
  if (strace !== null) {
    return {
      thread: t,
      cpu,
      why: `${formatCount(strace.immediate)} of its ${formatCount(strace.calls)} poll-family calls returned at once (strace)`,
    };
  }
  if (cpu === null || cpu < SPIN_MIN_CPU) return null;
  const wait = waitCall(t);
  // A GIL waiter counts only when it is re-taking the GIL after a poll call (`take_gil ← PyEval_RestoreThread ← select_poll_poll_impl`).
  if (wait === null || (t.state === 'gil_wait' && !wait.poll)) return null;
  const call = describeFrame(wait.frame);
  // Without a zero timeout the CPU figure must be the thread's current one: a sleeping scheduler state (ps/top `S`, `D`) says it is not spinning now.
  if (!wait.zeroTimeout && t.osState !== null && !t.osState.startsWith('R')) return null;
  if (wait.zeroTimeout)
    return {
      thread: t,
      cpu,
      why: `it uses ${formatPercent(cpu)} CPU while its stack polls with timeout 0 in ${call} (${wait.frame.args ?? ''})`,
    };
  return { thread: t, cpu, why: `it uses ${formatPercent(cpu)} CPU yet its stack is in ${call}, a wait that should leave the CPU idle` };
}

function tableStorms(summaries: readonly SyscallSummary[]): SyscallStat[] {
  return summaries
    .filter((s) => s.isTable)
    .flatMap((s) => s.stats)
    .filter(
      (s) =>
        POLL_FAMILY.has(s.name) &&
        s.calls >= TABLE_MIN_CALLS &&
        s.seconds !== null &&
        (s.seconds * 1e6) / s.calls <= TABLE_MAX_USECS_PER_CALL,
    );
}

/**
 * A raw trace that names no thread (`strace -p TID -o file`, one `strace -ff` file): its totals
 * still show poll-family calls returning at once, though not which thread made them.
 */
function traceStorms(summaries: readonly SyscallSummary[]): Array<{ name: string; immediate: number; calls: number }> {
  return summaries
    .filter((s) => !s.isTable)
    .flatMap((s) => s.stats)
    .filter(
      (s) =>
        POLL_FAMILY.has(s.name) &&
        (s.immediateReturns ?? 0) >= MIN_IMMEDIATE_RETURNS &&
        (s.immediateReturns ?? 0) / s.calls >= MIN_IMMEDIATE_SHARE,
    )
    .map((s) => ({ name: s.name, immediate: s.immediateReturns ?? 0, calls: s.calls }));
}

function spinIn(view: ProcessView, ctx: DiagnosisContext, viewCount: number): Diagnosis | null {
  const spins = view.threads.flatMap((t) => threadSpin(t, view) ?? []);
  const summaries = syscallsFor(view, ctx, viewCount);
  const storms = tableStorms(summaries);
  const traced = spins.length === 0 && storms.length === 0 ? traceStorms(summaries) : [];
  if (traced.length > 0) return tracedSpin(view, traced);
  if (spins.length === 0 && storms.length === 0) return null;
  const maxCpu = Math.max(0, ...spins.map((s) => s.cpu ?? 0));
  const severity = maxCpu >= CRITICAL_CPU ? 'critical' : 'warning';
  const threads = spins.map((s) => s.thread);
  const stormWords = storms.map(
    (s) => `${s.name} ${formatCount(s.calls)} calls at ${formatCount(((s.seconds ?? 0) * 1e6) / s.calls)} µs each`,
  );
  const title =
    threads.length === 1
      ? `Busy spin: ${listThreads(threads)} burns CPU in a wait loop that returns at once`
      : threads.length > 1
        ? `Busy spin: ${threads.length} threads burn CPU in wait loops that return at once`
        : `Busy spin: ${storms[0]?.name ?? 'poll'} called ${formatCount(storms[0]?.calls ?? 0)} times, each returning at once`;
  const parts = [`In ${processLabel(view)}:`];
  for (const s of spins) parts.push(`${threadLabel(s.thread)}: ${s.why}.`);
  if (stormWords.length > 0) parts.push(`strace -c counts ${listWords(stormWords, 3)}: the calls do not wait.`);
  parts.push(
    'A wait that returns immediately turns a waiting loop into a CPU loop. Usual causes: a zero timeout (poll/select/epoll_wait with 0, ' +
      'selector.select(0), a sleep(0) or timeout=0 in a retry loop); a descriptor that is always ready (a closed peer or EOF never handled, a writable socket polled for POLLOUT with nothing to write); ' +
      'a level-triggered fd that is never drained. Fix: wait with a real timeout (or none), read to EAGAIN or unregister the fd, and handle EOF/hang-up.',
  );
  const evidence: Diagnosis['evidence'] = { spinningThreads: threads.length };
  if (spins.length > 0) evidence.maxCpuPercent = Math.round(maxCpu * 10) / 10;
  const first = storms[0];
  if (first !== undefined) {
    evidence.syscall = first.name;
    evidence.syscallCalls = first.calls;
  }
  return { code: 'busy_spin', severity, title, detail: parts.join(' '), threadKeys: threads.map((t) => t.key), evidence };
}

function tracedSpin(view: ProcessView, traced: ReadonlyArray<{ name: string; immediate: number; calls: number }>): Diagnosis {
  const first = traced[0] as (typeof traced)[number];
  const words = traced.map((s) => `${s.name} returned at once ${formatCount(s.immediate)} of ${formatCount(s.calls)} times`);
  return {
    code: 'busy_spin',
    severity: 'warning',
    title: `Busy spin: ${first.name} returned at once ${formatCount(first.immediate)} of ${formatCount(first.calls)} times in the trace`,
    detail:
      `${view.pid === null ? 'The traced thread' : `In ${processLabel(view)}, the traced thread`}: ${listWords(words, 3)} (strace). ` +
      'The trace does not say which thread it is (strace -p TID with -o, or one file of strace -ff): match it with a thread of a gdb dump or `ps -L`/`top -H` taken at the same time. ' +
      'A wait that returns immediately turns a waiting loop into a CPU loop: a zero timeout, a descriptor that is always ready, or a level-triggered fd that is never drained.',
    threadKeys: [],
    evidence: { spinningThreads: 0, syscall: first.name, immediateReturns: first.immediate, syscallCalls: first.calls },
  };
}

/** Reports threads that burn CPU in a wait whose call returns at once, one diagnosis per process. */
export const detectBusySpin: DiagnosisRule = (ctx) => {
  const views = everyProcessView(ctx);
  return views.flatMap((view) => spinIn(view, ctx, views.length) ?? []);
};
