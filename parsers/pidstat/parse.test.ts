import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { corpusText, runFormat } from '../../test/support/parser-harness.js';
import { collectingContext } from '../format.js';
import type { Snapshot } from '../model.js';
import { pidstatFormat } from './index.js';

const BANNER = 'Linux 6.18.44-fc-v669 (vm) \t11/21/26 \t_x86_64_\t(2 CPU)';

const threadFacts = (s: Snapshot | undefined) =>
  (s?.threads ?? []).map((t) => [t.pid, t.lwp, t.name, t.cpuPercent, t.voluntarySwitchesPerSec, t.involuntarySwitchesPerSec]);
const procFacts = (s: Snapshot | undefined) =>
  (s?.processes ?? []).map((p) => [p.pid, p.command, p.cpuPercent, p.voluntarySwitchesPerSec, p.involuntarySwitchesPerSec]);

interface Case {
  name: string;
  text: string;
  check: (snaps: Snapshot[], warnings: string[]) => void;
}

const cases: Case[] = [
  {
    name: 'pidstat -t -w: one header, intervals told apart by their stamps, then Average',
    text: [
      BANNER,
      '',
      '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command',
      '23:24:56        0     32100         -      7.92      0.00  python3',
      '23:24:56        0         -     32100      7.92      0.00  |__python3',
      '23:24:56        0         -     32102    204.95    147.52  |__python3',
      '23:24:57        0     32100         -     11.00      0.00  python3',
      '23:24:57        0         -     32100     11.00      0.00  |__python3',
      '23:24:57        0         -     32102    210.00    183.00  |__python3',
      '',
      'Average:        0     32100         -     10.63      0.66  python3',
      'Average:        0         -     32102    208.97    163.12  |__python3',
    ].join('\n'),
    check: (snaps, warnings) => {
      assert.deepEqual(warnings, []);
      assert.deepEqual(
        snaps.map((s) => [s.index, s.label, s.isAverage, s.line, s.pid]),
        [
          [0, '23:24:56', false, 4, 32100],
          [1, '23:24:57', false, 7, 32100],
          [2, 'Average', true, 11, 32100],
        ],
      );
      assert.deepEqual(threadFacts(snaps[0]), [
        [32100, 32100, 'python3', null, 7.92, 0],
        [32100, 32102, 'python3', null, 204.95, 147.52],
      ]);
      assert.deepEqual(procFacts(snaps[2]), [[32100, 'python3', null, 10.63, 0.66]]);
      assert.equal(snaps[0]?.processes[0]?.user, '0');
    },
  },
  {
    name: 'pidstat -t -u -w without -h: two reports per interval merge thread by thread',
    text: [
      BANNER,
      '',
      '10:00:00      UID      TGID       TID    %usr %system  %guest   %wait    %CPU   CPU  Command',
      '10:00:01     1000      4000         -   50.00   10.00    0.00    0.00   60.00     1  app',
      '10:00:01     1000         -      4001   40.00    5.00    0.00    1.00   45.00     0  |__worker',
      '',
      '10:00:00      UID      TGID       TID   cswch/s nvcswch/s  Command',
      '10:00:01     1000      4000         -     12.00      3.00  app',
      '10:00:01     1000         -      4001    900.00     80.00  |__worker',
    ].join('\n'),
    check: (snaps) => {
      assert.equal(snaps.length, 1);
      assert.deepEqual(threadFacts(snaps[0]), [[4000, 4001, 'worker', 45, 900, 80]]);
      assert.deepEqual(procFacts(snaps[0]), [[4000, 'app', 60, 12, 3]]);
    },
  },
  {
    name: 'pidstat -h: one line per task, epoch stamps, 0 as the id placeholder',
    text: [
      BANNER,
      '',
      '#      Time   UID      TGID       TID    %usr %system  %guest   %wait    %CPU   CPU   cswch/s nvcswch/s  Command',
      ' 1763767496     0      4000         0   50.00   10.00    0.00    0.00   60.00     1     12.00      3.00  app',
      ' 1763767496     0         0      4001   40.00    5.00    0.00    1.00   45.00     0    900.00     80.00  |__worker',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(s?.label, '1763767496');
      assert.deepEqual(threadFacts(s), [[4000, 4001, 'worker', 45, 900, 80]]);
      assert.deepEqual(procFacts(s), [[4000, 'app', 60, 12, 3]]);
    },
  },
  {
    name: '12-hour stamps take two tokens',
    text: [
      '12:00:00 AM   UID       PID    %usr %system  %guest   %wait    %CPU   CPU  Command',
      '12:00:01 AM     0      1234   19.00    1.00    0.00    0.00   20.00     0  nginx',
      '12:00:02 AM     0      1234   21.00    1.00    0.00    0.00   22.00     1  nginx',
    ].join('\n'),
    check: (snaps) => {
      assert.deepEqual(
        snaps.map((s) => [s.label, s.processes[0]?.cpuPercent]),
        [
          ['12:00:01 AM', 20],
          ['12:00:02 AM', 22],
        ],
      );
    },
  },
  {
    name: 'decimal commas (de_DE) and a translated average label',
    text: [
      '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command',
      '23:24:56        0         -     32102    204,95     19,00  |__python3',
      'Durchschn.:        0         -     32102    208,97    163,12  |__python3',
    ].join('\n'),
    check: (snaps) => {
      assert.deepEqual(threadFacts(snaps[0]), [[null, 32102, 'python3', null, 204.95, 19]]);
      assert.deepEqual(
        [snaps[1]?.label, snaps[1]?.isAverage, snaps[1]?.threads[0]?.involuntarySwitchesPerSec],
        ['Durchschn.', true, 163.12],
      );
    },
  },
  {
    name: 'without -t the PID rows are processes; -l command lines keep their blanks',
    text: [
      '23:24:55      UID       PID    %usr %system  %guest   %wait    %CPU   CPU  Command',
      '23:24:56     1000      2301   97.00    0.30    0.00    0.00   97.30     1  python3 busy.py --loop',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(s?.threads.length, 0);
      assert.deepEqual(procFacts(s), [[2301, 'python3 busy.py --loop', 97.3, null, null]]);
    },
  },
  {
    name: 'pidstat -d and -r columns are read past; -v gives the thread count',
    text: [
      '10:00:00      UID       PID   kB_rd/s   kB_wr/s kB_ccwr/s iodelay  Command',
      '10:00:01        0       812      0.00     12.00      0.00       0  postgres',
      '',
      '10:00:00      UID       PID  minflt/s  majflt/s     VSZ     RSS   %MEM  Command',
      '10:00:01        0       812      3.00      0.00  123456   65432   0.40  postgres',
      '',
      '10:00:00      UID       PID threads   fd-nr  Command',
      '10:00:01        0       812      17      40  postgres',
    ].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(warnings, []);
      assert.deepEqual(
        s?.processes.map((p) => [p.pid, p.command, p.cpuPercent, p.threadCount]),
        [[812, 'postgres', null, 17]],
      );
    },
  },
  {
    name: 'sysstat 10 without a UID column',
    text: [
      '10:43:17 AM       PID    %usr %system  %guest    %CPU   CPU  Command',
      '10:43:18 AM      4242    1.00    0.00    0.00    1.00     0  sshd',
    ].join('\n'),
    check: ([s]) => assert.deepEqual(procFacts(s), [[4242, 'sshd', 1, null, null]]),
  },
  {
    name: 'a row that does not fit the header is reported with its line',
    text: [
      '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command',
      '23:24:56        0         -',
      '23:24:56        0       abc         -  1.0 2.0 x',
    ].join('\n'),
    check: (snaps, warnings) => {
      assert.equal(snaps.length, 0);
      assert.deepEqual(warnings, ['unrecognized_line@2', 'unrecognized_line@3']);
    },
  },
  {
    name: 'rows before any header are reported once',
    text: [
      '23:24:56        0     32100         -      7.92      0.00  python3',
      '23:24:56        0         -     32100      7.92      0.00  |__python3',
    ].join('\n'),
    check: (snaps, warnings) => {
      assert.equal(snaps.length, 0);
      assert.deepEqual(warnings, ['missing_header@1']);
    },
  },
  { name: 'empty input', text: '', check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]) },
  { name: 'banner only', text: BANNER, check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]) },
  { name: 'junk only', text: 'foo bar\n12 34 56\n', check: (snaps) => assert.deepEqual(snaps, []) },
  {
    name: 'a 1 MB command line is kept, in linear time',
    text: ['23:24:55      UID       PID    %CPU  Command', `23:24:56        0         1    1.00  ${'z '.repeat(500_000)}`].join('\n'),
    check: ([s]) => assert.equal(s?.processes[0]?.command?.length, 999_999),
  },
  {
    name: 'a cut last row is reported, the rows before it kept',
    text: [
      '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command',
      '23:24:56        0     32100         -      7.92      0.00  python3',
      '23:24:56        0         -     3210',
    ].join('\n'),
    check: ([s], warnings) => {
      assert.equal(s?.processes.length, 1);
      assert.deepEqual(warnings, ['unrecognized_line@3']);
    },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const run = runFormat(pidstatFormat, c.text);
    c.check(
      run.snapshots,
      run.warnings.map((w) => `${w.code}@${w.line}`),
    );
  });
}

