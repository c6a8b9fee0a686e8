import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInfoThreadsHeader, parseInfoThreadsRow } from './info-threads.js';

const HEADER_13 = '  Id   Target Id                                  Frame ';

test('header gives the Frame column', () => {
  assert.equal(parseInfoThreadsHeader(HEADER_13.trimEnd()), 50);
  assert.equal(parseInfoThreadsHeader('  Id  Something'), null);
});

const col = parseInfoThreadsHeader(HEADER_13.trimEnd());

const rows = [
  {
    name: 'current thread with a name (gdb 13.1)',
    line: '* 1    Thread 0x7faece3d4740 (LWP 402) "deadlock" __futex_abstimed_wait_common64 (private=128, cancel=true, abstime=0x0, op=265, expected=405, futex_word=0x7faecdbd2990) at ./nptl/futex-internal.c:57',
    column: col,
    want: {
      isCurrent: true,
      number: 1,
      lwp: 402,
      pthreadId: '0x7faece3d4740',
      name: 'deadlock',
      frameStart: '__futex_abstimed_wait_common64 (',
    },
  },
  {
    name: 'padded short name',
    line: '  2    Thread 0x7faece3d36c0 (LWP 404) "stats"    0x00007faece4a6545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48',
    column: col,
    want: { isCurrent: false, number: 2, lwp: 404, name: 'stats', frameStart: '0x00007faece4a6545 in' },
  },
  {
    name: 'a name holding a quote and a space, read with the column',
    line: '  3    Thread 0x7f01 (LWP 7) "a" b"     f () at x.c:1',
    column: 37,
    want: { name: 'a" b', frameStart: 'f () at x.c:1' },
  },
  {
    name: 'a warning in place of the frame',
    line: "  2    Thread 0x7fbf3c17c6c0 (LWP 1093) warning: Section `.reg-xstate/1093' in core file too small.",
    column: 41,
    want: { lwp: 1093, name: null, frameStart: 'warning:' },
  },
  {
    name: 'gdb 7 without padding or header',
    line: '* 1 Thread 0xb7fdc6c0 (LWP 1234)  main () at x.c:5',
    column: null,
    want: { isCurrent: true, lwp: 1234, frameStart: 'main () at x.c:5' },
  },
  {
    name: 'process target',
    line: '* 1    process 5678 "a.out" main () at x.c:5',
    column: null,
    want: { lwp: 5678, pid: 5678, name: 'a.out', frameStart: 'main ()' },
  },
  {
    name: 'LWP target',
    line: '  4    LWP 55 0x0000 in poll () from /lib/libc.so.6',
    column: null,
    want: { lwp: 55, frameStart: '0x0000 in poll' },
  },
  {
    name: 'qualified id',
    line: '  1.2  Thread 0x7f02 (LWP 56) "w" (running)',
    column: null,
    want: { number: 2, lwp: 56, frameStart: '(running)' },
  },
];

for (const c of rows) {
  test(`row: ${c.name}`, () => {
    const got = parseInfoThreadsRow(c.line, c.column);
    assert.ok(got);
    const { frameStart, isCurrent, ...id } = c.want;
    if (isCurrent !== undefined) assert.equal(got.isCurrent, isCurrent);
    for (const [key, value] of Object.entries(id)) assert.deepEqual(got.identity[key as keyof typeof got.identity], value, key);
    assert.ok(got.frameText.startsWith(frameStart), got.frameText);
  });
}

for (const line of ['', 'Thread 2 (Thread 0x7f (LWP 3)):', '  File "/x.py", line 3, in f', '* 1 something else', '  2    Thread zz']) {
  test(`not a row: ${JSON.stringify(line)}`, () => assert.equal(parseInfoThreadsRow(line, col), null));
}
