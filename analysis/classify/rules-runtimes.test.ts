import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { RUNTIME_RULES } from './rules-runtimes.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

/** Frames by name only: C++ and Rust names hold spaces that `frames()` would read as arguments. */
const named = (...names: string[]): CorrelatedThread => makeThread({ frames: names.map((n) => nativeFrame(n === '??' ? null : n)) });
const thread = (...specs: string[]): CorrelatedThread => makeThread({ frames: frames(...specs) });

const RUST_FUTEX = ['syscall', 'std::sys::pal::unix::futex::futex_wait'];

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'Rust Mutex::lock contended (rustc 1.95)',
    thread: named(
      ...RUST_FUTEX,
      'std::sys::sync::mutex::futex::Mutex::lock_contended',
      'std::sys::sync::mutex::futex::Mutex::lock',
      'std::sync::poison::mutex::Mutex<T>::lock',
      'bank::transfer',
    ),
    want: { state: 'lock_wait', rule: 'rust.mutex', idle: false, blocking: 'std::sync::Mutex::lock' },
  },
  {
    name: 'Rust Mutex, older module path (std::sys::unix::locks::futex_mutex)',
    thread: named(
      'syscall',
      'std::sys::unix::futex::futex_wait',
      'std::sys::unix::locks::futex_mutex::Mutex::lock_contended',
      'std::sync::mutex::Mutex<T>::lock',
    ),
    want: { state: 'lock_wait', rule: 'rust.mutex', idle: false, blocking: 'std::sync::Mutex::lock' },
  },
  {
    name: 'look-alike: a syscall () wrapper from an unknown caller stays unknown',
    thread: named('syscall', 'my_crate::raw::futex_sleep', 'my_crate::worker'),
    want: { state: 'unknown', rule: 'syscall.unrecognised', idle: false, blocking: null },
  },
  {
    name: 'Rust RwLock write contended',
    thread: named(...RUST_FUTEX, 'std::sys::sync::rwlock::futex::RwLock::write_contended', 'std::sync::poison::rwlock::RwLock<T>::write'),
    want: { state: 'lock_wait', rule: 'rust.rwlock', idle: false, blocking: 'std::sync::RwLock' },
  },
  {
    name: 'Rust Condvar::wait',
    thread: named(
      ...RUST_FUTEX,
      'std::sys::sync::condvar::futex::Condvar::wait_optional_timeout',
      'std::sys::sync::condvar::futex::Condvar::wait',
      'std::sync::poison::condvar::Condvar::wait<T>',
    ),
    want: { state: 'lock_wait', rule: 'rust.condvar', idle: false, blocking: 'std::sync::Condvar::wait' },
  },
  {
    name: 'Rust JoinHandle::join over __pthread_clockjoin_ex',
    thread: named(
      '__futex_abstimed_wait_common64',
      '__futex_abstimed_wait_common',
      '__GI___futex_abstimed_wait_cancelable64',
      '__pthread_clockjoin_ex',
      'std::sys::thread::unix::Thread::join',
      'std::thread::lifecycle::JoinInner<T>::join',
      'std::thread::join_handle::JoinHandle<T>::join',
    ),
    want: { state: 'lock_wait', rule: 'rust.join', idle: false, blocking: 'std::thread::JoinHandle::join' },
  },
  {
    name: 'Rust thread::park',
    thread: named(
      ...RUST_FUTEX,
      'std::sys::sync::thread_parking::futex::Parker::park',
      'std::thread::thread::Thread::park',
      'std::thread::functions::park',
    ),
    want: { state: 'lock_wait', rule: 'rust.park', idle: false, blocking: 'std::thread::park' },
  },
  {
    name: 'parking_lot Mutex::lock slow path',
    thread: named(
      'syscall',
      'parking_lot_core::thread_parker::imp::ThreadParker::futex_wait',
      'parking_lot_core::thread_parker::imp::ThreadParker::park',
      'parking_lot_core::parking_lot::park::{{closure}}',
      'parking_lot_core::parking_lot::park',
      'parking_lot::raw_mutex::RawMutex::lock_slow',
    ),
    want: { state: 'lock_wait', rule: 'rust.parking_lot', idle: false, blocking: 'parking_lot_core::parking_lot::park' },
  },
  {
    name: 'C++ std::mutex::lock (g++ 12.2)',
    thread: named(
      'futex_wait',
      '__GI___lll_lock_wait',
      'lll_mutex_lock_optimized',
      '___pthread_mutex_lock',
      '__gthread_mutex_lock',
      'std::mutex::lock',
      'Account::withdraw',
    ),
    want: { state: 'lock_wait', rule: 'cxx.mutex', idle: false, blocking: 'std::mutex::lock' },
  },
  {
    name: 'C++ condition_variable::wait, non-template overload from libstdc++.so.6',
    thread: named(
      '__futex_abstimed_wait_common64',
      '__pthread_cond_wait_common',
      '___pthread_cond_wait',
      'std::condition_variable::wait(std::unique_lock<std::mutex>&)',
      'Scheduler::next_job',
    ),
    want: { state: 'lock_wait', rule: 'cxx.condvar', idle: false, blocking: 'std::condition_variable::wait' },
  },
  {
    name: 'C++ wait_until inlined, no debug info for libc (epiphany bmalloc thread)',
    thread: named(
      'pthread_cond_timedwait@@GLIBC_2.3.2',
      '__gthread_cond_timedwait',
      '__wait_until_impl<std::chrono::duration<long, std::ratio<1l, 1000000000l> > >',
      'wait_until<std::chrono::duration<long, std::ratio<1l, 1000000000l> > >',
      'bmalloc::AsyncTask<bmalloc::Heap, void (bmalloc::Heap::*)()>::entryPoint',
    ),
    want: { state: 'lock_wait', rule: 'cxx.condvar', idle: false, blocking: 'gthread_cond_timedwait' },
  },
  {
    name: 'C++ future::get through the atomic futex',
    thread: named(
      'syscall',
      'std::__atomic_futex_unsigned_base::_M_futex_wait_until',
      'std::__future_base::_State_baseV2::wait',
      'std::future<int>::get',
    ),
    want: { state: 'lock_wait', rule: 'cxx.future', idle: false, blocking: 'std::__atomic_futex_unsigned_base::_M_futex_wait_until' },
  },
  {
    name: 'C++ std::thread::join',
    thread: named('__futex_abstimed_wait_common64', '__pthread_clockjoin_ex', 'std::thread::join()', 'main'),
    want: { state: 'lock_wait', rule: 'cxx.join', idle: false, blocking: 'std::thread::join' },
  },
  {
    name: 'GLib g_cond_wait through syscall () from a plain worker',
    thread: thread('syscall', 'g_cond_wait cond=0x20fbb08, mutex=0x20fbb00', 'render_thread', 'g_thread_proxy', 'start_thread'),
    want: { state: 'lock_wait', rule: 'glib.cond', idle: false, blocking: 'g_cond_wait' },
  },
  {
    name: 'GLib g_cond_wait_until on ppc64 without symbols (.pthread_cond_timedwait ← .g_cond_wait_until)',
    thread: thread('.pthread_cond_timedwait', '.g_cond_wait_until', '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0', '.start_thread'),
    want: { state: 'lock_wait', rule: 'glib.cond', idle: false, blocking: 'g_cond_wait_until' },
  },
  {
    name: 'GLib mutex slow path',
    thread: thread('syscall', 'g_mutex_lock_slowpath', 'g_mutex_lock', 'update_model'),
    want: { state: 'lock_wait', rule: 'glib.mutex', idle: false, blocking: 'g_mutex_lock_slowpath' },
  },
  {
    name: 'g_poll at the top outside a main loop',
    thread: thread('.g_poll', 'gdk_event_source_check', 'user_pump'),
    want: { state: 'io_wait', rule: 'glib.poll', idle: false, blocking: 'g_poll' },
  },
  {
    name: 'NSPR condvar (gnome-shell SourceCompressorThread)',
    thread: named(
      'pthread_cond_wait@@GLIBC_2.3.2',
      'PR_WaitCondVar',
      'js::SourceCompressorThread::compressorThread(void*)',
      '_pt_root',
      'start_thread',
      'clone',
    ),
    want: { state: 'lock_wait', rule: 'nspr.condvar', idle: false, blocking: 'PR_WaitCondVar' },
  },
  {
    name: 'NSPR timed wait (thunderbird TimerThread: pt_TimedWait ← PR_WaitCondVar)',
    thread: named(
      'pthread_cond_timedwait@@GLIBC_2.3.2',
      'pt_TimedWait',
      'PR_WaitCondVar',
      'TimerThread::Run',
      'nsThread::ProcessNextEvent',
    ),
    want: { state: 'lock_wait', rule: 'nspr.condvar', idle: false, blocking: 'PR_WaitCondVar' },
  },
  {
    name: 'NSPR lock',
    thread: named('__lll_lock_wait', 'pthread_mutex_lock', 'PR_Lock', 'nsCacheService::Lock'),
    want: { state: 'lock_wait', rule: 'nspr.lock', idle: false, blocking: 'PR_Lock' },
  },
  {
    name: 'Abseil CondVar (futex waiter under syscall)',
    thread: named(
      'syscall',
      'absl::lts_20230802::synchronization_internal::FutexImpl::WaitUntil',
      'absl::lts_20230802::synchronization_internal::FutexWaiter::Wait',
      'AbslInternalPerThreadSemWait_lts_20230802',
      'absl::lts_20230802::Mutex::DecrementSynchSem',
      'absl::lts_20230802::CondVar::WaitCommon',
      'absl::lts_20230802::CondVar::Wait',
      'grpc_core::Notification::WaitForNotification',
    ),
    want: { state: 'lock_wait', rule: 'absl.condvar', idle: false, blocking: 'absl::lts_20230802::CondVar::WaitCommon' },
  },
  {
    name: 'Abseil Mutex contended',
    thread: named(
      'syscall',
      'absl::lts_20230802::synchronization_internal::FutexImpl::WaitUntil',
      'AbslInternalPerThreadSemWait_lts_20230802',
      'absl::lts_20230802::Mutex::LockSlowLoop',
      'absl::lts_20230802::Mutex::LockSlow',
      'absl::lts_20230802::Mutex::Lock',
    ),
    want: { state: 'lock_wait', rule: 'absl.mutex', idle: false, blocking: 'absl::lts_20230802::Mutex::LockSlowLoop' },
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

test('every runtime rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    RUNTIME_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});
