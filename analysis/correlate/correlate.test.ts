import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emptyProcess,
  emptySnapshot,
  emptyThread,
  type Format,
  nativeFrame,
  type ParsedInput,
  pythonFrame,
  type RawFrame,
  type RawThread,
  type Snapshot,
} from '../../parsers/model.js';
import { correlate } from './index.js';
import { mergeFrames } from './join-threads.js';

function thread(over: Partial<RawThread>): RawThread {
  return { ...emptyThread(1), ...over };
}

function input(name: string, format: Format, snapshots: Array<Partial<Snapshot>>): ParsedInput {
  return {
    name,
    format,
    bytes: 100,
    warnings: [],
    detection: { format, confidence: 1, evidence: [], forced: false },
    snapshots: snapshots.map((s, i) => ({ ...emptySnapshot(i, 1), ...s })),
  };
}

const py = (file: string, fn: string): RawFrame => pythonFrame(fn, `/usr/lib/python3.11/${file}`, 1);

test('gdb, faulthandler and ps sightings of one thread become one thread with every source', () => {
  const gdb = input('gdb.txt', 'gdb', [
    {
      threads: [
        thread({
          lwp: 11,
          pthreadId: '0x7f01',
          name: 'python3',
          frames: [nativeFrame('take_gil'), nativeFrame('_PyEval_EvalFrameDefault')],
        }),
      ],
    },
  ]);
  const fh = input('fh.txt', 'faulthandler', [{ threads: [thread({ pthreadId: '0x7f01', frames: [py('threading.py', 'wait')] })] }]);
  const ps = input('ps.txt', 'ps', [
    {
      threads: [thread({ pid: 10, lwp: 11, cpuPercent: 42, osState: 'Sl', wchan: 'futex_do_wait', name: 'python3' })],
      processes: [{ ...emptyProcess(10, 1), command: 'python3 app.py' }],
    },
  ]);
  const c = correlate([gdb, fh, ps]);
  assert.equal(c.threads.length, 1);
  const t = c.threads[0];
  assert.ok(t);
  assert.deepEqual([t.key, t.pid, t.lwp, t.pthreadId, t.cpuPercent, t.wchan], ['p10:t11', 10, 11, '0x7f01', 42, 'futex_do_wait']);
  assert.deepEqual(t.sources, ['gdb.txt', 'fh.txt', 'ps.txt']);
  assert.deepEqual(
    t.frames.map((f) => f.function),
    ['take_gil', 'wait', '_PyEval_EvalFrameDefault'],
  );
  assert.equal(c.processes[0]?.command, 'python3 app.py');
});

test('a forked child shares its parent main thread pthread id: Python frames decide where a faulthandler dump belongs', () => {
  const main = '0x7f89ee819040';
  const parentGdb = input('gdb-parent.txt', 'gdb', [
    {
      pid: 7,
      threads: [
        thread({
          pid: 7,
          lwp: 7,
          pthreadId: main,
          frames: [py('multiprocessing/popen_fork.py', 'poll'), py('multiprocessing/process.py', 'join')],
        }),
      ],
    },
  ]);
  const childGdb = input('gdb-child.txt', 'gdb', [
    {
      pid: 9,
      threads: [
        thread({
          pid: 9,
          lwp: 9,
          pthreadId: main,
          frames: [py('threading.py', '_wait_for_tstate_lock'), py('multiprocessing/queues.py', '_finalize_join')],
        }),
        thread({
          pid: 9,
          lwp: 10,
          pthreadId: '0x7f89ee07c6c0',
          frames: [py('multiprocessing/connection.py', '_send'), py('multiprocessing/queues.py', '_feed')],
        }),
      ],
    },
  ]);
  const fhParent = input('fh-parent.txt', 'faulthandler', [
    {
      threads: [
        thread({
          pthreadId: main,
          isCurrent: true,
          frames: [py('multiprocessing/popen_fork.py', 'poll'), py('multiprocessing/process.py', 'join')],
        }),
      ],
    },
  ]);
  const fhChild = input('fh-child.txt', 'faulthandler', [
    {
      threads: [
        thread({ pthreadId: '0x7f89ee07c6c0', frames: [py('multiprocessing/connection.py', '_send')] }),
        thread({ pthreadId: main, frames: [py('threading.py', '_wait_for_tstate_lock')] }),
      ],
    },
  ]);
  const c = correlate([parentGdb, childGdb, fhParent, fhChild]);
  assert.deepEqual(c.threads.map((t) => t.key).sort(), ['p7:t7', 'p9:t10', 'p9:t9']);
  assert.deepEqual(c.threads.find((t) => t.lwp === 7)?.sources, ['gdb-parent.txt', 'fh-parent.txt']);
  assert.deepEqual(c.threads.find((t) => t.lwp === 9)?.sources, ['gdb-child.txt', 'fh-child.txt']);
});

