import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asyncioIdle,
  conditionWait,
  condvarWaitC,
  finalizeJoin,
  geventBlockedRead,
  gilWaiterAfterSleep,
  gilWaiterInLoop,
  idlePoolWorker,
  joinWait,
  mutexWait,
  nanosleepWait,
  pyFrames,
  pythonAbort,
  pythonLockWait,
  runningPythonLoop,
  semLockWait,
  sharedMutexWait,
  timeSleep,
} from '../../test/support/corpus-stacks.js';
import { makeContext } from '../../test/support/diagnosis-context.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread } from '../model.js';
import { detectDeadlock } from './deadlock.js';

const ACCOUNTS = '0x5558c0ece100';
const LEDGER = '0x5558c0ece140';

/** c-mutex-deadlock as the manifest states it: 405/406 lock_wait on the two mutexes, 402 joins 405, 404 sleeps. */
function cMutexDeadlock(pid = 402): ClassifiedThread[] {
  return [
    makeClassified('lock_wait', { pid, lwp: pid, name: 'deadlock', pthreadId: '0x7faece3d4740', frames: joinWait(pid + 3) }),
    makeClassified('sleep', { pid, lwp: pid + 2, name: 'stats', frames: nanosleepWait() }),
    makeClassified('lock_wait', {
      pid,
      lwp: pid + 3,
      name: 'transfer',
      pthreadId: '0x7faecdbd26c0',
      frames: mutexWait(LEDGER, 'ledger_mutex', 'apply_transfer'),
    }),
    makeClassified('lock_wait', { pid, lwp: pid + 4, name: 'audit', frames: mutexWait(ACCOUNTS, 'accounts_mutex', 'reconcile') }),
  ];
}

interface Case {
  name: string;
  threads: ClassifiedThread[];
  fires: number;
}

