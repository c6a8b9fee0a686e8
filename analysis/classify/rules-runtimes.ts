/**
 * Waits inside language runtimes and C libraries above libc (FRAMES.md §5): Rust std and
 * parking_lot, C++ libstdc++, GLib, NSPR (Firefox/Thunderbird), Abseil (gRPC). Their futex waits
 * go through `syscall ()` and are classified by the caller. Idle forms (channels, async queues,
 * event loops) are in rules-idle.ts and take precedence.
 */
import { CONDVAR_WAIT, FUTEX_INTERNAL_FRAMES, MUTEX_LOCK, RWLOCK_OR_BARRIER, SYNC_WAIT, THREAD_JOIN } from './libc-frames.js';
import type { NativeRule } from './rule.js';

/**
 * Rust futex waits: rust-lang/rust `library/std/src/sys/pal/unix/futex.rs` (older `sys/unix/futex.rs`),
 * Amanieu/parking_lot `core/src/thread_parker/linux.rs`. Pre-1.62 std used pthread primitives.
 */
export const RUST_WAIT_LEAF = [
  ...SYNC_WAIT,
  'std::sys::*futex_wait',
  'std::sys::*futex::wait*',
  'parking_lot_core::*futex_wait',
  'parking_lot_core::*ThreadParker::park*',
];

/** GLib condition waits: GNOME/glib `glib/gthread-posix.c` (futex through `syscall ()` since 2.54, pthread before). */
export const GLIB_COND_WAIT = ['g_cond_wait', 'g_cond_wait_until', 'g_cond_timed_wait'];

/** Abseil waiters: abseil/abseil-cpp `absl/synchronization/internal/{futex,pthread,sem,stdcpp}_waiter.cc`, `per_thread_sem.cc`; gRPC `gpr_cv_wait`. */
export const ABSL_WAIT_LEAF = [...SYNC_WAIT, 'absl::*synchronization_internal::*', 'AbslInternalPerThreadSemWait*', 'gpr_cv_wait'];

const GLIB_MUTEX = ['g_mutex_lock', 'g_mutex_lock_slowpath', 'g_rec_mutex_lock', 'g_rw_lock_reader_lock', 'g_rw_lock_writer_lock'];

