import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { corpusText, runFormat } from '../../test/support/parser-harness.js';
import type { Snapshot } from '../model.js';
import { topFormat } from './index.js';

const SUMMARY_H = [
  'top - 23:24:55 up 21 min,  0 user,  load average: 0.54, 1.16, 1.20',
  'Threads:   4 total,   1 running,   3 sleeping,   0 stopped,   0 zombie',
  '%Cpu(s): 50.0 us, 50.0 sy,  0.0 ni,  0.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st',
  'MiB Mem :  24105.6 total,  23703.4 free,    422.4 used,    211.5 buff/cache',
  'MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23683.1 avail Mem',
  '',
];
const HEADER = '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND';

interface Case {
  name: string;
  text: string;
  check: (snaps: Snapshot[], warnings: string[]) => void;
}

const cases: Case[] = [
  {
    name: 'top -H: rows are threads, PID is the thread id, the process is unknown',
    text: [
      ...SUMMARY_H,
      HEADER,
      '  828 root      20   0  189196  34016  12300 S   0.0   0.1   0:00.22 python3',
      '  832 root      20   0  189196  34016  12300 S   0.0   0.1   0:00.01 stack-dumper',
    ].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(warnings, []);
      assert.equal(s?.label, 'top - 23:24:55');
      assert.equal(s?.processes.length, 0);
      assert.deepEqual(
        s?.threads.map((t) => [t.pid, t.lwp, t.name, t.osState, t.cpuPercent, t.cpuTimeSeconds]),
        [
          [null, 828, 'python3', 'S', 0, 0.22],
          [null, 832, 'stack-dumper', 'S', 0, 0.01],
        ],
      );
    },
  },
  {
    name: 'top -H: a leader row holding the sum of its threads loses its %CPU, and a note says why',
    text: [
      ...SUMMARY_H,
      HEADER,
      ' 5000 root      20   0 1333812  17188   9568 S  59.9   0.1   0:08.59 server',
      ' 5002 root      20   0 1333812  17188   9568 R  40.0   0.1   0:01.40 worker',
      ' 5003 root      20   0 1333812  17188   9568 S  20.0   0.1   0:01.48 worker',
      '  777 root      20   0   12000   3000   2000 S   1.0   0.0   0:00.10 other',
    ].join('\n'),
    check: ([s]) => {
      const leader = s?.threads.find((t) => t.lwp === 5000);
      assert.equal(leader?.cpuPercent, null);
      assert.equal(leader?.cpuTimeSeconds, null);
      assert.equal(s?.threads.find((t) => t.lwp === 5002)?.cpuPercent, 40);
      assert.equal(s?.threads.find((t) => t.lwp === 777)?.cpuPercent, 1);
      assert.equal(s?.notes.length, 1);
      assert.match(s?.notes[0]?.message ?? '', /row 5000 shows 59\.9 %CPU/);
      assert.equal(s?.notes[0]?.line, 8);
    },
  },
  {
    name: 'top -b -n 2: two iterations of processes, labelled by time, -c command lines kept',
    text: [
      'top - 10:00:01 up 3 days,  2:03,  1 user,  load average: 0.00, 0.01, 0.05',
      'Tasks: 120 total,   1 running, 119 sleeping,   0 stopped,   0 zombie',
      HEADER,
      ' 2301 alice     20   0  912345  81234  10000 R  97.3   2.0  12:34.56 python3 busy.py --loop',
      '    1 root      20   0  167744  11880   8000 S   0.0   0.1   0:04.00 /sbin/init splash',
      '',
      'top - 10:00:04 up 3 days,  2:03,  1 user,  load average: 0.10, 0.02, 0.05',
      'Tasks: 120 total,   1 running, 119 sleeping,   0 stopped,   0 zombie',
      HEADER,
      ' 2301 alice     20   0  912345  81234  10000 R  99.0   2.0  12:37.56 python3 busy.py --loop',
    ].join('\n'),
    check: (snaps) => {
      assert.equal(snaps.length, 2);
      assert.deepEqual(
        snaps.map((s) => [s.index, s.label, s.line]),
        [
          [0, 'top - 10:00:01', 1],
          [1, 'top - 10:00:04', 7],
        ],
      );
      const p = snaps[0]?.processes[0];
      assert.deepEqual(
        [p?.pid, p?.user, p?.state, p?.cpuPercent, p?.cpuTimeSeconds, p?.command],
        [2301, 'alice', 'R', 97.3, 754.56, 'python3 busy.py --loop'],
      );
      assert.equal(snaps[0]?.threads.length, 0);
      assert.equal(snaps[1]?.processes[0]?.cpuPercent, 99);
      assert.equal(snaps[1]?.pid, 2301);
    },
  },
  {
    name: 'a field set with TGID, P, nTH and WCHAN: threads get their pid and a process is built',
    text: [
      'top - 10:00:01 up 1:00,  1 user,  load average: 0.00, 0.01, 0.05',
      'Threads:  3 total,   1 running,   2 sleeping,   0 stopped,   0 zombie',
      '  PID  TGID USER      P nTH WCHAN      S  %CPU     TIME+ COMMAND',
      ' 9000  9000 app       1   3 do_epoll_w S  60.0   1:00.00 app',
      ' 9001  9000 app       0   3 -          R  45.0   0:40.00 app-worker',
      ' 9002  9000 app       1   3 futex_wai+ S  15.0   0:20.00 app-worker',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(
        s?.threads.map((t) => [t.pid, t.lwp, t.name, t.wchan, t.cpuPercent]),
        [
          [9000, 9000, 'app', 'do_epoll_w', null],
          [9000, 9001, 'app-worker', null, 45],
          [9000, 9002, 'app-worker', 'futex_wai+', 15],
        ],
      );
      const p = s?.processes[0];
      assert.deepEqual([p?.pid, p?.threadCount, p?.cpuPercent, p?.cpuTimeSeconds, p?.command], [9000, 3, 60, 60, 'app']);
      assert.equal(s?.pid, 9000);
    },
  },
  {
    name: 'procps 3.x summary (Cpu(s) with %us, KiB/k memory) and a TIME column',
    text: [
      'top - 14:02:11 up 10 days,  3:01,  2 users,  load average: 1.00, 0.90, 0.80',
      'Tasks: 200 total,   2 running, 198 sleeping,   0 stopped,   0 zombie',
      'Cpu(s): 12.0%us,  3.0%sy,  0.0%ni, 85.0%id,  0.0%wa,  0.0%hi,  0.0%si,  0.0%st',
      'Mem:   2048000k total,  1024000k used,  1024000k free,    10000k buffers',
      'Swap:  1024000k total,        0k used,  1024000k free,   500000k cached',
      '',
      '  PID USER      PR  NI  VIRT  RES  SHR S %CPU %MEM    TIME+  COMMAND',
      ' 1234 mysql     20   0 1200m 300m  10m S 45.2 15.0 100:12.34 mysqld',
    ].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(warnings, []);
      assert.deepEqual([s?.processes[0]?.pid, s?.processes[0]?.cpuPercent, s?.processes[0]?.cpuTimeSeconds], [1234, 45.2, 6012.34]);
    },
  },
  {
    name: 'decimal commas and scaled TIME+ (hours,minutes and 12h)',
    text: [
      'top - 10:00:01 up 1:00,  1 user,  load average: 0,00, 0,01, 0,05',
      'Tasks:   2 total,   1 running,   1 sleeping,   0 stopped,   0 zombie',
      HEADER,
      '  100 root      20   0    1,2g 500,0m  10000 R  99,9   3,1   1234,56 java',
      '  200 root      20   0    1,2g 500,0m  10000 S   0,0   3,1       12h db',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(
        s?.processes.map((p) => [p.pid, p.cpuPercent, p.cpuTimeSeconds]),
        [
          [100, 99.9, 1234 * 3600 + 56 * 60],
          [200, 0, 12 * 3600],
        ],
      );
    },
  },
  {
    name: 'without a summary, a `top -H …` command line left by a prompt makes rows threads',
    text: ['top -H -b -n 1 -p 828', HEADER, '  828 root      20   0  189196  34016  12300 S   0.0   0.1   0:00.22 python3'].join('\n'),
    check: ([s]) => {
      assert.equal(s?.threads[0]?.lwp, 828);
      assert.equal(s?.processes.length, 0);
      assert.equal(s?.label, null);
    },
  },
  {
    name: 'without a summary or command line, rows are processes',
    text: [HEADER, '  828 root      20   0  189196  34016  12300 S   0.0   0.1   0:00.22 python3'].join('\n'),
    check: ([s]) => {
      assert.equal(s?.processes[0]?.pid, 828);
      assert.equal(s?.threads.length, 0);
    },
  },
  {
    name: 'rows before any column header are reported once and not read',
    text: ['  828 root      20   0  189196  34016  12300 S   0.0   0.1   0:00.22 python3', '  829 root 20'].join('\n'),
    check: (snaps, warnings) => {
      assert.equal(snaps.length, 0);
      assert.deepEqual(warnings, ['missing_header@1']);
    },
  },
  {
    name: 'a row with too few columns (cut input) is skipped with its line number',
    text: [
      ...SUMMARY_H,
      HEADER,
      '  828 root      20   0  189196  34016  12300 S   0.0   0.1   0:00.22 python3',
      '  832 root      20   0  1891',
    ].join('\n'),
    check: ([s], warnings) => {
      assert.equal(s?.threads.length, 1);
      assert.deepEqual(warnings, ['unrecognized_line@9']);
    },
  },
  { name: 'empty input', text: '', check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]) },
  { name: 'junk only', text: 'lorem ipsum\n1 2 3\n--', check: (snaps) => assert.deepEqual(snaps, []) },
  {
    name: 'a 1 MB command is kept whole, in linear time',
    text: [HEADER, `    1 root      20   0  1  1  1 S   0.0   0.1   0:00.22 ${'y '.repeat(500_000)}`].join('\n'),
    check: ([s]) => assert.equal(s?.processes[0]?.command?.length, 999_999),
  },
];

