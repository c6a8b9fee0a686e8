/**
 * CPython GIL acquisition and its free-threaded (3.13t) counterparts: PyMutex, critical sections,
 * stop-the-world pauses. FRAMES.md §1; python/cpython `Python/ceval_gil.h` (3.2–3.11),
 * `Python/ceval_gil.c` (3.12+), `Python/pystate.c`, `Python/lock.c`, `Python/parking_lot.c`,
 * `Python/critical_section.c`; 2.7 `Python/ceval.c`, `Python/thread_pthread.h`.
 */
import { CPYTHON_LOCK_CALLERS, CPYTHON_PARKING_LOT } from './cpython-frames.js';
import { CONDVAR_WAIT, FUTEX_INTERNAL_FRAMES, MUTEX_LOCK, SEM_WAIT, SYNC_WAIT } from './libc-frames.js';
import type { NativeRule } from './rule.js';

/** Functions that take the GIL on the way back from a blocking call or into Python from C (2.7–3.13). */
const GIL_ACQUIRE = [
  'PyEval_RestoreThread',
  'PyEval_AcquireThread',
  '_PyEval_AcquireLock',
  'PyEval_AcquireLock',
  '_PyThreadState_Attach',
  'PyGILState_Ensure',
];

export const GIL_RULES: NativeRule[] = [
  {
    // `take_gil` waits on gil->cond with a 5 ms timeout and re-locks gil->mutex after each wake-up,
    // so the leaf may be a condvar, `__lll_lock_wait`, `__pthread_mutex_cond_lock` or a mutex (FRAMES §1.1, §6.2).
    kind: 'native',
    id: 'gil.take_gil',
    state: 'gil_wait',
    leaf: 'any',
    under: ['take_gil'],
    decide: 'under',
    why: 'waiting to take the GIL (take_gil), whatever lock primitive is underneath',
  },
  {
    // FORCE_SWITCHING: the old holder waits on switch_cond until a waiter took the GIL (FRAMES §1.3).
    kind: 'native',
    id: 'gil.force_switch',
    state: 'gil_wait',
    leaf: CONDVAR_WAIT,
    under: ['drop_gil'],
    decide: 'under',
    why: 'dropped the GIL and waits in drop_gil until a waiter takes it (FORCE_SWITCHING hand-off, counted with the GIL waiters)',
  },
  {
    kind: 'native',
    id: 'gil.release',
    state: 'running',
    leaf: 'any',
    under: ['drop_gil'],
    decide: 'under',
    blocking: null,
    why: 'holds the GIL and is releasing it (drop_gil): running',
  },
  {
    // _Py_THREAD_SUSPENDED threads park in tstate_wait_attach until the pause ends (FRAMES §1.4).
    kind: 'native',
    id: 'gil.stop_the_world_suspended',
    state: 'gil_wait',
    leaf: SYNC_WAIT,
    under: ['tstate_wait_attach'],
    decide: 'under',
    why: 'suspended by a stop-the-world pause, waiting to re-attach (tstate_wait_attach, CPython 3.13+); counted like a GIL wait',
  },
  {
    // Requester side: gc_collect_internal (free-threaded GC), sys._current_frames, faulthandler all_threads.
    kind: 'native',
    id: 'gil.stop_the_world_request',
    state: 'gil_wait',
    leaf: SYNC_WAIT,
    via: ['PyEvent_WaitTimed'],
    under: ['stop_the_world', '_PyEval_StopTheWorld', '_PyEval_StopTheWorldAll'],
    decide: 'under',
    why: 'requested a stop-the-world pause and waits for every thread to park (CPython 3.13+); counted like a GIL wait',
  },
  {
    // 2.7 eval loop: PyThread_release_lock/PyThread_acquire_lock(interpreter_lock, 1) at a periodic switch.
    kind: 'native',
    id: 'gil.py27_eval_switch',
    state: 'gil_wait',
    leaf: SEM_WAIT,
    via: ['PyThread_acquire_lock'],
    under: ['PyEval_EvalFrameEx'],
    // The eval loop calls PyThread_acquire_lock itself; `?? ()` between them (stripped libpython)
    // is the static lock_PyThread_acquire_lock of a Python Lock.acquire (FRAMES.md §6.1).
    underIsCaller: true,
    notUnder: CPYTHON_LOCK_CALLERS,
    decide: 'via',
    why: 'CPython 2.7 eval loop re-taking the GIL semaphore at a periodic switch',
  },
  {
    // 2.7: sem_wait ← PyThread_acquire_lock ← PyEval_RestoreThread; 3.x builds without symbols for the
    // static take_gil; 3.13 _PyThreadState_Attach; C threads entering Python through PyGILState_Ensure.
    kind: 'native',
    id: 'gil.restore_thread',
    state: 'gil_wait',
    leaf: SYNC_WAIT,
    under: GIL_ACQUIRE,
    notUnder: CPYTHON_LOCK_CALLERS,
    decide: 'under',
    why: 'waiting to take the GIL after a blocking call or on entry from C (GIL acquisition without a take_gil frame)',
  },
  {
    // gdb prints `futex_word=0xa563d0 <_PyRuntime+432>`: the GIL's condvar/mutex live in _PyRuntime (FRAMES §1.2).
    kind: 'native',
    id: 'gil.runtime_futex_top_frame',
    state: 'gil_wait',
    leaf: [...FUTEX_INTERNAL_FRAMES, ...CONDVAR_WAIT, ...MUTEX_LOCK],
    args: [{ names: ['futex_word', 'futex', 'cond', 'mutex'], contains: '<_PyRuntime+' }],
    topFrameOnly: true,
    why: 'only the top frame is known: a futex/condvar wait on a word inside _PyRuntime, where CPython keeps the GIL',
  },
  {
    kind: 'native',
    id: 'freethreading.critical_section',
    state: 'lock_wait',
    leaf: SYNC_WAIT,
    via: CPYTHON_PARKING_LOT,
    under: ['_PyCriticalSection_BeginSlow', '_PyCriticalSection2_BeginSlow'],
    decide: 'under',
    why: 'waiting for a per-object critical section (free-threaded CPython 3.13t, Py_BEGIN_CRITICAL_SECTION)',
  },
  {
    // MAX_SPIN_COUNT 40 in free-threaded builds: _PyMutex_LockTimed yields before parking.
    kind: 'native',
    id: 'freethreading.pymutex_spin',
    state: 'running',
    leaf: ['sched_yield'],
    under: ['_Py_yield', '_PyMutex_LockTimed'],
    blocking: null,
    why: 'spinning on a contended PyMutex before parking (sched_yield): running',
  },
  {
    kind: 'native',
    id: 'freethreading.pymutex',
    state: 'lock_wait',
    leaf: SYNC_WAIT,
    via: CPYTHON_PARKING_LOT,
    under: ['_PyMutex_LockTimed', '_PyMutex_LockSlow', 'PyMutex_Lock', 'PyMutex_LockFlags'],
    // 3.14 `threading.Lock` is a PyMutex too (python/cpython PR #125110): cpython.python_lock names it.
    notUnder: ['lock_PyThread_acquire_lock', 'rlock_acquire', 'acquire_timed'],
    decide: 'under',
    why: 'waiting for a contended PyMutex (CPython 3.13+ parking lot)',
  },
];
