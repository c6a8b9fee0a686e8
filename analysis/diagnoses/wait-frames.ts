/**
 * The frame names wait-target.ts reads stacks with: which native frames are a GIL wait, a mutex, a
 * Python-level lock acquisition, a join, a child wait or a signalling wait, and which Python
 * standard-library frames give a lock acquisition its meaning. Data only; sources in FRAMES.md
 * §1–§5 and the comments. Names are spelled as frameNames() gives them (no leading underscores).
 */
// CPython's GIL acquisition and hand-off (FRAMES.md §1); 3.13's `_PyEval_AcquireLock` reads as `PyEval_AcquireLock`.
export const GIL = new Set([
  'take_gil',
  'PyEval_AcquireLock',
  'tstate_wait_attach',
  'PyEval_RestoreThread',
  'PyEval_AcquireThread',
  'drop_gil',
  'PyGILState_Ensure',
]);
// glibc (2.26–2.39), musl, GLib, NSPR and CPython 3.13 PyMutex lock paths (FRAMES.md §3–§5).
export const MUTEX = new Set([
  'lll_lock_wait',
  'lll_lock_wait_private',
  'lll_mutex_lock_optimized',
  'pthread_mutex_lock',
  'pthread_mutex_lock_full',
  'pthread_mutex_timedlock',
  'pthread_mutex_timedlock64',
  'pthread_mutex_clocklock',
  'pthread_mutex_clocklock64',
  'pthread_mutex_clocklock_common',
  'pthread_rwlock_rdlock',
  'pthread_rwlock_wrlock',
  'pthread_rwlock_rdlock_full',
  'pthread_rwlock_wrlock_full',
  'pthread_rwlock_rdlock_full64',
  'pthread_rwlock_wrlock_full64',
  'gthread_mutex_lock',
  'gthread_recursive_mutex_lock',
  'g_mutex_lock',
  'g_mutex_lock_slowpath',
  'g_rec_mutex_lock',
  'g_rw_lock_writer_lock',
  'g_rw_lock_reader_lock',
  'PR_Lock',
  'PyMutex_Lock',
  'PyMutex_LockFlags',
  'PyMutex_LockTimed',
  'PyMutex_LockSlow',
  'PyCriticalSection_BeginSlow',
  'PyCriticalSection2_BeginSlow',
]);
// C++ libstdc++, Rust std, parking_lot and absl spell their locks as paths (FRAMES.md §5).
export const MUTEX_PARTS = [
  'std::mutex::lock',
  'std::recursive_mutex::lock',
  'std::timed_mutex::',
  'std::shared_mutex::lock',
  'Mutex::lock_contended',
  'futex_mutex::Mutex::lock',
  // Rust ≥ 1.77 `std::sys::sync::mutex::futex::Mutex::lock (self=…)`, and the pthread-backed one before 1.62.
  'futex::Mutex::lock',
  'pthread::Mutex::lock',
  'mutex::Mutex<',
  'RawMutex::lock_slow',
  'RawRwLock::lock_',
  'RwLock::read_contended',
  'RwLock::write_contended',
  'absl::Mutex::Lock',
  'Mutex::LockSlow',
];
// Python-level acquisitions: what they are depends on the Python caller (a Lock, or the waiter lock of a Condition).
export const PYLOCK = new Set([
  'lock_PyThread_acquire_lock',
  'rlock_acquire',
  'acquire_timed',
  'PyThread_acquire_lock_timed',
  'PyThread_acquire_lock_timed_with_retries',
  'PyThread_acquire_lock',
  'multiprocessing_SemLock_acquire_impl',
  'multiprocessing_SemLock_acquire',
  'semlock_acquire',
]);
// pthread_join and the runtimes' joins built on it (glibc, CPython 3.13 ThreadHandle, GLib, NSPR).
export const JOIN = new Set([
  'pthread_clockjoin_ex',
  'pthread_timedjoin_ex',
  'pthread_join',
  'pthread_timedjoin_np',
  'pthread_clockjoin_np',
  'ThreadHandle_join',
  'PyThreadHandleObject_join',
  'g_thread_join',
  'PR_JoinThread',
]);
export const JOIN_PARTS = ['std::thread::join', '::Thread::join', 'JoinInner<', 'JoinHandle<'];
// waitpid and its CPython wrappers (`os.waitpid`, `os.wait`).
export const CHILD = new Set([
  'wait4',
  'waitpid',
  'waitid',
  'wait',
  'libc_wait',
  'os_waitpid_impl',
  'os_waitpid',
  'os_wait_impl',
  'os_wait',
  'os_waitid_impl',
  'posix_waitpid',
]);
// Condition variables, semaphores and parking: waits that end when someone signals.
export const SIGNAL = new Set([
  'pthread_cond_wait',
  'pthread_cond_timedwait',
  'pthread_cond_timedwait64',
  'pthread_cond_clockwait',
  'pthread_cond_clockwait64',
  'pthread_cond_wait_common',
  'pthread_mutex_cond_lock',
  'sem_wait',
  'new_sem_wait',
  'new_sem_wait_slow',
  'new_sem_wait_slow64',
  'do_futex_wait',
  'sem_timedwait',
  'sem_timedwait64',
  'sem_clockwait',
  'sem_clockwait64',
  'PyCOND_TIMEDWAIT',
  'PyCOND_WAIT',
  'PySemaphore_Wait',
  'PySemaphore_PlatformWait',
  'PyParkingLot_Park',
  'PyEvent_WaitTimed',
  'PyEvent_Wait',
  'queue_SimpleQueue_get_impl',
  'queue_SimpleQueue_get',
  'PR_WaitCondVar',
  'pt_TimedWait',
  'g_cond_wait',
  'g_cond_wait_until',
  'g_cond_timed_wait',
  'gpr_cv_wait',
  'timedwait',
  'timedwait_cp',
]);
export const SIGNAL_PARTS = [
  'condition_variable::wait',
  '__condvar::wait',
  'Condvar::wait',
  'Parker::park',
  'thread::park',
  'Thread::park',
  'CondVar::Wait',
  'mpmc::context::Context::wait_until',
];
// Frames that only carry the futex syscall; they sit below (or between) the frames that decide.
export const SYSCALL_CARRIERS = new Set([
  'futex_wait',
  'futex_abstimed_wait_common',
  'futex_abstimed_wait_common64',
  'futex_abstimed_wait_cancelable64',
  'futex_abstimed_wait_cancelable',
  'futex_wait_cancelable',
  'syscall',
  'kernel_vsyscall',
  'syscall_cp_asm',
  'syscall_cp_c',
  'syscall_cp',
  // musl's labels inside __syscall_cp_asm (src/thread/x86_64/syscall_cp.s): gdb names the pc `__cp_end`.
  'cp_begin',
  'cp_end',
  'cp_cancel',
  'lll_futex_wait',
]);
export const SYSCALL_CARRIER_PARTS = ['futex::futex_wait', 'ThreadParker::futex_wait'];