for (const c of cases) {
  test(c.name, () => {
    const run = runFormat(topFormat, c.text);
    c.check(
      run.snapshots,
      run.warnings.map((w) => `${w.code}@${w.line}`),
    );
  });
}

test('maxSnapshots caps the iterations kept', () => {
  const one = ['top - 10:00:01 up 1:00,  1 user,  load average: 0.00, 0.01, 0.05', HEADER, '    1 root 20 0 1 1 1 S 0.0 0.0 0:00.00 init'];
  const text = [...one, ...one, ...one].join('\n');
  const run = runFormat(topFormat, text, { ...DEFAULT_LIMITS, maxSnapshots: 2 });
  assert.equal(run.snapshots.length, 2);
  assert.deepEqual(
    run.warnings.map((w) => [w.code, w.line]),
    [['too_many_snapshots', 7]],
  );
});

test('maxThreads caps the rows kept per iteration', () => {
  const rows = Array.from({ length: 5 }, (_, i) => ` ${100 + i} root 20 0 1 1 1 S 0.0 0.0 0:00.00 t`);
  const run = runFormat(topFormat, [SUMMARY_H[0], SUMMARY_H[1], HEADER, ...rows].join('\n'), { ...DEFAULT_LIMITS, maxThreads: 2 });
  assert.equal(run.snapshots[0]?.threads.length, 2);
  assert.deepEqual(
    run.warnings.map((w) => w.code),
    ['too_many_threads'],
  );
});

