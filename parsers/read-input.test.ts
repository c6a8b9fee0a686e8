import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { readInput } from './read-input.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('a file holding a gdb backtrace and then ps output gives two inputs', () => {
  const text = [
    '$ gdb -p 42 -batch -ex bt',
    'Thread 1 (Thread 0x7f01 (LWP 42) "app"):',
    '#0  0x00007f in epoll_wait () from /lib/libc.so.6',
    '',
    '$ ps -L',
    '  PID   LWP %CPU STAT WCHAN  COMMAND',
    '   42    42  0.0 Sl   do_epoll_wait app',
  ].join('\n');
  const inputs = readInput({ name: 'log.txt', bytes: enc(text) }, DEFAULT_LIMITS);
  assert.deepEqual(
    inputs.map((i) => [i.name, i.format]),
    [
      ['log.txt', 'gdb'],
      ['log.txt#2', 'ps'],
    ],
  );
  assert.equal(inputs[0]?.snapshots[0]?.threads[0]?.lwp, 42);
  assert.equal(inputs[1]?.snapshots[0]?.threads[0]?.wchan, 'do_epoll_wait');
  assert.ok(inputs[0]?.detection.evidence.some((e) => e.line === 2));
});

test('a forced format skips detection and says so', () => {
  const [input] = readInput({ name: 'x.txt', bytes: enc('  PID   LWP COMMAND\n    1     1 init\n'), format: 'ps' }, DEFAULT_LIMITS);
  assert.deepEqual([input?.format, input?.detection.forced, input?.detection.confidence], ['ps', true, 1]);
});

test('text no format recognises is unknown with a warning that says what was expected', () => {
  const [input] = readInput({ name: 'notes.txt', bytes: enc('just some notes\n') }, DEFAULT_LIMITS);
  assert.equal(input?.format, 'unknown');
  assert.equal(input?.warnings[0]?.code, 'unknown_format');
  assert.match(input?.warnings[0]?.message ?? '', /expected/);
});

test('a huge ps listing keeps maxProcesses processes with a warning, and never overflows the stack', () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => `${i + 2} 1 S sleep${i}`);
  const limits = { ...DEFAULT_LIMITS, maxProcesses: 1000, maxThreads: 1_000_000 };
  const [input] = readInput({ name: 'ps.txt', bytes: enc(['  PID  PPID STAT COMMAND', ...rows].join('\n')) }, limits);
  assert.equal(input?.snapshots[0]?.processes.length, 1000);
  assert.ok(input?.warnings.some((w) => /kept the first 1000 of 200000 processes/.test(w.message)));
});

test('a gzip file is read as the text it holds', () => {
  const [input] = readInput({ name: 'bt.txt.gz', bytes: gzipSync('Thread 1 (LWP 7):\n#0  0x1 in main () at a.c:1\n') }, DEFAULT_LIMITS);
  assert.equal(input?.format, 'gdb');
  assert.equal(input?.snapshots[0]?.threads[0]?.lwp, 7);
});
