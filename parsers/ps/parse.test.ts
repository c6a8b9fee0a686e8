import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { corpusText, runFormat } from '../../test/support/parser-harness.js';
import type { RawProcess, RawThread, Snapshot } from '../model.js';
import { psFormat } from './index.js';

const thread = (s: Snapshot | undefined, lwp: number): RawThread | undefined => s?.threads.find((t) => t.lwp === lwp);
const proc = (s: Snapshot | undefined, pid: number): RawProcess | undefined => s?.processes.find((p) => p.pid === pid);

interface Case {
  name: string;
  text: string;
  check: (snaps: Snapshot[], warnings: string[]) => void;
}

const cases: Case[] = [
  {
    name: 'ps -L -o pid,lwp,pcpu,stat,wchan:32,comm: per-thread comm names and wait channels',
    text: [
      '  PID   LWP %CPU STAT WCHAN                            COMMAND',
      '  402   402  0.0 Sl   futex_do_wait                    deadlock',
      '  402   404  0.0 Sl   hrtimer_nanosleep                stats',
      '  402   405  0.0 Sl   futex_do_wait                    transfer',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(s?.threads.length, 3);
      assert.deepEqual(
        s?.threads.map((t) => [t.pid, t.lwp, t.name, t.wchan, t.osState, t.cpuPercent]),
        [
          [402, 402, 'deadlock', 'futex_do_wait', 'Sl', 0],
          [402, 404, 'stats', 'hrtimer_nanosleep', 'Sl', 0],
          [402, 405, 'transfer', 'futex_do_wait', 'Sl', 0],
        ],
      );
      const p = proc(s, 402);
      assert.equal(p?.command, 'deadlock');
      assert.equal(p?.threadCount, 3);
      assert.equal(p?.state, 'Sl');
      assert.equal(p?.cpuPercent, null);
      assert.equal(s?.pid, 402);
    },
  },
  {
    name: 'ps -L default columns (PID LWP TTY TIME CMD): CMD is the thread comm, TIME in HH:MM:SS',
    text: [
      '    PID     LWP TTY          TIME CMD',
      '   1200    1200 pts/0    00:01:02 java',
      '   1200    1201 pts/0    00:00:10 GC Thread#0',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(thread(s, 1201)?.name, 'GC Thread#0');
      assert.equal(thread(s, 1200)?.cpuTimeSeconds, 62);
      assert.equal(proc(s, 1200)?.command, 'java');
    },
  },
  {
    name: 'ps -T names the thread column SPID',
    text: [
      '    PID    SPID TTY          TIME CMD',
      '   4242    4242 ?        00:00:00 nginx',
      '   4242    4250 ?        00:00:00 nginx-worker',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(
        s?.threads.map((t) => [t.pid, t.lwp, t.name]),
        [
          [4242, 4242, 'nginx'],
          [4242, 4250, 'nginx-worker'],
        ],
      );
    },
  },
  {
    name: 'ps -eLf: CMD is the command line, the same on every thread, so threads have no name',
    text: [
      'UID          PID    PPID     LWP  C NLWP STIME TTY          TIME CMD',
      'root       32100   32097   32100 99   41 23:24 ?        00:00:07 /usr/bin/python3 /srv/demo/gthread_app.py',
      'root       32100   32097   32102 16   41 23:24 ?        00:00:01 /usr/bin/python3 /srv/demo/gthread_app.py',
      'root       32100   32097   32103 18   41 23:24 ?        00:00:01 /usr/bin/python3 /srv/demo/gthread_app.py',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(thread(s, 32102)?.name, null);
      assert.equal(thread(s, 32102)?.cpuPercent, 16);
      const p = proc(s, 32100);
      assert.equal(p?.command, '/usr/bin/python3 /srv/demo/gthread_app.py');
      assert.equal(p?.ppid, 32097);
      assert.equal(p?.threadCount, 41);
      assert.equal(p?.user, 'root');
    },
  },
  {
    name: 'ps -eLo with a TID column and columns in an unusual order',
    text: [
      'COMMAND         STAT     TID     PID %CPU',
      'redis-server    Ssl     7001    7001  2.0',
      'bio_close_file  Ssl     7005    7001  0.0',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(
        s?.threads.map((t) => [t.pid, t.lwp, t.name, t.osState]),
        [
          [7001, 7001, 'redis-server', 'Ssl'],
          [7001, 7005, 'bio_close_file', 'Ssl'],
        ],
      );
    },
  },
  {
    name: 'ps aux: one row per process, COMMAND with spaces kept as printed',
    text: [
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'root           1  0.0  0.1 167744 11880 ?        Ss   Nov20   0:04 /sbin/init splash',
      'alice       2301 97.3  2.0 912345 81234 pts/1    R+   10:02  12:34 python3  busy.py --loop',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(s?.threads.length, 0);
      const p = proc(s, 2301);
      assert.equal(p?.command, 'python3  busy.py --loop');
      assert.equal(p?.cpuPercent, 97.3);
      assert.equal(p?.cpuTimeSeconds, 754);
      assert.equal(p?.state, 'R+');
      assert.equal(p?.user, 'alice');
      assert.equal(p?.threadCount, null);
      assert.equal(s?.pid, null);
    },
  },
  {
    name: 'ps -ef: PPID and C columns, TIME in HH:MM:SS',
    text: [
      'UID          PID    PPID  C STIME TTY          TIME CMD',
      'root           1       0  0 Nov20 ?        00:00:04 /sbin/init',
      'www-data    8812       1 12 10:00 ?        01:02:03 gunicorn: worker [app]',
    ].join('\n'),
    check: ([s]) => {
      const p = proc(s, 8812);
      assert.equal(p?.ppid, 1);
      assert.equal(p?.cpuPercent, 12);
      assert.equal(p?.cpuTimeSeconds, 3723);
      assert.equal(p?.command, 'gunicorn: worker [app]');
      assert.equal(proc(s, 1)?.ppid, 0);
    },
  },
  {
    name: 'ps axf without a PPID column: parents come from the forest drawing',
    text: [
      '    PID TTY      STAT   TIME COMMAND',
      '      1 ?        Ss     0:01 /sbin/init',
      '    900 ?        Ss     0:00 sshd: /usr/sbin/sshd -D',
      '   1000 ?        Ss     0:00  \\_ sshd: alice [priv]',
      '   1005 ?        S      0:00  |   \\_ sshd: alice@pts/0',
      '   1006 pts/0    Ss     0:00  |       \\_ -bash',
      '   1100 ?        Ss     0:00  \\_ sshd: bob [priv]',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(
        s?.processes.map((p) => [p.pid, p.ppid, p.command]),
        [
          [1, null, '/sbin/init'],
          [900, null, 'sshd: /usr/sbin/sshd -D'],
          [1000, 900, 'sshd: alice [priv]'],
          [1005, 1000, 'sshd: alice@pts/0'],
          [1006, 1005, '-bash'],
          [1100, 900, 'sshd: bob [priv]'],
        ],
      );
    },
  },
  {
    name: 'narrow WCHAN is kept truncated as printed, THCNT gives the thread count',
    text: ['   PPID     PID WCHAN  THCNT STAT CMD', '      4       7 do_wai     1 S     \\_ /usr/bin/python3 app.py'].join('\n'),
    check: ([s]) => {
      const p = proc(s, 7);
      assert.equal(p?.wchan, 'do_wai');
      assert.equal(p?.threadCount, 1);
      assert.equal(p?.ppid, 4);
      assert.equal(p?.command, '/usr/bin/python3 app.py');
    },
  },
  {
    name: 'the leader row carrying the whole process %CPU is moved to the process (procps-ng 4.x)',
    text: [
      '  PID   LWP %CPU STAT WCHAN                            COMMAND',
      '  500   500 61.0 Sl   do_epoll_wait                    server',
      '  500   501 30.0 Rl   -                                worker-1',
      '  500   502 29.5 Rl   -                                worker-2',
      '  500   503  0.1 Sl   futex_do_wait                    worker-3',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(thread(s, 500)?.cpuPercent, null);
      assert.equal(thread(s, 501)?.cpuPercent, 30);
      assert.equal(thread(s, 501)?.wchan, null);
      assert.equal(proc(s, 500)?.cpuPercent, 61);
    },
  },
  {
    name: 'a leader whose %CPU is far from the others’ sum keeps its own value',
    text: [
      '  PID   LWP %CPU STAT COMMAND',
      '  500   500 95.0 Rl   spinner',
      '  500   501 30.0 Sl   worker-1',
      '  500   502 20.0 Sl   worker-2',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(thread(s, 500)?.cpuPercent, 95);
      assert.equal(proc(s, 500)?.cpuPercent, null);
    },
  },
  {
    name: 'a header repeated later starts a second snapshot',
    text: ['  PID   LWP %CPU COMMAND', '   10    10  1.0 a', '  PID   LWP %CPU COMMAND', '   10    10  2.0 a', '   10    11  0.0 b'].join(
      '\n',
    ),
    check: (snaps) => {
      assert.equal(snaps.length, 2);
      assert.equal(snaps[0]?.threads.length, 1);
      assert.equal(snaps[1]?.threads.length, 2);
      assert.equal(snaps[1]?.index, 1);
      assert.equal(snaps[1]?.line, 3);
    },
  },
  {
    name: 'ps -o lstart takes five tokens',
    text: ['    PID                  STARTED STAT COMMAND', '    812 Fri Nov 21 23:24:55 2026 Ssl  /usr/bin/python3 app.py'].join('\n'),
    check: ([s]) => {
      assert.equal(proc(s, 812)?.state, 'Ssl');
      assert.equal(proc(s, 812)?.command, '/usr/bin/python3 app.py');
    },
  },
  {
    name: 'a row that does not fit its header is skipped with a warning naming the line',
    text: ['  PID   LWP %CPU STAT', '   10    10  1.0 S', '   10    11', '   10    12  0.0 S'].join('\n'),
    check: ([s], warnings) => {
      assert.equal(s?.threads.length, 2);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /^unrecognized_line@3: expected exactly 4 columns/);
    },
  },
  {
    name: 'rows before any header are not read and are reported once',
    text: ['   10    10  1.0 S', '   10    11  1.0 S'].join('\n'),
    check: (snaps, warnings) => {
      assert.equal(snaps.length, 0);
      assert.deepEqual(
        warnings.map((w) => w.split(':')[0]),
        ['missing_header@1'],
      );
    },
  },
  {
    name: 'a non-numeric id is reported, not guessed',
    text: ['  PID   LWP COMMAND', '  abc    10 x', '   10   def y'].join('\n'),
    check: (snaps, warnings) => {
      assert.equal(snaps.length, 0);
      assert.equal(warnings.length, 2);
      assert.match(warnings[0] ?? '', /PID column, found 'abc'/);
      assert.match(warnings[1] ?? '', /LWP column, found 'def'/);
    },
  },
  { name: 'empty input gives nothing', text: '', check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]) },
  {
    name: 'junk only gives nothing',
    text: 'hello world\n<html>\n%%%%\n\t\t',
    check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]),
  },
  {
    name: 'a 1 MB line after the header is one long command, read in linear time',
    text: `  PID COMMAND\n    1 ${'x'.repeat(1_000_000)}\n    2 ${'a '.repeat(500_000)}`,
    check: ([s]) => {
      assert.equal(proc(s, 1)?.command?.length, 1_000_000);
      assert.equal(proc(s, 2)?.command?.length, 999_999);
    },
  },
  {
    name: 'input cut in the middle of a row keeps the rows before it',
    text: ['  PID   LWP %CPU STAT WCHAN         COMMAND', '  402   402  0.0 Sl   futex_do_wait python3', '  402   40'].join('\n'),
    check: ([s], warnings) => {
      assert.equal(s?.threads.length, 1);
      assert.match(warnings[0] ?? '', /^unrecognized_line@3/);
    },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const run = runFormat(psFormat, c.text);
    c.check(
      run.snapshots,
      run.warnings.map((w) => `${w.code}@${w.line}: ${w.message}`),
    );
  });
}

