import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonFrame, type RawFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { PYTHON_IDLE_RULES } from './rules-idle-python.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

const python = (...specs: string[]): CorrelatedThread => makeThread({ frames: frames(...specs.map((s) => `py:${s}`)) });
const mixed = (nativeSpecs: string[], pythonFrames: RawFrame[]): CorrelatedThread =>
  makeThread({ frames: [...frames(...nativeSpecs), ...pythonFrames] });
const PY = '/usr/lib/python3.11';

const SEM_WAIT = [
  '__futex_abstimed_wait_common64',
  '__futex_abstimed_wait_common',
  '__GI___futex_abstimed_wait_cancelable64',
  'do_futex_wait',
  '__new_sem_wait_slow64',
  '__new_sem_wait',
];
const LOCK_ACQUIRE = [
  ...SEM_WAIT,
  'PyThread_acquire_lock_timed',
  'acquire_timed',
  'lock_PyThread_acquire_lock',
  'method_vectorcall_VARARGS_KEYWORDS',
];

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'ThreadPoolExecutor worker in work_queue.get, py-bt source line (corpus LWP 32141)',
    thread: makeThread({
      frames: [pythonFrame('_worker', `${PY}/concurrent/futures/thread.py`, 81, 'work_item = work_queue.get(block=True)')],
    }),
    want: { state: 'lock_wait', rule: 'idle.executor_worker', idle: true, blocking: 'SimpleQueue.get' },
  },
  {
    name: 'look-alike: ThreadPoolExecutor worker running a work item is not idle',
    thread: python(
      '/srv/demo/gthread_app.py:render_report',
      `${PY}/concurrent/futures/thread.py:run`,
      `${PY}/concurrent/futures/thread.py:_worker`,
    ),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'ThreadPoolExecutor worker on CPython 3.6 (queue.py get ← threading.py wait)',
    thread: python(
      '/usr/lib/python3.6/threading.py:wait',
      '/usr/lib/python3.6/queue.py:get',
      '/usr/lib/python3.6/concurrent/futures/thread.py:_worker',
    ),
    want: { state: 'lock_wait', rule: 'idle.executor_worker_queue', idle: true, blocking: 'Queue.get' },
  },
  {
    name: 'asyncio loop idle in select',
    thread: python(`${PY}/selectors.py:select`, `${PY}/asyncio/base_events.py:_run_once`, `${PY}/asyncio/base_events.py:run_forever`),
    want: { state: 'io_wait', rule: 'idle.asyncio_loop', idle: true, blocking: 'selectors.select' },
  },
  {
    name: 'multiprocessing.Queue feeder waiting for items',
    thread: python(`${PY}/threading.py:wait`, `${PY}/multiprocessing/queues.py:_feed`, `${PY}/threading.py:run`),
    want: { state: 'lock_wait', rule: 'idle.mp_queue_feeder', idle: true, blocking: 'Condition.wait' },
  },
  {
    name: 'look-alike: a feeder blocked in _send is an I/O wait, not idle (corpus LWP 10)',
    thread: python(
      `${PY}/multiprocessing/connection.py:_send`,
      `${PY}/multiprocessing/connection.py:_send_bytes`,
      `${PY}/multiprocessing/connection.py:send_bytes`,
      `${PY}/multiprocessing/queues.py:_feed`,
    ),
    want: { state: 'io_wait', rule: 'py.mp_connection_send', idle: false, blocking: 'Connection._send' },
  },
  {
    name: 'multiprocessing.Pool worker process reading a task',
    thread: python(
      `${PY}/multiprocessing/connection.py:_recv`,
      `${PY}/multiprocessing/connection.py:_recv_bytes`,
      `${PY}/multiprocessing/connection.py:recv_bytes`,
      `${PY}/multiprocessing/queues.py:get`,
      `${PY}/multiprocessing/pool.py:worker`,
    ),
    want: { state: 'io_wait', rule: 'idle.mp_pool_worker', idle: true, blocking: 'Connection.recv_bytes' },
  },
  {
    name: 'multiprocessing.Pool worker process waiting for the read lock',
    thread: python(`${PY}/multiprocessing/queues.py:get`, `${PY}/multiprocessing/pool.py:worker`),
    want: { state: 'lock_wait', rule: 'idle.mp_pool_worker_lock', idle: true, blocking: 'SimpleQueue.get' },
  },
  {
    name: 'multiprocessing.Pool worker process in the read lock of its SimpleQueue (synchronize.py __enter__)',
    thread: python(
      `${PY}/multiprocessing/synchronize.py:__enter__`,
      `${PY}/multiprocessing/queues.py:get`,
      `${PY}/multiprocessing/pool.py:worker`,
    ),
    want: { state: 'lock_wait', rule: 'idle.mp_pool_worker_read_lock', idle: true, blocking: 'SimpleQueue.get' },
  },
  {
    name: 'multiprocessing.Pool task handler thread on 3.8+ (SimpleQueue.get in C), native stack',
    thread: mixed(
      [
        ...SEM_WAIT,
        'PyThread_acquire_lock_timed',
        '_queue_SimpleQueue_get_impl',
        '_queue_SimpleQueue_get',
        'method_vectorcall_FASTCALL_KEYWORDS_METHOD',
      ],
      [pythonFrame('_handle_tasks', `${PY}/multiprocessing/pool.py`, 519, 'for taskseq, set_length in iter(taskqueue.get, None):')],
    ),
    want: { state: 'lock_wait', rule: 'cpython.simple_queue_get', idle: true, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'multiprocessing.Pool task handler thread on 3.8+, faulthandler',
    thread: python(`${PY}/multiprocessing/pool.py:_handle_tasks`, `${PY}/threading.py:run`),
    want: { state: 'lock_wait', rule: 'idle.mp_pool_task_handler_simple_queue', idle: true, blocking: 'SimpleQueue.get' },
  },
  {
    name: "py-bt's `<optimized out>` pseudo frame over the task handler is skipped like a built-in",
    thread: makeThread({
      frames: [
        pythonFrame(null, '<built-in>', null),
        pythonFrame('_handle_tasks', `${PY}/multiprocessing/pool.py`, 531, 'for taskseq, set_length in iter(taskqueue.get, None):'),
      ],
    }),
    want: { state: 'lock_wait', rule: 'idle.mp_pool_task_handler_simple_queue', idle: true, blocking: 'SimpleQueue.get' },
  },
  {
    name: 'look-alike: the task handler putting a task (not in taskqueue.get) is not idle',
    thread: makeThread({ frames: [pythonFrame('_handle_tasks', `${PY}/multiprocessing/pool.py`, 531, 'put(task)')] }),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'multiprocessing.Pool worker handler thread',
    thread: python(
      `${PY}/selectors.py:select`,
      `${PY}/multiprocessing/connection.py:wait`,
      `${PY}/multiprocessing/pool.py:_wait_for_updates`,
      `${PY}/multiprocessing/pool.py:_handle_workers`,
    ),
    want: { state: 'io_wait', rule: 'idle.mp_pool_worker_handler', idle: true, blocking: 'selectors.select' },
  },
  {
    name: 'multiprocessing.Pool task handler thread',
    thread: python(`${PY}/threading.py:wait`, `${PY}/queue.py:get`, `${PY}/multiprocessing/pool.py:_handle_tasks`),
    want: { state: 'lock_wait', rule: 'idle.mp_pool_task_handler', idle: true, blocking: 'Queue.get' },
  },
  {
    name: 'multiprocessing.Pool result handler thread',
    thread: python(
      `${PY}/multiprocessing/connection.py:_recv`,
      `${PY}/multiprocessing/connection.py:_recv_bytes`,
      `${PY}/multiprocessing/connection.py:recv`,
      `${PY}/multiprocessing/pool.py:_handle_results`,
    ),
    want: { state: 'io_wait', rule: 'idle.mp_pool_result_handler', idle: true, blocking: 'Connection.recv' },
  },
  {
    name: 'threading.Timer (pytest-timeout) waiting for its interval',
    thread: python(`${PY}/threading.py:wait`, `${PY}/threading.py:wait`, `${PY}/threading.py:run`, `${PY}/threading.py:_bootstrap_inner`),
    want: { state: 'lock_wait', rule: 'idle.threading_timer', idle: true, blocking: 'Event.wait' },
  },
  {
    name: 'look-alike: Event.wait from user code is not idle',
    thread: python(`${PY}/threading.py:wait`, `${PY}/threading.py:wait`, '/srv/app/jobs.py:wait_for_reload'),
    want: { state: 'lock_wait', rule: 'py.event_wait', idle: false, blocking: 'Event.wait' },
  },
  {
    name: 'gevent hub greenlet in loop.run (traceback dump)',
    thread: python('/usr/lib/python3/dist-packages/gevent/hub.py:run'),
    want: { state: 'io_wait', rule: 'idle.gevent_hub', idle: true, blocking: 'Hub.run' },
  },
  {
    name: 'gevent monitor thread (py-bt with its built-in sleep frame, corpus LWP 833)',
    thread: python('<built-in>:sleep', '/usr/lib/python3/dist-packages/gevent/_monitor.py:__call__'),
    want: { state: 'sleep', rule: 'idle.gevent_monitor', idle: true, blocking: 'time.sleep' },
  },
  {
    name: 'gevent threadpool worker',
    thread: python(
      '/usr/lib/python3/dist-packages/gevent/_threading.py:acquire_with_timeout',
      '/usr/lib/python3/dist-packages/gevent/_threading.py:wait',
      '/usr/lib/python3/dist-packages/gevent/_threading.py:get',
      '/usr/lib/python3/dist-packages/gevent/threadpool.py:run',
      '/usr/lib/python3/dist-packages/gevent/threadpool.py:_begin',
    ),
    want: { state: 'lock_wait', rule: 'idle.gevent_threadpool', idle: true, blocking: 'Queue.get' },
  },
  {
    name: 'gevent threadpool worker, older gevent',
    thread: python(
      '/usr/lib/python3/dist-packages/gevent/_threading.py:wait',
      '/usr/lib/python3/dist-packages/gevent/_threading.py:get',
      '/usr/lib/python3/dist-packages/gevent/threadpool.py:_worker',
    ),
    want: { state: 'lock_wait', rule: 'idle.gevent_threadpool_legacy', idle: true, blocking: 'Queue.get' },
  },
  {
    name: 'gunicorn arbiter sleep',
    thread: python('/usr/lib/python3/dist-packages/gunicorn/arbiter.py:sleep', '/usr/lib/python3/dist-packages/gunicorn/arbiter.py:run'),
    want: { state: 'io_wait', rule: 'idle.gunicorn_arbiter', idle: true, blocking: 'select.select' },
  },
  {
    name: 'gunicorn sync worker',
    thread: python(
      '/usr/lib/python3/dist-packages/gunicorn/workers/sync.py:wait',
      '/usr/lib/python3/dist-packages/gunicorn/workers/sync.py:run_for_one',
    ),
    want: { state: 'io_wait', rule: 'idle.gunicorn_sync_worker', idle: true, blocking: 'select.select' },
  },
  {
    name: 'gunicorn gthread worker main loop',
    thread: python(`${PY}/selectors.py:select`, '/usr/lib/python3/dist-packages/gunicorn/workers/gthread.py:run'),
    want: { state: 'io_wait', rule: 'idle.gunicorn_gthread_worker', idle: true, blocking: 'selectors.select' },
  },
  {
    name: 'look-alike: a gthread-like loop in user code is not idle (corpus py-gil-gthread-40 LWP 32100)',
    thread: python(`${PY}/selectors.py:select`, '/srv/demo/gthread_app.py:run'),
    want: { state: 'io_wait', rule: 'py.selectors_select', idle: false, blocking: 'selectors.select' },
  },
  {
    name: 'gunicorn gthread worker at worker_connections',
    thread: python(
      `${PY}/threading.py:wait`,
      `${PY}/concurrent/futures/_base.py:wait`,
      '/usr/lib/python3/dist-packages/gunicorn/workers/gthread.py:run',
    ),
    want: { state: 'lock_wait', rule: 'idle.gunicorn_gthread_full', idle: true, blocking: 'futures.wait' },
  },
  {
    name: 'tornado IOLoop before 5.0',
    thread: python('/usr/lib/python2.7/dist-packages/tornado/ioloop.py:start'),
    want: { state: 'io_wait', rule: 'idle.tornado_ioloop', idle: true, blocking: 'IOLoop.start' },
  },
  {
    name: 'gRPC channel spin thread',
    thread: python('/usr/lib/python3/dist-packages/grpc/_channel.py:channel_spin', `${PY}/threading.py:run`),
    want: { state: 'io_wait', rule: 'idle.grpc_channel_spin', idle: true, blocking: 'channel_spin' },
  },
  {
    name: 'gRPC server thread',
    thread: python('/usr/lib/python3/dist-packages/grpc/_server.py:_serve', `${PY}/threading.py:run`),
    want: { state: 'io_wait', rule: 'idle.grpc_server', idle: true, blocking: 'CompletionQueue.poll' },
  },
  {
    name: 'socketserver serve_forever',
    thread: python(`${PY}/selectors.py:select`, `${PY}/socketserver.py:serve_forever`),
    want: { state: 'io_wait', rule: 'idle.socketserver', idle: true, blocking: 'selectors.select' },
  },
  {
    name: 'native Lock.acquire under the feeder marks the native verdict idle',
    thread: mixed(LOCK_ACQUIRE, frames(`py:${PY}/threading.py:wait`, `py:${PY}/multiprocessing/queues.py:_feed`)),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: true, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'look-alike: the same native wait under threading._shutdown is not idle',
    thread: mixed(LOCK_ACQUIRE, frames(`py:${PY}/threading.py:_shutdown`)),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'look-alike: the same native wait under queues.py _finalize_join is not idle (corpus LWP 9)',
    thread: mixed(
      LOCK_ACQUIRE,
      frames(
        `py:${PY}/threading.py:_wait_for_tstate_lock`,
        `py:${PY}/threading.py:join`,
        `py:${PY}/multiprocessing/queues.py:_finalize_join`,
      ),
    ),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'look-alike: an executor worker that got work and now waits for the GIL is not idle',
    thread: mixed(
      ['pthread_cond_timedwait@@GLIBC_2.3.2', 'take_gil', 'PyEval_RestoreThread', '_queue_SimpleQueue_get_impl', '_queue_SimpleQueue_get'],
      frames(`py:${PY}/concurrent/futures/thread.py:_worker`),
    ),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
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

test('every Python idle rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    PYTHON_IDLE_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('a native verdict made idle by its Python frames says which pattern', () => {
  const v = classifyThread(mixed(LOCK_ACQUIRE, frames(`py:${PY}/threading.py:wait`, `py:${PY}/multiprocessing/queues.py:_feed`)));
  assert.match(v.classification.why, /queues\.py:1 _feed|threading\.py:1 wait/);
  assert.match(v.classification.why, /feeder/);
});