test('a pthread id matching two processes equally is kept apart with an ambiguous_join warning', () => {
  const main = '0x7f00';
  const a = input('a.txt', 'gdb', [{ pid: 1, threads: [thread({ pid: 1, lwp: 1, pthreadId: main })] }]);
  const b = input('b.txt', 'gdb', [{ pid: 2, threads: [thread({ pid: 2, lwp: 2, pthreadId: main })] }]);
  const fh = input('fh.txt', 'faulthandler', [{ threads: [thread({ pthreadId: main, frames: [py('x.py', 'f')] })] }]);
  const c = correlate([a, b, fh]);
  assert.equal(c.threads.length, 3);
  assert.equal(c.warnings.get(2)?.[0]?.code, 'ambiguous_join');
});

test('info threads (top frame) and a full bt of the same session: the full stack wins', () => {
  const info = input('info.txt', 'gdb', [{ threads: [thread({ lwp: 5, hasCompleteStack: false, frames: [nativeFrame('epoll_wait')] })] }]);
  const bt = input('bt.txt', 'gdb', [
    { threads: [thread({ lwp: 5, frames: [nativeFrame('epoll_wait'), nativeFrame('select_epoll_poll_impl'), nativeFrame('main')] })] },
  ]);
  const c = correlate([info, bt]);
  assert.equal(c.threads[0]?.frames.length, 3);
  assert.equal(c.threads[0]?.hasNativeStack, true);
  assert.equal(c.threads[0]?.topFrameOnly, false);
});

test('only info threads: the thread is marked top-frame-only', () => {
  const c = correlate([
    input('info.txt', 'gdb', [{ threads: [thread({ lwp: 5, hasCompleteStack: false, frames: [nativeFrame('epoll_wait')] })] }]),
  ]);
  assert.equal(c.threads[0]?.topFrameOnly, true);
});

test('gdb threads without a pid get it from ps through their LWPs', () => {
  const gdb = input('gdb.txt', 'gdb', [{ threads: [thread({ lwp: 402 }), thread({ lwp: 404 })] }]);
  const ps = input('ps.txt', 'ps', [{ threads: [thread({ pid: 402, lwp: 402 }), thread({ pid: 402, lwp: 404 })] }]);
  const c = correlate([gdb, ps]);
  assert.deepEqual(
    c.threads.map((t) => t.key),
    ['p402:t402', 'p402:t404'],
  );
  assert.equal(c.processes[0]?.threadCount, 2);
});

test('repeated captures of one thread: the history is kept for stuck/changed', () => {
  const gdb = input('gdb.txt', 'gdb', [
    { threads: [thread({ lwp: 5, frames: [nativeFrame('futex_wait'), nativeFrame('f')] })] },
    { threads: [thread({ lwp: 5, frames: [nativeFrame('futex_wait'), nativeFrame('f')] })] },
  ]);
  const c = correlate([gdb]);
  assert.equal(c.threads.length, 1);
  assert.equal(c.threads[0]?.captures.length, 2);
  assert.equal(c.threads[0]?.captures[0], c.threads[0]?.captures[1]);
});

test('a crash names its thread by LWP', () => {
  const gdb = input('core.txt', 'gdb', [
    {
      crash: {
        signal: 'SIGSEGV',
        signalNumber: 11,
        description: 'Segmentation fault',
        lwp: 2,
        pthreadId: null,
        command: '/bin/x',
        line: 1,
      },
      threads: [thread({ lwp: 1 }), thread({ lwp: 2 })],
    },
  ]);
  const c = correlate([gdb]);
  assert.deepEqual(
    c.threads.map((t) => t.isCrashing),
    [false, true],
  );
  assert.equal(c.crashes.length, 1);
});

