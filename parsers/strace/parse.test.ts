import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { corpusText, runFormat } from '../../test/support/parser-harness.js';
import type { Snapshot, SyscallStat } from '../model.js';
import { straceFormat } from './index.js';

type Stat = [name: string, calls: number, errors: number | null, seconds: number | null, percent: number | null, immediate: number | null];
const stats = (list: SyscallStat[] | null | undefined): Stat[] | null =>
  list == null ? null : list.map((s) => [s.name, s.calls, s.errors, s.seconds, s.percentTime, s.immediateReturns]);
const threadStats = (s: Snapshot | undefined, lwp: number) => stats(s?.threads.find((t) => t.lwp === lwp)?.syscalls);

const TABLE = [
  '% time     seconds  usecs/call     calls    errors syscall',
  '------ ----------- ----------- --------- --------- ----------------',
  ' 95.57   28.278898         598     47240     17359 futex',
  '  2.62    0.775396         334      2315           clock_nanosleep',
  '------ ----------- ----------- --------- --------- ----------------',
  '100.00   29.589198         596     49590     17391 total',
];

interface Case {
  name: string;
  text: string;
  check: (snaps: Snapshot[], warnings: string[]) => void;
}

const cases: Case[] = [
  {
    name: 'strace -c: rows with a blank errors cell, the total row left out',
    text: ['strace: Process 32100 attached with 41 threads', 'strace: Process 32100 detached', ...TABLE].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(warnings, []);
      assert.deepEqual(stats(s?.syscalls), [
        ['futex', 47240, 17359, 28.278898, 95.57, null],
        ['clock_nanosleep', 2315, 0, 0.775396, 2.62, null],
      ]);
      assert.equal(s?.pid, 32100);
      assert.deepEqual(
        s?.processes.map((p) => [p.pid, p.threadCount]),
        [[32100, 41]],
      );
      assert.equal(s?.threads.length, 0);
    },
  },
  {
    name: 'strace -c under a decimal-comma locale',
    text: [
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ' 66,75    0,003708           0      3922           read',
      ' 33,25    0,001847           0      2685           write',
      '------ ----------- ----------- --------- --------- ----------------',
      '100,00    0,005555           0      6607           total',
    ].join('\n'),
    check: ([s]) =>
      assert.deepEqual(stats(s?.syscalls), [
        ['read', 3922, 0, 0.003708, 66.75, null],
        ['write', 2685, 0, 0.001847, 33.25, null],
      ]),
  },
  {
    name: 'strace -c -U name,calls,errors,max-time: columns in another order',
    text: [
      'syscall             calls    errors  longest',
      '---------------- --------- --------- --------',
      'futex                  12         3 1.000100',
      'poll                    4           0.000010',
    ].join('\n'),
    check: ([s]) =>
      assert.deepEqual(stats(s?.syscalls), [
        ['futex', 12, 3, null, null, null],
        ['poll', 4, 0, null, null, null],
      ]),
  },
  {
    name: 'a 32-bit personality table adds to the first; two runs are two snapshots',
    text: [
      ...TABLE,
      'System call usage summary for 32 bit mode:',
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000100          10        10         1 futex',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000100          10        10         1 total',
      '',
      ...TABLE,
    ].join('\n'),
    check: (snaps) => {
      assert.equal(snaps.length, 2);
      assert.deepEqual(stats(snaps[0]?.syscalls)?.[0], ['futex', 47250, 17360, 28.278998, null, null]);
      assert.deepEqual(stats(snaps[1]?.syscalls)?.[0], ['futex', 47240, 17359, 28.278898, 95.57, null]);
      assert.equal(snaps[1]?.index, 1);
    },
  },
  {
    name: 'raw trace with -f -tt -T: halves joined per pid, errors, durations, immediate polls',
    text: [
      'strace: Process 500 attached with 3 threads',
      '[pid   501] 10:00:00.000100 futex(0x7f4f0c000b70, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>',
      '[pid   502] 10:00:00.000200 poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout) <0.000008>',
      '[pid   502] 10:00:00.000300 poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout) <0.000007>',
      '[pid   501] 10:00:00.000400 <... futex resumed>) = -1 EAGAIN (Resource temporarily unavailable) <0.000300>',
      '[pid   500] 10:00:00.000500 epoll_wait(4, [], 1024, 1000) = 0 <1.000901>',
      '[pid   500] 10:00:01.001500 epoll_wait(4,  <unfinished ...>',
      '[pid   502] 10:00:01.001600 --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
      '[pid   500] 10:00:01.001700 <... epoll_wait resumed>[{events=EPOLLIN, data={u32=5, u64=5}}], 1024, 5) = 1 <0.000190>',
      '[pid   502] 10:00:01.002000 select(4, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout) <0.000004>',
      '[pid   502] 10:00:01.002100 ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0 (Timeout) <0.000004>',
      '[pid   502] 10:00:01.002200 epoll_pwait(4, [], 1024, 10, NULL, 8) = 0 <0.000500>',
      '[pid   502] +++ exited with 0 +++',
    ].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(warnings, []);
      assert.equal(s?.pid, 500);
      assert.deepEqual(stats(s?.syscalls), [
        ['epoll_wait', 2, 0, 1.001091, null, 0],
        ['poll', 2, 0, 0.000015, null, 2],
        ['epoll_pwait', 1, 0, 0.0005, null, 1],
        ['futex', 1, 1, 0.0003, null, null],
        ['ppoll', 1, 0, 0.000004, null, 1],
        ['select', 1, 0, 0.000004, null, 1],
      ]);
      assert.deepEqual(
        s?.threads.map((t) => [t.pid, t.lwp]),
        [
          [null, 501],
          [null, 502],
          [null, 500],
        ],
      );
      assert.deepEqual(threadStats(s, 501), [['futex', 1, 1, 0.0003, null, null]]);
      assert.deepEqual(threadStats(s, 500), [['epoll_wait', 2, 0, 1.001091, null, 0]]);
      assert.equal(s?.threads.find((t) => t.lwp === 501)?.line, 2);
      assert.deepEqual(s?.notes, []);
    },
  },
  {
    name: 'the -f -o FILE pid column and -ttt timestamps',
    text: [
      '32100 1763767496.000100 read(3, "abc", 4096) = 3',
      '32101 1763767496.000200 read(3, 0x7ffd, 4096) = -1 EAGAIN (Resource temporarily unavailable)',
      '32101 1763767496.000300 write(1, "a) = 3\\n\\"(", 9) = 9',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(threadStats(s, 32100), [['read', 1, 0, null, null, null]]);
      assert.deepEqual(threadStats(s, 32101), [
        ['read', 1, 1, null, null, null],
        ['write', 1, 0, null, null, null],
      ]);
    },
  },
  {
    name: 'a trace without pids (-r relative times): only the whole-trace counts',
    text: [
      '     0.000000 poll([{fd=3, events=POLLIN}], 1, 500) = 0 (Timeout) <0.500630>',
      '     0.500800 poll([{fd=3, events=POLLIN}], 1, 500) = 1 ([{fd=3, revents=POLLIN}]) <0.000100>',
    ].join('\n'),
    check: ([s]) => {
      assert.deepEqual(stats(s?.syscalls), [['poll', 2, 0, 0.50073, null, 0]]);
      assert.equal(s?.threads.length, 0);
      assert.equal(s?.pid, null);
    },
  },
  {
    name: 'a call still unfinished when the trace ends is counted and noted; <detached ...> too',
    text: [
      'strace: Process 402 attached',
      '[pid   404] futex(0x5581a0, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>',
      '[pid   405] futex(0x5581c8, FUTEX_WAIT_PRIVATE, 2, NULL <detached ...>',
    ].join('\n'),
    check: ([s]) => {
      assert.equal(s?.pid, 402);
      assert.deepEqual(stats(s?.syscalls), [['futex', 2, 0, null, null, null]]);
      assert.deepEqual(
        s?.notes.map((n) => [n.kind, n.line, n.message]),
        [
          ['info', 2, 'thread 404 was still inside futex(0x5581a0, FUTEX_WAIT_PRIVATE, 2, NULL when the trace ended'],
          ['info', 3, 'thread 405 was still inside futex(0x5581c8, FUTEX_WAIT_PRIVATE, 2, NULL when the trace ended'],
        ],
      );
    },
  },
  {
    name: 'a resumed half that does not match the pending call is reported as an ambiguous join',
    text: ['[pid 7] read(3,  <unfinished ...>', '[pid 7] <... write resumed>) = 5', '<... poll resumed>) = 0 (Timeout) <0.000002>'].join(
      '\n',
    ),
    check: ([s], warnings) => {
      assert.deepEqual(warnings, ['ambiguous_join@2']);
      assert.deepEqual(stats(s?.syscalls), [
        ['poll', 1, 0, 0.000002, null, 1],
        ['read', 1, 0, null, null, null],
        ['write', 1, 0, null, null, null],
      ]);
    },
  },
  {
    name: 'strace -C: the table wins for the totals, the trace still gives threads',
    text: ['[pid 11] nanosleep({tv_sec=1, tv_nsec=0}, NULL) = 0 <1.000100>', ...TABLE].join('\n'),
    check: (snaps) => {
      assert.equal(snaps.length, 1);
      assert.equal(snaps[0]?.syscalls?.[0]?.name, 'futex');
      assert.deepEqual(threadStats(snaps[0], 11), [['nanosleep', 1, 0, 1.0001, null, null]]);
    },
  },
  {
    name: 'program output interleaved with the trace is skipped and reported',
    text: ['hello from the program', 'read(0, "", 1) = 0', 'Traceback (most recent call last):'].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(stats(s?.syscalls), [['read', 1, 0, null, null, null]]);
      assert.deepEqual(warnings, ['unrecognized_line@3']);
    },
  },
  {
    name: 'a trace cut in the middle of a call keeps what came before',
    text: ['read(3, "abc", 4096) = 3', 'write(1, "hel'].join('\n'),
    check: ([s], warnings) => {
      assert.deepEqual(stats(s?.syscalls), [['read', 1, 0, null, null, null]]);
      assert.deepEqual(warnings, ['unrecognized_line@2']);
    },
  },
  { name: 'empty input', text: '', check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]) },
  { name: 'junk only', text: 'nothing to see\n---\n+++\n', check: (snaps, warnings) => assert.deepEqual([snaps, warnings], [[], []]) },
  {
    name: 'a 1 MB argument string is read in linear time',
    text: [`write(1, "${'x'.repeat(1_000_000)}", 1000000) = 1000000`, `read(0, "${'('.repeat(500_000)}`].join('\n'),
    check: ([s]) => assert.deepEqual(stats(s?.syscalls), [['write', 1, 0, null, null, null]]),
  },
];

