import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asyncioIdle,
  gilWaiterAfterSleep,
  idlePoolWorker,
  pythonAbort,
  runningPythonLoop,
  zeroTimeoutPoll,
} from '../../test/support/corpus-stacks.js';
import { makeContext, makeProcess } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread } from '../model.js';
import { detectHighCpuThread } from './high-cpu-thread.js';

const cases: Array<{ name: string; threads: ClassifiedThread[]; processCpu?: number; fires: number }> = [
  {
    name: 'one running thread at 97 % of a process using 100 %',
    threads: [
      makeClassified('running', { pid: 1, lwp: 2, frames: runningPythonLoop(), cpuPercent: 97 }),
      makeClassified('lock_wait', { pid: 1, lwp: 3, idle: true, frames: idlePoolWorker(), cpuPercent: 1 }),
    ],
    fires: 1,
  },
  {
    name: 'only top -H saw the thread: no stack contradicts 99 %',
    threads: [makeClassified('unknown', { pid: 1, lwp: 2, frames: [], cpuPercent: 99 })],
    fires: 1,
  },
  {
    name: 'process CPU from ps when per-thread siblings are unknown',
    threads: [makeClassified('running', { pid: 1, lwp: 2, frames: runningPythonLoop(), cpuPercent: 85 })],
    processCpu: 100,
    fires: 1,
  },
  // Look-alikes.
  {
    name: 'two threads at 90 % each: neither takes most of the process',
    threads: [
      makeClassified('running', { pid: 1, lwp: 2, frames: runningPythonLoop(), cpuPercent: 90 }),
      makeClassified('running', { pid: 1, lwp: 3, frames: runningPythonLoop(), cpuPercent: 90 }),
    ],
    fires: 0,
  },
  {
    name: 'a running thread at 40 %',
    threads: [makeClassified('running', { pid: 1, lwp: 2, frames: runningPythonLoop(), cpuPercent: 40 })],
    fires: 0,
  },
  {
    name: 'procps leader row: the idle main thread shows the process total',
    threads: [
      makeClassified('io_wait', { pid: 9, lwp: 9, idle: true, frames: asyncioIdle(), cpuPercent: 99.9 }),
      ...[20, 20, 20, 13.3, 13.3, 13.3].map((cpu, i) =>
        makeClassified('gil_wait', { pid: 9, lwp: 10 + i, frames: gilWaiterAfterSleep(), cpuPercent: cpu }),
      ),
    ],
    fires: 0,
  },
  {
    name: 'high CPU on a thread caught in a wait is busy_spin’s question',
    threads: [makeClassified('io_wait', { pid: 1, lwp: 2, frames: zeroTimeoutPoll(), cpuPercent: 99 })],
    fires: 0,
  },
  {
    name: 'the crashing thread is not a hot thread',
    threads: [makeClassified('running', { pid: 1, lwp: 2, isCrashing: true, frames: pythonAbort(), cpuPercent: 99 })],
    fires: 0,
  },
  { name: 'no CPU figures at all', threads: [makeClassified('running', { pid: 1, lwp: 2, frames: runningPythonLoop() })], fires: 0 },
];

for (const c of cases) {
  test(c.name, () => {
    const processes = c.processCpu === undefined ? [] : [makeProcess(1, { cpuPercent: c.processCpu })];
    const got = detectHighCpuThread(makeContext({ threads: c.threads, processes }));
    assert.equal(got.length, c.fires, got.map((d) => d.title).join(' | '));
    for (const d of got) assert.equal(d.severity, 'warning');
  });
}

test('the title names the thread and its innermost Python function', () => {
  const t = makeClassified('running', { pid: 1, lwp: 2, name: 'worker', frames: runningPythonLoop(), cpuPercent: 97 });
  const [d] = detectHighCpuThread(makeContext({ threads: [t] }));
  assert.equal(d?.title, "High CPU: 'worker' (LWP 2) uses 97 % of a CPU in render_report (gthread_app.py:29)");
  assert.deepEqual(d?.threadKeys, ['p1:t2']);
});
