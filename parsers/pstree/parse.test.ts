import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { corpusText, runFormat } from '../../test/support/parser-harness.js';
import type { Snapshot } from '../model.js';
import { pstreeFormat } from './index.js';

type Row = [pid: number, ppid: number | null, command: string | null, threadCount: number | null];
const procRows = (s: Snapshot | undefined): Row[] => (s?.processes ?? []).map((p) => [p.pid, p.ppid, p.command, p.threadCount]);
const threadRows = (s: Snapshot | undefined) => (s?.threads ?? []).map((t) => [t.pid, t.lwp, t.name]);

interface Case {
  name: string;
  text: string;
  processes?: Row[];
  threads?: Array<[number | null, number | null, string | null]>;
  snapshots?: number;
  warnings?: string[];
}

const cases: Case[] = [
  {
    name: 'pstree -ap with ASCII branches, args after the pid, a thread in braces',
    text: [
      'bash,1 run_mp.sh py-mp-queue-join-hang mp_queue_hang.py',
      '  |-pstree,28 -ap',
      '  `-timeout,4 60 /usr/bin/python3 /srv/demo/mp_queue_hang.py',
      '      `-python3,7 /srv/demo/mp_queue_hang.py',
      '          `-python3,9 /srv/demo/mp_queue_hang.py',
      '              `-{python3},10',
    ].join('\n'),
    processes: [
      [1, null, 'bash run_mp.sh py-mp-queue-join-hang mp_queue_hang.py', 1],
      [28, 1, 'pstree -ap', 1],
      [4, 1, 'timeout 60 /usr/bin/python3 /srv/demo/mp_queue_hang.py', 1],
      [7, 4, 'python3 /srv/demo/mp_queue_hang.py', 1],
      [9, 7, 'python3 /srv/demo/mp_queue_hang.py', 2],
    ],
    threads: [[9, 10, null]],
  },
  {
    name: 'pstree -p: children chained on one line with -+- and ---, later siblings under |- and `-',
    text: [
      'systemd(1)-+-ModemManager(785)-+-{ModemManager}(801)',
      '           |                   `-{ModemManager}(802)',
      '           |-sshd(900)---sshd(1000)---bash(1001)---pstree(1100)',
      '           `-cron(700)',
    ].join('\n'),
    processes: [
      [1, null, 'systemd', 1],
      [785, 1, 'ModemManager', 3],
      [900, 1, 'sshd', 1],
      [1000, 900, 'sshd', 1],
      [1001, 1000, 'bash', 1],
      [1100, 1001, 'pstree', 1],
      [700, 1, 'cron', 1],
    ],
    threads: [
      [785, 801, null],
      [785, 802, null],
    ],
  },
  {
    name: 'pstree -p with UTF-8 branches',
    text: [
      'systemd(1)─┬─agetty(640)',
      '           ├─gunicorn(3000)─┬─gunicorn(3010)─┬─{gunicorn}(3011)',
      '           │                │                └─{gunicorn}(3012)',
      '           │                └─gunicorn(3020)',
      '           └─sshd(900)───sshd(1000)',
    ].join('\n'),
    processes: [
      [1, null, 'systemd', 1],
      [640, 1, 'agetty', 1],
      [3000, 1, 'gunicorn', 1],
      [3010, 3000, 'gunicorn', 3],
      [3020, 3000, 'gunicorn', 1],
      [900, 1, 'sshd', 1],
      [1000, 900, 'sshd', 1],
    ],
    threads: [
      [3010, 3011, null],
      [3010, 3012, null],
    ],
  },
  {
    name: 'pstree -pt: thread names that differ from the process name are kept',
    text: ['python3(828)-+-{stack-dumper}(832)', '             `-{python3}(833)'].join('\n'),
    processes: [[828, null, 'python3', 3]],
    threads: [
      [828, 832, 'stack-dumper'],
      [828, 833, null],
    ],
  },
  {
    name: 'pstree -apl with UTF-8 branches and names with spaces',
    text: [
      'systemd,1 --system --deserialize 31',
      '  ├─firefox,2000',
      '  │   ├─Web Content,2100 -contentproc -childID 1',
      '  │   │   └─{Web Content},2101',
      '  │   └─{firefox},2001',
      '  └─(kthreadd,2)',
    ].join('\n'),
    processes: [
      [1, null, 'systemd --system --deserialize 31', 1],
      [2000, 1, 'firefox', 2],
      [2100, 2000, 'Web Content -contentproc -childID 1', 2],
      [2, 1, 'kthreadd', 1],
    ],
    threads: [
      [2100, 2101, null],
      [2000, 2001, null],
    ],
  },
  {
    name: 'pstree -pg and -pu put more after the pid',
    text: ['bash(1001,1001)---sleep(1200,1001)', 'login(800)---bash(1300,alice)'].join('\n'),
    processes: [
      [1001, null, 'bash', null],
      [1200, 1001, 'sleep', null],
      [800, null, 'login', null],
      [1300, 800, 'bash', null],
    ],
  },
  {
    name: 'a collapsed N*[{name}] adds N threads without ids',
    text: ['python3(9)---2*[{python3}]'].join('\n'),
    processes: [[9, null, 'python3', 3]],
    threads: [],
  },
  {
    name: 'process names holding parentheses and dashes',
    text: ['systemd(1)-+-(sd-pam)(1001)', '           `-gdm-session-wor(1500)---gnome-shell(1600)'].join('\n'),
    processes: [
      [1, null, 'systemd', null],
      [1001, 1, '(sd-pam)', null],
      [1500, 1, 'gdm-session-wor', null],
      [1600, 1500, 'gnome-shell', null],
    ],
  },
  {
    name: 'two pasted trees are two snapshots',
    text: ['init(1)---sh(5)', 'init(1)---sh(5)---sleep(9)'].join('\n'),
    snapshots: 2,
  },
  {
    name: 'a line cut at the terminal width is reported',
    text: ['systemd(1)-+-averyveryverylongname(12+'].join('\n'),
    processes: [[1, null, 'systemd', null]],
    warnings: ['cut_short@1'],
  },
  {
    name: 'a branch without its root line: parent unknown, reported',
    text: ['  |-sshd,900', '  `-cron,700'].join('\n'),
    processes: [
      [900, null, 'sshd', null],
      [700, null, 'cron', null],
    ],
    warnings: ['missing_header@1'],
  },
  {
    name: 'pstree without -p has no ids: nothing is read, the user is told',
    text: ['systemd-+-ModemManager---2*[{ModemManager}]', '        |-sshd---sshd---bash', '        `-cron'].join('\n'),
    snapshots: 0,
    warnings: ['unrecognized_line@2'],
  },
  { name: 'empty input', text: '', snapshots: 0, warnings: [] },
  { name: 'junk only', text: 'hello world\nfoo bar baz\n<<<>>>', snapshots: 0, warnings: [] },
  {
    name: 'a 1 MB line inside a tree is reported, not choked on',
    text: ['bash,1 x', `  |-${'a'.repeat(1_000_000)}`, '  `-cron,7'].join('\n'),
    processes: [
      [1, null, 'bash x', null],
      [7, 1, 'cron', null],
    ],
    warnings: ['unrecognized_line@2'],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const run = runFormat(pstreeFormat, c.text);
    if (c.snapshots !== undefined) assert.equal(run.snapshots.length, c.snapshots);
    if (c.processes) assert.deepEqual(procRows(run.snapshots[0]), c.processes);
    if (c.threads) assert.deepEqual(threadRows(run.snapshots[0]), c.threads);
    if (c.warnings)
      assert.deepEqual(
        run.warnings.map((w) => `${w.code}@${w.line}`),
        c.warnings,
      );
  });
}

