import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyFaulthandlerLine, faulthandlerSignature, parseCFrame } from './line-kinds.js';

const kindCases: Array<{ text: string; want: string }> = [
  { text: 'Fatal Python error: Segmentation fault', want: 'fatal' },
  { text: 'Fatal Python error: PyThreadState_Get: no current thread', want: 'fatal' },
  { text: 'Windows fatal exception: access violation', want: 'windowsFatal' },
  { text: 'Python runtime state: initialized', want: 'runtimeState' },
  { text: 'Timeout (0:00:05)!', want: 'timeout' },
  { text: 'Timeout (1:02:03.500000)!', want: 'timeout' },
  { text: 'Thread 0x00007fbf3a9756c0 (most recent call first):', want: 'threadHeader' },
  { text: 'Current thread 0x00007fbf3c57f040 (most recent call first):', want: 'threadHeader' },
  { text: 'Current thread 0x00007fb899f39700:', want: 'threadHeader' },
  { text: 'Thread 0x00007f58c25be6c0 [sleeper] (most recent call first):', want: 'threadHeader' },
  { text: 'Stack (most recent call first):', want: 'stackHeader' },
  { text: '  File "/srv/demo/crash_abort.py", line 22 in poller', want: 'frame' },
  { text: '  <no Python frame>', want: 'noFrame' },
  { text: '  <tstate is freed>', want: 'stackBroken' },
  { text: '  ...', want: 'framesCut' },
  { text: 'plus 12 frames', want: 'framesCut' },
  { text: '...', want: 'threadsCut' },
  { text: '<freed thread state>', want: 'freedThreadState' },
  { text: '  Garbage-collecting', want: 'garbageCollecting' },
  { text: 'Extension modules: numpy.core._multiarray_umath, _cffi_backend (total: 2)', want: 'extensionModules' },
  { text: "Current thread's C stack trace (most recent call first):", want: 'cStackHeader' },
  { text: '  Binary file "/lib/x86_64-linux-gnu/libc.so.6", at abort+0xd2 [0x7f6108628859]', want: 'cFrame' },
  { text: '  <truncated rest of calls>', want: 'cStackNote' },
  { text: '<Cannot show all threads while the GIL is disabled>', want: 'gilDisabled' },
  { text: 'Traceback (most recent call last):', want: 'exceptionHeader' },
  { text: 'Thread 0x00007f (LWP 12):', want: 'other' },
  { text: 'Segmentation fault (core dumped)', want: 'other' },
  { text: '', want: 'blank' },
];

for (const c of kindCases) test(`classify: ${c.text || '(blank)'}`, () => assert.equal(classifyFaulthandlerLine(c.text).kind, c.want));

test('thread header facts: id normalized, name, current', () => {
  assert.deepEqual(classifyFaulthandlerLine('Current thread 0x00007f58d06bb740 [main_thread] (most recent call first):'), {
    kind: 'threadHeader',
    isCurrent: true,
    pthreadId: '0x7f58d06bb740',
    name: 'main_thread',
  });
  assert.deepEqual(classifyFaulthandlerLine('Thread 0x00004cb0 (most recent call first):'), {
    kind: 'threadHeader',
    isCurrent: false,
    pthreadId: '0x4cb0',
    name: null,
  });
});

const cFrameCases = [
  {
    text: '  Binary file "/usr/bin/python3.14t", at _Py_DumpStack+0x30 [0x4b53b0]',
    want: { function: '_Py_DumpStack', library: '/usr/bin/python3.14t', address: '0x4b53b0' },
  },
  {
    text: '  Binary file "/lib/x86_64-linux-gnu/libc.so.6", at +0x45330 [0x7f6108645330]',
    want: { function: null, library: '/lib/x86_64-linux-gnu/libc.so.6', address: '0x7f6108645330' },
  },
  { text: '  Binary file "/opt/lib.so" [0x7f00]', want: { function: null, library: '/opt/lib.so', address: '0x7f00' } },
  { text: "  Binary file '<unknown>' [0x7f00]", want: { function: null, library: null, address: '0x7f00' } },
  { text: '  Binary file "/x", at f+0x1 [zz]', want: null },
];

for (const c of cFrameCases) {
  test(`parseCFrame: ${c.text.trim()}`, () => {
    const f = parseCFrame(c.text);
    assert.deepEqual(f === null ? null : { function: f.function, library: f.library, address: f.address }, c.want);
    if (f) assert.equal(f.language, 'native');
  });
}

const signatureCases: Array<{ text: string; want: number }> = [
  { text: 'Thread 0x00007fbf3a9756c0 (most recent call first):', want: 1 },
  { text: 'Current thread 0x00007fbf3c57f040 (most recent call first):', want: 1 },
  { text: 'Fatal Python error: Aborted', want: 1 },
  { text: 'Stack (most recent call first):', want: 1 },
  { text: '  File "/srv/demo/crash_abort.py", line 22 in poller', want: 0.9 },
  { text: '  File "/srv/demo/crash_abort.py", line 22, in poller', want: 0 },
  { text: 'Traceback (most recent call first):', want: 0 },
  { text: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  { text: 'Thread 0x7fd0ba4fe6c0 (gevent-monitor)', want: 0 },
  { text: '#0  0x00007f in epoll_wait () from /lib/libc.so.6', want: 0 },
  { text: '', want: 0 },
];

for (const c of signatureCases)
  test(`signature ${c.want}: ${c.text || '(blank)'}`, () => assert.equal(faulthandlerSignature(c.text), c.want));

test('signature and classification stay linear on a 1 MB line', () => {
  for (const prefix of ['Thread 0x1 [', '  File "', '  Binary file "', 'Timeout (', 'Current thread 0x', '']) {
    const line = `${prefix}${'('.repeat(1_000_000)}`;
    faulthandlerSignature(line);
    classifyFaulthandlerLine(line);
  }
});
