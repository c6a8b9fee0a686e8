import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gilWaiterAfterSleep, runningPythonLoop } from '../../test/support/corpus-stacks.js';
import { makeContext, makeProcess } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { CaseProcess, ClassifiedThread } from '../model.js';
import { detectContextSwitchStorm } from './context-switch-storm.js';

const waiters = (n: number, cswch: number, cpu: number | null) =>
  Array.from({ length: n }, () =>
    makeClassified('gil_wait', { pid: 1, frames: gilWaiterAfterSleep(), voluntarySwitchesPerSec: cswch, cpuPercent: cpu }),
  );

const cases: Array<{ name: string; threads: ClassifiedThread[]; processes?: CaseProcess[]; fires: boolean }> = [
  { name: 'gthread-40 shape: 40 threads × ~230/s for ~100 % CPU', threads: waiters(40, 230, 2.5), fires: true },
  {
    name: 'three threads at 3,000/s each on little CPU',
    threads: [...waiters(3, 3000, 1), makeClassified('running', { pid: 1, frames: runningPythonLoop(), cpuPercent: 95 })],
    fires: true,
  },
  {
    name: 'process row only (pidstat -w without -t), CPU from ps',
    threads: [],
    processes: [makeProcess(1, { voluntarySwitchesPerSec: 12000, cpuPercent: 30 })],
    fires: true,
  },
  {
    name: 'process row plus its threads with CPU',
    threads: waiters(2, 10, 10),
    processes: [makeProcess(1, { voluntarySwitchesPerSec: 12_000, cpuPercent: 20 })],
    fires: true,
  },
  // Look-alikes.
  { name: '2,000 switches/s in total is not a storm', threads: waiters(20, 100, 1), fires: false },
  { name: 'many switches but lots of CPU for them (busy pipeline)', threads: waiters(10, 800, 60), fires: false },
  { name: 'no CPU known and no thread above 1,000/s', threads: waiters(40, 230, null), fires: false },
  { name: 'two threads at 1,500/s are neither "several" nor 5,000/s in total', threads: waiters(2, 1500, 1), fires: false },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectContextSwitchStorm(makeContext({ threads: c.threads, processes: c.processes ?? [] }));
    assert.equal(got.length, c.fires ? 1 : 0, got.map((d) => d.title).join(' | '));
    for (const d of got) assert.equal(d.severity, 'warning');
  });
}

test('the storm names the busiest threads and the rate', () => {
  const threads = [...waiters(3, 3000, 1), ...waiters(1, 4200, 1)];
  const [d] = detectContextSwitchStorm(makeContext({ threads }));
  assert.match(d?.title ?? '', /13,200 voluntary switches\/s/);
  assert.match(d?.detail ?? '', /4,200\/s/);
  assert.equal(d?.threadKeys.length, 4);
  assert.equal(d?.evidence.switchesPerSec, 13200);
});
