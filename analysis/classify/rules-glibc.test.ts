import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { LIBC_EARLY_RULES, LIBC_RULES } from './rules-glibc.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

const thread = (...specs: string[]): CorrelatedThread => makeThread({ frames: frames(...specs) });
const topOnly = (spec: string): CorrelatedThread => makeThread({ frames: frames(spec), topFrameOnly: true, hasNativeStack: false });

// Verbatim from corpus c-mutex-deadlock gdb-bt.txt.
const JOIN_FUTEX = [
  '__futex_abstimed_wait_common64 private=128, cancel=true, abstime=0x0, op=265, expected=405, futex_word=0x7faecdbd2990',
  '__futex_abstimed_wait_common futex_word=futex_word@entry=0x7faecdbd2990, expected=405, clockid=clockid@entry=0',
  '__GI___futex_abstimed_wait_cancelable64 futex_word=futex_word@entry=0x7faecdbd2990, expected=<optimized out>',
  '__pthread_clockjoin_ex threadid=140388752762560, thread_return=0x0, clockid=0, abstime=0x0, block=<optimized out>',
];
const MUTEX_FUTEX = [
  'futex_wait private=0, expected=2, futex_word=0x5558c0ece140 <ledger_mutex>',
  '__GI___lll_lock_wait futex=futex@entry=0x5558c0ece140 <ledger_mutex>, private=0',
  'lll_mutex_lock_optimized mutex=0x5558c0ece140 <ledger_mutex>',
  '___pthread_mutex_lock mutex=0x5558c0ece140 <ledger_mutex>',
];

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'info threads only: a futex wait cannot rule out the GIL (corpus c-mutex-deadlock LWP 405)',
    thread: topOnly('futex_wait private=0, expected=2, futex_word=0x5558c0ece140 <ledger_mutex>'),
    want: { state: 'lock_wait', rule: 'top.sync_wait', idle: false, blocking: 'futex_wait' },
  },
  {
    name: 'poll with timeout 0 returns at once: busy',
    thread: thread('__GI___poll fds=0x7fb715bbe040, nfds=1, timeout=timeout@entry=0', 'event_loop_once', 'main'),
    want: { state: 'running', rule: 'io.busy_poll', idle: false, blocking: null },
  },
  {
    name: 'epoll_wait with timeout 0 inside an event loop is still busy',
    thread: thread('epoll_wait epfd=3, events=0x55d0, maxevents=64, timeout=0', 'uv__io_poll', 'uv_run'),
    want: { state: 'running', rule: 'io.busy_poll', idle: false, blocking: null },
  },
  {
    name: 'select(0, NULL, NULL, NULL, &tv) is a sleep',
    thread: thread('__GI___select nfds=0, readfds=0x0, writefds=0x0, exceptfds=0x0, timeout=0x7ffe1a0', 'msleep', 'main'),
    want: { state: 'sleep', rule: 'sleep.select_no_fds', idle: false, blocking: 'select' },
  },
  {
    name: 'look-alike: select with descriptors waits for them',
    thread: thread('__GI___select nfds=8, readfds=0x7ffe1b0, writefds=0x0, exceptfds=0x0, timeout=0x0', 'server_loop', 'main'),
    want: { state: 'io_wait', rule: 'io.select', idle: false, blocking: 'select' },
  },
  {
    name: 'poll from old glibc without arguments (thunderbird: __poll ← _pr_poll_with_poll)',
    thread: thread(
      '__poll fds=<value optimized out>,',
      '_pr_poll_with_poll',
      'nsSocketTransportService::Poll',
      'nsSocketTransportService::DoPollIteration',
    ),
    want: { state: 'io_wait', rule: 'io.poll', idle: false, blocking: 'poll' },
  },
  {
    name: 'look-alike: poll with a real timeout is blocked',
    thread: thread('__GI___poll fds=0x7fb715bbe040, nfds=1, timeout=300000', 'wait_for_peer'),
    want: { state: 'io_wait', rule: 'io.poll', idle: false, blocking: 'poll' },
  },
  {
    name: 'look-alike: poll with an optimized-out timeout is blocked, not busy',
    thread: thread('__GI___poll fds=0x7fb715bbe040, nfds=1, timeout=<optimized out>', 'wait_for_peer'),
    want: { state: 'io_wait', rule: 'io.poll', idle: false, blocking: 'poll' },
  },
  {
    name: "look-alike: ppoll's NULL timespec (timeout=0x0) waits forever, it is not a zero timeout",
    thread: thread('__GI_ppoll fds=0x7ffc, nfds=2, timeout=timeout@entry=0x0, sigmask=0x0', 'event_wait'),
    want: { state: 'io_wait', rule: 'io.poll', idle: false, blocking: 'ppoll' },
  },
  {
    name: 'epoll_wait with timeout -1 (infinite)',
    thread: thread('epoll_wait epfd=4, events=0x55d0, maxevents=32, timeout=-1', 'reactor_run', 'main'),
    want: { state: 'io_wait', rule: 'io.epoll', idle: false, blocking: 'epoll_wait' },
  },
  {
    name: 'write blocked on a socket (virt-manager: write () ← virNetSocketWriteWire)',
    thread: thread('write', 'virNetSocketWriteWire sock=0x7fafc0002330, len=56', 'virNetSocketWrite', 'virNetClientIOWriteMessage'),
    want: { state: 'io_wait', rule: 'io.descriptor', idle: false, blocking: 'write' },
  },
  {
    name: 'musl: recv through the cancellation-point syscall is classified by its caller',
    thread: thread('__syscall_cp_asm', '__syscall_cp_c', 'recvfrom', 'recv', 'handle_client'),
    want: { state: 'io_wait', rule: 'io.descriptor', idle: false, blocking: 'recvfrom' },
  },
  {
    name: 'nanosleep (corpus c-mutex-deadlock LWP 404)',
    thread: thread(
      '__GI___clock_nanosleep clock_id=clock_id@entry=0, flags=flags@entry=0, req=0x7faece3d2ec0, rem=0x0',
      '__GI___nanosleep',
      'stats_worker arg=0x0',
      'start_thread',
    ),
    want: { state: 'sleep', rule: 'sleep.timer', idle: false, blocking: 'clock_nanosleep' },
  },
  {
    name: 'musl: sleep through __syscall_cp_asm ← __clock_nanosleep',
    thread: thread('__syscall_cp_asm', '__syscall_cp_c', '__clock_nanosleep', 'nanosleep', 'sleep', 'poll_forever'),
    want: { state: 'sleep', rule: 'sleep.timer', idle: false, blocking: 'clock_nanosleep' },
  },
  {
    name: 'musl: internal lock (__wait ← __lock)',
    thread: thread('__wait', '__lock', 'malloc', 'parse_request'),
    want: { state: 'lock_wait', rule: 'musl.internal_lock', idle: false, blocking: 'wait' },
  },
  {
    name: 'look-alike: wait() for a child process',
    thread: thread('__GI___wait4 pid=-1, stat_loc=0x7ffd, options=0', '__GI___waitpid', 'run_children', 'main'),
    want: { state: 'child_wait', rule: 'child.wait', idle: false, blocking: 'waitpid' },
  },
  {
    name: 'pthread_join: futex expected=<TID>, op=265 (corpus c-mutex-deadlock LWP 402)',
    thread: thread(...JOIN_FUTEX, 'main'),
    want: { state: 'lock_wait', rule: 'lock.join', idle: false, blocking: 'pthread_join' },
  },
  {
    name: 'musl: join through __timedwait_cp',
    thread: thread('__timedwait_cp', '__pthread_timedjoin_np', '__pthread_join', 'main'),
    want: { state: 'lock_wait', rule: 'lock.join', idle: false, blocking: 'pthread_join' },
  },
  {
    name: 'look-alike: mutex futex in a lock-order deadlock (corpus c-mutex-deadlock LWP 405)',
    thread: thread(...MUTEX_FUTEX, 'apply_transfer t=0x7faecdbd1ec0', 'transfer_worker arg=0x0', 'start_thread', 'clone3'),
    want: { state: 'lock_wait', rule: 'lock.mutex', idle: false, blocking: 'pthread_mutex_lock' },
  },
  {
    name: 'glibc ≤ 2.29 x86_64 assembly mutex path (__lll_lock_wait ← _L_lock_854 ← pthread_mutex_lock)',
    thread: thread('__lll_lock_wait', '_L_lock_854', 'pthread_mutex_lock', 'cache_insert'),
    want: { state: 'lock_wait', rule: 'lock.mutex', idle: false, blocking: 'pthread_mutex_lock' },
  },
  {
    name: 'condvar without debug info (pthread_cond_wait@@GLIBC_2.3.2 ← IconDatabase)',
    thread: thread(
      'pthread_cond_wait@@GLIBC_2.3.2',
      'WebCore::IconDatabase::syncThreadMainLoop',
      'WebCore::IconDatabase::iconDatabaseSyncThread',
    ),
    want: { state: 'lock_wait', rule: 'lock.condvar', idle: false, blocking: 'pthread_cond_wait' },
  },
  {
    name: 'musl condvar: __timedwait_cp ← __timedwait ← __pthread_cond_timedwait',
    thread: thread('__syscall_cp_asm', '__timedwait_cp', '__timedwait', '__pthread_cond_timedwait', 'pthread_cond_wait', 'worker'),
    want: { state: 'lock_wait', rule: 'lock.condvar', idle: false, blocking: 'pthread_cond_timedwait' },
  },
  {
    name: 'POSIX semaphore',
    thread: thread('do_futex_wait.constprop.0', '__new_sem_wait_slow.constprop.0', 'sem_wait@@GLIBC_2.2.5', 'consumer'),
    want: { state: 'lock_wait', rule: 'lock.semaphore', idle: false, blocking: 'sem_wait' },
  },
  {
    name: 'rwlock writer',
    thread: thread('__futex_abstimed_wait_common64', '__pthread_rwlock_wrlock_full64', '___pthread_rwlock_wrlock', 'update_cache'),
    want: { state: 'lock_wait', rule: 'lock.rwlock_or_barrier', idle: false, blocking: 'pthread_rwlock_wrlock_full' },
  },
  {
    name: 'file lock',
    thread: thread('flock', 'acquire_pidfile', 'main'),
    want: { state: 'lock_wait', rule: 'lock.file', idle: false, blocking: 'flock' },
  },
  {
    name: 'glibc-internal lock (stdio): __lll_lock_wait_private ← _IO_flockfile',
    thread: thread('futex_wait', '__GI___lll_lock_wait_private', '_IO_flockfile', 'log_line'),
    want: { state: 'lock_wait', rule: 'lock.futex', idle: false, blocking: 'futex_wait' },
  },
  {
    name: 'signal-handling thread in sigwait',
    thread: thread('__GI___sigtimedwait', '__sigwait', 'signal_thread'),
    want: { state: 'unknown', rule: 'signal.wait', idle: false, blocking: 'sigtimedwait' },
  },
  {
    name: 'spin loop yielding',
    thread: thread('sched_yield', 'spin_until_ready', 'worker'),
    want: { state: 'running', rule: 'spin.sched_yield', idle: false, blocking: null },
  },
  {
    name: 'look-alike: a raw syscall () from an unknown caller is not guessed',
    thread: thread('syscall', 'my_futex_wrapper', 'worker'),
    want: { state: 'unknown', rule: 'syscall.unrecognised', idle: false, blocking: null },
  },
  {
    name: 'executing bytecode: _PyEval_EvalFrameDefault at the top',
    thread: thread('_PyEval_EvalFrameDefault tstate=<optimized out>', '_PyEval_EvalFrame', '_PyEval_Vector'),
    want: { state: 'running', rule: 'running.eval_loop', idle: false, blocking: null },
  },
  {
    name: 'CPU work in C under the eval loop (corpus py-gil-gthread-40 LWP 32105)',
    thread: thread(
      'fast_mod b=0xa56648 <_PyRuntime+1064>, a=0x7f4f11319310',
      'l_mod',
      'long_mod',
      'binary_op1',
      'binary_op',
      'PyNumber_Remainder',
      '_PyEval_EvalFrameDefault',
    ),
    want: { state: 'running', rule: 'running.no_wait', idle: false, blocking: null },
  },
  {
    name: 'look-alike: a wait below the first eval frame does not make a running thread wait',
    thread: thread('pymalloc_alloc', '_PyObject_Malloc', 'PyList_New', '_PyEval_EvalFrameDefault', 'take_gil', 'PyEval_RestoreThread'),
    want: { state: 'running', rule: 'running.no_wait', idle: false, blocking: null },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const v = classifyThread(c.thread);
    assert.deepEqual(
      { state: v.state, rule: v.classification.rule, idle: v.idle, blocking: v.blockingFrame },
      c.want,
      v.classification.why,
    );
  });
}

test('every libc rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    [...LIBC_EARLY_RULES, ...LIBC_RULES].map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('a join verdict points at __pthread_clockjoin_ex', () => {
  const v = classifyThread(thread(...JOIN_FUTEX, 'main'));
  assert.equal(v.classification.frameIndex, 3);
  assert.match(v.classification.why, /pthread_join/);
});
