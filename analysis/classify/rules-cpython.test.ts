import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { CPYTHON_RULES } from './rules-cpython.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

const thread = (...specs: string[]): CorrelatedThread => makeThread({ frames: frames(...specs) });
const withPython = (native: string[], python: RawFrame[]): CorrelatedThread => makeThread({ frames: [...frames(...native), ...python] });

// glibc 2.36 semaphore leaf, verbatim from corpus py-crash-abort gdb-core-bt.txt (LWP 1093).
const SEM_WAIT = [
  '__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x7fbf34000ba0',
  '__futex_abstimed_wait_common futex_word=futex_word@entry=0x7fbf34000ba0, expected=expected@entry=0, clockid=clockid@entry=0',
  '__GI___futex_abstimed_wait_cancelable64 futex_word=futex_word@entry=0x7fbf34000ba0',
  'do_futex_wait sem=sem@entry=0x7fbf34000ba0, abstime=0x0, clockid=0',
  '__new_sem_wait_slow64 sem=sem@entry=0x7fbf34000ba0, abstime=0x0, clockid=0',
  '__new_sem_wait sem=sem@entry=0x7fbf34000ba0',
];
const PARKING_LOT = ['__new_sem_wait', '_PySemaphore_PlatformWait', '_PySemaphore_Wait', '_PyParkingLot_Park'];
const SELECT_SLEEP = '__GI___select nfds=0, readfds=0x0, writefds=0x0, exceptfds=0x0, timeout=0x7ffd6c2e1b10';

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: '2.7 timed Condition.wait polls through time.sleep: the Python frames make it a lock wait',
    thread: withPython(
      [SELECT_SLEEP, 'floatsleep', 'time_sleep', 'call_function', 'PyEval_EvalFrameEx'],
      frames('py:/usr/lib/python2.7/threading.py:wait', 'py:/usr/lib/python2.7/Queue.py:get'),
    ),
    want: { state: 'lock_wait', rule: 'cpython.py27_timed_wait', idle: false, blocking: 'Condition.wait' },
  },
  {
    name: 'look-alike: the same select under time.sleep from user code is a sleep (3.6–3.10 pysleep)',
    thread: withPython([SELECT_SLEEP, 'pysleep', 'time_sleep', 'cfunction_vectorcall_O'], frames('py:/srv/app/poller.py:loop')),
    want: { state: 'sleep', rule: 'cpython.sleep_select', idle: false, blocking: 'select' },
  },
  {
    name: 'look-alike: select from select.select is an I/O wait (corpus py-crash-abort LWP 1096)',
    thread: thread(
      '__GI___select nfds=nfds@entry=4, readfds=readfds@entry=0x7fbf3a968870, writefds=writefds@entry=0x0, exceptfds=exceptfds@entry=0x0, timeout=timeout@entry=0x7fbf3a968860',
      'select_select_impl',
      'cfunction_vectorcall_FASTCALL',
    ),
    want: { state: 'io_wait', rule: 'cpython.select_module', idle: false, blocking: 'select' },
  },
  {
    name: '3.11+ time.sleep: clock_nanosleep ← pysleep (corpus py-gevent-blocked-hub LWP 832)',
    thread: thread(
      '__GI___clock_nanosleep clock_id=clock_id@entry=1, flags=flags@entry=1, req=req@entry=0x7fd0badfec70, rem=rem@entry=0x0',
      'pysleep',
      'time_sleep',
      'cfunction_vectorcall_O',
    ),
    want: { state: 'sleep', rule: 'cpython.sleep', idle: false, blocking: 'clock_nanosleep' },
  },
  {
    name: 'Lock.acquire (3.11, corpus py-crash-abort LWP 1093)',
    thread: thread(
      ...SEM_WAIT,
      'PyThread_acquire_lock_timed lock=0x7fbf34000ba0, microseconds=microseconds@entry=-1, intr_flag=intr_flag@entry=1',
      'acquire_timed',
      'lock_PyThread_acquire_lock',
      'method_vectorcall_VARARGS_KEYWORDS',
    ),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: '3.13 Lock.acquire through PyThread_acquire_lock_timed_with_retries',
    thread: thread(
      '__new_sem_wait',
      'PyThread_acquire_lock_timed microseconds=-1000000',
      'PyThread_acquire_lock_timed_with_retries',
      'acquire_timed',
      'lock_PyThread_acquire_lock',
    ),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'RLock.acquire with a timeout (sem_clockwait, glibc ≥ 2.30)',
    thread: thread('___sem_clockwait64 clockid=1', 'PyThread_acquire_lock_timed microseconds=5000000', 'acquire_timed', 'rlock_acquire'),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'SimpleQueue.get 3.7–3.12 (corpus py-gil-gthread-40 LWP 32141)',
    thread: thread(
      ...SEM_WAIT,
      'PyThread_acquire_lock_timed lock=0x19c0c210, microseconds=microseconds@entry=-1, intr_flag=intr_flag@entry=1',
      '_queue_SimpleQueue_get_impl',
      '_queue_SimpleQueue_get',
      'method_vectorcall_FASTCALL_KEYWORDS_METHOD',
    ),
    want: { state: 'lock_wait', rule: 'cpython.simple_queue_get', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'SimpleQueue.get 3.13 through the parking lot',
    thread: thread(...PARKING_LOT, '_queue_SimpleQueue_get_impl', '_queue_SimpleQueue_get'),
    want: { state: 'lock_wait', rule: 'cpython.simple_queue_get', idle: false, blocking: 'PyParkingLot_Park' },
  },
  {
    name: 'multiprocessing Lock: sem_wait under _multiprocessing_SemLock_acquire_impl',
    thread: thread(
      '__new_sem_wait',
      '_multiprocessing_SemLock_acquire_impl',
      '_multiprocessing_SemLock_acquire',
      'method_vectorcall_FASTCALL_KEYWORDS',
    ),
    want: { state: 'lock_wait', rule: 'cpython.semlock', idle: false, blocking: 'multiprocessing_SemLock_acquire_impl' },
  },
  {
    name: '3.13 Thread.join: PyEvent_WaitTimed ← ThreadHandle_join',
    thread: thread(
      'sem_wait',
      '_PySemaphore_PlatformWait',
      '_PySemaphore_Wait',
      '_PyParkingLot_Park',
      'PyEvent_WaitTimed',
      'ThreadHandle_join',
      'PyThreadHandleObject_join',
    ),
    want: { state: 'lock_wait', rule: 'cpython.thread_handle_join', idle: false, blocking: 'ThreadHandle_join' },
  },
  {
    name: '3.13 parking lot under another caller',
    thread: thread(...PARKING_LOT, '_PyRecursiveMutex_Lock', 'PyImport_AcquireLock'),
    want: { state: 'lock_wait', rule: 'cpython.parking_lot', idle: false, blocking: 'PySemaphore_PlatformWait' },
  },
  {
    name: 'a PyThread lock taken by an extension (3.x: never the GIL)',
    thread: thread(...SEM_WAIT, 'PyThread_acquire_lock_timed', 'ext_wait_for_results', 'cfunction_call'),
    want: { state: 'lock_wait', rule: 'cpython.thread_lock', idle: false, blocking: 'PyThread_acquire_lock_timed' },
  },
  {
    name: 'select.poll with a real timeout',
    thread: thread('__GI___poll fds=0x7fb715bbe040, nfds=1, timeout=300000', 'select_poll_poll_impl', 'select_poll_poll'),
    want: { state: 'io_wait', rule: 'cpython.select_module', idle: false, blocking: 'poll' },
  },
  {
    name: 'look-alike: select.poll with timeout 0 is busy polling',
    thread: thread('__GI___poll fds=0x7fb715bbe040, nfds=1, timeout=timeout@entry=0', 'select_poll_poll_impl', 'select_poll_poll'),
    want: { state: 'running', rule: 'io.busy_poll', idle: false, blocking: null },
  },
  {
    name: 'socket.recv (3.6–3.13)',
    thread: thread(
      '__libc_recv fd=3, buf=0x7f3c9c0, len=1024, flags=0',
      'sock_recv_impl',
      'sock_call_ex',
      'sock_call',
      'sock_recv_guts',
      'sock_recv',
    ),
    want: { state: 'io_wait', rule: 'cpython.socket', idle: false, blocking: 'recv' },
  },
  {
    name: 'socket with a timeout polls first: poll ← internal_select ← sock_call_ex',
    thread: thread('__GI___poll fds=0x7ffc1, nfds=1, timeout=5000', 'internal_select', 'sock_call_ex', 'sock_call', 'sock_accept'),
    want: { state: 'io_wait', rule: 'cpython.socket', idle: false, blocking: 'poll' },
  },
  {
    name: 'socket.accept (accept4 ← sock_accept_impl)',
    thread: thread('accept4', 'sock_accept_impl', 'sock_call_ex', 'sock_call', 'sock_accept'),
    want: { state: 'io_wait', rule: 'cpython.socket', idle: false, blocking: 'accept4' },
  },
  {
    name: 'os.read on a pipe (corpus py-gevent-blocked-hub LWP 828)',
    thread: thread(
      '__GI___libc_read nbytes=4096, buf=0x211b0280, fd=4',
      '__GI___libc_read fd=fd@entry=4, buf=buf@entry=0x211b0280, nbytes=nbytes@entry=4096',
      'read __nbytes=<optimized out>, __buf=<optimized out>, __fd=<optimized out>',
      '_Py_read fd=4, buf=0x211b0280, count=<optimized out>',
      'os_read_impl',
      'os_read',
      '_PyEval_EvalFrameDefault',
    ),
    want: { state: 'io_wait', rule: 'cpython.os_read', idle: false, blocking: 'read' },
  },
  {
    name: 'os.write to a full pipe (corpus py-mp-queue-join-hang LWP 10)',
    thread: thread(
      '__GI___libc_write nbytes=2097161, buf=0x7f89ed43a030, fd=5',
      '__GI___libc_write',
      '_Py_write_impl gil_held=1',
      '_Py_write',
      'os_write_impl',
      'os_write',
    ),
    want: { state: 'io_wait', rule: 'cpython.os_write', idle: false, blocking: 'write' },
  },
  {
    name: 'os.waitpid (corpus py-mp-queue-join-hang LWP 7)',
    thread: thread(
      '__GI___wait4 pid=pid@entry=9, stat_loc=stat_loc@entry=0x7ffd138161ec, options=options@entry=0, usage=usage@entry=0x0',
      '__GI___waitpid',
      'os_waitpid_impl',
      'os_waitpid',
      'cfunction_vectorcall_FASTCALL',
    ),
    want: { state: 'child_wait', rule: 'cpython.waitpid', idle: false, blocking: 'waitpid' },
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

test('every CPython rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    CPYTHON_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});
