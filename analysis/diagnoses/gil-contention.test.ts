import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asyncioIdle, gilWaiterAfterSleep, gilWaiterInLoop, idlePoolWorker, runningPythonLoop } from '../../test/support/corpus-stacks.js';
import { makeContext } from '../../test/support/diagnosis-context.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread } from '../model.js';
import { detectGilContention, wasForcedOffGil } from './gil-contention.js';

const PID = 32100;

/** py-gil-gthread-40 at the gdb snapshot: main in select, 5 CPU-bound (1 running, 4 forced off the GIL), 29 chatty GIL waiters, 6 idle workers. */
function gthread40(): ClassifiedThread[] {
  const t: ClassifiedThread[] = [
    makeClassified('io_wait', { pid: PID, lwp: PID, idle: true, frames: asyncioIdle(), cpuPercent: 0, voluntarySwitchesPerSec: 7.92 }),
  ];
  for (let i = 0; i < 5; i++) {
    const lwp = 32102 + i;
    const cpu = [14.85, 19.8, 17.82, 17.82, 20.79][i] ?? 15;
    t.push(
      i === 3
        ? makeClassified('running', { pid: PID, lwp, frames: runningPythonLoop(), cpuPercent: cpu })
        : makeClassified('gil_wait', { pid: PID, lwp, frames: gilWaiterInLoop(), cpuPercent: cpu, voluntarySwitchesPerSec: 205 }),
    );
  }
  for (let i = 0; i < 29; i++)
    t.push(
      makeClassified('gil_wait', {
        pid: PID,
        lwp: 32107 + i,
        frames: gilWaiterAfterSleep(),
        cpuPercent: i % 3 === 0 ? 0.99 : 0,
        voluntarySwitchesPerSec: 240,
      }),
    );
  for (let i = 0; i < 6; i++)
    t.push(makeClassified('lock_wait', { pid: PID, lwp: 32136 + i, idle: true, frames: idlePoolWorker(), cpuPercent: 0 }));
  return t;
}

function pool(waiters: number, idle: number, running = 0): ClassifiedThread[] {
  return [
    ...Array.from({ length: waiters }, () => makeClassified('gil_wait', { frames: gilWaiterAfterSleep() })),
    ...Array.from({ length: idle }, () => makeClassified('lock_wait', { idle: true, frames: idlePoolWorker() })),
    ...Array.from({ length: running }, () => makeClassified('running', { frames: runningPythonLoop() })),
  ];
}

const cases: Array<{ name: string; threads: ClassifiedThread[]; want: 'critical' | 'warning' | null }> = [
  { name: 'gthread worker: 33 of 41 wait for the GIL → critical', threads: gthread40(), want: 'critical' },
  { name: '5 of 12 Python threads wait, one runs → warning', threads: pool(5, 6, 1), want: 'warning' },
  { name: '4 waiters of 10 with none running → warning', threads: pool(4, 6), want: 'warning' },
  { name: '3 GIL waiters among 40 idle threads: too few', threads: pool(3, 37), want: null },
  { name: '5 waiters of 40 threads: under 30 % of the Python threads', threads: pool(5, 35), want: null },
  { name: 'as many running as waiting is not "few run"', threads: pool(4, 0, 4), want: null },
  { name: 'an idle pool with no GIL waiters', threads: pool(0, 20), want: null },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectGilContention(makeContext({ threads: c.threads }));
    if (c.want === null) {
      assert.deepEqual(got, []);
      return;
    }
    assert.equal(got.length, 1);
    assert.equal(got[0]?.code, 'gil_contention');
    assert.equal(got[0]?.severity, c.want);
  });
}

test('the gthread diagnosis counts, names the five render_report hogs and cites pidstat', () => {
  const [d] = detectGilContention(makeContext({ threads: gthread40() }));
  assert.ok(d);
  assert.equal(d.title, 'GIL contention: 33 of 41 threads wait for the GIL');
  assert.equal(d.evidence.gilWaiters, 33);
  assert.equal(d.evidence.running, 1);
  assert.equal(d.evidence.threads, 41);
  assert.equal(d.evidence.likelyHolders, 5);
  assert.equal(d.evidence.waiterMedianSwitchesPerSec, 240);
  for (const lwp of [32102, 32103, 32104, 32105, 32106]) assert.ok(d.threadKeys.includes(`p${PID}:t${lwp}`), `hog ${lwp}`);
  assert.match(d.detail, /render_report/);
  assert.match(d.detail, /processes/);
  assert.equal(d.threadKeys.includes(`p${PID}:t${PID}`), false, 'the idle main thread is not evidence');
});

test('two processes are judged separately', () => {
  const a = pool(6, 2).map((t) => ({ ...t, pid: 1, key: `p1:${t.key}` }));
  const b = pool(1, 30).map((t) => ({ ...t, pid: 2, key: `p2:${t.key}` }));
  const got = detectGilContention(makeContext({ threads: [...a, ...b] }));
  assert.equal(got.length, 1);
  assert.ok(got[0]?.threadKeys.every((k) => k.startsWith('p1:')));
});

const handoffs: Array<{ name: string; frames: ReturnType<typeof gilWaiterInLoop>; want: boolean }> = [
  { name: 'take_gil ← eval_frame_handle_pending: forced off while running bytecode', frames: gilWaiterInLoop(), want: true },
  { name: 'take_gil ← PyEval_RestoreThread: back from a sleep', frames: gilWaiterAfterSleep(), want: false },
];
for (const c of handoffs) test(c.name, () => assert.equal(wasForcedOffGil({ frames: c.frames }), c.want));

test('nobody runs Python yet the waiters cannot take the GIL: the thread blocked in native code is named, not the waiters', () => {
  const waiters = Array.from({ length: 4 }, () => makeClassified('gil_wait', { pid: 7, frames: gilWaiterInLoop() }));
  const holder = makeClassified('sleep', {
    pid: 7,
    name: 'MainThread',
    frames: frames('__GI___clock_nanosleep', '__sleep', 'ffi_call', '_ctypes_callproc', '_PyEval_EvalFrameDefault', 'py:/srv/app.py:main'),
  });
  const [d] = detectGilContention(makeContext({ threads: [holder, ...waiters] }));
  assert.ok(d);
  assert.match(d.detail, /most likely held by 'MainThread'/);
  assert.equal(d.evidence.likelyHolders, 1);
  assert.ok(d.threadKeys.includes(holder.key));
});