for (const c of cases) {
  test(c.name, () => {
    const run = runFormat(straceFormat, c.text);
    c.check(
      run.snapshots,
      run.warnings.map((w) => `${w.code}@${w.line}`),
    );
  });
}

test('maxThreads caps the pids counted one by one; the totals still count them', () => {
  const rows = Array.from({ length: 5 }, (_, i) => `[pid ${100 + i}] getpid() = ${100 + i}`);
  const run = runFormat(straceFormat, rows.join('\n'), { ...DEFAULT_LIMITS, maxThreads: 2 });
  assert.equal(run.snapshots[0]?.threads.length, 2);
  assert.equal(run.snapshots[0]?.syscalls?.[0]?.calls, 5);
  assert.deepEqual(
    run.warnings.map((w) => [w.code, w.line]),
    [['too_many_threads', 3]],
  );
});

const signatures: Array<{ name: string; line: string; want: number }> = [
  { name: 'strace -c header', line: '% time     seconds  usecs/call     calls    errors syscall', want: 1 },
  { name: 'attach line', line: 'strace: Process 32100 attached with 41 threads', want: 1 },
  { name: 'raw line with pid', line: '[pid 32102] futex(0x7f4f0c000b70, FUTEX_WAKE_PRIVATE, 1) = 0', want: 1 },
  { name: 'unfinished line', line: '[pid 32102] futex(0x7f4f0c000b70, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL <unfinished ...>', want: 1 },
  { name: 'a pid-prefixed call cut before its result', line: '[pid 32102] 23:24:56.123456 futex(0x7f4f0c000b70, FUTEX_WA', want: 1 },
  { name: 'resumed line', line: '<... poll resumed>) = 0 (Timeout)', want: 1 },
  { name: 'bare call', line: 'read(3, "abc", 4096) = 3', want: 1 },
  { name: 'signal', line: '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9} ---', want: 1 },
  { name: 'exit', line: '+++ exited with 0 +++', want: 1 },
  { name: 'table row', line: ' 95.57   28.278898         598     47240     17359 futex', want: 0 },
  { name: 'gdb thread header', line: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  { name: 'gdb frame', line: '#0  0x00007f77e2a9d3f2 in poll (fds=0x1, nfds=1, timeout=0) at poll.c:29', want: 0 },
  { name: 'python File line', line: '  File "/usr/lib/python3.11/threading.py", line 320, in wait', want: 0 },
  { name: 'python source line', line: '    result = fn(*args) ', want: 0 },
  { name: 'pstree root', line: 'systemd(1)-+-sshd(900)', want: 0 },
  { name: 'pidstat row', line: '23:24:56        0         -     32102    204.95    147.52  |__python3', want: 0 },
  { name: 'a 1 MB line', line: `read(${'('.repeat(1_000_000)}`, want: 0 },
];

for (const c of signatures) test(`signature: ${c.name}`, () => assert.equal(straceFormat.signature(c.line), c.want));

test('corpus py-gil-gthread-40/strace-c.txt: the four rows, the attached process', (t) => {
  const text = corpusText('py-gil-gthread-40/strace-c.txt');
  if (text === null) return t.skip('corpus not present');
  const run = runFormat(straceFormat, text);
  assert.equal(run.warnings.length, 0);
  assert.equal(run.snapshots.length, 1);
  const [s] = run.snapshots;
  assert.deepEqual(stats(s?.syscalls), [
    ['futex', 47240, 17359, 28.278898, 95.57, null],
    ['clock_nanosleep', 2315, 0, 0.775396, 2.62, null],
    ['epoll_wait', 2, 0, 0.534631, 1.81, null],
    ['restart_syscall', 33, 32, 0.000273, 0, null],
  ]);
  assert.equal(s?.pid, 32100);
  assert.equal(s?.processes[0]?.threadCount, 41);
});