test('greenlets ride on the main thread of their dump, not as threads', () => {
  const dump = input('tb.txt', 'traceback_dump', [
    {
      threads: [
        thread({ pthreadId: '0x7f01', name: 'MainThread', frames: [py('app.py', 'main')] }),
        thread({ kind: 'greenlet', pthreadId: '0x7fb1', name: 'Hub', frames: [py('gevent/hub.py', 'run')] }),
      ],
    },
  ]);
  const c = correlate([dump]);
  assert.equal(c.threads.length, 1);
  assert.equal(c.threads[0]?.greenlets[0]?.greenlet.name, 'Hub');
  assert.equal(c.threads[0]?.greenlets[0]?.source, 'tb.txt');
});

test('ps forests give the process tree', () => {
  const ps = input('ps.txt', 'ps', [
    { processes: [{ ...emptyProcess(1, 1) }, { ...emptyProcess(7, 2), ppid: 1 }, { ...emptyProcess(9, 3), ppid: 7 }] },
  ]);
  const c = correlate([ps]);
  assert.deepEqual(
    c.processes.map((p) => [p.pid, p.children]),
    [
      [1, [7]],
      [7, [9]],
      [9, []],
    ],
  );
});

test('mergeFrames puts Python frames where the bytecode loop runs them', () => {
  const native = [
    nativeFrame('sem_wait'),
    nativeFrame('PyThread_acquire_lock_timed'),
    nativeFrame('_PyEval_EvalFrameDefault'),
    nativeFrame('start_thread'),
  ];
  const merged = mergeFrames(native, [py('threading.py', 'wait'), py('queue.py', 'get')]);
  assert.deepEqual(
    merged.map((f) => f.function),
    ['sem_wait', 'PyThread_acquire_lock_timed', 'wait', 'get', '_PyEval_EvalFrameDefault', 'start_thread'],
  );
  assert.deepEqual(
    mergeFrames([], [py('a.py', 'f')]).map((f) => f.function),
    ['f'],
  );
  assert.deepEqual(
    mergeFrames([nativeFrame('main')], [py('a.py', 'f')]).map((f) => f.function),
    ['main', 'f'],
  );
});

test('forked workers idle in the same place: the file names pair each dump with its process', () => {
  const main = '0x7fbf2e8f02c0';
  const idle = [
    py('multiprocessing/synchronize.py', '__enter__'),
    py('multiprocessing/queues.py', 'get'),
    py('multiprocessing/pool.py', 'worker'),
  ];
  const worker = (n: number) =>
    input(`gdb-bt-worker${n}.txt`, 'gdb', [
      { pid: 3023 + n, threads: [thread({ pid: 3023 + n, lwp: 3023 + n, pthreadId: main, frames: idle })] },
    ]);
  const dump = (n: number) =>
    input(`faulthandler-worker${n}.txt`, 'faulthandler', [{ threads: [thread({ pthreadId: main, isCurrent: true, frames: idle })] }]);
  const c = correlate([worker(1), worker(2), worker(3), dump(3), dump(1), dump(2)]);
  assert.equal(c.threads.length, 3);
  for (const n of [1, 2, 3])
    assert.deepEqual(c.threads.find((t) => t.lwp === 3023 + n)?.sources, [`gdb-bt-worker${n}.txt`, `faulthandler-worker${n}.txt`]);
  assert.equal(c.warnings.size, 0);
});

test('top iterations give each thread its CPU per interval, oldest first', () => {
  const top = input('top.txt', 'top', [
    { threads: [thread({ lwp: 5, cpuPercent: 20 }), thread({ lwp: 6, cpuPercent: 0 })] },
    { threads: [thread({ lwp: 5, cpuPercent: 99.9 }), thread({ lwp: 6, cpuPercent: 0.3 })] },
  ]);
  const c = correlate([top]);
  assert.deepEqual(
    c.threads.map((t) => t.cpuSamples),
    [
      [20, 99.9],
      [0, 0.3],
    ],
  );
  assert.equal(c.threads[0]?.cpuPercent, 99.9);
});