const cases: Case[] = [
  { name: 'C lock-order inversion with a sleeping stats thread and main joining', threads: cMutexDeadlock(), fires: 1 },
  { name: 'two processes each deadlocked give two diagnoses', threads: [...cMutexDeadlock(402), ...cMutexDeadlock(502)], fires: 2 },
  {
    name: 'Python lock-order inversion with main in Thread.join and idle pool workers',
    threads: [
      makeClassified('lock_wait', {
        pid: 7,
        lwp: 7,
        frames: pyFrames(
          ['/usr/lib/python3.11/threading.py', '_wait_for_tstate_lock', 1132, 'if lock.acquire(block, timeout):'],
          ['/usr/lib/python3.11/threading.py', 'join', 1112, 'self._wait_for_tstate_lock()'],
          ['/srv/app/bank.py', 'main', 50, 't1.join()'],
        ),
      }),
      makeClassified('lock_wait', { pid: 7, lwp: 8, frames: pythonLockWait('0x7f00000a10', 'accounts_lock', 'transfer') }),
      makeClassified('lock_wait', { pid: 7, lwp: 9, frames: pythonLockWait('0x7f00000b20', 'ledger_lock', 'audit') }),
      makeClassified('lock_wait', { pid: 7, lwp: 10, idle: true, frames: idlePoolWorker() }),
    ],
    fires: 1,
  },
  {
    name: 'faulthandler-only stacks: lock lines classified lock_wait',
    threads: [
      makeClassified('lock_wait', {
        pid: 7,
        lwp: null,
        pthreadId: '0x7f01',
        frames: pyFrames(['/srv/app/bank.py', 'transfer', 13, 'with self.ledger_lock:']),
      }),
      makeClassified('lock_wait', {
        pid: 7,
        lwp: null,
        pthreadId: '0x7f02',
        frames: pyFrames(['/srv/app/bank.py', 'audit', 33, 'with self.accounts_lock:']),
      }),
    ],
    fires: 1,
  },
  {
    name: 'three threads in a ring over three mutexes',
    threads: [
      makeClassified('lock_wait', { frames: mutexWait('0x1000', 'a_mutex', 'step_a') }),
      makeClassified('lock_wait', { frames: mutexWait('0x2000', 'b_mutex', 'step_b') }),
      makeClassified('lock_wait', { frames: mutexWait('0x3000', 'c_mutex', 'step_c') }),
    ],
    fires: 1,
  },
  {
    name: 'a join cycle is a proven deadlock',
    threads: [
      makeClassified('lock_wait', { pid: 60, lwp: 61, frames: joinWait(62) }),
      makeClassified('lock_wait', { pid: 60, lwp: 62, frames: joinWait(61) }),
      makeClassified('running', { pid: 60, lwp: 63, frames: runningPythonLoop() }),
    ],
    fires: 1,
  },
  // Look-alikes that must not fire.
  {
    name: 'condition-variable waiters on different condvars are idle consumers (py-crash-abort workers, process alive)',
    threads: [
      makeClassified('lock_wait', { pid: 9, frames: conditionWait('0x7fbf34000ba0') }),
      makeClassified('lock_wait', { pid: 9, frames: conditionWait('0x7fbf2c000ba0') }),
      makeClassified('lock_wait', { pid: 9, frames: conditionWait('0x7fbf30000ba0') }),
      makeClassified('sleep', { pid: 9, frames: timeSleep('/srv/app/main.py', 'main', 9, 'time.sleep(1)') }),
    ],
    fires: 0,
  },
  {
    name: 'C threads in PR_WaitCondVar / pthread_cond_wait are not mutex waits',
    threads: [
      makeClassified('lock_wait', { frames: condvarWaitC('nsSSLThread::Run') }),
      makeClassified('lock_wait', { frames: condvarWaitC('TimerThread::Run') }),
      makeClassified('lock_wait', { frames: condvarWaitC('XPCJSRuntime::WatchdogMain') }),
    ],
    fires: 0,
  },
  {
    name: 'GIL waiters are not a deadlock',
    threads: [
      makeClassified('gil_wait', { frames: gilWaiterInLoop() }),
      makeClassified('gil_wait', { frames: gilWaiterAfterSleep() }),
      makeClassified('gil_wait', { frames: gilWaiterAfterSleep() }),
    ],
    fires: 0,
  },
  {
    name: 'a gevent hub blocked in read is not a deadlock',
    threads: [
      makeClassified('io_wait', { pid: 828, lwp: 828, frames: geventBlockedRead() }),
      makeClassified('sleep', {
        pid: 828,
        lwp: 833,
        frames: timeSleep('/usr/lib/python3/dist-packages/gevent/_monitor.py', '__call__', 187, 'thread_sleep(sleep_time)'),
      }),
    ],
    fires: 0,
  },
  {
    name: 'a crashing process with two threads caught on mutexes is a crash, not a deadlock',
    threads: [
      makeClassified('running', { pid: 11, lwp: 11, isCrashing: true, frames: pythonAbort() }),
      makeClassified('lock_wait', { pid: 11, frames: mutexWait(LEDGER, 'ledger_mutex', 'apply_transfer') }),
      makeClassified('lock_wait', { pid: 11, frames: mutexWait(ACCOUNTS, 'accounts_mutex', 'reconcile') }),
    ],
    fires: 0,
  },
  {
    name: 'two threads on the same mutex are contention, not an inversion',
    threads: [
      makeClassified('lock_wait', { frames: mutexWait(LEDGER, 'ledger_mutex', 'apply_transfer') }),
      makeClassified('lock_wait', { frames: mutexWait(LEDGER, 'ledger_mutex', 'reconcile') }),
    ],
    fires: 0,
  },
  {
    name: 'a running thread may hold the locks',
    threads: [...cMutexDeadlock().slice(2), makeClassified('running', { pid: 402, frames: runningPythonLoop() })],
    fires: 0,
  },
  {
    name: 'a thread doing I/O might hold both locks: still reported, as a possible deadlock',
    threads: [...cMutexDeadlock().slice(2), makeClassified('io_wait', { pid: 402, frames: geventBlockedRead() })],
    fires: 1,
  },
  {
    name: 'an idle event loop does not count as a possible holder',
    threads: [...cMutexDeadlock().slice(2), makeClassified('io_wait', { pid: 402, idle: true, frames: asyncioIdle() })],
    fires: 1,
  },
  {
    name: 'lock acquisitions whose Python caller is unknown (no py-bt) are not enough',
    threads: [
      makeClassified('lock_wait', { frames: conditionWait('0x7fbf34000ba0').slice(0, 10) }),
      makeClassified('lock_wait', { frames: conditionWait('0x7fbf2c000ba0').slice(0, 10) }),
    ],
    fires: 0,
  },
  {
    name: 'two threads on multiprocessing locks held by other processes are not an in-process deadlock',
    threads: [
      makeClassified('lock_wait', { frames: semLockWait('0x7f11a000') }),
      makeClassified('lock_wait', { frames: semLockWait('0x7f11b000') }),
    ],
    fires: 0,
  },
  {
    name: 'a thread waiting on a process-shared mutex may be released from outside, and may hold the locks',
    threads: [...cMutexDeadlock().slice(2), makeClassified('lock_wait', { pid: 402, frames: sharedMutexWait('0x7f5500001000') })],
    fires: 0,
  },
  {
    name: 'a queue-feeder join (feeder in I/O) is not a deadlock',
    threads: [
      makeClassified('lock_wait', { pid: 9, lwp: 9, frames: finalizeJoin() }),
      makeClassified('io_wait', { pid: 9, lwp: 10, frames: geventBlockedRead() }),
    ],
    fires: 0,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectDeadlock(makeContext({ threads: c.threads }));
    assert.equal(got.length, c.fires, got.map((d) => d.title).join(' | '));
    for (const d of got) {
      assert.equal(d.code, 'deadlock');
      // Critical when nothing else could release the locks; a warning beside an active thread.
      assert.equal(d.severity, d.evidence.activeOthers ? 'warning' : 'critical');
    }
  });
}

