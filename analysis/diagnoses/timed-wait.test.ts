import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames } from '../../test/support/threads.js';
import { isTimedWait } from './timed-wait.js';

const cases: Array<{ name: string; stack: string[]; timed: boolean }> = [
  {
    name: 'Queue.get(timeout=1.0) on CPython 3.12: microseconds=1000000',
    stack: [
      '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x7ffd1, op=137',
      '___sem_clockwait64 sem=0x1, clockid=1',
      'PyThread_acquire_lock_timed lock=0x1, microseconds=microseconds@entry=1000000, intr_flag=1',
    ],
    timed: true,
  },
  {
    name: 'Lock.acquire() forever: abstime=0x0 and microseconds=-1',
    stack: [
      '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x0, op=393',
      '__new_sem_wait sem=0x1',
      'PyThread_acquire_lock_timed lock=0x1, microseconds=-1, intr_flag=1',
    ],
    timed: false,
  },
  {
    name: 'CPython 3.13 forever is -1000000',
    stack: ['sem_wait', 'PyThread_acquire_lock_timed lock=0x1, microseconds=-1000000, intr_flag=1'],
    timed: false,
  },
  { name: 'a timed condvar by name, no debug info', stack: ['pthread_cond_timedwait@@GLIBC_2.3.2', 'g_cond_wait_until'], timed: true },
  {
    name: 'a plain mutex lock',
    stack: [
      'futex_wait private=0, expected=2, futex_word=0x1',
      '__GI___lll_lock_wait futex=0x1, private=0',
      '___pthread_mutex_lock mutex=0x1',
    ],
    timed: false,
  },
  { name: 'a wait under Python frames only is not read', stack: ['py:threading.py:wait'], timed: false },
];

for (const c of cases) test(`isTimedWait: ${c.name}`, () => assert.equal(isTimedWait({ frames: frames(...c.stack) }), c.timed));
