import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { PYTHON_RULES } from './rules-python.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

/** A Python-only thread (faulthandler, traceback dump, py-spy), innermost first. */
const python = (...specs: string[]): CorrelatedThread =>
  makeThread({ frames: frames(...specs.map((s) => `py:${s}`)), sourceFormats: ['faulthandler'] });
const PY = '/usr/lib/python3.11';
const MP = `${PY}/multiprocessing`;

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'main thread at exit waiting for non-daemon threads',
    thread: python(`${PY}/threading.py:_shutdown`),
    want: { state: 'lock_wait', rule: 'py.threading_shutdown', idle: false, blocking: 'threading._shutdown' },
  },
  {
    name: 'multiprocessing child exit waiting for its feeder (corpus py-mp-queue-join-hang faulthandler-child LWP 9)',
    thread: python(
      `${PY}/threading.py:_wait_for_tstate_lock`,
      `${PY}/threading.py:join`,
      `${MP}/queues.py:_finalize_join`,
      `${MP}/util.py:__call__`,
      `${MP}/util.py:_run_finalizers`,
      `${MP}/util.py:_exit_function`,
      `${MP}/process.py:_bootstrap`,
    ),
    want: { state: 'lock_wait', rule: 'py.mp_queue_finalize_join', idle: false, blocking: 'Thread.join' },
  },
  {
    name: 'the same on 3.13, where join waits in C',
    thread: python('/usr/lib/python3.13/threading.py:join', '/usr/lib/python3.13/multiprocessing/queues.py:_finalize_join'),
    want: { state: 'lock_wait', rule: 'py.mp_queue_finalize_join_313', idle: false, blocking: 'Thread.join' },
  },
  {
    name: 'Thread.join',
    thread: python(`${PY}/threading.py:_wait_for_tstate_lock`, `${PY}/threading.py:join`, '/srv/app/main.py:main'),
    want: { state: 'lock_wait', rule: 'py.thread_join', idle: false, blocking: 'Thread.join' },
  },
  {
    name: 'Thread.join on 2.7 (Condition under join)',
    thread: python('/usr/lib/python2.7/threading.py:wait', '/usr/lib/python2.7/threading.py:join', '/srv/app/main.py:main'),
    want: { state: 'lock_wait', rule: 'py.thread_join_27', idle: false, blocking: 'Thread.join' },
  },
  {
    name: 'Queue.get',
    thread: python(`${PY}/threading.py:wait`, `${PY}/queue.py:get`, '/srv/app/consumer.py:consume'),
    want: { state: 'lock_wait', rule: 'py.queue_get', idle: false, blocking: 'Queue.get' },
  },
  {
    name: 'Queue.put on a full queue',
    thread: python(`${PY}/threading.py:wait`, `${PY}/queue.py:put`, '/srv/app/producer.py:produce'),
    want: { state: 'lock_wait', rule: 'py.queue_put', idle: false, blocking: 'Queue.put' },
  },
  {
    name: 'Event.wait',
    thread: python(`${PY}/threading.py:wait`, `${PY}/threading.py:wait`, '/srv/app/main.py:wait_ready'),
    want: { state: 'lock_wait', rule: 'py.event_wait', idle: false, blocking: 'Event.wait' },
  },
  {
    name: 'Semaphore.acquire',
    thread: python(`${PY}/threading.py:wait`, `${PY}/threading.py:acquire`, '/srv/app/pool.py:lease'),
    want: { state: 'lock_wait', rule: 'py.semaphore_acquire', idle: false, blocking: 'Semaphore.acquire' },
  },
  {
    name: 'Future.result',
    thread: python(`${PY}/threading.py:wait`, `${PY}/concurrent/futures/_base.py:result`, '/srv/app/main.py:main'),
    want: { state: 'lock_wait', rule: 'py.future_result', idle: false, blocking: 'Future.result' },
  },
  {
    name: 'Condition.wait from user code (corpus py-crash-abort faulthandler LWP 1093)',
    thread: python(`${PY}/threading.py:wait`, '/srv/demo/crash_abort.py:worker', `${PY}/threading.py:run`),
    want: { state: 'lock_wait', rule: 'py.condition_wait', idle: false, blocking: 'Condition.wait' },
  },
  {
    name: 'RLock (pure-Python) acquire',
    thread: python(`${PY}/threading.py:acquire`, '/srv/app/cache.py:get'),
    want: { state: 'lock_wait', rule: 'py.lock_acquire', idle: false, blocking: 'Lock.acquire' },
  },
  {
    name: 'Queue.get without the Condition frame shown',
    thread: python(`${PY}/queue.py:get`, '/srv/app/consumer.py:consume'),
    want: { state: 'lock_wait', rule: 'py.queue_get_direct', idle: false, blocking: 'Queue.get' },
  },
  {
    name: 'selector select from user code (corpus py-gil-gthread-40 LWP 32100)',
    thread: python(`${PY}/selectors.py:select`, '/srv/demo/gthread_app.py:run', '/srv/demo/gthread_app.py:<module>'),
    want: { state: 'io_wait', rule: 'py.selectors_select', idle: false, blocking: 'selectors.select' },
  },
  {
    name: 'socket.accept',
    thread: python(`${PY}/socket.py:accept`, '/srv/app/server.py:serve'),
    want: { state: 'io_wait', rule: 'py.socket_accept', idle: false, blocking: 'socket.accept' },
  },
  {
    name: 'socket readinto (http.client response)',
    thread: python(`${PY}/socket.py:readinto`, `${PY}/http/client.py:_read_status`),
    want: { state: 'io_wait', rule: 'py.socket_read', idle: false, blocking: 'socket.recv' },
  },
  {
    name: 'socket.create_connection',
    thread: python(`${PY}/socket.py:create_connection`, '/srv/app/client.py:connect'),
    want: { state: 'io_wait', rule: 'py.socket_connect', idle: false, blocking: 'socket.connect' },
  },
  {
    name: 'TLS read',
    thread: python(`${PY}/ssl.py:read`, `${PY}/ssl.py:recv_into`, `${PY}/socket.py:readinto`),
    want: { state: 'io_wait', rule: 'py.ssl_io', idle: false, blocking: 'SSLSocket.read' },
  },
  {
    name: 'Popen.wait',
    thread: python(`${PY}/subprocess.py:_try_wait`, `${PY}/subprocess.py:_wait`, `${PY}/subprocess.py:wait`, '/srv/app/run.py:main'),
    want: { state: 'child_wait', rule: 'py.subprocess_wait', idle: false, blocking: 'Popen.wait' },
  },
  {
    name: 'Popen.communicate',
    thread: python(`${PY}/subprocess.py:_communicate`, `${PY}/subprocess.py:communicate`, '/srv/app/run.py:main'),
    want: { state: 'io_wait', rule: 'py.subprocess_communicate', idle: false, blocking: 'Popen.communicate' },
  },
  {
    name: 'Process.join (corpus py-mp-queue-join-hang faulthandler-parent LWP 7)',
    thread: python(`${MP}/popen_fork.py:poll`, `${MP}/popen_fork.py:wait`, `${MP}/process.py:join`, '/srv/demo/mp_queue_hang.py:<module>'),
    want: { state: 'child_wait', rule: 'py.mp_process_join', idle: false, blocking: 'Process.join' },
  },
  {
    name: 'multiprocessing Popen.wait without Process.join',
    thread: python(`${MP}/popen_fork.py:wait`, '/srv/app/launcher.py:reap'),
    want: { state: 'child_wait', rule: 'py.mp_popen_wait', idle: false, blocking: 'Popen.wait' },
  },
  {
    name: 'Process.join as the innermost frame',
    thread: python(`${MP}/process.py:join`, '/srv/app/launcher.py:main'),
    want: { state: 'child_wait', rule: 'py.mp_process_join_direct', idle: false, blocking: 'Process.join' },
  },
  {
    name: 'Connection send on a full pipe',
    thread: python(`${MP}/connection.py:_send`, `${MP}/connection.py:_send_bytes`, `${MP}/connection.py:send`, '/srv/app/worker.py:report'),
    want: { state: 'io_wait', rule: 'py.mp_connection_send', idle: false, blocking: 'Connection._send' },
  },
  {
    name: 'Connection recv',
    thread: python(`${MP}/connection.py:_recv`, `${MP}/connection.py:_recv_bytes`, `${MP}/connection.py:recv`, '/srv/app/worker.py:listen'),
    want: { state: 'io_wait', rule: 'py.mp_connection_recv', idle: false, blocking: 'Connection._recv' },
  },
  {
    name: 'multiprocessing.Queue.get waiting for its read lock',
    thread: python(`${MP}/queues.py:get`, '/srv/app/consumer.py:consume'),
    want: { state: 'lock_wait', rule: 'py.mp_queue_get', idle: false, blocking: 'multiprocessing.Queue.get' },
  },
  {
    name: 'multiprocessing Lock',
    thread: python(`${MP}/synchronize.py:__enter__`, '/srv/app/shared.py:update'),
    want: { state: 'lock_wait', rule: 'py.mp_synchronize', idle: false, blocking: 'multiprocessing.Lock.acquire' },
  },
  {
    name: 'look-alike: a file merely named like the standard library is not it',
    thread: python('/srv/app/mythreading.py:wait'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'look-alike: connection.py outside multiprocessing is not a multiprocessing pipe',
    thread: python('/usr/lib/python3/dist-packages/psycopg2/connection.py:_recv'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'Windows paths match too',
    thread: python('C:\\Python311\\Lib\\queue.py:get', 'C:\\app\\main.py:run'),
    want: { state: 'lock_wait', rule: 'py.queue_get_direct', idle: false, blocking: 'Queue.get' },
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

test('every Python rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    PYTHON_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('a Python-only verdict is medium confidence and points at the innermost code frame', () => {
  const v = classifyThread(python(`${PY}/threading.py:wait`, `${PY}/queue.py:get`));
  assert.equal(v.classification.confidence, 'medium');
  assert.equal(v.classification.frameIndex, 0);
});
