import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIAGNOSIS_CODES, type Diagnosis, DiagnosisSchema } from '../../report/schema.js';
import {
  asyncioIdle,
  gilWaiterAfterSleep,
  gilWaiterInLoop,
  idlePoolWorker,
  mutexWait,
  runningPythonLoop,
  timeSleep,
  zeroTimeoutPoll,
} from '../../test/support/corpus-stacks.js';
import { makeContext, makeProcess, straceTable, syscallRow } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { DiagnosisContext } from '../model.js';
import { ALL_RULES, diagnose } from './index.js';

test('every contract code has exactly one rule', () => {
  assert.deepEqual(Object.keys(ALL_RULES).sort(), [...DIAGNOSIS_CODES].sort());
});

test('an empty case has nothing to diagnose', () => {
  assert.deepEqual(diagnose(makeContext()), []);
});

const healthy: Array<{ name: string; ctx: DiagnosisContext }> = [
  {
    name: 'an asyncio service idle: loop in epoll, executor idle, metrics thread asleep',
    ctx: makeContext({
      threads: [
        makeClassified('io_wait', { pid: 1, lwp: 1, idle: true, frames: asyncioIdle(), cpuPercent: 0.3 }),
        ...Array.from({ length: 8 }, (_, i) =>
          makeClassified('lock_wait', { pid: 1, lwp: 10 + i, idle: true, frames: idlePoolWorker(), cpuPercent: 0 }),
        ),
        makeClassified('sleep', {
          pid: 1,
          lwp: 30,
          frames: timeSleep('/srv/app/metrics.py', 'flush_loop', 30, 'time.sleep(10)'),
          cpuPercent: 0,
        }),
      ],
      processes: [makeProcess(1, { threadCount: 10, cpuPercent: 0.3 })],
      syscalls: [straceTable(1, [syscallRow('futex', 40, 120, 97), syscallRow('epoll_wait', 3, 3.6, 3)])],
    }),
  },
  {
    name: 'a thread pool waiting for work with the main thread in a timed sleep',
    ctx: makeContext({
      threads: [
        makeClassified('sleep', { pid: 2, lwp: 2, frames: timeSleep('/srv/app/main.py', 'main', 40, 'time.sleep(60)') }),
        ...Array.from({ length: 4 }, (_, i) => makeClassified('lock_wait', { pid: 2, lwp: 3 + i, idle: true, frames: idlePoolWorker() })),
      ],
    }),
  },
];

for (const c of healthy) {
  test(`healthy: ${c.name} gets no critical diagnosis`, () => {
    const got = diagnose(c.ctx);
    assert.deepEqual(
      got.filter((d) => d.severity === 'critical').map((d) => d.title),
      [],
    );
  });
}

test('critical first, then warning, stable within a severity, and every diagnosis matches the report schema', () => {
  const threads = [
    ...Array.from({ length: 4 }, () => makeClassified('gil_wait', { pid: 1, frames: gilWaiterInLoop() })),
    ...Array.from({ length: 6 }, () =>
      makeClassified('gil_wait', { pid: 1, frames: gilWaiterAfterSleep(), voluntarySwitchesPerSec: 900, cpuPercent: 1 }),
    ),
    makeClassified('running', { pid: 1, frames: runningPythonLoop(), cpuPercent: 30 }),
    makeClassified('io_wait', { pid: 2, lwp: 2, frames: zeroTimeoutPoll(), cpuPercent: 70 }),
    makeClassified('lock_wait', { pid: 3, lwp: 3, frames: mutexWait('0x10', 'a', 'f') }),
    makeClassified('lock_wait', { pid: 3, lwp: 4, frames: mutexWait('0x20', 'b', 'g') }),
  ];
  const got: Diagnosis[] = diagnose(makeContext({ threads, syscalls: [straceTable(1, [syscallRow('futex', 30000, 12, 96)])] }));
  const severities = got.map((d) => d.severity);
  assert.deepEqual(
    severities,
    [...severities].sort((a, b) => ['critical', 'warning', 'info'].indexOf(a) - ['critical', 'warning', 'info'].indexOf(b)),
  );
  const codes = got.map((d) => d.code);
  // Within a severity, rules keep contract order: gil_contention before deadlock, busy_spin before lock_contention.
  assert.ok(codes.indexOf('deadlock') > codes.indexOf('gil_contention'));
  assert.ok(codes.includes('busy_spin') && codes.includes('lock_contention') && codes.includes('all_threads_blocked'));
  assert.ok(codes.indexOf('lock_contention') > codes.indexOf('busy_spin'));
  for (const d of got) DiagnosisSchema.parse(d);
});
