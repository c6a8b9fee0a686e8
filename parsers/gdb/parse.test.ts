import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, type Limits } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import type { ParseWarning, RawThread, Snapshot } from '../model.js';
import { gdbFormat } from './index.js';

function parse(
  lines: string[],
  limits: Limits = DEFAULT_LIMITS,
  start = 0,
  end = lines.length,
): { snapshots: Snapshot[]; warnings: ParseWarning[] } {
  const warnings: ParseWarning[] = [];
  const snapshots = gdbFormat.parse(lines, start, end, collectingContext(limits, warnings));
  return { snapshots, warnings };
}

function only(snapshots: Snapshot[]): Snapshot {
  assert.equal(snapshots.length, 1, `expected one snapshot, got ${snapshots.length}`);
  return snapshots[0] as Snapshot;
}

function byLwp(snap: Snapshot, lwp: number): RawThread {
  const t = snap.threads.find((x) => x.lwp === lwp);
  assert.ok(t, `thread with LWP ${lwp}`);
  return t;
}

function fns(t: RawThread): Array<string | null> {
  return t.frames.map((f) => f.function);
}

const ATTACH = [
  '[New LWP 404]',
  '[New LWP 405]',
  '[Thread debugging using libthread_db enabled]',
  'Using host libthread_db library "/lib/x86_64-linux-gnu/libthread_db.so.1".',
];
const STOP =
  '__futex_abstimed_wait_common64 (private=128, cancel=true, abstime=0x0, op=265, expected=405, futex_word=0x7faecdbd2990) at ./nptl/futex-internal.c:57';
const ECHO = '57\t./nptl/futex-internal.c: No such file or directory.';

const THREAD_2 = [
  'Thread 2 (Thread 0x7faece3d36c0 (LWP 404) "stats"):',
  '#0  0x00007faece4a6545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0, flags=flags@entry=0, req=0x7faece3d2ec0, rem=0x0) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48',
  '#1  0x00007faece4aae53 in __GI___nanosleep (req=<optimized out>, rem=<optimized out>) at ../sysdeps/unix/sysv/linux/nanosleep.c:25',
  '#2  0x00005558c0ecb63f in stats_worker (arg=0x0) at deadlock.c:53',
  '#3  0x00007faece4601f5 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442',
  '#4  0x00007faece4e08ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81',
];
const THREAD_1 = [
  'Thread 1 (Thread 0x7faece3d4740 (LWP 402) "deadlock"):',
  `#0  ${STOP}`,
  '#1  0x00007faece461ce3 in __pthread_clockjoin_ex (threadid=140388752762560, thread_return=0x0, clockid=0, abstime=0x0, block=<optimized out>) at ./nptl/pthread_join_common.c:102',
  '#2  0x00005558c0ecb70b in main () at deadlock.c:68',
];

test('empty input gives no snapshot', () => {
  const { snapshots, warnings } = parse([]);
  assert.deepEqual(snapshots, []);
  assert.deepEqual(warnings, []);
});

test('junk only gives no snapshot and no warning', () => {
  const { snapshots, warnings } = parse([
    'hello',
    '',
    'Thread of discussion:',
    '# not a frame',
    '  File "x.py", line 2, in f',
    '{ "json": true }',
  ]);
  assert.deepEqual(snapshots, []);
  assert.deepEqual(warnings, []);
});

test('thread apply all bt with gdb 13 thread names', () => {
  const { snapshots, warnings } = parse([...ATTACH, STOP, ECHO, '', ...THREAD_2, '', ...THREAD_1]);
  const snap = only(snapshots);
  assert.deepEqual(warnings, []);
  assert.equal(snap.threads.length, 2);
  const t2 = byLwp(snap, 404);
  assert.deepEqual(
    {
      number: t2.debuggerThreadNumber,
      pthreadId: t2.pthreadId,
      name: t2.name,
      frames: t2.frames.length,
      line: t2.line,
      complete: t2.hasCompleteStack,
    },
    { number: 2, pthreadId: '0x7faece3d36c0', name: 'stats', frames: 5, line: 8, complete: true },
  );
  assert.deepEqual(t2.frames[2], {
    function: 'stats_worker',
    file: 'deadlock.c',
    line: 53,
    library: null,
    language: 'native',
    args: 'arg=0x0',
    address: '0x00005558c0ecb63f',
  });
  assert.equal(snap.crash, null);
  assert.equal(snap.pid, null);
});

