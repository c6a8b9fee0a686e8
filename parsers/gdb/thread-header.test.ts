import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSelectedThread, parseThreadHeader, type ThreadIdentity } from './thread-header.js';

const none: ThreadIdentity = { inferior: null, number: null, lwp: null, pthreadId: null, pid: null, name: null };

const headers: Array<{ name: string; line: string; want: Partial<ThreadIdentity> | null }> = [
  {
    name: 'gdb 13.1 with the OS name',
    line: 'Thread 4 (Thread 0x7faec7fff6c0 (LWP 406) "audit"):',
    want: { number: 4, lwp: 406, pthreadId: '0x7faec7fff6c0', name: 'audit' },
  },
  {
    name: 'without a name (gdb < 12, or a core)',
    line: 'Thread 3 (Thread 0x7faecdbd26c0 (LWP 405)):',
    want: { number: 3, lwp: 405, pthreadId: '0x7faecdbd26c0', name: null },
  },
  { name: 'i386 pthread id', line: 'Thread 1 (Thread 0xb774d880 (LWP 1073)):', want: { lwp: 1073, pthreadId: '0xb774d880' } },
  { name: 'old libthread_db: the number is the LWP', line: 'Thread 11 (Thread 19965):', want: { number: 11, lwp: 19965, pthreadId: null } },
  { name: 'LWP only', line: 'Thread 2 (LWP 1093):', want: { number: 2, lwp: 1093, pthreadId: null } },
  { name: 'single-threaded process', line: 'Thread 1 (process 1234):', want: { number: 1, lwp: 1234, pid: 1234 } },
  { name: 'inferior-qualified id', line: 'Thread 1.2 (Thread 0x7f0000001 (LWP 55)):', want: { inferior: 1, number: 2, lwp: 55 } },
  { name: 'gdbserver pid.lwp', line: 'Thread 2 (Thread 4000.4001):', want: { number: 2, pid: 4000, lwp: 4001 } },
  {
    name: 'a name with spaces, quotes and parentheses',
    line: 'Thread 5 (Thread 0x7f01 (LWP 9) "my (odd) "name"):',
    want: { name: 'my (odd) "name' },
  },
  { name: 'eu-stack TID', line: 'TID 1235:', want: { lwp: 1235, number: null } },
  { name: 'faulthandler header is not gdb', line: 'Thread 0x00007f77e26006c0 (most recent call first):', want: null },
  { name: 'missing colon', line: 'Thread 4 (Thread 0x7faec7fff6c0 (LWP 406))', want: null },
  { name: 'unknown target id', line: 'Thread 4 (something else):', want: null },
  { name: 'cut header', line: 'Thread 4 (Thread 0x7faec7f', want: null },
];

for (const c of headers) {
  test(`header: ${c.name}`, () => {
    const got = parseThreadHeader(c.line);
    if (c.want === null) assert.equal(got, null);
    else assert.deepEqual(got, { ...none, ...pick(got, c.want) });
  });
}

/** Checks the fields named in `want`, so each case states only what it is about; returns `got`. */
function pick(got: ThreadIdentity | null, want: Partial<ThreadIdentity>): ThreadIdentity {
  assert.ok(got);
  for (const [key, value] of Object.entries(want)) assert.deepEqual(got[key as keyof ThreadIdentity], value, key);
  return got;
}

const selected: Array<{ name: string; line: string; want: Partial<ThreadIdentity> | null }> = [
  {
    name: 'core file',
    line: '[Current thread is 1 (Thread 0x7fbf3c57f040 (LWP 1092))]',
    want: { number: 1, lwp: 1092, pthreadId: '0x7fbf3c57f040' },
  },
  { name: 'core without libthread_db', line: '[Current thread is 1 (LWP 1092)]', want: { number: 1, lwp: 1092 } },
  { name: 'thread command', line: '[Switching to thread 2 (Thread 0x7ffff7d8a700 (LWP 1235))]', want: { number: 2, lwp: 1235 } },
  { name: 'live stop in another thread', line: '[Switching to Thread 0x7ffff7d8a700 (LWP 1235)]', want: { number: null, lwp: 1235 } },
  { name: 'not a selection', line: '[New Thread 0x7ffff7d8a700 (LWP 1235)]', want: null },
];

for (const c of selected) {
  test(`selected: ${c.name}`, () => {
    const got = parseSelectedThread(c.line);
    if (c.want === null) assert.equal(got, null);
    else pick(got, c.want);
  });
}