test('maxSnapshots and maxThreads are respected', () => {
  const rows = ['23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command'];
  for (let s = 0; s < 4; s++)
    for (let t = 0; t < 4; t++) rows.push(`23:25:0${s}        0         -     ${100 + t}      1.00      0.00  |__x`);
  const run = runFormat(pidstatFormat, rows.join('\n'), { ...DEFAULT_LIMITS, maxSnapshots: 2, maxThreads: 3 });
  assert.equal(run.snapshots.length, 2);
  assert.ok(run.snapshots.every((s) => s.threads.length === 3));
  assert.deepEqual(
    run.warnings.map((w) => [w.code, w.line]),
    [
      ['too_many_threads', 5],
      ['too_many_threads', 9],
      ['too_many_snapshots', 10],
    ],
  );
});

const signatures: Array<{ name: string; line: string; want: number }> = [
  { name: 'banner', line: BANNER, want: 1 },
  { name: '-t -w header', line: '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command', want: 1 },
  { name: '-u header, 12-hour', line: '12:00:00 AM   UID       PID    %usr %system  %guest   %wait    %CPU   CPU  Command', want: 1 },
  { name: 'Average row', line: 'Average:        0         -     32102    208.97    163.12  |__python3', want: 1 },
  { name: 'data row', line: '23:24:56        0         -     32102    204.95    147.52  |__python3', want: 0 },
  {
    name: 'mpstat Average row',
    line: 'Average:     all    0.50    0.00    0.25    0.00    0.00    0.00    0.00    0.00    0.00   99.25',
    want: 0,
  },
  { name: 'sar -q Average row', line: 'Average:            1       200      0.50      0.60      0.70         0', want: 0 },
  { name: 'ps header', line: '  PID   LWP %CPU STAT WCHAN                            COMMAND', want: 0 },
  { name: 'gdb thread header', line: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  { name: 'python File line', line: '  File "/usr/lib/python3.11/threading.py", line 320, in wait', want: 0 },
  { name: 'a 1 MB line', line: `Linux ${'x'.repeat(1_000_000)} (2 CPU)`, want: 0 },
];

for (const c of signatures) test(`signature: ${c.name}`, () => assert.equal(pidstatFormat.signature(c.line), c.want));

test('corpus py-gil-gthread-40/pidstat.txt: 3 intervals and Average, 41 threads, switch rates', (t) => {
  const text = corpusText('py-gil-gthread-40/pidstat.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(pidstatFormat, text);
  assert.equal(run.warnings.length, 0);
  assert.deepEqual(
    run.snapshots.map((s) => [s.label, s.isAverage, s.threads.length, s.pid]),
    [
      ['23:24:56', false, 41, 32100],
      ['23:24:57', false, 41, 32100],
      ['23:24:58', false, 41, 32100],
      ['Average', true, 41, 32100],
    ],
  );
  const first = run.snapshots[0];
  const t32102 = first?.threads.find((th) => th.lwp === 32102);
  assert.deepEqual(
    [t32102?.pid, t32102?.voluntarySwitchesPerSec, t32102?.involuntarySwitchesPerSec, t32102?.name],
    [32100, 204.95, 147.52, 'python3'],
  );
  assert.equal(first?.processes[0]?.voluntarySwitchesPerSec, 7.92);
  assert.equal(run.snapshots[3]?.threads.find((th) => th.lwp === 32106)?.involuntarySwitchesPerSec, 271.1);
});

test('corpus py-gil-gthread-40/pidstat-u.txt: per-thread %CPU, process total', (t) => {
  const text = corpusText('py-gil-gthread-40/pidstat-u.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(pidstatFormat, text);
  assert.equal(run.warnings.length, 0);
  assert.equal(run.snapshots.length, 4);
  const [first] = run.snapshots;
  assert.equal(first?.processes[0]?.cpuPercent, 104.95);
  assert.equal(first?.threads.find((th) => th.lwp === 32100)?.cpuPercent, 0);
  assert.equal(first?.threads.find((th) => th.lwp === 32102)?.cpuPercent, 14.85);
  assert.equal(run.snapshots[3]?.threads.find((th) => th.lwp === 32106)?.cpuPercent, 22.59);
});

test('combined -u -w: each Average block under its own header merges thread by thread', () => {
  const text = [
    'Linux 6.18.44 (vm) \t11/22/26 \t_x86_64_\t(2 CPU)',
    '',
    '00:29:56      UID      TGID       TID    %usr %system  %guest   %wait    %CPU   CPU  Command',
    '00:29:57        0         -      4624   41.58    0.00    0.00   58.42   41.58     0  |__python3.11',
    '',
    '00:29:56      UID      TGID       TID   cswch/s nvcswch/s  Command',
    '00:29:57        0         -      4624      9.90    159.41  |__python3.11',
    '',
    'Average:      UID      TGID       TID    %usr %system  %guest   %wait    %CPU   CPU  Command',
    'Average:        0         -      4624   34.33    0.00    0.00   64.68   34.33     -  |__python3.11',
    '',
    'Average:      UID      TGID       TID   cswch/s nvcswch/s  Command',
    'Average:        0         -      4624      5.97    152.24  |__python3.11',
  ].join('\n');
  const lines = text.split('\n');
  const snapshots = pidstatFormat.parse(lines, 0, lines.length, collectingContext(DEFAULT_LIMITS, []));
  const average = snapshots.find((s) => s.isAverage);
  const t = average?.threads[0];
  assert.deepEqual([t?.lwp, t?.cpuPercent, t?.voluntarySwitchesPerSec, t?.involuntarySwitchesPerSec], [4624, 34.33, 5.97, 152.24]);
});