test('a headerless bt and bt full with locals, struct values and "No locals."', () => {
  const { snapshots, warnings } = parse([
    '#0  futex_wait (private=0, expected=2, futex_word=0x5558c0ece100 <accounts_mutex>) at ../sysdeps/nptl/futex-internal.h:146',
    '        __ret = -512',
    '        err = <optimized out>',
    '#1  __GI___lll_lock_wait (futex=futex@entry=0x5558c0ece100 <accounts_mutex>, private=0) at ./nptl/lowlevellock.c:49',
    'No locals.',
    '#2  0x00007faece4601f5 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442',
    '        unwind_buf = {cancel_jmp_buf = {{jmp_buf = {140388656477888, 5986880674464383075,',
    '                -6032532396680036253}, mask_was_saved = 0}}, priv = {pad = {0x0, 0x0}}}',
    '        dirProvider =',
    '    {<nsIDirectoryServiceProvider2> = {<nsISupports> = {',
    '              _vptr.nsISupports = 0x313a02f508}, <No data fields>}}',
    '        viewRect = warning: bits 64-128 in computed object were optimized out; replacing with zeroes',
    '{x = 0, y = 0, width = 0, height = 0}',
    '#3  0x00007faece4e08ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81',
    'No symbol table info available.',
  ]);
  const snap = only(snapshots);
  assert.deepEqual(warnings, []);
  assert.equal(snap.threads.length, 1);
  const t = snap.threads[0] as RawThread;
  assert.deepEqual(fns(t), ['futex_wait', '__GI___lll_lock_wait', 'start_thread', 'clone3']);
  assert.equal(t.lwp, null);
  assert.equal(t.hasCompleteStack, true);
});

test('core session: signal, command, and the current thread as the crashing one', () => {
  const { snapshots } = parse([
    '[New LWP 1092]',
    '[New LWP 1093]',
    "Core was generated by `/usr/bin/python3 -X faulthandler /srv/demo/crash_abort.py'.",
    'Program terminated with signal SIGABRT, Aborted.',
    '',
    "warning: Section `.reg-xstate/1092' in core file too small.",
    '#0  __pthread_kill_implementation (threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0) at ./nptl/pthread_kill.c:44',
    '44\t./nptl/pthread_kill.c: No such file or directory.',
    '[Current thread is 1 (Thread 0x7fbf3c57f040 (LWP 1092))]',
    '',
    'Thread 2 (Thread 0x7fbf3c17c6c0 (LWP 1093)):',
    '#0  0x00007fbf3c67e9ec in __GI___select (nfds=4) at ../sysdeps/unix/sysv/linux/select.c:69',
    '',
    'Thread 1 (Thread 0x7fbf3c57f040 (LWP 1092)):',
    '#0  __pthread_kill_implementation (threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0) at ./nptl/pthread_kill.c:44',
    '#1  0x00007fbf3c5bbfb2 in __GI_raise (sig=6) at ../sysdeps/posix/raise.c:26',
    '#2  <signal handler called>',
    '#3  0x00007fbf3c5a6472 in __GI_abort () at ./stdlib/abort.c:79',
  ]);
  const snap = only(snapshots);
  assert.deepEqual(snap.crash, {
    signal: 'SIGABRT',
    signalNumber: 6,
    description: 'Aborted',
    lwp: 1092,
    pthreadId: '0x7fbf3c57f040',
    command: '/usr/bin/python3 -X faulthandler /srv/demo/crash_abort.py',
    line: 4,
  });
  assert.equal(snap.threads.length, 2);
  const t1 = byLwp(snap, 1092);
  assert.equal(t1.isCurrent, true);
  assert.equal(byLwp(snap, 1093).isCurrent, false);
  assert.equal(t1.frames[2]?.isSignalTrampoline, true);
  assert.equal(t1.frames[2]?.function, '<signal handler called>');
});