test('maxThreads caps the threads kept', () => {
  const rows = Array.from({ length: 6 }, (_, i) => `  |-{w},${10 + i}`);
  const run = runFormat(pstreeFormat, ['app,9', ...rows].join('\n'), { ...DEFAULT_LIMITS, maxThreads: 3 });
  assert.equal(run.snapshots[0]?.threads.length, 3);
  assert.equal(run.snapshots[0]?.processes[0]?.threadCount, 7);
  assert.deepEqual(
    run.warnings.map((w) => [w.code, w.line]),
    [['too_many_threads', 5]],
  );
});

const signatures: Array<{ name: string; line: string; want: number }> = [
  { name: '-ap ASCII branch', line: '  |-pstree,28 -ap', want: 1 },
  { name: '-ap thread branch', line: '              `-{python3},10', want: 1 },
  { name: '-p chained root', line: 'systemd(1)-+-sshd(900)---bash(1000)', want: 1 },
  { name: '-p UTF-8 branch', line: '           ├─gunicorn(3000)─┬─gunicorn(3010)', want: 1 },
  { name: '-ap root line', line: 'bash,1 run_mp.sh py-mp-queue-join-hang mp_queue_hang.py', want: 0.5 },
  { name: 'branch without an id', line: '        |-sshd---sshd---bash', want: 0 },
  { name: 'gdb thread header', line: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  { name: 'gdb frame', line: '#1  0x00007f77e2a9d3f2 in poll (fds=0x1, nfds=1, timeout=0) at poll.c:29', want: 0 },
  { name: 'python File line', line: '  File "/usr/lib/python3.11/threading.py", line 320, in wait', want: 0 },
  { name: 'strace line', line: 'read(3, "abc", 4096) = 3', want: 0 },
  { name: 'pidstat row with decimal commas', line: '23:24:56        0         -     32102    204,95    147,52  |__python3', want: 0 },
  { name: 'a markdown table rule', line: '|---|---|', want: 0 },
  { name: 'a 1 MB line', line: `  |-${'x'.repeat(1_000_000)}`, want: 0 },
];

for (const c of signatures) test(`signature: ${c.name}`, () => assert.equal(pstreeFormat.signature(c.line), c.want));

test('corpus py-mp-queue-join-hang/pstree.txt: pids, ppids and the feeder thread', (t) => {
  const text = corpusText('py-mp-queue-join-hang/pstree.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(pstreeFormat, text);
  assert.equal(run.warnings.length, 0);
  const [s] = run.snapshots;
  assert.deepEqual(
    s?.processes.map((p) => [p.pid, p.ppid, p.threadCount]),
    [
      [1, null, 1],
      [28, 1, 1],
      [4, 1, 1],
      [7, 4, 1],
      [9, 7, 2],
    ],
  );
  assert.deepEqual(threadRows(s), [[9, 10, null]]);
});