export const RUNTIME_RULES: NativeRule[] = [
  {
    kind: 'native',
    id: 'rust.mutex',
    state: 'lock_wait',
    leaf: RUST_WAIT_LEAF,
    under: ['std::sys::*Mutex::lock_contended', 'std::sys::*Mutex::lock', 'std::sync::*Mutex::lock'],
    blocking: 'std::sync::Mutex::lock',
    why: 'waiting for a contended Rust std Mutex',
  },
  {
    kind: 'native',
    id: 'rust.rwlock',
    state: 'lock_wait',
    leaf: RUST_WAIT_LEAF,
    under: ['std::sys::*RwLock::*_contended', 'std::sync::*RwLock::read', 'std::sync::*RwLock::write'],
    blocking: 'std::sync::RwLock',
    why: 'waiting for a contended Rust std RwLock',
  },
  {
    kind: 'native',
    id: 'rust.condvar',
    state: 'lock_wait',
    leaf: RUST_WAIT_LEAF,
    under: ['std::sys::*Condvar::wait*', 'std::sync::*Condvar::wait*'],
    blocking: 'std::sync::Condvar::wait',
    why: 'waiting on a Rust std Condvar',
  },
  {
    kind: 'native',
    id: 'rust.join',
    state: 'lock_wait',
    leaf: THREAD_JOIN,
    under: ['std::thread::*JoinInner::join', 'std::thread::*JoinHandle::join', 'std::sys::*Thread::join'],
    blocking: 'std::thread::JoinHandle::join',
    why: 'JoinHandle::join waiting for another thread to finish',
  },
  {
    kind: 'native',
    id: 'rust.park',
    state: 'lock_wait',
    leaf: RUST_WAIT_LEAF,
    under: ['std::thread::park*', 'std::thread::*Thread::park*', 'std::sys::*Parker::park*'],
    blocking: 'std::thread::park',
    why: 'parked Rust thread (thread::park) waiting to be unparked',
  },
  {
    kind: 'native',
    id: 'rust.parking_lot',
    state: 'lock_wait',
    leaf: RUST_WAIT_LEAF,
    under: ['parking_lot::*lock_slow', 'parking_lot::*_slow', 'parking_lot::*Condvar::wait*', 'parking_lot_core::parking_lot::park*'],
    decide: 'under',
    why: 'waiting for a parking_lot lock or condvar',
  },
  {
    kind: 'native',
    id: 'cxx.mutex',
    state: 'lock_wait',
    leaf: [...MUTEX_LOCK, ...FUTEX_INTERNAL_FRAMES],
    under: [
      'std::mutex::lock',
      'std::recursive_mutex::lock',
      'std::timed_mutex::*',
      'std::recursive_timed_mutex::*',
      'std::shared_mutex::lock*',
      'std::shared_timed_mutex::*',
    ],
    decide: 'under',
    why: 'waiting for a contended C++ std::mutex (libstdc++ gthr-posix.h → pthread_mutex_lock)',
  },
  {
    kind: 'native',
    id: 'cxx.condvar',
    state: 'lock_wait',
    leaf: [...CONDVAR_WAIT, ...FUTEX_INTERNAL_FRAMES],
    under: [
      'std::condition_variable::*',
      'std::_V2::condition_variable_any::*',
      'std::condition_variable_any::*',
      'std::__condvar::*',
      '__gthread_cond_*',
    ],
    decide: 'under',
    why: 'waiting on a C++ std::condition_variable',
  },
  {
    // libstdc++ futures and C++20 atomic waits: bits/atomic_futex.h, bits/atomic_wait.h.
    kind: 'native',
    id: 'cxx.future',
    state: 'lock_wait',
    leaf: [...SYNC_WAIT, 'std::__atomic_futex_unsigned_base::_M_futex_wait_until*', 'std::__detail::__platform_wait*'],
    under: [
      'std::__future_base::*',
      'std::future::get',
      'std::shared_future::get',
      'std::__atomic_futex_unsigned_base::*',
      'std::__detail::__platform_wait*',
      'std::__atomic_wait*',
    ],
    decide: 'under',
    why: 'waiting for a C++ future or atomic wait',
  },
  {
    kind: 'native',
    id: 'cxx.join',
    state: 'lock_wait',
    leaf: THREAD_JOIN,
    under: ['std::thread::join'],
    decide: 'under',
    why: 'std::thread::join waiting for another thread to finish',
  },
  {
    kind: 'native',
    id: 'glib.cond',
    state: 'lock_wait',
    leaf: [...GLIB_COND_WAIT, ...CONDVAR_WAIT, ...FUTEX_INTERNAL_FRAMES],
    under: GLIB_COND_WAIT,
    decide: 'under',
    why: 'waiting on a GLib condition variable',
  },
  {
    kind: 'native',
    id: 'glib.mutex',
    state: 'lock_wait',
    leaf: [...GLIB_MUTEX, ...MUTEX_LOCK, ...RWLOCK_OR_BARRIER, ...FUTEX_INTERNAL_FRAMES],
    under: GLIB_MUTEX,
    decide: 'under',
    why: 'waiting for a contended GLib mutex or rwlock',
  },
  {
    // g_poll is GLib's poll() wrapper (glib/gpoll.c); main loops above it are idle (rules-idle.ts).
    kind: 'native',
    id: 'glib.poll',
    state: 'io_wait',
    leaf: ['g_poll'],
    why: 'waiting in g_poll for descriptors',
  },
  {
    // nspr/pr/src/pthreads/ptsynch.c: PR_WaitCondVar → pt_TimedWait → pthread_cond_[timed]wait.
    kind: 'native',
    id: 'nspr.condvar',
    state: 'lock_wait',
    leaf: [...CONDVAR_WAIT, ...FUTEX_INTERNAL_FRAMES],
    under: ['PR_WaitCondVar', 'pt_TimedWait', 'PR_Wait', 'PR_WaitSem'],
    decide: 'under',
    blocking: 'PR_WaitCondVar',
    why: 'waiting on an NSPR condition variable or monitor',
  },
  {
    kind: 'native',
    id: 'nspr.lock',
    state: 'lock_wait',
    leaf: [...MUTEX_LOCK, ...FUTEX_INTERNAL_FRAMES],
    under: ['PR_Lock', 'PR_EnterMonitor'],
    decide: 'under',
    why: 'waiting for a contended NSPR lock or monitor',
  },
  {
    kind: 'native',
    id: 'absl.condvar',
    state: 'lock_wait',
    leaf: ABSL_WAIT_LEAF,
    under: ['absl::*CondVar::Wait*', 'gpr_cv_wait'],
    decide: 'under',
    why: 'waiting on an Abseil CondVar',
  },
  {
    kind: 'native',
    id: 'absl.mutex',
    state: 'lock_wait',
    leaf: ABSL_WAIT_LEAF,
    under: ['absl::*Mutex::*Lock*', 'gpr_mu_lock'],
    decide: 'under',
    why: 'waiting for a contended Abseil Mutex',
  },
];