test('crash thread from the frame printed under the signal line (old gdb, wrapped, no current-thread line)', () => {
  const { snapshots, warnings } = parse([
    '[New Thread 19947]',
    '[New Thread 19965]',
    "Core was generated by `/usr/lib64/thunderbird-3.1/thunderbird-bin'.",
    'Program terminated with signal 11, Segmentation fault.',
    '#0  0x0000003848c0f30b in raise (sig=<value optimized out>)',
    '    at ../nptl/sysdeps/unix/sysv/linux/pt-raise.c:42',
    '42\t../nptl/sysdeps/unix/sysv/linux/pt-raise.c: No such file or directory.',
    '\tin ../nptl/sysdeps/unix/sysv/linux/pt-raise.c',
    '',
    'Thread 2 (Thread 19965):',
    '#0  0x00000038484d7de3 in __poll (fds=<value optimized out>, ',
    '    nfds=<value optimized out>, timeout=<value optimized out>)',
    '    at ../sysdeps/unix/sysv/linux/poll.c:87',
    '        __arg2 = 2',
    '#1  0x00007f90879d4ae6 in pa_mainloop_poll (m=0x7f9088088200)',
    '    at pulse/mainloop.c:879',
    '',
    'Thread 1 (Thread 19947):',
    '#0  0x0000003848c0f30b in raise (sig=<value optimized out>)',
    '    at ../nptl/sysdeps/unix/sysv/linux/pt-raise.c:42',
    '#1  0x0000003139a780a3 in SharedStub ()',
    '   from /usr/lib64/thunderbird-3.1/libxpcom_core.so',
  ]);
  assert.deepEqual(warnings, []);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 2);
  assert.deepEqual(snap.crash && { signal: snap.crash.signal, n: snap.crash.signalNumber, lwp: snap.crash.lwp, pt: snap.crash.pthreadId }, {
    signal: 'SIGSEGV',
    n: 11,
    lwp: 19947,
    pt: null,
  });
  const t2 = byLwp(snap, 19965);
  assert.equal(t2.pthreadId, null);
  assert.deepEqual(t2.frames[0], {
    function: '__poll',
    file: '../sysdeps/unix/sysv/linux/poll.c',
    line: 87,
    library: null,
    language: 'native',
    args: 'fds=<value optimized out>, nfds=<value optimized out>, timeout=<value optimized out>',
    address: '0x00000038484d7de3',
  });
  assert.equal(t2.frames[1]?.file, 'pulse/mainloop.c');
  assert.equal(byLwp(snap, 19947).frames[1]?.library, '/usr/lib64/thunderbird-3.1/libxpcom_core.so');
});

test('crash thread falls back to gdb thread 1 of a core', () => {
  const { snapshots } = parse([
    "Core was generated by `./a.out'.",
    'Program terminated with signal SIGSEGV, Segmentation fault.',
    '',
    'Thread 2 (LWP 11):',
    '#0  0x1 in poll () from /lib/libc.so.6',
    '',
    'Thread 1 (LWP 10):',
    '#0  0x2 in main () at a.c:3',
  ]);
  assert.equal(only(snapshots).crash?.lwp, 10);
});

