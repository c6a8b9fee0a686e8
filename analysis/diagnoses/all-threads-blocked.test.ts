import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asyncioIdle,
  conditionWait,
  feederBlockedWrite,
  finalizeJoin,
  gilWaiterAfterSleep,
  idlePoolWorker,
  joinWait,
  mutexWait,
  nanosleepWait,
  parentProcessJoin,
  pyFrames,
  pythonAbort,
  semLockWait,
  timeSleep,
} from '../../test/support/corpus-stacks.js';
import { makeContext, makeProcess } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { CaseProcess, ClassifiedThread } from '../model.js';
import { detectAllThreadsBlocked } from './all-threads-blocked.js';

const futureResult = () =>
  pyFrames(
    ['/usr/lib/python3.11/threading.py', 'wait', 320, 'waiter.acquire()'],
    ['/usr/lib/python3.11/concurrent/futures/_base.py', 'result', 451, 'self._condition.wait(timeout)'],
    ['/srv/app/main.py', 'main', 20, 'fut.result()'],
  );

const cases: Array<{ name: string; threads: ClassifiedThread[]; processes?: CaseProcess[]; fires: boolean }> = [
  {
    name: 'two mutex waiters and main joining them: nothing can wake anyone',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: joinWait(3) }),
      makeClassified('lock_wait', { pid: 1, lwp: 3, frames: mutexWait('0x10', 'a', 'f') }),
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x20', 'b', 'g') }),
    ],
    fires: true,
  },
  {
    name: 'main blocked on a future no idle worker will ever run',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: futureResult() }),
      makeClassified('lock_wait', { pid: 1, idle: true, frames: idlePoolWorker() }),
      makeClassified('lock_wait', { pid: 1, idle: true, frames: idlePoolWorker() }),
    ],
    fires: true,
  },
  {
    name: 'a single thread re-acquiring its own lock (self-deadlock)',
    threads: [makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x10', 'a', 'f') })],
    fires: true,
  },
  {
    name: 'GIL waiters with nobody running: the holder is stuck in a lock wait with the GIL held',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x10', 'log_lock', 'ext_log') }),
      makeClassified('gil_wait', { pid: 1, frames: gilWaiterAfterSleep() }),
    ],
    fires: true,
  },
  // Look-alikes.
  {
    name: 'a process sleeping in a timer is waiting on the outside world',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x10', 'a', 'f') }),
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x20', 'b', 'g') }),
      makeClassified('sleep', { pid: 1, frames: nanosleepWait() }),
    ],
    fires: false,
  },
  {
    name: 'only idle waits (a pool waiting for work) is idle, not hung',
    threads: [
      makeClassified('lock_wait', { pid: 1, idle: true, frames: idlePoolWorker() }),
      makeClassified('lock_wait', { pid: 1, idle: true, frames: idlePoolWorker() }),
    ],
    fires: false,
  },
  {
    name: 'a healthy service: event loop in epoll, idle pool, timer thread',
    threads: [
      makeClassified('io_wait', { pid: 1, idle: true, frames: asyncioIdle() }),
      makeClassified('lock_wait', { pid: 1, idle: true, frames: idlePoolWorker() }),
      makeClassified('sleep', { pid: 1, frames: timeSleep('/srv/app/metrics.py', 'flush_loop', 30, 'time.sleep(10)') }),
    ],
    fires: false,
  },
  {
    name: 'the mp child: main joins the feeder, which writes to a pipe (I/O)',
    threads: [
      makeClassified('lock_wait', { pid: 9, frames: finalizeJoin() }),
      makeClassified('io_wait', { pid: 9, frames: feederBlockedWrite() }),
    ],
    fires: false,
  },
  {
    name: 'a parent waiting for a child is waiting on the outside world',
    threads: [makeClassified('child_wait', { pid: 7, frames: parentProcessJoin(9) })],
    fires: false,
  },
  {
    name: 'a crashed process’s condition waiters',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: conditionWait('0x1') }),
      makeClassified('lock_wait', { pid: 1, frames: pythonAbort(), isCrashing: true }),
    ],
    fires: false,
  },
  {
    name: 'ps says 5 threads but the dump shows 2: the unseen ones may be doing I/O',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x10', 'a', 'f') }),
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x20', 'b', 'g') }),
    ],
    processes: [makeProcess(1, { threadCount: 5 })],
    fires: false,
  },
  {
    name: 'a thread on a multiprocessing lock waits on another process',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: semLockWait('0x7f11a000') }),
      makeClassified('lock_wait', { pid: 1, frames: joinWait(2) }),
    ],
    fires: false,
  },
  {
    name: 'an unknown state cannot be called blocked',
    threads: [
      makeClassified('lock_wait', { pid: 1, frames: mutexWait('0x10', 'a', 'f') }),
      makeClassified('unknown', { pid: 1, frames: [] }),
    ],
    fires: false,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectAllThreadsBlocked(makeContext({ threads: c.threads, processes: c.processes ?? [] }));
    assert.equal(got.length, c.fires ? 1 : 0, got.map((d) => d.title).join(' | '));
    for (const d of got) {
      assert.equal(d.code, 'all_threads_blocked');
      assert.equal(d.severity, 'critical');
      assert.equal(d.threadKeys.length, c.threads.length);
    }
  });
}

test('the detail lists what each thread waits on', () => {
  const threads = [
    makeClassified('lock_wait', { pid: 1, lwp: 2, frames: mutexWait('0x10', 'accounts_mutex', 'reconcile') }),
    makeClassified('lock_wait', { pid: 1, lwp: 3, frames: futureResult() }),
  ];
  const [d] = detectAllThreadsBlocked(makeContext({ threads }));
  assert.match(d?.detail ?? '', /LWP 2 in ___pthread_mutex_lock accounts_mutex in reconcile/);
  assert.match(d?.detail ?? '', /LWP 3 in _base\.py:result in main/);
  assert.equal(d?.evidence.lockWaiters, 2);
});
