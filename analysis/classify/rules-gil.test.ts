import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { GIL_RULES } from './rules-gil.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

// glibc 2.36 condvar leaf under PyCOND_TIMEDWAIT, verbatim from corpus py-gil-gthread-40 gdb-bt.txt (LWP 32135).
const COND_TIMEDWAIT = [
  '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x7f4ec2ff4860, op=137, expected=0, futex_word=0xa563d0 <_PyRuntime+432>',
  '__futex_abstimed_wait_common futex_word=futex_word@entry=0xa563d0 <_PyRuntime+432>, expected=expected@entry=0, clockid=clockid@entry=1',
  '__GI___futex_abstimed_wait_cancelable64 futex_word=futex_word@entry=0xa563d0 <_PyRuntime+432>, expected=expected@entry=0',
  '__pthread_cond_wait_common abstime=0x7f4ec2ff4860, clockid=1, mutex=0xa563d8 <_PyRuntime+440>, cond=0xa563a8 <_PyRuntime+392>',
  '___pthread_cond_timedwait64 cond=cond@entry=0xa563a8 <_PyRuntime+392>, mutex=mutex@entry=0xa563d8 <_PyRuntime+440>',
  'PyCOND_TIMEDWAIT us=<optimized out>, mut=<optimized out>, cond=0xa563a8 <_PyRuntime+392>',
];
const PARKED = [
  '__futex_abstimed_wait_common64',
  '__GI___futex_abstimed_wait_cancelable64',
  'do_futex_wait',
  '__new_sem_wait_slow64',
  '__new_sem_wait',
];
const PARKING_LOT = [...PARKED, '_PySemaphore_PlatformWait', '_PySemaphore_Wait', '_PyParkingLot_Park'];