test('live stop in a named thread', () => {
  const { snapshots } = parse([
    '[New Thread 0x7ffff7d8a700 (LWP 1235)]',
    '',
    'Thread 2 "worker" received signal SIGSEGV, Segmentation fault.',
    '[Switching to Thread 0x7ffff7d8a700 (LWP 1235)]',
    '0x0000555555555189 in work (p=0x0) at w.c:4',
    '4\t  *p = 1;',
    'Thread 2 (Thread 0x7ffff7d8a700 (LWP 1235) "worker"):',
    '#0  0x0000555555555189 in work (p=0x0) at w.c:4',
    '',
    'Thread 1 (Thread 0x7ffff7d8b740 (LWP 1234) "a.out"):',
    '#0  0x1 in __GI___clock_nanosleep () at x.c:1',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.crash?.signal, 'SIGSEGV');
  assert.equal(snap.crash?.lwp, 1235);
  assert.equal(byLwp(snap, 1235).isCurrent, true);
});

test('Ctrl-C in a live session is a stop, not a crash', () => {
  const { snapshots } = parse([
    'Program received signal SIGINT, Interrupt.',
    '0x00007ffff7e9a9ef in __GI___poll (fds=0x5555, nfds=1, timeout=-1) at ../sysdeps/unix/sysv/linux/poll.c:29',
    '29\t../sysdeps/unix/sysv/linux/poll.c: No such file or directory.',
    'bt',
    '#0  0x00007ffff7e9a9ef in __GI___poll (fds=0x5555, nfds=1, timeout=-1) at ../sysdeps/unix/sysv/linux/poll.c:29',
    '#1  0x0000555555555189 in main () at p.c:7',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.crash, null);
  assert.deepEqual(fns(snap.threads[0] as RawThread), ['__GI___poll', 'main']);
});

test('a thread selected after loading a core does not move the crash', () => {
  const { snapshots } = parse([
    "Core was generated by `./a.out'.",
    'Program terminated with signal SIGSEGV, Segmentation fault.',
    '#0  0x2 in main () at a.c:3',
    '[Current thread is 1 (Thread 0x7f01 (LWP 10))]',
    'thread 2',
    '[Switching to thread 2 (Thread 0x7f02 (LWP 11))]',
    '#0  0x1 in poll () from /lib/libc.so.6',
    'thread apply all bt',
    '',
    'Thread 2 (Thread 0x7f02 (LWP 11)):',
    '#0  0x1 in poll () from /lib/libc.so.6',
    '',
    'Thread 1 (Thread 0x7f01 (LWP 10)):',
    '#0  0x2 in main () at a.c:3',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.crash?.lwp, 10);
  assert.equal(byLwp(snap, 11).isCurrent, true);
});

test('attach session: pid from the banner and the detach line reaches every thread', () => {
  const { snapshots } = parse([
    'Attaching to process 402',
    ...ATTACH,
    STOP,
    ECHO,
    '',
    ...THREAD_2,
    '',
    ...THREAD_1,
    '[Inferior 1 (process 402) detached]',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.pid, 402);
  assert.deepEqual(
    snap.threads.map((t) => t.pid),
    [402, 402],
  );
  assert.equal(snap.crash, null);
  assert.equal(snap.line, 1);
});

test('quitting with the inferior attached names the pid', () => {
  const { snapshots, warnings } = parse([
    ...THREAD_1,
    'A debugging session is active.',
    '',
    '\tInferior 1 [process 402] will be detached.',
    '',
    'Quit anyway? (y or n) [answered Y; input not from terminal]',
  ]);
  assert.deepEqual(warnings, []);
  assert.equal(only(snapshots).pid, 402);
});

test('info threads then thread apply all bt in one session merge', () => {
  const { snapshots, warnings } = parse([
    ...ATTACH,
    STOP,
    '  Id   Target Id                                  Frame',
    `* 1    Thread 0x7faece3d4740 (LWP 402) "deadlock" ${STOP}`,
    '  2    Thread 0x7faece3d36c0 (LWP 404) "stats"    0x00007faece4a6545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48',
    '  3    Thread 0x7faecdbd26c0 (LWP 405) "transfer" futex_wait (private=0) at ../sysdeps/nptl/futex-internal.h:146',
    'thread apply all bt',
    '',
    ...THREAD_2,
    '',
    ...THREAD_1,
  ]);
  assert.deepEqual(warnings, []);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 3);
  const t1 = byLwp(snap, 402);
  assert.equal(t1.isCurrent, true);
  assert.equal(t1.frames.length, 3);
  assert.equal(t1.hasCompleteStack, true);
  assert.equal(byLwp(snap, 404).frames.length, 5);
  const t3 = byLwp(snap, 405);
  assert.equal(t3.hasCompleteStack, false);
  assert.deepEqual(fns(t3), ['futex_wait']);
  assert.equal(t3.name, 'transfer');
});

test('info threads row split by a warning takes the frame from the next line', () => {
  const { snapshots, warnings } = parse([
    '  Id   Target Id                        Frame',
    '* 1    Thread 0x7fbf3c57f040 (LWP 1092) __pthread_kill_implementation (threadid=<optimized out>) at ./nptl/pthread_kill.c:44',
    "  2    Thread 0x7fbf3c17c6c0 (LWP 1093) warning: Section `.reg-xstate/1093' in core file too small.",
    '__futex_abstimed_wait_common64 (private=<optimized out>, cancel=true) at ./nptl/futex-internal.c:57',
    "  3    Thread 0x7fbf3a9756c0 (LWP 1096) warning: Section `.reg-xstate/1096' in core file too small.",
    '0x00007fbf3c67e9ec in __GI___select (nfds=nfds@entry=4) at ../sysdeps/unix/sysv/linux/select.c:69',
  ]);
  assert.deepEqual(warnings, []);
  const snap = only(snapshots);
  assert.deepEqual(
    snap.threads.map((t) => [t.lwp, t.frames[0]?.function, t.hasCompleteStack]),
    [
      [1092, '__pthread_kill_implementation', false],
      [1093, '__futex_abstimed_wait_common64', false],
      [1096, '__GI___select', false],
    ],
  );
});

test('gdb 7.0 info threads without a header', () => {
  const { snapshots, warnings } = parse([
    'info threads',
    '  2 Thread 0xb7fdbb70 (LWP 1235)  0x00110416 in __kernel_vsyscall ()',
    '* 1 Thread 0xb7fdc6c0 (LWP 1234)  main () at x.c:5',
  ]);
  assert.deepEqual(warnings, []);
  const snap = only(snapshots);
  assert.deepEqual(
    snap.threads.map((t) => [t.lwp, t.isCurrent, t.frames[0]?.function, t.hasCompleteStack]),
    [
      [1235, false, '__kernel_vsyscall', false],
      [1234, true, 'main', false],
    ],
  );
});

test('bt then py-bt of the same threads: python frames follow the native ones, markers kept', () => {
  const { snapshots, warnings } = parse([
    ...THREAD_2,
    '',
    'Thread 2 (Thread 0x7faece3d36c0 (LWP 404) "stats"):',
    'Traceback (most recent call first):',
    '  Waiting for the GIL',
    '  <built-in method sleep of module object at remote 0x7fd0bc57f0b0>',
    '  File "/srv/demo/app.py", line 39, in handle_request',
    '    time.sleep(0.001)',
    '  (unable to read python frame information)',
    '  File "/usr/lib/python3.11/threading.py", line 975, in run',
    '    self._target(*self._args, **self._kwargs)',
    '',
    'Thread 1 (Thread 0x7faece3d4740 (LWP 402) "deadlock"):',
    'Unable to locate python frame',
  ]);
  assert.deepEqual(warnings, []);
  const snap = only(snapshots);
  const t = byLwp(snap, 404);
  assert.deepEqual(fns(t), [
    '__GI___clock_nanosleep',
    '__GI___nanosleep',
    'stats_worker',
    'start_thread',
    'clone3',
    'sleep',
    'handle_request',
    'run',
  ]);
  assert.deepEqual(t.pythonMarkers, ['Waiting for the GIL']);
  assert.deepEqual(t.frames[5], {
    function: 'sleep',
    file: '<built-in>',
    line: null,
    library: null,
    language: 'python',
    args: null,
    address: null,
    sourceText: null,
  });
  assert.equal(t.frames[6]?.sourceText, 'time.sleep(0.001)');
  assert.equal(t.frames[6]?.line, 39);
  const t1 = byLwp(snap, 402);
  assert.equal(t1.frames.length, 0);
});

test('py-bt before bt still orders native frames first', () => {
  const { snapshots } = parse([
    'Thread 2 (Thread 0x7faece3d36c0 (LWP 404) "stats"):',
    'Traceback (most recent call first):',
    '  File "/srv/demo/app.py", line 39, in handle_request',
    '',
    ...THREAD_2,
  ]);
  const t = byLwp(only(snapshots), 404);
  assert.deepEqual(fns(t).slice(0, 1), ['__GI___clock_nanosleep']);
  assert.deepEqual(fns(t).slice(-1), ['handle_request']);
});

test('headerless bt followed by headerless py-bt is one thread', () => {
  const { snapshots } = parse([
    'bt',
    '#0  0x1 in poll () from /lib/libc.so.6',
    '#1  0x2 in main () at m.c:2',
    'py-bt',
    'Traceback (most recent call first):',
    '  File "/x.py", line 3, in f',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 1);
  assert.deepEqual(fns(snap.threads[0] as RawThread), ['poll', 'main', 'f']);
});

test('a py-bt file alone gives python-only threads', () => {
  const { snapshots } = parse([
    'Thread 3 (Thread 0x7fd0ba4fe6c0 (LWP 833) "python3"):',
    'Traceback (most recent call first):',
    '  <built-in method sleep of module object at remote 0x7fd0bc57f0b0>',
    '  File "/usr/lib/python3/dist-packages/gevent/_monitor.py", line 187, in __call__',
    '    thread_sleep(sleep_time)',
    '',
    'Thread 1 (Thread 0x7fd0bc62f040 (LWP 828) "python3"):',
    'Traceback (most recent call first):',
    '  Garbage-collecting',
    '  File "/srv/demo/gevent_app.py", line 74, in export_report',
    '    return os.read(rfd, 4096)       # blocks the whole OS thread (and the hub)',
    '[Inferior 1 (process 828) detached]',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.pid, 828);
  assert.ok(snap.threads.every((t) => t.frames.every((f) => f.language === 'python')));
  assert.deepEqual(fns(byLwp(snap, 833)), ['sleep', '__call__']);
  assert.deepEqual(byLwp(snap, 828).pythonMarkers, ['Garbage-collecting']);
  assert.equal(byLwp(snap, 828).frames[0]?.sourceText, 'return os.read(rfd, 4096)       # blocks the whole OS thread (and the hub)');
});

test('a Python error inside gdb is not a backtrace', () => {
  const { snapshots, warnings } = parse([
    ...THREAD_1,
    'Traceback (most recent call last):',
    '  File "/usr/share/gdb/python/gdb/__init__.py", line 3, in f',
    'gdb.error: No frame selected.',
  ]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(fns(only(snapshots).threads[0] as RawThread), ['__futex_abstimed_wait_common64', '__pthread_clockjoin_ex', 'main']);
});

test('a second session banner starts a second snapshot', () => {
  const { snapshots } = parse([
    ...ATTACH,
    STOP,
    '',
    ...THREAD_1,
    '[Inferior 1 (process 402) detached]',
    ...ATTACH,
    STOP,
    '',
    ...THREAD_1,
    ...THREAD_2,
  ]);
  assert.equal(snapshots.length, 2);
  assert.deepEqual(
    snapshots.map((s) => [s.index, s.threads.length, s.pid]),
    [
      [0, 1, 402],
      [1, 2, null],
    ],
  );
  assert.equal(snapshots[1]?.line, 12);
});

test('pstack run twice: a repeated thread starts a second snapshot', () => {
  const { snapshots } = parse([...THREAD_2, ...THREAD_1, ...THREAD_2, ...THREAD_1]);
  assert.equal(snapshots.length, 2);
  assert.deepEqual(
    snapshots.map((s) => s.threads.map((t) => t.lwp)),
    [
      [404, 402],
      [404, 402],
    ],
  );
  assert.equal(snapshots[1]?.line, 11);
});

test('the same gdb thread number with another LWP starts a second snapshot', () => {
  const { snapshots } = parse([
    'Thread 1 (LWP 10):',
    '#0  0x1 in main () at a.c:1',
    '',
    'Thread 1 (LWP 20):',
    '#0  0x1 in main () at a.c:1',
  ]);
  assert.equal(snapshots.length, 2);
});

test('headerless bt repeated (single-threaded pstack) gives two snapshots', () => {
  const frames = ['#0  0x1 in poll () from /lib/libc.so.6', '#1  0x2 in main () at m.c:2'];
  const { snapshots } = parse([...frames, ...frames]);
  assert.equal(snapshots.length, 2);
});

test('bt before thread apply all bt in a live session is not a duplicate thread', () => {
  const { snapshots } = parse([
    ...ATTACH,
    STOP,
    `#0  ${STOP}`,
    THREAD_1[2] as string,
    THREAD_1[3] as string,
    '',
    ...THREAD_2,
    '',
    ...THREAD_1,
  ]);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 2);
  assert.equal(byLwp(snap, 402).isCurrent, true);
});

test('bt of the current thread in a core merges with its thread section', () => {
  const { snapshots } = parse([
    "Core was generated by `./a.out'.",
    '#0  0x2 in main () at a.c:3',
    '[Current thread is 1 (Thread 0x7f01 (LWP 10))]',
    'bt',
    '#0  0x2 in main () at a.c:3',
    '#1  0x3 in __libc_start_main () from /lib/libc.so.6',
    'thread apply all bt',
    '',
    'Thread 1 (Thread 0x7f01 (LWP 10)):',
    '#0  0x2 in main () at a.c:3',
    '#1  0x3 in __libc_start_main () from /lib/libc.so.6',
  ]);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 1);
  assert.equal(snap.threads[0]?.frames.length, 2);
  assert.equal(snap.threads[0]?.isCurrent, true);
});

test('only the stop line: one thread with its top frame', () => {
  const { snapshots } = parse([...ATTACH, STOP, ECHO, '[Inferior 1 (process 402) detached]']);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 1);
  assert.equal(snap.threads[0]?.hasCompleteStack, false);
  assert.deepEqual(fns(snap.threads[0] as RawThread), ['__futex_abstimed_wait_common64']);
});

test('a thread whose stack gdb could not read is kept without frames', () => {
  const { snapshots } = parse(['Thread 3 (LWP 1095):', 'Cannot access memory at address 0x7f0', '', ...THREAD_1]);
  const snap = only(snapshots);
  assert.equal(snap.threads.length, 2);
  assert.equal(byLwp(snap, 1095).frames.length, 0);
});

test('eu-stack', () => {
  const { snapshots, warnings } = parse([
    'PID 1234 - process',
    'TID 1234:',
    '#0  0x00007f6b8c1b0e1d __GI___poll',
    '    /usr/src/debug/glibc-2.36/io/poll.c:29:3',
    '#1  0x00007f6b8c4e8e1e g_main_context_iterate.isra.0 - /usr/lib64/libglib-2.0.so.0',
    '#2  0x0000562d0e2b41a0',
    'TID 1235:',
    '#0  0x00007f6b8c1a2d8d syscall',
    'eu-stack: dwfl_thread_getframes tid 1235 at 0x7f6b8c1a2d8d in /usr/lib64/libc.so.6: No DWARF information found',
  ]);
  assert.deepEqual(warnings, []);
  const snap = only(snapshots);
  assert.equal(snap.pid, 1234);
  assert.deepEqual(
    snap.threads.map((t) => [t.lwp, t.pid, fns(t)]),
    [
      [1234, 1234, ['__GI___poll', 'g_main_context_iterate.isra.0', null]],
      [1235, 1234, ['syscall']],
    ],
  );
  const t = snap.threads[0] as RawThread;
  assert.equal(t.frames[0]?.file, '/usr/src/debug/glibc-2.36/io/poll.c');
  assert.equal(t.frames[0]?.line, 29);
  assert.equal(t.frames[1]?.library, '/usr/lib64/libglib-2.0.so.0');
});

test('noise inside and after thread sections raises no warning', () => {
  const { snapshots, warnings } = parse([
    'GNU gdb (Debian 13.1-3) 13.1',
    'Copyright (C) 2023 Free Software Foundation, Inc.',
    'Reading symbols from /usr/bin/python3.11...',
    ...THREAD_1.slice(0, 2),
    'warning: Could not find DWO CU obj/x.dwo(0x1) referenced by CU at offset 0x2',
    'Downloading separate debug info for /lib/x86_64-linux-gnu/libc.so.6...',
    '--Type <RET> for more, q to quit, c to continue without paging--#1  0x00007faece461ce3 in __pthread_clockjoin_ex (threadid=1) at ./nptl/pthread_join_common.c:102',
    '(More stack frames follow...)',
    'Backtrace stopped: previous frame inner to this frame (corrupt stack?)',
    'From                To                  Syms Read   Shared Object Library',
    '0x0000003848c05640  0x0000003848c10e48  Yes         /lib64/libpthread.so.0',
    '                                        No          linux-vdso.so.1',
    '(*): Shared library is missing debugging information.',
    '$1 = 0x0',
    'No symbol "__glib_assert_msg" in current context.',
    'rax            0x0\t0',
    'eflags         0x206\t[ PF IF ]',
    'Dump of assembler code for function raise:',
    '   0x0000003848c0f2e0 <+0>:\tmov    %fs:0x2d4,%ecx',
    '=> 0x0000003848c0f30b <+43>:\tcmp    $0xfffffffffffff000,%rax',
    'End of assembler dump.',
    '== EXPLOITABLE ==',
    'Quit',
  ]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(fns(only(snapshots).threads[0] as RawThread), ['__futex_abstimed_wait_common64', '__pthread_clockjoin_ex']);
});

test('a run of junk inside a thread section gives one warning naming its first line and count', () => {
  const { snapshots, warnings } = parse([
    ...THREAD_1.slice(0, 2),
    'lorem ipsum',
    'dolor sit',
    'amet',
    THREAD_1[2] as string,
    'stray text',
    THREAD_1[3] as string,
  ]);
  assert.equal(only(snapshots).threads[0]?.frames.length, 3);
  assert.equal(warnings.length, 2);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.line]),
    [
      ['unrecognized_line', 3],
      ['unrecognized_line', 7],
    ],
  );
  assert.match(warnings[0]?.message ?? '', /'lorem ipsum' \(and 2 more lines after it\)/);
  assert.match(warnings[0]?.message ?? '', /expected a frame/);
});

test('a frame cut mid-line at the end is kept as far as it reads', () => {
  const { snapshots, warnings } = parse([
    THREAD_2[0] as string,
    THREAD_2[1] as string,
    '#1  0x00007faece4aae53 in __GI___nanosleep (req=<optimized out>, re',
  ]);
  const t = only(snapshots).threads[0] as RawThread;
  assert.deepEqual(fns(t), ['__GI___clock_nanosleep', '__GI___nanosleep']);
  assert.equal(t.frames[1]?.args, 'req=<optimized out>, re');
  assert.deepEqual(
    warnings.map((w) => [w.code, w.line]),
    [['cut_short', 3]],
  );
});

test('a py-bt frame cut at the end is kept', () => {
  const { snapshots, warnings } = parse(['Thread 1 (LWP 7):', 'Traceback (most recent call first):', '  File "/usr/lib/python3.11/threa']);
  assert.deepEqual(
    only(snapshots).threads[0]?.frames.map((f) => f.file),
    ['/usr/lib/python3.11/threa'],
  );
  assert.equal(warnings[0]?.code, 'cut_short');
});

test('one 1 MB line is read quickly and without throwing', () => {
  const huge = `#0  0x1 in f (s="${'x('.repeat(1 << 19)}") at f.c:1`;
  const { snapshots } = parse(['Thread 1 (LWP 7):', huge, `${'junk '.repeat(200_000)}`]);
  const frame = only(snapshots).threads[0]?.frames[0];
  assert.equal(frame?.line, 1);
  assert.equal(frame?.args?.length, DEFAULT_LIMITS.maxArgsLength);
});

test('a 10,000-thread dump', () => {
  const lines: string[] = ['[Thread debugging using libthread_db enabled]'];
  for (let n = 10_000; n >= 1; n--) {
    lines.push(`Thread ${n} (Thread 0x7f${(0x1000000 + n).toString(16)}6c0 (LWP ${20_000 + n}) "worker-${n % 7}"):`);
    lines.push('#0  0x00007f4f11debf36 in epoll_wait (epfd=5, timeout=timeout@entry=1000) at ../sysdeps/unix/sysv/linux/epoll_wait.c:30');
    lines.push('#1  0x00007f4f11c00000 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442');
    lines.push('');
  }
  const { snapshots, warnings } = parse(lines);
  const snap = only(snapshots);
  assert.deepEqual(warnings, []);
  assert.equal(snap.threads.length, 10_000);
  assert.equal(new Set(snap.threads.map((t) => t.lwp)).size, 10_000);
  assert.equal(byLwp(snap, 20_001).pthreadId, '0x7f10000016c0');
});

test('limits: threads, frames and snapshots are capped with one warning each', () => {
  const limits: Limits = { ...DEFAULT_LIMITS, maxThreads: 2, maxFramesPerThread: 3, maxSnapshots: 2 };
  const session = (pid: number) => [
    `Attaching to process ${pid}`,
    ...[1, 2, 3].flatMap((n) => [
      `Thread ${n} (LWP ${pid + n}):`,
      ...[0, 1, 2, 3, 4].map((k) => `#${k}  0x${k + 1} in f${k} () at f.c:${k + 1}`),
      '',
    ]),
  ];
  const { snapshots, warnings } = parse([...session(100), ...session(200), ...session(300)], limits);
  assert.equal(snapshots.length, 2);
  assert.ok(snapshots.every((s) => s.threads.length === 2));
  assert.ok(snapshots.every((s) => s.threads.every((t) => t.frames.length === 3 && !t.hasCompleteStack)));
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['too_many_frames', 'too_many_threads', 'too_many_snapshots'],
  );
});

test('a range inside a larger text keeps the file line numbers', () => {
  const lines = ['ps output', 'PID TTY', '', ...THREAD_2, 'after'];
  const { snapshots } = parse(lines, DEFAULT_LIMITS, 3, 3 + THREAD_2.length);
  const snap = only(snapshots);
  assert.equal(snap.line, 4);
  assert.equal(snap.threads[0]?.line, 4);
});

test('inferior-qualified thread ids from two inferiors stay apart', () => {
  const { snapshots } = parse([
    'Thread 1.1 (process 10):',
    '#0  0x1 in main () at a.c:1',
    '',
    'Thread 2.1 (process 20):',
    '#0  0x1 in main () at b.c:1',
  ]);
  const snap = only(snapshots);
  assert.deepEqual(
    snap.threads.map((t) => [t.debuggerThreadNumber, t.lwp, t.pid]),
    [
      [1, 10, 10],
      [1, 20, 20],
    ],
  );
});
