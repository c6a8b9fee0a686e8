import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asyncioIdle, gilWaiterAfterSleep, mutexWait, pyFrames, zeroTimeoutPoll } from '../../test/support/corpus-stacks.js';
import { makeContext, straceTable, syscallRow } from '../../test/support/diagnosis-context.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread, SyscallSummary } from '../model.js';
import { detectBusySpin } from './busy-spin.js';

/** FRAMES.md §6.5 (3.13): a busy Python poller caught re-taking the GIL after select.poll().poll(0). */
function pythonPollerGil() {
  return [
    ...frames(
      'take_gil tstate=0x1',
      '_PyEval_AcquireLock tstate=0x1',
      '_PyThreadState_Attach tstate=0x1',
      'PyEval_RestoreThread tstate=0x1',
      'select_poll_poll_impl self=0x7f10, timeout_obj=0',
      'select_poll_poll self=0x7f10',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(['/srv/app/pump.py', 'pump', 40, 'events = poller.poll(0)']),
  ];
}

function epollReal() {
  return frames(
    'epoll_wait epfd=5, events=events@entry=0x7f4f11c10710, maxevents=maxevents@entry=1, timeout=timeout@entry=1000',
    'select_epoll_poll_impl',
    'select_epoll_poll',
  );
}

interface Case {
  name: string;
  threads: ClassifiedThread[];
  syscalls?: SyscallSummary[];
  want: 'critical' | 'warning' | null;
}

const cases: Case[] = [
  {
    name: 'poll with timeout=0 at 98 % CPU → critical',
    threads: [makeClassified('io_wait', { frames: zeroTimeoutPoll(), cpuPercent: 98 })],
    want: 'critical',
  },
  {
    name: 'poll with timeout=0 at 60 % CPU → warning',
    threads: [makeClassified('io_wait', { frames: zeroTimeoutPoll(), cpuPercent: 60 })],
    want: 'warning',
  },
  {
    name: 'a Python poller caught re-taking the GIL after poll(0), 95 % CPU',
    threads: [makeClassified('gil_wait', { frames: pythonPollerGil(), cpuPercent: 95 })],
    want: 'critical',
  },
  {
    name: 'epoll_wait with a real timeout but 70 % CPU and state R: an always-ready fd',
    threads: [makeClassified('io_wait', { frames: epollReal(), cpuPercent: 70, osState: 'R' })],
    want: 'warning',
  },
  {
    name: 'raw strace: 5,000 of 5,100 poll calls returned at once',
    threads: [makeClassified('io_wait', { frames: epollReal(), syscalls: [syscallRow('epoll_wait', 5100, 0.01, null, 5000)] })],
    want: 'warning',
  },
  {
    name: 'strace -c: poll called 250,000 times at ~1 µs',
    threads: [makeClassified('io_wait', { pid: 77, frames: epollReal() })],
    syscalls: [straceTable(77, [syscallRow('poll', 250_000, 0.3, 80), syscallRow('read', 1000, 0.05, 20)])],
    want: 'warning',
  },
  {
    name: 'strace -c without stacks still counts',
    threads: [],
    syscalls: [straceTable(88, [syscallRow('epoll_wait', 40_000, 0.02, 90)])],
    want: 'warning',
  },
  // Look-alikes.
  {
    name: 'poll(0) at 2 % CPU is a non-blocking check, not a spin',
    threads: [makeClassified('io_wait', { frames: zeroTimeoutPoll(), cpuPercent: 2 })],
    want: null,
  },
  {
    name: 'an idle asyncio loop (timeout -1, no CPU)',
    threads: [makeClassified('io_wait', { idle: true, frames: asyncioIdle(), cpuPercent: 0 })],
    want: null,
  },
  {
    name: 'procps leader row: main in epoll_wait shows the whole process’s 99.9 % while workers used it',
    threads: [
      makeClassified('io_wait', { pid: 32100, lwp: 32100, frames: epollReal(), cpuPercent: 99.9 }),
      ...[20, 20, 20, 13.3, 13.3, 6.7, 6.7, 6.7].map((cpu, i) =>
        makeClassified('gil_wait', { pid: 32100, lwp: 32102 + i, frames: gilWaiterAfterSleep(), cpuPercent: cpu }),
      ),
    ],
    want: null,
  },
  {
    name: 'high lifetime CPU on a thread now sleeping in the kernel (S) with a real timeout',
    threads: [makeClassified('io_wait', { frames: epollReal(), cpuPercent: 85, osState: 'S' })],
    want: null,
  },
  {
    name: 'a mutex wait cannot return at once',
    threads: [makeClassified('lock_wait', { frames: mutexWait('0x10', 'm', 'f'), cpuPercent: 90 })],
    want: null,
  },
  {
    name: 'a GIL waiter back from sleep is GIL contention, not a spin',
    threads: [makeClassified('gil_wait', { frames: gilWaiterAfterSleep(), cpuPercent: 60 })],
    want: null,
  },
  {
    name: 'strace -c of the GIL case: futex-heavy, epoll_wait twice',
    threads: [makeClassified('io_wait', { pid: 32100, frames: epollReal() })],
    syscalls: [
      straceTable(null, [
        syscallRow('futex', 47240, 28.27, 95.57),
        syscallRow('clock_nanosleep', 2315, 0.775, 2.62),
        syscallRow('epoll_wait', 2, 0.53, 1.81),
      ]),
    ],
    want: null,
  },
  {
    name: 'raw strace with too few immediate returns',
    threads: [makeClassified('io_wait', { frames: epollReal(), syscalls: [syscallRow('poll', 600, 0.01, null, 500)] })],
    want: null,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectBusySpin(makeContext({ threads: c.threads, syscalls: c.syscalls ?? [] }));
    if (c.want === null) {
      assert.deepEqual(
        got.map((d) => d.title),
        [],
      );
      return;
    }
    assert.equal(got.length, 1, got.map((d) => d.title).join(' | '));
    assert.equal(got[0]?.code, 'busy_spin');
    assert.equal(got[0]?.severity, c.want);
  });
}

test('the zero-timeout spin names the thread and the poll arguments', () => {
  const t = makeClassified('io_wait', { pid: 5, lwp: 6, name: 'io', frames: zeroTimeoutPoll(), cpuPercent: 99 });
  const [d] = detectBusySpin(makeContext({ threads: [t] }));
  assert.match(d?.title ?? '', /'io' \(LWP 6\)/);
  assert.match(d?.detail ?? '', /timeout=timeout@entry=0/);
  assert.deepEqual(d?.threadKeys, ['p5:t6']);
  assert.equal(d?.evidence.maxCpuPercent, 99);
});
