import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SnapshotNote } from '../../parsers/model.js';
import { emptyThread } from '../../parsers/model.js';
import {
  asyncioBlockedRecv,
  asyncioIdle,
  geventBlockedRead,
  geventHubIdle,
  idlePoolWorker,
  pyFrames,
  runningPythonLoop,
  timeSleep,
} from '../../test/support/corpus-stacks.js';
import { makeContext } from '../../test/support/diagnosis-context.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread } from '../model.js';
import { detectEventLoopBlocked } from './event-loop-blocked.js';

const HUB = '0x7fd0bc62f040';
const monitorNote: SnapshotNote = {
  kind: 'event_loop_blocked',
  message: 'Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked',
  pthreadId: HUB,
  line: 3,
};

/** An asyncio loop thread running a CPU-bound callback. */
function asyncioCpuCallback() {
  return [
    ...runningPythonLoop().slice(0, 6),
    ...pyFrames(
      ['/srv/app/report.py', 'render', 12, 'total += score(row)'],
      ['/usr/lib/python3.11/asyncio/events.py', '_run', 80, 'self._context.run(self._callback, *self._args)'],
      ['/usr/lib/python3.11/asyncio/base_events.py', '_run_once', 1922, 'handle._run()'],
      ['/usr/lib/python3.11/asyncio/base_events.py', 'run_forever', 607, 'self._run_once()'],
    ),
  ];
}

/** A coroutine on the loop thread calling time.sleep. */
function asyncioTimeSleep() {
  return [
    ...timeSleep('/srv/app/jobs.py', 'poll_jobs', 44, 'time.sleep(5)').slice(0, 5),
    ...pyFrames(
      ['/usr/lib/python3.11/asyncio/events.py', '_run', 80, null],
      ['/usr/lib/python3.11/asyncio/base_events.py', '_run_once', 1922, null],
      ['/usr/lib/python3.11/asyncio/base_events.py', 'run_forever', 607, null],
    ),
  ];
}

/** A callback that itself waits on a selector (not the loop's own). */
function callbackSelect() {
  return [
    ...asyncioIdle().slice(0, 4),
    ...pyFrames(
      ['/usr/lib/python3.11/selectors.py', 'select', 468, 'fd_event_list = self._selector.poll(timeout, max_ev)'],
      ['/srv/app/legacy.py', 'wait_ready', 9, 'sel.select(30)'],
      ['/usr/lib/python3.11/asyncio/events.py', '_run', 80, null],
      ['/usr/lib/python3.11/asyncio/base_events.py', '_run_once', 1922, null],
      ['/usr/lib/python3.11/asyncio/base_events.py', 'run_forever', 607, null],
    ),
  ];
}

function greenlet(name: string, ...specs: Array<[string, string, number, string]>) {
  return { source: 'traceback-dump.txt', greenlet: { ...emptyThread(1, 'greenlet'), name, frames: pyFrames(...specs) } };
}

