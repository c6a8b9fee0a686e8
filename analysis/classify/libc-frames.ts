/**
 * C library frames that rules share: the syscall and futex plumbing every wait passes through,
 * and the exported wait primitives. Names as gdb prints them for glibc 2.17–2.39 and musl 1.2
 * (FRAMES.md §3, §4); name-set.ts normalizes aliases such as `__GI___poll` or `___sem_timedwait64`.
 */

/**
 * Kernel-entry wrappers: `syscall ()` (glibc `sysdeps/unix/sysv/linux/x86_64/syscall.S`, used by
 * Rust std, parking_lot, absl and glib futex waits), i386 `__kernel_vsyscall` (vDSO), and musl's
 * cancellation-point path (`src/thread/x86_64/syscall_cp.s`, `src/thread/pthread_cancel.c`).
 * A wait is classified by what called them.
 */
// musl's cancellable syscall stub (src/thread/x86_64/syscall_cp.s) has the labels __cp_begin,
// __cp_end and __cp_cancel inside __syscall_cp_asm; gdb names the pc by the nearest label, so
// a thread blocked in the syscall shows `#0 __cp_end () at src/thread/x86_64/syscall_cp.s:29`.
export const KERNEL_ENTRY_FRAMES = [
  'syscall',
  '__kernel_vsyscall',
  '__syscall_cp_asm',
  '__cp_begin',
  '__cp_end',
  '__cp_cancel',
  '__syscall_cp_c',
  '__syscall_cp',
  'sccp',
];

/**
 * Futex internals under the exported primitives: glibc `nptl/futex-internal.c` (2.33+),
 * `sysdeps/nptl/futex-internal.h` (inline `futex_wait`), `nptl/lowlevellock.c` and the ≤2.29
 * x86_64 `lowlevellock.S` stubs (`_L_lock_NNN`), `nptl/sem_waitcommon.c`,
 * `nptl/pthread_cond_wait.c`, `nptl/pthread_mutex_cond_lock.c`; musl `src/thread/__timedwait.c`.
 */
export const FUTEX_INTERNAL_FRAMES = [
  '__futex_abstimed_wait_common64',
  '__futex_abstimed_wait_common',
  '__GI___futex_abstimed_wait_cancelable64',
  'futex_abstimed_wait_cancelable',
  'futex_abstimed_wait',
  'futex_wait',
  'futex_wait_cancelable',
  'futex_reltimed_wait',
  'futex_reltimed_wait_cancelable',
  'futex_wait_simple',
  'futex_lock_pi',
  'do_futex_wait',
  '__new_sem_wait_slow64',
  '__new_sem_wait_slow',
  '__lll_lock_wait',
  '__lll_lock_wait_private',
  '__lll_timedlock_wait',
  '__lll_clocklock_wait',
  '__lll_robust_lock_wait',
  'lll_mutex_lock_optimized',
  '_L_lock_*',
  '_L_cond_lock_*',
  '_L_timedlock_*',
  '_L_robust_lock_*',
  '__pthread_cond_wait_common',
  '__condvar_acquire_lock',
  '__condvar_quiesce_and_switch_g1',
  '__pthread_mutex_cond_lock',
  '__pthread_mutex_cond_lock_full',
  '__pthread_mutex_lock_full',
  '__timedwait_cp',
  '__timedwait',
];

/** Frames skipped on the way from the innermost frame to a rule's leaf. */
export const SYSCALL_PLUMBING = [...KERNEL_ENTRY_FRAMES, ...FUTEX_INTERNAL_FRAMES];

/** `sem_wait` family: `nptl/sem_wait.c`, `sem_timedwait.c`, `sem_clockwait.c` (2.30+); musl `sem_timedwait.c`. */
export const SEM_WAIT = [
  'sem_wait',
  '__new_sem_wait',
  '__old_sem_wait',
  'sem_timedwait',
  '___sem_timedwait64',
  'sem_clockwait',
  '___sem_clockwait64',
];

/** Condition variables: glibc `nptl/pthread_cond_wait.c`, the ≤2.24 x86_64 `.S` (`pthread_cond_wait@@GLIBC_2.3.2`), musl. */
export const CONDVAR_WAIT = [
  'pthread_cond_wait',
  'pthread_cond_timedwait',
  '___pthread_cond_timedwait64',
  'pthread_cond_clockwait',
  '___pthread_cond_clockwait64',
];

