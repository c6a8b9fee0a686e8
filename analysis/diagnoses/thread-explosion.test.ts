import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asyncioIdle, gilWaiterAfterSleep, idlePoolWorker, runningPythonLoop } from '../../test/support/corpus-stacks.js';
import { makeContext } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread, ThreadGroup } from '../model.js';
import { detectThreadExplosion } from './thread-explosion.js';

const many = (n: number, make: () => ClassifiedThread) => Array.from({ length: n }, make);
const recvWait = () => makeClassified('io_wait', { frames: [], blockingFrame: 'recv' });

const cases: Array<{ name: string; threads: ClassifiedThread[]; fires: boolean }> = [
  {
    name: '300 idle pool workers and a loop',
    threads: [
      makeClassified('io_wait', { idle: true, frames: asyncioIdle() }),
      ...many(300, () => makeClassified('lock_wait', { idle: true, frames: idlePoolWorker() })),
    ],
    fires: true,
  },
  {
    name: '150 threads, one per connection, all parked in recv',
    threads: [...many(150, recvWait), ...many(5, () => makeClassified('running', { frames: runningPythonLoop() }))],
    fires: true,
  },
  {
    name: '120 threads, 110 in the same GIL wait',
    threads: [
      ...many(110, () => makeClassified('gil_wait', { frames: gilWaiterAfterSleep(), blockingFrame: 'take_gil' })),
      ...many(10, () => makeClassified('running', { frames: runningPythonLoop() })),
    ],
    fires: true,
  },
  // Look-alikes.
  {
    name: '41 threads is not many',
    threads: many(41, () => makeClassified('lock_wait', { idle: true, frames: idlePoolWorker() })),
    fires: false,
  },
  {
    name: '200 threads all busy computing',
    threads: many(200, () => makeClassified('running', { frames: runningPythonLoop() })),
    fires: false,
  },
  {
    name: '200 threads spread over many different waits and work',
    threads: [
      ...many(60, () => makeClassified('running', { frames: runningPythonLoop() })),
      ...many(70, recvWait),
      ...many(70, () => makeClassified('sleep', { frames: [], blockingFrame: 'nanosleep' })),
    ],
    fires: false,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectThreadExplosion(makeContext({ threads: c.threads }));
    assert.equal(got.length, c.fires ? 1 : 0, got.map((d) => d.title).join(' | '));
    for (const d of got) assert.equal(d.severity, 'warning');
  });
}

test('grouping’s stack signatures decide "the same wait" when present', () => {
  const threads = many(120, recvWait);
  const half = (from: number, to: number): ThreadGroup => ({
    key: `g${from}`,
    state: 'io_wait',
    blockingFrame: 'recv',
    stackSignature: `v1:${from}`,
    idle: false,
    threads: threads.slice(from, to),
  });
  const groups = [half(0, 60), half(60, 120)];
  assert.equal(detectThreadExplosion(makeContext({ threads, groups })).length, 0, 'two stacks of 60 are not one wait of 80 %');
  assert.equal(detectThreadExplosion(makeContext({ threads })).length, 1);
});