const cases: Array<{ name: string; threads: ClassifiedThread[]; notes?: SnapshotNote[]; keys: string[] | null }> = [
  {
    name: 'gevent: os.read on the hub thread with greenlet frames below, plus the monitor report',
    threads: [
      makeClassified('io_wait', { pid: 828, lwp: 828, pthreadId: HUB, frames: geventBlockedRead() }),
      makeClassified('sleep', {
        pid: 828,
        lwp: 833,
        frames: timeSleep('/usr/lib/python3/dist-packages/gevent/_monitor.py', '__call__', 187, 'thread_sleep(sleep_time)'),
      }),
    ],
    notes: [monitorNote],
    keys: ['p828:t828'],
  },
  {
    name: 'gevent from Python-only dumps: the host thread of the hub greenlet sits in os.read',
    threads: [
      makeClassified('io_wait', {
        pid: 828,
        lwp: 828,
        frames: pyFrames(['/srv/demo/gevent_app.py', 'export_report', 74, 'return os.read(rfd, 4096)']),
        greenlets: [greenlet('Hub', ['/usr/lib/python3/dist-packages/gevent/hub.py', 'run', 647, 'loop.run()'])],
      }),
    ],
    keys: ['p828:t828'],
  },
  {
    name: 'asyncio: a blocking socket recv inside a coroutine',
    threads: [makeClassified('io_wait', { frames: asyncioBlockedRecv() })],
    keys: ['p1000:t*'],
  },
  { name: 'asyncio: time.sleep in a coroutine', threads: [makeClassified('sleep', { frames: asyncioTimeSleep() })], keys: ['p1000:t*'] },
  {
    name: 'asyncio: a callback that waits on its own selector',
    threads: [makeClassified('io_wait', { frames: callbackSelect() })],
    keys: ['p1000:t*'],
  },
  {
    name: 'asyncio: CPU-bound callback at 99 % CPU',
    threads: [makeClassified('running', { frames: asyncioCpuCallback(), cpuPercent: 99 })],
    keys: ['p1000:t*'],
  },
  {
    name: 'asyncio: CPU-bound callback, same stack in three captures',
    threads: [makeClassified('running', { frames: asyncioCpuCallback(), captures: ['a', 'a', 'a'] })],
    keys: ['p1000:t*'],
  },
  { name: 'only the monitor report, no stack of the hub thread', threads: [], notes: [monitorNote], keys: [] },
  // Look-alikes.
  { name: 'an idle asyncio loop in epoll_wait(-1)', threads: [makeClassified('io_wait', { frames: asyncioIdle() })], keys: null },
  {
    name: 'an idle asyncio loop, classifier marked idle',
    threads: [makeClassified('io_wait', { idle: true, frames: asyncioIdle() })],
    keys: null,
  },
  { name: 'an idle gevent hub in libev', threads: [makeClassified('io_wait', { frames: geventHubIdle() })], keys: null },
  {
    name: 'a loop thread caught running a callback at low CPU (normal work)',
    threads: [makeClassified('running', { frames: asyncioCpuCallback(), cpuPercent: 12 })],
    keys: null,
  },
  {
    name: 'a GIL wait on the loop thread is momentary',
    threads: [makeClassified('gil_wait', { frames: asyncioBlockedRecv() })],
    keys: null,
  },
  {
    name: 'executor threads blocking is what they are for',
    threads: [
      makeClassified('io_wait', { frames: asyncioIdle() }),
      makeClassified('lock_wait', { idle: true, frames: idlePoolWorker() }),
      makeClassified('sleep', { frames: timeSleep('/srv/app/blocking.py', 'slow', 3, 'time.sleep(2)') }),
    ],
    keys: null,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectEventLoopBlocked(makeContext({ threads: c.threads, notes: c.notes ?? [] }));
    if (c.keys === null) {
      assert.deepEqual(
        got.map((d) => d.title),
        [],
      );
      return;
    }
    assert.equal(got.length, 1, got.map((d) => d.title).join(' | '));
    assert.equal(got[0]?.code, 'event_loop_blocked');
    assert.equal(got[0]?.severity, 'critical');
    const want = c.keys.map((k) => (k === 'p1000:t*' ? (c.threads[0]?.key ?? '') : k));
    assert.deepEqual(got[0]?.threadKeys, want);
  });
}

test('the gevent diagnosis names the call, the greenlet function and the cooperative fix', () => {
  const t = makeClassified('io_wait', { pid: 828, lwp: 828, pthreadId: HUB, frames: geventBlockedRead(), blockingFrame: 'os.read' });
  const [d] = detectEventLoopBlocked(makeContext({ threads: [t], notes: [monitorNote] }));
  assert.equal(d?.title, 'Event loop blocked: gevent hub on LWP 828 is stuck in os.read in export_report (gevent_app.py:74)');
  assert.match(d?.detail ?? '', /`return os\.read\(rfd, 4096\)`/);
  assert.match(d?.detail ?? '', /appears to be blocked/);
  assert.match(d?.detail ?? '', /threadpool/);
  assert.equal(d?.evidence.monitorReports, 1);
});

test('faulthandler pthread ids with leading zeros match gdb’s', () => {
  const t = makeClassified('io_wait', { pid: 828, lwp: 828, pthreadId: HUB, frames: geventBlockedRead() });
  const got = detectEventLoopBlocked(makeContext({ threads: [t], notes: [{ ...monitorNote, pthreadId: '0x00007fd0bc62f040' }] }));
  assert.equal(got.length, 1);
  assert.equal(got[0]?.evidence.monitorReports, 1);
});

test('a loop thread caught in a CPU-bound callback on a busy host: low %CPU, but preempted all the time', () => {
  const loop = makeClassified('running', {
    pid: 4624,
    lwp: 4624,
    cpuPercent: 27,
    involuntarySwitchesPerSec: 145,
    frames: frames(
      'py:/srv/app.py:checksum',
      'py:/srv/app.py:export_report',
      'py:/usr/lib/python3.11/asyncio/events.py:_run',
      'py:/usr/lib/python3.11/asyncio/base_events.py:_run_once',
      'py:/usr/lib/python3.11/asyncio/base_events.py:run_forever',
    ),
  });
  const found = detectEventLoopBlocked(makeContext({ threads: [loop] }));
  assert.equal(found.length, 1);
  assert.equal(found[0]?.evidence.involuntarySwitchesPerSec, 145);
  const calm = { ...loop, involuntarySwitchesPerSec: 3 };
  assert.equal(detectEventLoopBlocked(makeContext({ threads: [calm] })).length, 0);
});
