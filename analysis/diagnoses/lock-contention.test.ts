import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionWait, gilWaiterAfterSleep, idlePoolWorker, mutexWait, runningPythonLoop } from '../../test/support/corpus-stacks.js';
import { makeContext, straceTable, syscallRow } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread, SyscallSummary } from '../model.js';
import { detectLockContention } from './lock-contention.js';

const GIL_STRACE = straceTable(null, [
  syscallRow('futex', 47240, 28.278898, 95.57),
  syscallRow('clock_nanosleep', 2315, 0.775396, 2.62),
  syscallRow('epoll_wait', 2, 0.534631, 1.81),
]);
const gilWaiters = (n: number) =>
  Array.from({ length: n }, () => makeClassified('gil_wait', { pid: 32100, frames: gilWaiterAfterSleep() }));
const onLock = (n: number, address: string) =>
  Array.from({ length: n }, (_, i) => makeClassified('lock_wait', { pid: 5, frames: mutexWait(address, 'cache_mutex', `lookup_${i}`) }));

const cases: Array<{ name: string; threads: ClassifiedThread[]; syscalls?: SyscallSummary[]; want: RegExp | null }> = [
  {
    name: 'futex 95.6 % of strace time with GIL waiters → the GIL',
    threads: gilWaiters(10),
    syscalls: [GIL_STRACE],
    want: /most likely the GIL/,
  },
  {
    name: 'futex 95.6 % with no GIL waiters → application locks',
    threads: [makeClassified('running', { pid: 32100, frames: runningPythonLoop() })],
    syscalls: [GIL_STRACE],
    want: /^Lock contention: futex takes 95\.6 %/,
  },
  {
    name: 'raw trace aggregated: futex seconds dominate',
    threads: [],
    syscalls: [
      { source: 'strace.txt', pid: 9, isTable: false, stats: [syscallRow('futex', 5000, 9, null), syscallRow('read', 100, 1, null)] },
    ],
    want: /futex takes 90 %/,
  },
  {
    name: 'five threads blocked on the same mutex',
    threads: [...onLock(5, '0x55aa00'), makeClassified('running', { pid: 5, frames: runningPythonLoop() })],
    want: /5 threads wait on cache_mutex/,
  },
  // Look-alikes.
  {
    name: 'an idle pool: futex time is long waits, few calls',
    threads: Array.from({ length: 8 }, () => makeClassified('lock_wait', { pid: 4, idle: true, frames: idlePoolWorker() })),
    syscalls: [straceTable(4, [syscallRow('futex', 24, 60, 99.9), syscallRow('read', 3, 0.01, 0.1)])],
    want: null,
  },
  {
    name: 'futex a small share of the time',
    threads: [],
    syscalls: [straceTable(4, [syscallRow('futex', 5000, 0.2, 10), syscallRow('read', 90000, 1.8, 90)])],
    want: null,
  },
  { name: 'three threads on the same mutex', threads: onLock(3, '0x55aa00'), want: null },
  {
    name: 'four condition waiters on different condvars',
    threads: ['0x1', '0x2', '0x3', '0x4'].map((a) => makeClassified('lock_wait', { pid: 5, frames: conditionWait(a) })),
    want: null,
  },
  {
    name: 'four mutex waiters on four different mutexes',
    threads: ['0x10', '0x20', '0x30', '0x40'].map((a) => makeClassified('lock_wait', { pid: 5, frames: mutexWait(a, `m${a}`, 'f') })),
    want: null,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectLockContention(makeContext({ threads: c.threads, syscalls: c.syscalls ?? [] }));
    if (c.want === null) {
      assert.deepEqual(
        got.map((d) => d.title),
        [],
      );
      return;
    }
    assert.equal(got.length, 1, got.map((d) => d.title).join(' | '));
    assert.equal(got[0]?.code, 'lock_contention');
    assert.equal(got[0]?.severity, 'warning');
    assert.match(got[0]?.title ?? '', c.want);
  });
}

test('the GIL reading keeps the GIL waiters as evidence', () => {
  const [d] = detectLockContention(makeContext({ threads: gilWaiters(4), syscalls: [GIL_STRACE] }));
  assert.equal(d?.threadKeys.length, 4);
  assert.equal(d?.evidence.futexCalls, 47240);
  assert.equal(d?.evidence.futexTimeShare, 0.956);
  assert.equal(d?.evidence.gilWaiters, 4);
});