test('maxThreads caps the rows kept per capture', () => {
  const rows = Array.from({ length: 10 }, (_, i) => `  100  ${100 + i} x`);
  const run = runFormat(psFormat, ['  PID   LWP COMMAND', ...rows].join('\n'), { ...DEFAULT_LIMITS, maxThreads: 4 });
  assert.equal(run.snapshots[0]?.threads.length, 4);
  assert.deepEqual(
    run.warnings.map((w) => [w.code, w.line]),
    [['too_many_threads', 6]],
  );
});

test('maxSnapshots caps the captures kept', () => {
  const text = Array.from({ length: 5 }, () => '  PID   LWP COMMAND\n    1     1 init').join('\n');
  const run = runFormat(psFormat, text, { ...DEFAULT_LIMITS, maxSnapshots: 2 });
  assert.equal(run.snapshots.length, 2);
  assert.deepEqual(
    run.warnings.map((w) => w.code),
    ['too_many_snapshots'],
  );
});

const signatures: Array<{ name: string; line: string; want: number }> = [
  { name: 'ps -L -o header', line: '    PID     LWP %CPU STAT WCHAN                            COMMAND', want: 1 },
  { name: 'ps auxw -L header', line: 'USER       PID   LWP %CPU NLWP %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND', want: 1 },
  { name: 'ps axfo header', line: '   PPID     PID WCHAN  THCNT STAT CMD', want: 1 },
  { name: 'ps -ef header', line: 'UID          PID    PPID  C STIME TTY          TIME CMD', want: 1 },
  { name: 'plain ps header', line: '    PID TTY          TIME CMD', want: 1 },
  { name: 'ps data row', line: '32100 32102 16.3 Sl   futex_do_wait                    python3', want: 0 },
  { name: 'top column header', line: '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND', want: 0 },
  { name: 'pidstat header', line: '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command', want: 0 },
  { name: 'gdb thread header', line: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  { name: 'python File line', line: '  File "/usr/lib/python3.11/threading.py", line 320, in wait', want: 0 },
  { name: 'a sentence in capitals', line: 'PID CONTROL LOOP', want: 0 },
  { name: 'a 1 MB line', line: `PID ${'LWP '.repeat(250_000)}`, want: 0 },
];

for (const c of signatures) test(`signature: ${c.name}`, () => assert.equal(psFormat.signature(c.line), c.want));

test('corpus py-gil-gthread-40/ps-L.txt: 41 threads, the leader row moved to the process', (t) => {
  const text = corpusText('py-gil-gthread-40/ps-L.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(psFormat, text);
  assert.equal(run.warnings.length, 0);
  const [s] = run.snapshots;
  assert.equal(s?.threads.length, 41);
  assert.equal(thread(s, 32100)?.cpuPercent, null);
  assert.equal(thread(s, 32100)?.wchan, 'do_epoll_wait');
  assert.equal(thread(s, 32102)?.cpuPercent, 16.3);
  assert.equal(thread(s, 32105)?.osState, 'Rl');
  assert.equal(thread(s, 32105)?.wchan, null);
  assert.equal(thread(s, 32141)?.name, 'python3');
  const p = proc(s, 32100);
  assert.equal(p?.cpuPercent, 103);
  assert.equal(p?.threadCount, 41);
  assert.equal(p?.command, 'python3');
});

test('corpus py-gil-gthread-40/ps-auxwL.txt: NLWP 41, command line on the process, no thread names', (t) => {
  const text = corpusText('py-gil-gthread-40/ps-auxwL.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(psFormat, text);
  assert.equal(run.warnings.length, 0);
  const [s] = run.snapshots;
  assert.equal(s?.threads.length, 41);
  assert.ok(s?.threads.every((th) => th.name === null && th.pid === 32100));
  assert.equal(thread(s, 32100)?.cpuPercent, null);
  assert.equal(thread(s, 32100)?.cpuTimeSeconds, null);
  assert.equal(thread(s, 32103)?.cpuPercent, 18.3);
  const p = proc(s, 32100);
  assert.equal(p?.command, '/usr/bin/python3 /srv/demo/gthread_app.py');
  assert.equal(p?.threadCount, 41);
  assert.equal(p?.cpuPercent, 103);
  assert.equal(p?.cpuTimeSeconds, 7);
  assert.equal(p?.user, 'root');
});

test('corpus c-mutex-deadlock/ps-L.txt: four named threads', (t) => {
  const text = corpusText('c-mutex-deadlock/ps-L.txt');
  if (text === null) return t.skip('corpus not present');
  const [s] = runFormat(psFormat, text).snapshots;
  assert.deepEqual(
    s?.threads.map((th) => [th.lwp, th.name, th.wchan]),
    [
      [402, 'deadlock', 'futex_do_wait'],
      [404, 'stats', 'hrtimer_nanosleep'],
      [405, 'transfer', 'futex_do_wait'],
      [406, 'audit', 'futex_do_wait'],
    ],
  );
});

test('corpus py-gevent-blocked-hub/ps-L.txt: a small sum keeps the leader value', (t) => {
  const text = corpusText('py-gevent-blocked-hub/ps-L.txt');
  if (text === null) return t.skip('corpus not present');
  const [s] = runFormat(psFormat, text).snapshots;
  assert.equal(thread(s, 828)?.cpuPercent, 5.5);
  assert.equal(thread(s, 832)?.name, 'stack-dumper');
  assert.equal(proc(s, 828)?.cpuPercent, null);
});

test('corpus py-mp-queue-join-hang/ps-L.txt: two processes', (t) => {
  const text = corpusText('py-mp-queue-join-hang/ps-L.txt');
  if (text === null) return t.skip('corpus not present');
  const [s] = runFormat(psFormat, text).snapshots;
  assert.deepEqual(
    s?.threads.map((th) => [th.pid, th.lwp, th.wchan]),
    [
      [7, 7, 'do_wait'],
      [9, 9, 'futex_do_wait'],
      [9, 10, 'anon_pipe_write'],
    ],
  );
  assert.equal(proc(s, 7)?.cpuPercent, 1.4);
  assert.equal(proc(s, 9)?.threadCount, 2);
  assert.equal(s?.pid, null);
});

test('corpus py-mp-queue-join-hang/ps-axf.txt: pids, ppids, thread counts', (t) => {
  const text = corpusText('py-mp-queue-join-hang/ps-axf.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(psFormat, text);
  assert.equal(run.warnings.length, 0);
  const [s] = run.snapshots;
  assert.deepEqual(
    s?.processes.map((p) => [p.pid, p.ppid, p.threadCount, p.wchan, p.state]),
    [
      [1, 0, 1, 'do_wai', 'S'],
      [4, 1, 1, 'sigsus', 'S'],
      [7, 4, 1, 'do_wai', 'S'],
      [9, 7, 2, 'futex_', 'Sl'],
      [25, 1, 1, null, 'R'],
    ],
  );
  assert.equal(proc(s, 9)?.command, '/usr/bin/python3 /srv/demo/mp_queue_hang.py');
});