test('the C deadlock names both threads and locks, says owners are inferred and keeps the joiner', () => {
  const [d] = detectDeadlock(makeContext({ threads: cMutexDeadlock() }));
  assert.ok(d);
  assert.match(d.title, /'transfer' \(LWP 405\)/);
  assert.match(d.title, /'audit' \(LWP 406\)/);
  assert.match(d.title, /ledger_mutex/);
  assert.match(d.title, /accounts_mutex/);
  assert.match(d.detail, /inferred/);
  assert.match(d.detail, /joins LWP 405/);
  assert.deepEqual(new Set(d.threadKeys), new Set(['p402:t405', 'p402:t406', 'p402:t402']));
  assert.equal(d.threadKeys.includes('p402:t404'), false, 'the sleeping stats thread proves nothing');
  assert.deepEqual(d.evidence, {
    blockedThreads: 2,
    distinctLocks: 2,
    joinWaiters: 1,
    otherThreads: 1,
    activeOthers: 0,
    ownersKnown: false,
  });
});

test('a join cycle says the owners are known', () => {
  const threads = [
    makeClassified('lock_wait', { pid: 60, lwp: 61, frames: joinWait(62) }),
    makeClassified('lock_wait', { pid: 60, lwp: 62, frames: joinWait(61) }),
  ];
  const [d] = detectDeadlock(makeContext({ threads }));
  assert.equal(d?.evidence.ownersKnown, true);
  assert.deepEqual(d?.threadKeys, ['p60:t61', 'p60:t62']);
});

test('a possible deadlock beside an active thread is a warning that names the alternative; alone it is critical', () => {
  const withIo = detectDeadlock(
    makeContext({ threads: [...cMutexDeadlock().slice(2), makeClassified('io_wait', { pid: 402, frames: geventBlockedRead() })] }),
  );
  assert.equal(withIo[0]?.severity, 'warning');
  assert.match(withIo[0]?.title ?? '', /^Possible lock-order deadlock/);
  assert.match(withIo[0]?.detail ?? '', /held too long rather than a deadlock/);
  const alone = detectDeadlock(makeContext({ threads: cMutexDeadlock() }));
  assert.equal(alone[0]?.severity, 'critical');
  const running = detectDeadlock(
    makeContext({ threads: [...cMutexDeadlock().slice(2), makeClassified('running', { pid: 402, frames: frames('compute', 'main') })] }),
  );
  assert.equal(running.length, 0);
});
