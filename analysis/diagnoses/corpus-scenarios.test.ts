/**
 * Each case of the shared corpus (../shared/corpus) rebuilt by hand: thread states as its expect.json/manifest
 * give them, frames spelled as its dumps print them, and the facts its other inputs add (ps
 * CPU, pidstat, strace -c, crash headers, gevent's monitor). The expected code must fire and
 * the forbidden ones must not. The end-to-end corpus test (parse → correlate → classify →
 * diagnose) is the lead's; this pins the rules to the situations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CrashInfo, SnapshotNote } from '../../parsers/model.js';
import { emptyThread } from '../../parsers/model.js';
import type { DiagnosisCode } from '../../report/schema.js';
import {
  conditionWait,
  condvarWaitC,
  feederBlockedWrite,
  finalizeJoin,
  geventBlockedRead,
  gilWaiterAfterSleep,
  gilWaiterInLoop,
  glibPollIdle,
  idlePoolWorker,
  joinWait,
  mutexWait,
  nanosleepWait,
  parentProcessJoin,
  ppcGlogTrap,
  pyFrames,
  pythonAbort,
  runningPythonLoop,
  timeSleep,
  xorgAbortInHandler,
} from '../../test/support/corpus-stacks.js';
import { makeContext, makeProcess, straceTable, syscallRow } from '../../test/support/diagnosis-context.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { diagnose } from './index.js';

function crash(over: Partial<CrashInfo>): CrashInfo {
  return { signal: null, signalNumber: null, description: '', lwp: null, pthreadId: null, command: null, line: 1, ...over };
}

const trampoline = {
  function: '<signal handler called>',
  file: null,
  line: null,
  library: null,
  language: 'native' as const,
  args: null,
  address: null,
  isSignalTrampoline: true,
};

function cMutexDeadlock(): DiagnosisContext {
  const pid = 402;
  return makeContext({
    threads: [
      makeClassified('lock_wait', {
        pid,
        lwp: 402,
        name: 'deadlock',
        pthreadId: '0x7faece3d4740',
        frames: joinWait(405),
        cpuPercent: 0,
        osState: 'Sl',
        wchan: 'futex_do_wait',
      }),
      makeClassified('sleep', {
        pid,
        lwp: 404,
        name: 'stats',
        pthreadId: '0x7faece3d36c0',
        frames: nanosleepWait(),
        cpuPercent: 0,
        osState: 'Sl',
      }),
      makeClassified('lock_wait', {
        pid,
        lwp: 405,
        name: 'transfer',
        pthreadId: '0x7faecdbd26c0',
        frames: mutexWait('0x5558c0ece140', 'ledger_mutex', 'apply_transfer'),
        cpuPercent: 0,
      }),
      makeClassified('lock_wait', {
        pid,
        lwp: 406,
        name: 'audit',
        pthreadId: '0x7faec7fff6c0',
        frames: mutexWait('0x5558c0ece100', 'accounts_mutex', 'reconcile'),
        cpuPercent: 0,
      }),
    ],
    processes: [makeProcess(pid, { command: 'deadlock', threadCount: 4, cpuPercent: 0, state: 'Sl' })],
  });
}

function pyGilGthread40(): DiagnosisContext {
  const pid = 32100;
  const threads: ClassifiedThread[] = [
    // Main in selector.select(1.0); pidstat gives it 0.00 (top -H's leader row shows 99.9, the process total).
    makeClassified('io_wait', {
      pid,
      lwp: pid,
      idle: true,
      cpuPercent: 0,
      voluntarySwitchesPerSec: 7.92,
      frames: [
        ...frames(
          'epoll_wait epfd=5, events=events@entry=0x7f4f11c10710, maxevents=maxevents@entry=1, timeout=timeout@entry=1000',
          'select_epoll_poll_impl',
          'select_epoll_poll',
          '_PyEval_EvalFrameDefault',
        ),
        ...pyFrames(
          ['/usr/lib/python3.11/selectors.py', 'select', 468, null],
          ['/srv/demo/gthread_app.py', 'main', 70, 'events = sel.select(1.0)'],
        ),
      ],
    }),
  ];
  const cpuBound = [14.85, 19.8, 17.82, 17.82, 20.79];
  cpuBound.forEach((cpu, i) => {
    const lwp = 32102 + i;
    threads.push(
      lwp === 32105
        ? makeClassified('running', { pid, lwp, cpuPercent: cpu, voluntarySwitchesPerSec: 205.94, frames: runningPythonLoop() })
        : makeClassified('gil_wait', { pid, lwp, cpuPercent: cpu, voluntarySwitchesPerSec: 200 + i, frames: gilWaiterInLoop() }),
    );
  });
  for (let lwp = 32107; lwp <= 32135; lwp++)
    threads.push(
      makeClassified('gil_wait', {
        pid,
        lwp,
        cpuPercent: lwp % 4 === 0 ? 0.99 : 0,
        voluntarySwitchesPerSec: 240,
        frames: gilWaiterAfterSleep(),
      }),
    );
  for (let lwp = 32136; lwp <= 32141; lwp++)
    threads.push(
      makeClassified('lock_wait', { pid, lwp, idle: true, cpuPercent: 0, voluntarySwitchesPerSec: 0, frames: idlePoolWorker() }),
    );
  return makeContext({
    threads,
    processes: [makeProcess(pid, { ppid: 32097, command: 'python3', threadCount: 41, cpuPercent: 104.95, voluntarySwitchesPerSec: 7.92 })],
    syscalls: [
      straceTable(null, [
        syscallRow('futex', 47240, 28.278898, 95.57),
        syscallRow('clock_nanosleep', 2315, 0.775396, 2.62),
        syscallRow('epoll_wait', 2, 0.534631, 1.81),
        syscallRow('restart_syscall', 33, 0.000273, 0),
      ]),
    ],
  });
}

function pyMpQueueJoinHang(): DiagnosisContext {
  return makeContext({
    threads: [
      makeClassified('child_wait', {
        pid: 7,
        lwp: 7,
        pthreadId: '0x7f89ee819040',
        frames: parentProcessJoin(9),
        cpuPercent: 1.4,
        wchan: 'do_wait',
      }),
      makeClassified('lock_wait', {
        pid: 9,
        lwp: 9,
        pthreadId: '0x7f89ee819040',
        frames: finalizeJoin(),
        cpuPercent: 0,
        wchan: 'futex_do_wait',
      }),
      makeClassified('io_wait', {
        pid: 9,
        lwp: 10,
        pthreadId: '0x7f89ee07c6c0',
        frames: feederBlockedWrite(),
        cpuPercent: 0,
        wchan: 'anon_pipe_write',
      }),
    ],
    processes: [
      makeProcess(1, { command: 'bash run_mp.sh py-mp-queue-join-hang mp_queue_hang.py', threadCount: 1 }),
      makeProcess(4, { ppid: 1, command: 'timeout 60 /usr/bin/python3 /srv/demo/mp_queue_hang.py', threadCount: 1 }),
      makeProcess(7, { ppid: 4, command: '/usr/bin/python3 /srv/demo/mp_queue_hang.py', threadCount: 1, children: [9] }),
      makeProcess(9, { ppid: 7, command: '/usr/bin/python3 /srv/demo/mp_queue_hang.py', threadCount: 2 }),
    ],
  });
}

function pyGeventBlockedHub(): DiagnosisContext {
  const hub = '0x7fd0bc62f040';
  const greenlets = [
    ['Hub', '/usr/lib/python3/dist-packages/gevent/hub.py', 'run', 647, 'loop.run()'],
    ['Greenlet-0', '/usr/lib/python3/dist-packages/gevent/_socketcommon.py', 'recv', 663, 'self._wait(self._read_event)'],
    ['Greenlet-3', '/usr/lib/python3/dist-packages/gevent/hub.py', 'sleep', 166, 'hub.wait(t)'],
    ['Greenlet-5', '/srv/demo/gevent_app.py', 'wait_reload', 99, 'evt.wait()'],
    ['Greenlet-7', '/srv/demo/gevent_app.py', 'consume', 105, 'q.get()'],
  ] as const;
  const note: SnapshotNote = {
    kind: 'event_loop_blocked',
    message: 'Greenlet <Greenlet "Greenlet-9" at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked',
    pthreadId: hub,
    line: 44,
  };
  return makeContext({
    threads: [
      makeClassified('io_wait', {
        pid: 828,
        lwp: 828,
        pthreadId: hub,
        name: 'python3',
        frames: geventBlockedRead(),
        cpuPercent: 5.5,
        greenlets: greenlets.map(([name, file, fn, line, src]) => ({
          source: 'traceback-dump.txt',
          greenlet: { ...emptyThread(1, 'greenlet'), name, frames: pyFrames([file, fn, line, src]) },
        })),
      }),
      makeClassified('sleep', {
        pid: 828,
        lwp: 832,
        name: 'stack-dumper',
        frames: timeSleep('/srv/demo/gevent_app.py', 'stack_dumper', 59, 'real_sleep(0.5)'),
        cpuPercent: 0.2,
      }),
      makeClassified('sleep', {
        pid: 828,
        lwp: 833,
        name: 'python3',
        frames: timeSleep('/usr/lib/python3/dist-packages/gevent/_monitor.py', '__call__', 187, 'thread_sleep(sleep_time)'),
        cpuPercent: 0,
      }),
    ],
    processes: [makeProcess(828, { command: 'python3', threadCount: 3, cpuPercent: 5.5 })],
    notes: [note],
  });
}

function pyCrashAbort(): DiagnosisContext {
  const pid = 1092;
  return makeContext({
    threads: [
      makeClassified('running', { pid, lwp: 1092, pthreadId: '0x7fbf3c57f040', frames: pythonAbort(), isCrashing: true, isCurrent: true }),
      makeClassified('lock_wait', { pid, lwp: 1093, pthreadId: '0x7fbf3c17c6c0', frames: conditionWait('0x7fbf34000ba0') }),
      makeClassified('lock_wait', { pid, lwp: 1094, pthreadId: '0x7fbf3b97b6c0', frames: conditionWait('0x7fbf2c000ba0') }),
      makeClassified('lock_wait', { pid, lwp: 1095, pthreadId: '0x7fbf3b17a6c0', frames: conditionWait('0x7fbf30000ba0') }),
      makeClassified('io_wait', {
        pid,
        lwp: 1096,
        pthreadId: '0x7fbf3a9756c0',
        frames: [
          ...frames(
            '__GI___select nfds=nfds@entry=4, readfds=readfds@entry=0x7fbf3a968870, writefds=writefds@entry=0x0, exceptfds=exceptfds@entry=0x0, timeout=timeout@entry=0x7fbf3a968860',
            'select_select_impl',
            '_PyEval_EvalFrameDefault',
          ),
          ...pyFrames(['/srv/demo/crash_abort.py', 'poller', 22, 'select.select([rfd], [], [], 60)']),
        ],
      }),
    ],
    crashes: [
      crash({
        signal: 'SIGABRT',
        signalNumber: 6,
        description: 'Aborted',
        lwp: 1092,
        command: '/usr/bin/python3 -X faulthandler /srv/demo/crash_abort.py',
      }),
      crash({ description: 'Fatal Python error: Aborted', pthreadId: '0x7fbf3c57f040' }),
    ],
  });
}

/** A satyr core: the crashing main thread plus idle poll/condvar threads, pid unknown (gdb core, no inferior line). */
function satyrCore(
  crashing: ClassifiedThread['frames'],
  info: Partial<CrashInfo>,
  lwp: number,
  idleWaits: number,
  pollers: number,
): DiagnosisContext {
  const threads = [makeClassified('running', { pid: null, lwp, key: `t${lwp}`, frames: crashing, isCurrent: true })];
  for (let i = 0; i < idleWaits; i++)
    threads.push(
      makeClassified('lock_wait', {
        pid: null,
        lwp: lwp + 100 + i,
        key: `t${lwp + 100 + i}`,
        frames: condvarWaitC('nsThread::ThreadFunc'),
      }),
    );
  for (let i = 0; i < pollers; i++)
    threads.push(makeClassified('io_wait', { pid: null, lwp: lwp + 200 + i, key: `t${lwp + 200 + i}`, frames: glibPollIdle() }));
  return makeContext({ threads, crashes: [crash({ lwp, ...info })] });
}

