/**
 * Generic C library waits (glibc 2.17–2.39, musl 1.2; FRAMES.md §3, §4, §6.5, §6.7, §6.8), after
 * every rule that knows the caller. `LIBC_EARLY_RULES` run before the idle and runtime rules: a
 * busy poll is running whatever loop it sits in, and a lone top frame cannot name its caller.
 */
import { CPYTHON_EVAL_FRAMES } from './cpython-frames.js';
import {
  CHILD_WAIT,
  CONDVAR_WAIT,
  DESCRIPTOR_IO,
  EPOLL,
  FUTEX_INTERNAL_FRAMES,
  KERNEL_ENTRY_FRAMES,
  MUTEX_LOCK,
  POLL,
  RWLOCK_OR_BARRIER,
  SELECT,
  SEM_WAIT,
  SYNC_WAIT,
  THREAD_JOIN,
  TIMER_SLEEP,
} from './libc-frames.js';
import type { NativeRule } from './rule.js';

export const LIBC_EARLY_RULES: NativeRule[] = [
  {
    // gdb `info threads` shows only `__futex_abstimed_wait_common64 (…, op=393, …)`: a semaphore, a
    // Python lock, or the CPython 2.7 GIL (a semaphore too); op=137 could be any condvar, the 3.x GIL's included.
    kind: 'native',
    id: 'top.sync_wait',
    state: 'lock_wait',
    leaf: SYNC_WAIT,
    topFrameOnly: true,
    why: 'only the top frame is known: a futex, semaphore, condvar or mutex wait; the GIL cannot be ruled out',
  },
  {
    // `__GI___poll (fds=0x7fb715bbe040, nfds=1, timeout=timeout@entry=0)`: returns at once (FRAMES §6.5).
    kind: 'native',
    id: 'io.busy_poll',
    state: 'running',
    leaf: [...POLL, ...EPOLL],
    args: [{ names: ['timeout'], equals: 0 }],
    blocking: null,
    why: 'polling with timeout 0, which returns at once: busy, not blocked',
  },
];

export const LIBC_RULES: NativeRule[] = [
  {
    // select(0, NULL, NULL, NULL, &tv) is the classic sub-second sleep.
    kind: 'native',
    id: 'sleep.select_no_fds',
    state: 'sleep',
    leaf: SELECT,
    args: [{ names: ['nfds'], equals: 0 }],
    why: 'select() with no descriptors: a timed sleep',
  },
  { kind: 'native', id: 'io.poll', state: 'io_wait', leaf: POLL, why: 'waiting in poll() for descriptors' },
  { kind: 'native', id: 'io.epoll', state: 'io_wait', leaf: EPOLL, why: 'waiting in epoll_wait() for events' },
  { kind: 'native', id: 'io.select', state: 'io_wait', leaf: SELECT, why: 'waiting in select() for descriptors' },
  {
    // A write blocks while the pipe or socket is full (FRAMES §6.8); a read until data arrives.
    kind: 'native',
    id: 'io.descriptor',
    state: 'io_wait',
    leaf: DESCRIPTOR_IO,
    why: 'blocked in a read, write or socket call until the other end acts',
  },
  { kind: 'native', id: 'sleep.timer', state: 'sleep', leaf: TIMER_SLEEP, why: 'sleeping on a timer (nanosleep, clock_nanosleep)' },
  {
    // musl `__wait` (src/thread/__wait.c) normalizes to `wait`, like libc's wait(): tell them by the caller.
    kind: 'native',
    id: 'musl.internal_lock',
    state: 'lock_wait',
    leaf: ['__wait'],
    under: ['__lock', '__lockfile', 'pthread_*'],
    why: 'waiting for a musl-internal lock',
  },
  {
    kind: 'native',
    id: 'child.wait',
    state: 'child_wait',
    leaf: CHILD_WAIT,
    blocking: 'waitpid',
    why: 'waiting for a child process to exit',
  },
  {
    // `__futex_abstimed_wait_common64 (…, op=265, expected=405, …) ← __pthread_clockjoin_ex`: expected is the joined TID (FRAMES §6.7).
    kind: 'native',
    id: 'lock.join',
    state: 'lock_wait',
    leaf: THREAD_JOIN,
    blocking: 'pthread_join',
    why: 'pthread_join: waiting for another thread to finish',
  },
  { kind: 'native', id: 'lock.mutex', state: 'lock_wait', leaf: MUTEX_LOCK, why: 'waiting for a contended pthread mutex' },
  { kind: 'native', id: 'lock.condvar', state: 'lock_wait', leaf: CONDVAR_WAIT, why: 'waiting on a pthread condition variable' },
  { kind: 'native', id: 'lock.semaphore', state: 'lock_wait', leaf: SEM_WAIT, why: 'waiting on a POSIX semaphore' },
  {
    kind: 'native',
    id: 'lock.rwlock_or_barrier',
    state: 'lock_wait',
    leaf: RWLOCK_OR_BARRIER,
    why: 'waiting for a pthread rwlock or barrier',
  },
  { kind: 'native', id: 'lock.file', state: 'lock_wait', leaf: ['flock', 'lockf'], why: 'waiting for a file lock' },
  {
    // e.g. `__lll_lock_wait_private ← _IO_flockfile`, malloc arena locks, a hand-rolled futex.
    kind: 'native',
    id: 'lock.futex',
    state: 'lock_wait',
    leaf: FUTEX_INTERNAL_FRAMES,
    blocking: 'futex_wait',
    why: 'a futex wait whose caller is not recognised (a libc-internal or hand-rolled lock)',
  },
  {
    kind: 'native',
    id: 'signal.wait',
    state: 'unknown',
    leaf: ['sigwait', 'sigtimedwait', 'sigwaitinfo', 'sigsuspend', 'pause'],
    why: 'waiting for a signal, which no thread state names',
  },
  {
    kind: 'native',
    id: 'spin.sched_yield',
    state: 'running',
    leaf: ['sched_yield'],
    blocking: null,
    why: 'yielding the CPU in a spin loop: running',
  },
  {
    // Rust, parking_lot, absl and glib waits are recognised above by their callers; this one was not.
    kind: 'native',
    id: 'syscall.unrecognised',
    state: 'unknown',
    leaf: KERNEL_ENTRY_FRAMES,
    blocking: null,
    why: 'in a raw system call whose caller is not recognised',
  },
  {
    kind: 'native',
    id: 'running.eval_loop',
    state: 'running',
    leaf: CPYTHON_EVAL_FRAMES,
    blocking: null,
    why: 'executing Python bytecode in the eval loop',
  },
  {
    // FRAMES §6.4: running when no wait frame precedes the first eval frame (fast_mod, lookdict_string, pymalloc_alloc, a C extension).
    kind: 'native',
    id: 'running.no_wait',
    state: 'running',
    leaf: 'not-wait',
    blocking: null,
    why: 'no wait at the top of the stack: on CPU',
  },
];
