import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPySpyLocalsLine, parsePySpyFrame, parsePySpyLine } from './py-spy.js';

const lineCases: Array<{ text: string; want: ReturnType<typeof parsePySpyLine> }> = [
  { text: 'Process 1234: python app.py --port 8080', want: { kind: 'process', pid: 1234, command: 'python app.py --port 8080' } },
  { text: 'Python v3.11.2 (/usr/bin/python3.11)', want: { kind: 'pythonVersion' } },
  { text: 'Python v3.13.0t (/opt/py/bin/python3.13t)', want: { kind: 'pythonVersion' } },
  { text: 'Parent Process 1200: /bin/bash', want: { kind: 'parentProcess', pid: 1200 } },
  {
    text: 'Thread 0x7F8E4B1FF700 (idle): "MainThread"',
    want: { kind: 'thread', pthreadId: '0x7f8e4b1ff700', lwp: null, name: 'MainThread', markers: ['py-spy:idle'], key: 't:0x7f8e4b1ff700' },
  },
  {
    text: 'Thread 1234 (active+gil): "MainThread"',
    want: { kind: 'thread', pthreadId: null, lwp: 1234, name: 'MainThread', markers: ['py-spy:active', 'py-spy:gil'], key: 'lwp:1234' },
  },
  {
    text: 'Thread 1240 (active)',
    want: { kind: 'thread', pthreadId: null, lwp: 1240, name: null, markers: ['py-spy:active'], key: 'lwp:1240' },
  },
  { text: 'Thread 0x7F8E4B1FF700 (busy): "x"', want: null },
  { text: 'Thread 0x7fd0badff6c0 (stack-dumper)', want: null },
  { text: 'Processing 12 items', want: null },
  { text: '', want: null },
];

for (const c of lineCases) test(`py-spy line: ${c.text || '(blank)'}`, () => assert.deepEqual(parsePySpyLine(c.text), c.want));

const frameCases: Array<{
  text: string;
  want: {
    function: string | null;
    file: string | null;
    line: number | null;
    library: string | null;
    language: string;
    address: string | null;
  } | null;
}> = [
  {
    text: '    select (selectors.py:468)',
    want: { function: 'select', file: 'selectors.py', line: 468, library: null, language: 'python', address: null },
  },
  {
    text: '    _worker (/usr/lib/python3.11/concurrent/futures/thread.py:81)',
    want: {
      function: '_worker',
      file: '/usr/lib/python3.11/concurrent/futures/thread.py',
      line: 81,
      library: null,
      language: 'python',
      address: null,
    },
  },
  {
    text: '    <module> (app.py)',
    want: { function: '<module>', file: 'app.py', line: null, library: null, language: 'python', address: null },
  },
  {
    text: '    run (C:\\app\\srv.py:12)',
    want: { function: 'run', file: 'C:\\app\\srv.py', line: 12, library: null, language: 'python', address: null },
  },
  {
    text: '    <module> (celery:8)',
    want: { function: '<module>', file: 'celery', line: 8, library: null, language: 'python', address: null },
  },
  {
    text: '    epoll_wait (libc-2.31.so)',
    want: { function: 'epoll_wait', file: null, line: null, library: 'libc-2.31.so', language: 'native', address: null },
  },
  {
    text: '    __futex_abstimed_wait_common (/lib/x86_64-linux-gnu/libc.so.6)',
    want: {
      function: '__futex_abstimed_wait_common',
      file: null,
      line: null,
      library: '/lib/x86_64-linux-gnu/libc.so.6',
      language: 'native',
      address: null,
    },
  },
  {
    text: '    take_gil (ceval_gil.c:300)',
    want: { function: 'take_gil', file: 'ceval_gil.c', line: 300, library: null, language: 'native', address: null },
  },
  {
    text: '    0x7f3a2b1c5d6e (?)',
    want: { function: null, file: null, line: null, library: null, language: 'native', address: '0x7f3a2b1c5d6e' },
  },
  {
    text: '    std::vector<int>::push_back (vector.tcc:120)',
    want: { function: 'std::vector<int>::push_back', file: 'vector.tcc', line: 120, library: null, language: 'native', address: null },
  },
  {
    text: '    std::sys::pal::unix::futex::futex_wait (futex.rs:62)',
    want: {
      function: 'std::sys::pal::unix::futex::futex_wait',
      file: 'futex.rs',
      line: 62,
      library: null,
      language: 'native',
      address: null,
    },
  },
  { text: '    Arguments:', want: null },
  { text: 'select (selectors.py:468)', want: null },
];

for (const c of frameCases) {
  test(`py-spy frame: ${c.text.trim()}`, () => {
    const f = parsePySpyFrame(c.text);
    assert.deepEqual(
      f === null
        ? null
        : { function: f.function, file: f.file, line: f.line, library: f.library, language: f.language, address: f.address },
      c.want,
    );
  });
}

test('py-spy --locals lines', () => {
  assert.equal(isPySpyLocalsLine('        Arguments:'), true);
  assert.equal(isPySpyLocalsLine('        Locals::'), true);
  assert.equal(isPySpyLocalsLine('            timeout: 1.0'), true);
  assert.equal(isPySpyLocalsLine('    select (selectors.py:468)'), false);
});