interface Scenario {
  name: string;
  ctx: () => DiagnosisContext;
  expect: DiagnosisCode[];
  forbid: DiagnosisCode[];
  /** Text the expected diagnosis's title must carry. */
  title: RegExp;
}

const scenarios: Scenario[] = [
  {
    name: 'c-mutex-deadlock',
    ctx: cMutexDeadlock,
    expect: ['deadlock'],
    forbid: ['all_threads_blocked', 'crash', 'gil_contention'],
    title: /'transfer' \(LWP 405\) and 'audit' \(LWP 406\)/,
  },
  {
    name: 'py-gil-gthread-40',
    ctx: pyGilGthread40,
    expect: ['gil_contention'],
    forbid: ['deadlock', 'busy_spin', 'high_cpu_thread', 'event_loop_blocked', 'all_threads_blocked'],
    title: /33 of 41 threads/,
  },
  {
    name: 'py-mp-queue-join-hang',
    ctx: pyMpQueueJoinHang,
    expect: ['queue_feeder_join'],
    forbid: ['deadlock', 'all_threads_blocked', 'crash'],
    title: /process 9's feeder .* parent 7/,
  },
  {
    name: 'py-gevent-blocked-hub',
    ctx: pyGeventBlockedHub,
    expect: ['event_loop_blocked'],
    forbid: ['deadlock', 'all_threads_blocked', 'busy_spin'],
    title: /gevent hub on 'python3' \(LWP 828\) is stuck in .*export_report/,
  },
  {
    name: 'py-crash-abort',
    ctx: pyCrashAbort,
    expect: ['crash'],
    forbid: ['deadlock', 'all_threads_blocked'],
    title: /SIGABRT in LWP 1092 at check_invariants/,
  },
  {
    name: 'public-satyr-rhbz-955617 (Xorg, i386)',
    ctx: () => satyrCore(xorgAbortInHandler(), { signalNumber: 6, description: 'Aborted' }, 1073, 0, 0),
    expect: ['crash'],
    forbid: ['deadlock'],
    title: /xf86CursorSetCursor/,
  },
  {
    name: 'public-satyr-rhbz-621492 (thunderbird, handler re-raised SIGSEGV)',
    ctx: () =>
      satyrCore(
        [
          ...frames('raise sig=<value optimized out>', 'nsProfileLock::FatalSignalHandler signo=11'),
          trampoline,
          ...frames('nsTreeBodyFrame::PrefillPropertyArray', 'nsTreeBodyFrame::PaintColumn this=0x7f909108c8a8'),
        ],
        { signalNumber: 11, description: 'Segmentation fault' },
        19947,
        8,
        2,
      ),
    expect: ['crash'],
    forbid: ['deadlock', 'all_threads_blocked'],
    title: /SIGSEGV in LWP 19947 at nsTreeBodyFrame::PrefillPropertyArray/,
  },
  {
    name: 'public-satyr-rhbz-1119072 (caja, ppc64 SIGTRAP)',
    ctx: () => satyrCore(ppcGlogTrap(), { signal: 'SIGTRAP', signalNumber: 5, description: 'Trace/breakpoint trap' }, 2271, 1, 3),
    expect: ['crash'],
    forbid: ['deadlock'],
    title: /SIGTRAP in LWP 2271 at _XError/,
  },
  {
    name: 'public-satyr-rhbz-1032472 (epiphany)',
    ctx: () =>
      satyrCore(
        frames('g_str_hash v=v@entry=0x0', 'ephy_location_entry_set_location entry=entry@entry=0x22ae6d0', 'match_selected_cb'),
        { signal: 'SIGSEGV', signalNumber: 11, description: 'Segmentation fault' },
        5445,
        4,
        15,
      ),
    expect: ['crash'],
    forbid: ['deadlock'],
    title: /SIGSEGV in LWP 5445 at g_str_hash/,
  },
  {
    name: 'public-satyr-rhbz-1239318 (epiphany-search-provider)',
    ctx: () =>
      satyrCore(
        frames('_dbus_list_foreach', 'dbus_message_unref', 'dbus_connection_dispatch', 'avahi_address_resolver_new', 'g_poll'),
        { signal: 'SIGSEGV', signalNumber: 11, description: 'Segmentation fault' },
        2845,
        1,
        4,
      ),
    expect: ['crash'],
    forbid: ['deadlock', 'busy_spin'],
    title: /at _dbus_list_foreach/,
  },
  {
    name: 'public-satyr-rhbz-803600 (virt-manager, Python 2 + GTK)',
    ctx: () =>
      satyrCore(
        frames(
          'validate_row tree_view=0x1bac640',
          'validate_visible_area tree_view=0x1bac640',
          'gtk_tree_view_bin_expose',
          'PyEval_EvalFrameEx',
        ),
        { signalNumber: 11, description: 'Segmentation fault' },
        3575,
        0,
        1,
      ),
    expect: ['crash'],
    forbid: ['deadlock'],
    title: /SIGSEGV in LWP 3575 at validate_row/,
  },
  {
    name: 'public-satyr-no-crash-frame-found (gnome-shell)',
    ctx: () =>
      satyrCore(
        frames('process_event binding=0x54eeb00', 'meta_keybindings_process_event event=0x7063a70', 'event_callback'),
        { signal: 'SIGSEGV', signalNumber: 11, description: 'Segmentation fault' },
        11113,
        3,
        4,
      ),
    expect: ['crash'],
    forbid: ['deadlock'],
    title: /at process_event/,
  },
];

for (const s of scenarios) {
  test(`corpus ${s.name}: ${s.expect.join(', ')} fires; ${s.forbid.join(', ')} do not`, () => {
    const got = diagnose(s.ctx());
    const codes = got.map((d) => d.code);
    for (const code of s.expect)
      assert.ok(codes.includes(code), `${code} missing; got ${got.map((d) => `${d.code}: ${d.title}`).join(' | ')}`);
    for (const code of s.forbid) assert.ok(!codes.includes(code), `${code} must not fire: ${got.find((d) => d.code === code)?.title}`);
    // No critical finding beyond the problem the case is about.
    const extraCritical = got.filter((d) => d.severity === 'critical' && !s.expect.includes(d.code));
    assert.deepEqual(
      extraCritical.map((d) => d.title),
      [],
    );
    const main = got.find((d) => d.code === s.expect[0]);
    assert.match(main?.title ?? '', s.title);
    assert.equal(got.filter((d) => d.code === s.expect[0]).length, 1, 'one diagnosis per problem');
  });
}