const signatures: Array<{ name: string; line: string; want: number }> = [
  { name: 'top - line', line: 'top - 23:24:55 up 21 min,  0 user,  load average: 0.54, 1.16, 1.20', want: 1 },
  { name: 'Threads: line', line: 'Threads:  41 total,   1 running,  40 sleeping,   0 stopped,   0 zombie', want: 1 },
  { name: 'Tasks: line', line: 'Tasks: 120 total,   1 running, 119 sleeping,   0 stopped,   0 zombie', want: 1 },
  { name: '%Cpu(s) line', line: '%Cpu(s): 50.0 us, 50.0 sy,  0.0 ni,  0.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st', want: 1 },
  { name: 'MiB Mem line', line: 'MiB Mem :  24105.6 total,  23703.4 free,    422.4 used,    211.5 buff/cache', want: 1 },
  { name: 'column header', line: HEADER, want: 1 },
  { name: 'data row', line: '32102 root      20   0 1333812  17188   9568 R  20.0   0.1   0:01.40 python3', want: 0 },
  { name: 'ps header', line: '  PID   LWP %CPU STAT WCHAN                            COMMAND', want: 0 },
  { name: 'gdb thread header', line: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  { name: 'python File line', line: '  File "/usr/lib/python3.11/threading.py", line 320, in wait', want: 0 },
  { name: 'the word top in prose', line: 'top - of the list', want: 0 },
  { name: 'a 1 MB line', line: `top - 23:24:55 up ${'x'.repeat(1_000_000)}`, want: 1 },
];

for (const c of signatures) test(`signature: ${c.name}`, () => assert.equal(topFormat.signature(c.line), c.want));

test('corpus py-gil-gthread-40/top-H.txt: 41 threads, the leader row withdrawn', (t) => {
  const text = corpusText('py-gil-gthread-40/top-H.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(topFormat, text);
  assert.equal(run.warnings.length, 0);
  const [s] = run.snapshots;
  assert.equal(run.snapshots.length, 1);
  assert.equal(s?.label, 'top - 23:24:55');
  assert.equal(s?.threads.length, 41);
  assert.ok(s?.threads.every((th) => th.pid === null && th.name === 'python3'));
  assert.equal(s?.threads.find((th) => th.lwp === 32100)?.cpuPercent, null);
  assert.equal(s?.threads.find((th) => th.lwp === 32102)?.cpuPercent, 20);
  assert.equal(s?.threads.find((th) => th.lwp === 32102)?.osState, 'R');
  assert.equal(s?.threads.find((th) => th.lwp === 32103)?.cpuTimeSeconds, 1.48);
  assert.equal(s?.notes.length, 1);
});

test('corpus py-gevent-blocked-hub/top-H.txt: three threads with their names', (t) => {
  const text = corpusText('py-gevent-blocked-hub/top-H.txt');
  if (text === null) return t.skip('corpus not present');
  const [s] = runFormat(topFormat, text).snapshots;
  assert.deepEqual(
    s?.threads.map((th) => [th.lwp, th.name, th.cpuPercent]),
    [
      [828, 'python3', 0],
      [832, 'stack-dumper', 0],
      [833, 'python3', 0],
    ],
  );
  assert.equal(s?.notes.length, 0);
});
