import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame, pythonFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { NATIVE_IDLE_RULES } from './rules-idle.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

const native = (...specs: string[]): CorrelatedThread => makeThread({ frames: frames(...specs) });
const named = (...names: string[]): CorrelatedThread => makeThread({ frames: names.map((n) => nativeFrame(n === '??' ? null : n)) });

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'faulthandler watchdog (dump_traceback_later), no Python frames',
    thread: native(
      '___sem_clockwait64',
      'PyThread_acquire_lock_timed',
      'faulthandler_thread',
      'pythread_wrapper',
      'start_thread',
      'clone3',
    ),
    want: { state: 'lock_wait', rule: 'idle.faulthandler_watchdog', idle: true, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'gevent hub idle: epoll_wait ← ?? (libev epoll_poll) ← ev_run ← ?? (corecext)',
    thread: makeThread({
      frames: [
        nativeFrame('epoll_wait', { args: 'epfd=5, events=0x1f0c0, maxevents=64, timeout=59743' }),
        nativeFrame(null, { library: '/usr/lib/x86_64-linux-gnu/libev.so.4' }),
        nativeFrame('ev_run', { library: '/usr/lib/x86_64-linux-gnu/libev.so.4' }),
        nativeFrame(null, { library: '/usr/lib/python3/dist-packages/gevent/libev/corecext.cpython-311-x86_64-linux-gnu.so' }),
        nativeFrame('_PyObject_MakeTpCall'),
        pythonFrame('run', '/usr/lib/python3/dist-packages/gevent/hub.py', 647, 'loop.run()'),
      ],
    }),
    want: { state: 'io_wait', rule: 'idle.libev_loop', idle: true, blocking: 'epoll_wait' },
  },
  {
    name: 'look-alike: gevent hub thread blocked in a native read with greenlet frames below is not idle (corpus LWP 828)',
    thread: makeThread({
      frames: [
        ...frames('__GI___libc_read nbytes=4096, buf=0x211b0280, fd=4', '_Py_read', 'os_read_impl', 'os_read', '_PyEval_EvalFrameDefault'),
        pythonFrame('export_report', '/srv/demo/gevent_app.py', 74, 'return os.read(rfd, 4096)'),
        pythonFrame('run', '/usr/lib/python3/dist-packages/gevent/hub.py', 647, 'loop.run()'),
        nativeFrame(null, { library: '/usr/lib/python3/dist-packages/gevent/_gevent_cgreenlet.cpython-311-x86_64-linux-gnu.so' }),
        nativeFrame(
          'greenlet::UserGreenlet::inner_bootstrap(greenlet::refs::_OwnedGreenlet<_greenlet, &greenlet::refs::GreenletChecker>&)',
        ),
        nativeFrame('greenlet::UserGreenlet::g_initialstub(void*)'),
        nativeFrame('greenlet::UserGreenlet::g_switch()'),
      ],
    }),
    want: { state: 'io_wait', rule: 'cpython.os_read', idle: false, blocking: 'read' },
  },
  {
    name: 'libuv loop',
    thread: native('epoll_pwait epfd=3, events=0x7ffd, maxevents=1024, timeout=-1', 'uv__io_poll', 'uv_run', 'node::SpinEventLoop'),
    want: { state: 'io_wait', rule: 'idle.libuv_loop', idle: true, blocking: 'epoll_pwait' },
  },
  {
    name: 'libevent loop',
    thread: native('epoll_wait epfd=7, events=0x1, maxevents=32, timeout=-1', 'epoll_dispatch', 'event_base_loop', 'io_thread'),
    want: { state: 'io_wait', rule: 'idle.libevent_loop', idle: true, blocking: 'epoll_wait' },
  },
  {
    name: 'GLib main loop (gdbus worker: poll ← g_main_context_iterate ← g_main_loop_run)',
    thread: native(
      'poll',
      'g_main_context_iterate priority=2147483647, n_fds=4, fds=0x7f28140145a0, timeout=-1, context=0x3207220',
      'g_main_context_iterate',
      'g_main_loop_run',
      'gdbus_shared_thread_func',
      'g_thread_proxy',
    ),
    want: { state: 'io_wait', rule: 'idle.glib_main_loop', idle: true, blocking: 'poll' },
  },
  {
    name: 'GLib main loop with GCC clone suffixes (g_main_context_iterate.isra)',
    thread: native('poll', 'g_main_context_iterate.isra', 'g_main_context_iteration', 'dconf_gdbus_worker_thread', 'g_thread_proxy'),
    want: { state: 'io_wait', rule: 'idle.glib_main_loop', idle: true, blocking: 'poll' },
  },
  {
    name: 'GLib thread pool worker waiting for work (syscall ← g_cond_wait_until ← g_async_queue_pop_intern_unlocked)',
    thread: native(
      'syscall',
      'g_cond_wait_until cond=cond@entry=0x3215618, mutex=mutex@entry=0x3215610, end_time=end_time@entry=31222355664',
      'g_async_queue_pop_intern_unlocked queue=0x3215610, wait=wait@entry=1, end_time=31222355664',
      'g_async_queue_timeout_pop_unlocked',
      'g_thread_pool_thread_proxy',
      'g_thread_proxy',
    ),
    want: { state: 'lock_wait', rule: 'idle.glib_work_queue', idle: true, blocking: 'g_async_queue_pop_intern_unlocked' },
  },
  {
    name: 'look-alike: a GLib mutex taken while pushing to the pool is not idle',
    thread: native('syscall', 'g_mutex_lock_slowpath', 'g_mutex_lock', 'g_thread_pool_push', 'schedule_job'),
    want: { state: 'lock_wait', rule: 'glib.mutex', idle: false, blocking: 'g_mutex_lock_slowpath' },
  },
  {
    name: 'PulseAudio main loop (poll ← poll_func ← pa_mainloop_poll)',
    thread: native('poll', 'poll_func __timeout=-1, __nfds=2', 'poll_func', 'pa_mainloop_poll', 'pa_mainloop_iterate', 'pa_mainloop_run'),
    want: { state: 'io_wait', rule: 'idle.pulseaudio_loop', idle: true, blocking: 'poll' },
  },
  {
    name: 'Qt event loop',
    thread: named(
      'poll',
      'qt_safe_poll',
      'QEventDispatcherUNIX::processEvents(QFlags<QEventLoop::ProcessEventsFlag>)',
      'QEventLoop::exec(QFlags<QEventLoop::ProcessEventsFlag>)',
    ),
    want: { state: 'io_wait', rule: 'idle.qt_event_loop', idle: true, blocking: 'poll' },
  },
  {
    name: 'XPCOM thread with an empty event queue (thunderbird)',
    thread: named(
      'pthread_cond_wait@@GLIBC_2.3.2',
      'PR_WaitCondVar',
      'PR_Wait',
      'Wait',
      'nsEventQueue::GetEvent',
      'GetEvent',
      'nsThread::ProcessNextEvent',
    ),
    want: { state: 'lock_wait', rule: 'idle.nspr_event_queue', idle: true, blocking: 'nsEventQueue::GetEvent' },
  },
  {
    name: 'gRPC designated poller',
    thread: native(
      'epoll_wait epfd=9, events=0x1, maxevents=100, timeout=200',
      'do_epoll_wait',
      'pollset_work',
      'cq_next',
      'grpc_completion_queue_next',
    ),
    want: { state: 'io_wait', rule: 'idle.grpc_poller', idle: true, blocking: 'epoll_wait' },
  },
  {
    name: 'gRPC EventEngine pool thread',
    thread: named(
      'syscall',
      'absl::lts_20230802::synchronization_internal::FutexImpl::WaitUntil',
      'AbslInternalPerThreadSemWait_lts_20230802',
      'absl::lts_20230802::CondVar::WaitCommon',
      'absl::lts_20230802::CondVar::WaitWithTimeout',
      'grpc_event_engine::experimental::WorkStealingThreadPool::WorkSignal::WaitWithTimeout',
      'grpc_event_engine::experimental::WorkStealingThreadPool::ThreadState::Step',
    ),
    want: {
      state: 'lock_wait',
      rule: 'idle.grpc_worker',
      idle: true,
      blocking: 'grpc_event_engine::experimental::WorkStealingThreadPool::WorkSignal::WaitWithTimeout',
    },
  },
  {
    name: 'Rust mpsc::Receiver::recv consumer (rustc 1.95)',
    thread: named(
      'syscall',
      'std::sys::pal::unix::futex::futex_wait',
      'std::sys::sync::thread_parking::futex::Parker::park',
      'std::thread::thread::Thread::park',
      'std::sync::mpmc::context::Context::wait_until',
      'std::sync::mpmc::list::Channel<T>::recv::{{closure}}',
      'std::sync::mpmc::list::Channel<T>::recv',
      'std::sync::mpmc::Receiver<T>::recv',
      'std::sync::mpsc::Receiver<T>::recv',
    ),
    want: { state: 'lock_wait', rule: 'idle.rust_channel_recv', idle: true, blocking: 'std::sync::mpsc::Receiver::recv' },
  },
  {
    name: 'tokio worker parked',
    thread: named(
      'syscall',
      'std::sys::pal::unix::futex::futex_wait',
      'std::sys::sync::condvar::futex::Condvar::wait',
      'tokio::runtime::scheduler::multi_thread::park::Inner::park_condvar',
    ),
    want: { state: 'lock_wait', rule: 'idle.tokio_worker', idle: true, blocking: 'tokio::runtime::park' },
  },
  {
    name: 'tokio/mio reactor',
    thread: named(
      'epoll_wait',
      'mio::sys::unix::selector::epoll::Selector::select',
      'mio::poll::Poll::poll',
      'tokio::runtime::io::driver::Driver::turn',
    ),
    want: { state: 'io_wait', rule: 'idle.mio_poll', idle: true, blocking: 'epoll_wait' },
  },
  {
    name: 'C++ work-queue consumer',
    thread: named(
      '__futex_abstimed_wait_common64',
      '__pthread_cond_wait_common',
      '___pthread_cond_wait',
      'std::condition_variable::wait(std::unique_lock<std::mutex>&)',
      'BlockingQueue<Job>::pop()',
      'Worker::run()',
    ),
    want: { state: 'lock_wait', rule: 'idle.cxx_work_queue', idle: true, blocking: 'std::condition_variable::wait' },
  },
  {
    name: 'look-alike: a condition wait with no work-queue caller is not idle',
    thread: named(
      '__futex_abstimed_wait_common64',
      '__pthread_cond_wait_common',
      '___pthread_cond_wait',
      'std::condition_variable::wait(std::unique_lock<std::mutex>&)',
      'Ledger::await_settlement()',
    ),
    want: { state: 'lock_wait', rule: 'cxx.condvar', idle: false, blocking: 'std::condition_variable::wait' },
  },
  {
    name: 'look-alike: a mutex wait inside a work queue is not idle',
    thread: named('futex_wait', '__GI___lll_lock_wait', '___pthread_mutex_lock', 'BlockingQueue<Job>::push(Job)'),
    want: { state: 'lock_wait', rule: 'lock.mutex', idle: false, blocking: 'pthread_mutex_lock' },
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

test('every native idle rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    NATIVE_IDLE_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});
