import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawFrame } from '../../parsers/model.js';
import type { ThreadState } from '../../report/schema.js';
import {
  asyncioIdle,
  conditionWait,
  feederBlockedWrite,
  finalizeJoin,
  gilWaiterAfterSleep,
  gilWaiterInLoop,
  idlePoolWorker,
  joinWait,
  mutexWait,
  nanosleepWait,
  parentProcessJoin,
  pyFrames,
  pythonLockWait,
  runningPythonLoop,
  semLockWait,
  sharedMutexWait,
} from '../../test/support/corpus-stacks.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import { type WaitTarget, waitTarget } from './wait-target.js';

interface Case {
  name: string;
  state: ThreadState;
  frames: RawFrame[];
  want: Partial<WaitTarget> | null;
}

const cases: Case[] = [
  {
    name: 'glibc 2.36 pthread_mutex_lock: address and symbol from the futex',
    state: 'lock_wait',
    frames: mutexWait('0x5558c0ece100', 'accounts_mutex', 'reconcile'),
    want: { kind: 'mutex', lock: '0x5558c0ece100', lockLabel: 'accounts_mutex', frame: '___pthread_mutex_lock', certain: true },
  },
  {
    name: 'old glibc without debug info: __lll_lock_wait () from libpthread, no address',
    state: 'lock_wait',
    frames: frames('__lll_lock_wait', '_L_lock_791', '__pthread_mutex_lock', 'flush_cache', 'start_thread', 'clone'),
    want: { kind: 'mutex', lock: null, frame: '__pthread_mutex_lock' },
  },
  {
    name: 'pthread_join: target LWP from futex expected=, pthread id from threadid=',
    state: 'lock_wait',
    frames: joinWait(405),
    want: { kind: 'join', joinLwp: 405, joinPthreadId: '0x7faecdbd26c0', frame: '__pthread_clockjoin_ex' },
  },
  {
    name: 'waitpid from Process.join: the child pid from wait4 args',
    state: 'child_wait',
    frames: parentProcessJoin(9),
    want: { kind: 'child', childPid: 9 },
  },
  {
    name: 'Condition.wait is a signalling wait, not a mutex, despite lock_PyThread_acquire_lock',
    state: 'lock_wait',
    frames: conditionWait('0x7fbf30000ba0'),
    want: { kind: 'signal', frame: 'threading.py:wait' },
  },
  {
    name: 'a Python `with lock:` is a mutex, identified by the lock address',
    state: 'lock_wait',
    frames: pythonLockWait('0x7f0000a0', 'accounts_lock', 'transfer'),
    want: { kind: 'mutex', lock: '0x7f0000a0', lockLabel: 'accounts_lock', certain: true },
  },
  {
    name: 'lock_PyThread_acquire_lock without Python frames cannot be told from a Condition wait',
    state: 'lock_wait',
    frames: conditionWait('0x7fbf30000ba0').slice(0, 10),
    want: { kind: 'mutex', certain: false },
  },
  {
    name: 'ThreadPoolExecutor worker in SimpleQueue.get is a signalling wait',
    state: 'lock_wait',
    frames: idlePoolWorker(),
    want: { kind: 'signal' },
  },
  { name: 'take_gil from the eval loop is the GIL', state: 'gil_wait', frames: gilWaiterInLoop(), want: { kind: 'gil' } },
  {
    name: 'take_gil after time.sleep is the GIL even if the state says otherwise',
    state: 'unknown',
    frames: gilWaiterAfterSleep(),
    want: { kind: 'gil' },
  },
  {
    name: 'Python-only Thread.join inside Queue._finalize_join',
    state: 'lock_wait',
    frames: finalizeJoin(),
    want: { kind: 'join', joinLwp: null, frame: 'threading.py:join' },
  },
  {
    name: 'Python 2.7 Thread.join is threading.py wait ← join',
    state: 'lock_wait',
    frames: pyFrames(
      ['/usr/lib/python2.7/threading.py', 'wait', 340, 'waiter.acquire()'],
      ['/usr/lib/python2.7/threading.py', 'join', 951, 'self.__block.wait()'],
      ['app.py', 'main', 5, 't.join()'],
    ),
    want: { kind: 'join' },
  },
  {
    name: 'Python-only user frame with a lock line, classified lock_wait',
    state: 'lock_wait',
    frames: pyFrames(['/srv/app/bank.py', 'audit', 33, 'with self.ledger_lock:']),
    want: { kind: 'mutex', lock: 'py:self.ledger_lock', lockLabel: 'self.ledger_lock' },
  },
  {
    name: 'the same Python line in a running thread is not a wait',
    state: 'running',
    frames: pyFrames(['/srv/app/bank.py', 'audit', 33, 'with self.ledger_lock:']),
    want: null,
  },
  {
    name: 'Rust std Mutex::lock contended, with the futex address',
    state: 'lock_wait',
    frames: frames(
      'syscall',
      'std::sys::pal::unix::futex::futex_wait futex=0x55d0c0a01020, expected=2, timeout=...',
      'std::sys::sync::mutex::futex::Mutex::lock_contended self=0x55d0c0a01020',
      'std::sys::sync::mutex::futex::Mutex::lock self=0x55d0c0a01020',
      'std::sync::poison::mutex::Mutex<T>::lock self=0x55d0c0a01020',
      'worker::run',
    ),
    want: { kind: 'mutex', lock: '0x55d0c0a01020' },
  },
  {
    name: 'C++ std::mutex::lock (g++ 12): the mutex from the futex word',
    state: 'lock_wait',
    frames: frames(
      'futex_wait private=0, expected=2, futex_word=0x55e0f7a3c2a0 <g_ledger_lock>',
      '__GI___lll_lock_wait futex=futex@entry=0x55e0f7a3c2a0 <g_ledger_lock>, private=0',
      'lll_mutex_lock_optimized mutex=0x55e0f7a3c2a0 <g_ledger_lock>',
      '___pthread_mutex_lock mutex=0x55e0f7a3c2a0 <g_ledger_lock>',
      '__gthread_mutex_lock __mutex=0x55e0f7a3c2a0 <g_ledger_lock>',
      'std::mutex::lock this=0x55e0f7a3c2a0 <g_ledger_lock>',
      'Ledger::post this=0x7ffd10',
      'worker',
    ),
    want: { kind: 'mutex', lock: '0x55e0f7a3c2a0', lockLabel: 'g_ledger_lock', frame: 'std::mutex::lock' },
  },
  {
    name: 'Rust mpsc Receiver::recv parks: a signalling wait',
    state: 'lock_wait',
    frames: frames(
      'syscall',
      'std::sys::pal::unix::futex::futex_wait',
      'std::sys::sync::thread_parking::futex::Parker::park',
      'std::thread::thread::Thread::park',
      'std::sync::mpmc::context::Context::wait_until',
      'std::sync::mpmc::list::Channel<T>::recv',
      'std::sync::mpsc::Receiver<T>::recv',
      'consumer::main',
    ),
    want: { kind: 'signal' },
  },
  {
    name: 'g_mutex_lock inside a composite queue call stays a mutex',
    state: 'lock_wait',
    frames: frames(
      'syscall',
      'g_mutex_lock_slowpath mutex=0x3215610',
      'g_mutex_lock mutex=0x3215610',
      'g_async_queue_pop_intern_unlocked',
      'worker',
    ),
    want: { kind: 'mutex', lock: '0x3215610' },
  },
  {
    name: 'py-bt built-in method lines before threading.py wait do not hide the Condition wait',
    state: 'lock_wait',
    frames: [
      ...conditionWait('0x7fbf30000ba0').slice(0, 10),
      {
        function: 'acquire',
        file: '<built-in>',
        line: null,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
      ...conditionWait('0x7fbf30000ba0').slice(10),
    ],
    want: { kind: 'signal', frame: 'threading.py:wait' },
  },
  {
    name: 'a multiprocessing.Lock is a mutex another process can release',
    state: 'lock_wait',
    frames: semLockWait('0x7f11a000'),
    want: { kind: 'mutex', crossProcess: true },
  },
  {
    name: 'a PTHREAD_PROCESS_SHARED mutex (private=128) is cross-process',
    state: 'lock_wait',
    frames: sharedMutexWait('0x7f5500001000'),
    want: { kind: 'mutex', crossProcess: true },
  },
  {
    name: 'a private pthread mutex (private=0) is not',
    state: 'lock_wait',
    frames: mutexWait('0x10', 'm', 'f'),
    want: { kind: 'mutex', crossProcess: false },
  },
  { name: 'nanosleep is no lock, join or child wait', state: 'sleep', frames: nanosleepWait(), want: null },
  { name: 'a blocked pipe write is no wait target', state: 'io_wait', frames: feederBlockedWrite(), want: null },
  { name: 'an idle asyncio selector is no wait target', state: 'io_wait', frames: asyncioIdle(), want: null },
  { name: 'a running Python loop is no wait', state: 'running', frames: runningPythonLoop(), want: null },
  { name: 'an empty stack', state: 'unknown', frames: [], want: null },
];

for (const c of cases) {
  test(c.name, () => {
    const got = waitTarget(makeClassified(c.state, { frames: c.frames }));
    if (c.want === null) {
      assert.equal(got, null);
      return;
    }
    assert.ok(got, 'expected a wait target');
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k as keyof WaitTarget], v, k);
  });
}

test('the caller of a Python wait is the first frame outside the standard library', () => {
  assert.equal(waitTarget(makeClassified('lock_wait', { frames: conditionWait('0x1') }))?.caller?.function, 'worker');
  assert.equal(waitTarget(makeClassified('lock_wait', { frames: finalizeJoin() }))?.caller?.function, '_finalize_join');
});

test('the caller names the code that asked for the lock', () => {
  const got = waitTarget(makeClassified('lock_wait', { frames: mutexWait('0x5558c0ece140', 'ledger_mutex', 'apply_transfer') }));
  assert.equal(got?.caller?.function, 'apply_transfer');
});