/** Mutexes: glibc `nptl/pthread_mutex_lock.c`, `pthread_mutex_timedlock.c`; musl `pthread_mutex_timedlock.c`. */
export const MUTEX_LOCK = ['pthread_mutex_lock', '___pthread_mutex_lock', 'pthread_mutex_timedlock', 'pthread_mutex_clocklock'];

/** Reader-writer locks and barriers: glibc `nptl/pthread_rwlock_common.c`, `pthread_barrier_wait.c`. */
export const RWLOCK_OR_BARRIER = [
  'pthread_rwlock_rdlock',
  'pthread_rwlock_wrlock',
  'pthread_rwlock_timedrdlock',
  'pthread_rwlock_timedwrlock',
  'pthread_rwlock_clockrdlock',
  'pthread_rwlock_clockwrlock',
  '__pthread_rwlock_rdlock_full',
  '__pthread_rwlock_wrlock_full',
  'pthread_barrier_wait',
];

/** `pthread_join`: glibc `nptl/pthread_join_common.c` (`__pthread_clockjoin_ex` 2.31+, `__pthread_timedjoin_ex` 2.27–2.30); musl `pthread_join.c`. */
export const THREAD_JOIN = [
  'pthread_join',
  '__pthread_clockjoin_ex',
  '__pthread_timedjoin_ex',
  'pthread_timedjoin_np',
  'pthread_clockjoin_np',
];

/** Every blocking synchronisation primitive above, for rules that only care that the thread waits. */
export const SYNC_WAIT = [...SEM_WAIT, ...CONDVAR_WAIT, ...MUTEX_LOCK, ...RWLOCK_OR_BARRIER, ...FUTEX_INTERNAL_FRAMES];

/** `poll` (`.__GI___poll` on ppc64, `poll () at …/syscall-template.S` on old builds), `ppoll`, fortified `__poll_chk`. */
export const POLL = ['poll', 'ppoll', '__ppoll64', '__poll_chk'];

/** `epoll_wait` has no `__GI_` alias in glibc 2.36 (`sysdeps/unix/sysv/linux/epoll_wait.c`). */
export const EPOLL = ['epoll_wait', 'epoll_pwait', 'epoll_pwait2'];

/** `select` (`__select64` 2.34+), `pselect` (`__pselect64`). */
export const SELECT = ['select', '__select64', 'pselect', '__pselect64'];

/** Event polling in any form, for event-loop rules. */
export const EVENT_POLL = [...POLL, ...EPOLL, ...SELECT, 'kevent'];

/** Descriptor reads, writes and socket calls that block on the other end. */
export const DESCRIPTOR_IO = [
  'read',
  '__read_nocancel',
  '__read_chk',
  'readv',
  'pread',
  'preadv',
  'write',
  '__write_nocancel',
  'writev',
  'pwrite',
  'pwritev',
  'recv',
  'recvfrom',
  'recvmsg',
  'recvmmsg',
  '__recv_chk',
  '__recvfrom_chk',
  'send',
  'sendto',
  'sendmsg',
  'sendmmsg',
  'accept',
  'accept4',
  'connect',
  'msgrcv',
  'mq_receive',
  'mq_timedreceive',
  'io_getevents',
  'io_uring_enter',
  'fsync',
  'fdatasync',
];

/** Timer sleeps: `clock_nanosleep.c`, `nanosleep.c` (calls `__clock_nanosleep` since 2.31), `posix/sleep.c`, `usleep.c`, C11 `thrd_sleep`. */
export const TIMER_SLEEP = ['clock_nanosleep', '__clock_nanosleep_time64', 'nanosleep', 'usleep', 'sleep', 'thrd_sleep'];

/** Child waits: `__wait4` ← `__waitpid` (2.31+), `waitid`, `wait3`, `wait`. */
export const CHILD_WAIT = ['wait4', 'waitpid', 'waitid', 'wait3', 'wait'];

/** Frames that raise a signal: `nptl/pthread_kill.c`, `sysdeps/posix/raise.c`, `stdlib/abort.c`. */
export const RAISE_FRAMES = [
  'raise',
  'gsignal',
  'abort',
  '__pthread_kill_implementation',
  '__pthread_kill_internal',
  'pthread_kill',
  'tgkill',
];