const full = (...specs: string[]): CorrelatedThread => makeThread({ frames: frames(...specs) });
const topOnly = (spec: string): CorrelatedThread => makeThread({ frames: frames(spec), topFrameOnly: true, hasNativeStack: false });

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: '3.11 time.sleep waking up: condvar under take_gil ← PyEval_RestoreThread (corpus LWP 32135)',
    thread: full(
      ...COND_TIMEDWAIT,
      'take_gil tstate=0x19c60150',
      'PyEval_RestoreThread tstate=0x19c60150',
      'pysleep',
      'time_sleep',
      '_PyEval_EvalFrameDefault',
    ),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: '3.11 eval loop asked to drop: take_gil ← eval_frame_handle_pending (corpus LWP 32102)',
    thread: full(...COND_TIMEDWAIT, 'take_gil', 'eval_frame_handle_pending', '_PyEval_EvalFrameDefault'),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: '3.10 re-locking gil->mutex after the wake-up: __lll_lock_wait under take_gil',
    thread: full(
      'futex_wait private=0, expected=2, futex_word=0x7f1d3c0 <_PyRuntime+440>',
      '__GI___lll_lock_wait futex=0x7f1d3c0 <_PyRuntime+440>, private=0',
      '__pthread_mutex_cond_lock mutex=0x7f1d3c0 <_PyRuntime+440>',
      '__pthread_cond_wait_common',
      '___pthread_cond_timedwait64',
      'PyCOND_TIMEDWAIT',
      'take_gil',
      'eval_frame_handle_pending',
      '_PyEval_EvalFrameDefault',
    ),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: 'MUTEX_LOCK(gil->mutex) at take_gil entry',
    thread: full(
      'futex_wait',
      '__GI___lll_lock_wait',
      'lll_mutex_lock_optimized',
      '___pthread_mutex_lock',
      'take_gil',
      'PyEval_RestoreThread',
      'select_poll_poll_impl',
    ),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: '3.13: take_gil ← _PyEval_AcquireLock ← _PyThreadState_Attach ← PyEval_RestoreThread',
    thread: full(
      ...COND_TIMEDWAIT,
      'take_gil',
      '_PyEval_AcquireLock',
      '_PyThreadState_Attach',
      'PyEval_RestoreThread',
      'pysleep',
      'time_sleep',
    ),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: '3.13 parking lot with detach=1 re-taking the GIL: take_gil ← PyEval_AcquireThread ← _PySemaphore_Wait',
    thread: full(
      ...COND_TIMEDWAIT,
      'take_gil',
      'PyEval_AcquireThread',
      '_PySemaphore_Wait',
      '_PyParkingLot_Park',
      '_queue_SimpleQueue_get_impl',
    ),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: 'glibc ≤ 2.24 without debug info: pthread_cond_timedwait@@GLIBC_2.3.2 under take_gil',
    thread: full('pthread_cond_timedwait@@GLIBC_2.3.2', 'take_gil', 'PyEval_RestoreThread', 'floatsleep'),
    want: { state: 'gil_wait', rule: 'gil.take_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: 'look-alike: the same mutex futex under extension code, no take_gil, is a lock wait',
    thread: full(
      'futex_wait private=0, expected=2, futex_word=0x5558c0ece100 <accounts_mutex>',
      '__GI___lll_lock_wait',
      'lll_mutex_lock_optimized',
      '___pthread_mutex_lock',
      'reconcile batch=7',
    ),
    want: { state: 'lock_wait', rule: 'lock.mutex', idle: false, blocking: 'pthread_mutex_lock' },
  },
  {
    name: 'FORCE_SWITCHING: old holder waits on switch_cond in drop_gil',
    thread: full(
      '__futex_abstimed_wait_common64',
      '__pthread_cond_wait_common',
      '___pthread_cond_wait',
      'PyCOND_WAIT',
      'drop_gil',
      '_PyEval_EvalFrameDefault',
    ),
    want: { state: 'gil_wait', rule: 'gil.force_switch', idle: false, blocking: 'drop_gil' },
  },
  {
    name: 'look-alike: holder releasing the GIL (lll_lock_wake ← drop_gil, 3.12) is running',
    thread: full(
      '__GI___lll_lock_wake',
      'lll_mutex_unlock_optimized',
      '__GI___pthread_mutex_unlock_usercnt',
      '___pthread_mutex_unlock',
      'drop_gil',
      '_Py_HandlePending',
      '_PyEval_EvalFrameDefault',
    ),
    want: { state: 'running', rule: 'gil.release', idle: false, blocking: null },
  },
  {
    name: 'look-alike: 2.7 holder releasing (futex_wake ← __new_sem_post ← PyThread_release_lock) is running',
    thread: full('futex_wake', '__new_sem_post', 'PyThread_release_lock', 'PyEval_EvalFrameEx'),
    want: { state: 'running', rule: 'running.no_wait', idle: false, blocking: null },
  },
  {
    name: '3.13t stop-the-world: suspended thread waits in tstate_wait_attach',
    thread: full(...PARKING_LOT, 'tstate_wait_attach', '_PyThreadState_Attach', 'PyEval_RestoreThread', 'pysleep'),
    want: { state: 'gil_wait', rule: 'gil.stop_the_world_suspended', idle: false, blocking: 'tstate_wait_attach' },
  },
  {
    name: '3.13t stop-the-world requester: PyEvent_WaitTimed ← stop_the_world ← gc_collect_internal',
    thread: full(...PARKING_LOT, 'PyEvent_WaitTimed', 'stop_the_world', '_PyEval_StopTheWorld', 'gc_collect_internal'),
    want: { state: 'gil_wait', rule: 'gil.stop_the_world_request', idle: false, blocking: 'stop_the_world' },
  },
  {
    name: '2.7 eval loop periodic switch: sem_wait ← PyThread_acquire_lock ← PyEval_EvalFrameEx',
    thread: full('sem_wait', 'PyThread_acquire_lock lock=0x1f3c8d0, waitflag=1', 'PyEval_EvalFrameEx f=0x7f2a1c0, throwflag=0'),
    want: { state: 'gil_wait', rule: 'gil.py27_eval_switch', idle: false, blocking: 'PyThread_acquire_lock' },
  },
  {
    name: 'look-alike: 2.7 Lock.acquire with call_function inlined is a lock wait, not the GIL',
    thread: full('sem_wait', 'PyThread_acquire_lock', 'lock_PyThread_acquire_lock', 'PyEval_EvalFrameEx'),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyThread_acquire_lock' },
  },
  {
    name: '2.7 ✓: semaphore under PyThread_acquire_lock ← PyEval_RestoreThread ← floatsleep',
    thread: full(
      '__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x1b2e1c0',
      '__futex_abstimed_wait_common',
      '__GI___futex_abstimed_wait_cancelable64',
      'do_futex_wait',
      '__new_sem_wait_slow64',
      '__new_sem_wait',
      'PyThread_acquire_lock',
      'PyEval_RestoreThread',
      'floatsleep',
      'time_sleep',
      'call_function',
    ),
    want: { state: 'gil_wait', rule: 'gil.restore_thread', idle: false, blocking: 'PyEval_RestoreThread' },
  },
  {
    name: 'C thread entering Python with take_gil not symbolized: condvar ← ?? ← PyGILState_Ensure',
    thread: full('pthread_cond_timedwait@@GLIBC_2.3.2', '??', 'PyGILState_Ensure', 'on_message_callback', 'start_thread'),
    want: { state: 'gil_wait', rule: 'gil.restore_thread', idle: false, blocking: 'PyGILState_Ensure' },
  },
  {
    name: 'info threads only: futex word inside _PyRuntime (corpus LWP 32102)',
    thread: topOnly(
      '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x7f4f112fe8b0, op=137, expected=0, futex_word=0xa563d0 <_PyRuntime+432>',
    ),
    want: { state: 'gil_wait', rule: 'gil.runtime_futex_top_frame', idle: false, blocking: 'futex_abstimed_wait_common' },
  },
  {
    name: 'look-alike: info threads only, semaphore futex op=393 outside _PyRuntime stays an ambiguous lock wait (corpus LWP 32141)',
    thread: topOnly(
      '__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x19c0c210',
    ),
    want: { state: 'lock_wait', rule: 'top.sync_wait', idle: false, blocking: 'futex_abstimed_wait_common' },
  },
  {
    name: 'look-alike: the _PyRuntime futex word with a full stack is decided by the stack',
    thread: full(
      '__futex_abstimed_wait_common64 futex_word=0xa563d0 <_PyRuntime+432>',
      '__pthread_cond_wait_common',
      '___pthread_cond_timedwait64',
      'my_extension_wait',
    ),
    want: { state: 'lock_wait', rule: 'lock.condvar', idle: false, blocking: 'pthread_cond_timedwait' },
  },
  {
    name: '3.13t per-object critical section',
    thread: full(...PARKING_LOT, '_PyCriticalSection_BeginSlow', 'list_append', 'method_vectorcall_O'),
    want: { state: 'lock_wait', rule: 'freethreading.critical_section', idle: false, blocking: 'PyCriticalSection_BeginSlow' },
  },
  {
    name: '3.13t contended PyMutex spinning before it parks',
    thread: full('sched_yield', '_Py_yield', '_PyMutex_LockTimed', 'PyMutex_Lock', 'dict_setdefault'),
    want: { state: 'running', rule: 'freethreading.pymutex_spin', idle: false, blocking: null },
  },
  {
    name: '3.13t contended PyMutex parked',
    thread: full(...PARKING_LOT, '_PyMutex_LockTimed', 'PyMutex_Lock', 'dict_setdefault'),
    want: { state: 'lock_wait', rule: 'freethreading.pymutex', idle: false, blocking: 'PyMutex_LockTimed' },
  },
  {
    name: 'look-alike: 3.14 threading.Lock is a PyMutex under lock_PyThread_acquire_lock: a Python lock',
    thread: full(...PARKING_LOT, '_PyMutex_LockTimed', 'lock_PyThread_acquire_lock', 'method_vectorcall_VARARGS_KEYWORDS'),
    want: { state: 'lock_wait', rule: 'cpython.python_lock', idle: false, blocking: 'PyParkingLot_Park' },
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

test('every GIL rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    GIL_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('a GIL verdict points at take_gil, not the leaf', () => {
  const v = classifyThread(full(...COND_TIMEDWAIT, 'take_gil', 'PyEval_RestoreThread'));
  assert.equal(v.classification.frameIndex, COND_TIMEDWAIT.length);
  assert.equal(v.classification.confidence, 'high');
});