// Python callers that turn a lock acquisition into something else (python/cpython Lib/).
export const PY_SIGNAL: ReadonlyArray<readonly [string, readonly string[] | undefined]> = [
  ['threading.py', ['wait', 'wait_for', 'acquire']], // Condition/Event wait; threading.Semaphore.acquire
  ['queue.py', undefined],
  ['concurrent/futures/_base.py', undefined],
  ['concurrent/futures/thread.py', ['_worker']],
  ['multiprocessing/queues.py', ['get', 'put']],
  ['multiprocessing/pool.py', undefined],
  ['multiprocessing/synchronize.py', ['wait', 'wait_for']],
  ['multiprocessing/managers.py', undefined],
  ['gevent/_threading.py', undefined],
];
export const PY_JOIN: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['threading.py', ['join', '_wait_for_tstate_lock', '_shutdown']],
];
export const PY_CHILD: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['multiprocessing/popen_fork.py', ['wait', 'poll']],
  ['multiprocessing/process.py', ['join']],
  ['subprocess.py', ['wait', '_wait', '_try_wait', 'communicate', 'call', 'check_call', 'run']],
];
// Python modules whose locks and queues live between processes (python/cpython Lib/multiprocessing/).
export const PY_CROSS_PROCESS = [
  'multiprocessing/synchronize.py',
  'multiprocessing/queues.py',
  'multiprocessing/managers.py',
  'multiprocessing/connection.py',
  'multiprocessing/pool.py',
];
export const SEMLOCK = new Set(['multiprocessing_SemLock_acquire_impl', 'multiprocessing_SemLock_acquire', 'semlock_acquire']);
// glibc's LLL_SHARED (lowlevellock-futex.h): the `private` argument of a process-shared lock's wait.
export const LLL_SHARED = 128;
// `with accounts_lock:`, `self.lock_a.acquire()`: the lock a Python line takes.
export const PY_ACQUIRE_LINE = /^\s*(?:with\s+([\w.[\]'"]+)\s*(?:as\s+\w+\s*)?:|([\w.[\]'"]+)\.acquire\()/;
// The frames of a glibc mutex wait that carry its `private` argument.
export const LLL_SHARED_FRAMES = new Set(['lll_lock_wait', 'futex_wait']);
