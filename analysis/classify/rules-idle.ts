/**
 * Native idle patterns (FRAMES.md §7): event loops and worker pools waiting for work, before the
 * generic runtime and libc rules. Python idle patterns are in rules-idle-python.ts.
 * Not idle, on purpose: a gevent hub thread blocked in a native call, any mutex wait.
 */
import { CPYTHON_THREAD_LOCK } from './cpython-frames.js';
import { CONDVAR_WAIT, EPOLL, EVENT_POLL, FUTEX_INTERNAL_FRAMES, POLL, SYNC_WAIT } from './libc-frames.js';
import type { NativeRule } from './rule.js';
import { ABSL_WAIT_LEAF, GLIB_COND_WAIT, RUST_WAIT_LEAF } from './rules-runtimes.js';

export const NATIVE_IDLE_RULES: NativeRule[] = [
  {
    // Modules/faulthandler.c: the dump_traceback_later watchdog waits on a timed lock between dumps.
    kind: 'native',
    id: 'idle.faulthandler_watchdog',
    state: 'lock_wait',
    idle: true,
    leaf: SYNC_WAIT,
    via: CPYTHON_THREAD_LOCK,
    under: ['faulthandler_thread'],
    decide: 'via',
    why: 'faulthandler watchdog (dump_traceback_later) waiting for its timeout',
  },
  {
    // gevent hub idle: epoll_wait ← epoll_poll (static, `??` when stripped) ← ev_run (libev ev_epoll.c).
    kind: 'native',
    id: 'idle.libev_loop',
    state: 'io_wait',
    idle: true,
    leaf: EVENT_POLL,
    under: ['ev_run', 'ev_loop'],
    why: 'libev event loop waiting for events (a gevent hub with nothing to do)',
  },
  {
    kind: 'native',
    id: 'idle.libuv_loop',
    state: 'io_wait',
    idle: true,
    leaf: EVENT_POLL,
    under: ['uv__io_poll', 'uv_run'],
    why: 'libuv event loop waiting for events',
  },
  {
    kind: 'native',
    id: 'idle.libevent_loop',
    state: 'io_wait',
    idle: true,
    leaf: EVENT_POLL,
    under: ['epoll_dispatch', 'poll_dispatch', 'select_dispatch', 'event_base_loop', 'event_base_dispatch'],
    why: 'libevent event loop waiting for events',
  },
  {
    kind: 'native',
    id: 'idle.glib_main_loop',
    state: 'io_wait',
    idle: true,
    leaf: [...POLL, 'g_poll'],
    under: ['g_main_context_poll', 'g_main_context_iterate', 'g_main_context_iteration', 'g_main_loop_run'],
    why: 'GLib main loop waiting for events',
  },
  {
    kind: 'native',
    id: 'idle.glib_work_queue',
    state: 'lock_wait',
    idle: true,
    leaf: [...GLIB_COND_WAIT, ...CONDVAR_WAIT, ...FUTEX_INTERNAL_FRAMES],
    under: ['g_async_queue_pop*', 'g_async_queue_timeout_pop*', 'g_async_queue_timed_pop*', 'g_thread_pool_*'],
    decide: 'under',
    why: 'GLib thread-pool worker or async-queue consumer waiting for work',
  },
  {
    kind: 'native',
    id: 'idle.pulseaudio_loop',
    state: 'io_wait',
    idle: true,
    leaf: POLL,
    under: ['pa_mainloop_poll', 'pa_mainloop_iterate', 'pa_mainloop_run'],
    why: 'PulseAudio main loop waiting for events',
  },
  {
    kind: 'native',
    id: 'idle.qt_event_loop',
    state: 'io_wait',
    idle: true,
    leaf: EVENT_POLL,
    under: ['QEventDispatcherUNIX::processEvents', 'QEventLoop::exec', 'QEventLoop::processEvents'],
    why: 'Qt event loop waiting for events',
  },
  {
    // nsThread::ProcessNextEvent → nsEventQueue::GetEvent → PR_Wait: an XPCOM thread with an empty queue.
    kind: 'native',
    id: 'idle.nspr_event_queue',
    state: 'lock_wait',
    idle: true,
    leaf: [...CONDVAR_WAIT, ...FUTEX_INTERNAL_FRAMES],
    under: ['nsEventQueue::GetEvent'],
    decide: 'under',
    why: 'XPCOM thread waiting for its next event',
  },
  {
    // grpc/grpc src/core/lib/iomgr/ev_epoll1_linux.cc: the designated poller.
    kind: 'native',
    id: 'idle.grpc_poller',
    state: 'io_wait',
    idle: true,
    leaf: EVENT_POLL,
    under: ['pollset_work', 'grpc_completion_queue_next', 'cq_next', 'cq_pluck'],
    why: 'gRPC completion-queue poller waiting for network events',
  },
  {
    kind: 'native',
    id: 'idle.grpc_worker',
    state: 'lock_wait',
    idle: true,
    leaf: ABSL_WAIT_LEAF,
    under: ['begin_worker', 'pollset_work', 'grpc_event_engine::*ThreadPool::*', 'grpc_event_engine::*ThreadPool*::*'],
    decide: 'under',
    why: 'gRPC poller worker or EventEngine pool thread waiting for work',
  },
  {
    // rust-lang/rust library/std/src/sync/mpmc/context.rs: Context::wait_until parks the receiver.
    kind: 'native',
    id: 'idle.rust_channel_recv',
    state: 'lock_wait',
    idle: true,
    leaf: RUST_WAIT_LEAF,
    under: [
      'std::sync::mpsc::*Receiver::recv*',
      'std::sync::mpmc::*Receiver::recv*',
      'std::sync::mpmc::*::recv*',
      'crossbeam_channel::*recv*',
    ],
    blocking: 'std::sync::mpsc::Receiver::recv',
    why: 'channel consumer (mpsc::Receiver::recv) waiting for a message',
  },
  {
    kind: 'native',
    id: 'idle.tokio_worker',
    state: 'lock_wait',
    idle: true,
    leaf: RUST_WAIT_LEAF,
    under: ['tokio::runtime::*park*'],
    blocking: 'tokio::runtime::park',
    why: 'tokio runtime worker parked, waiting for tasks',
  },
  {
    kind: 'native',
    id: 'idle.mio_poll',
    state: 'io_wait',
    idle: true,
    leaf: EPOLL,
    under: ['mio::*Selector::select', 'mio::poll::Poll::poll', 'tokio::runtime::*Driver::turn'],
    why: 'tokio/mio reactor waiting for events',
  },
  {
    // A condition wait whose caller is a work queue or thread pool: a consumer waiting for work.
    kind: 'native',
    id: 'idle.cxx_work_queue',
    state: 'lock_wait',
    idle: true,
    leaf: [...CONDVAR_WAIT, ...FUTEX_INTERNAL_FRAMES],
    via: ['std::condition_variable::*', 'std::_V2::condition_variable_any::*', 'std::condition_variable_any::*', '__gthread_cond_*'],
    under: ['*Queue*::pop*', '*Queue*::take*', '*Queue*::get*', '*Queue*::dequeue*', '*Queue*::wait*', '*ThreadPool*::*'],
    decide: 'via',
    why: 'C++ work-queue consumer waiting for work',
  },
];
