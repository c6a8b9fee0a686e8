import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, type Limits } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import type { ParseWarning, RawThread, Snapshot } from '../model.js';
import { faulthandlerFormat } from './index.js';

function parse(text: string, limits: Limits = DEFAULT_LIMITS) {
  const lines = text === '' ? [] : text.split('\n');
  const warnings: ParseWarning[] = [];
  const snapshots = faulthandlerFormat.parse(lines, 0, lines.length, collectingContext(limits, warnings));
  return { snapshots, warnings };
}

/** A compact view of a thread: id, name, current flag, frames as `fn@file:line`, completeness, markers. */
function threadView(t: RawThread) {
  return {
    id: t.pthreadId,
    name: t.name,
    current: t.isCurrent,
    frames: t.frames.map((f) => `${f.language === 'native' ? 'C:' : ''}${f.function}@${f.file ?? f.library}:${f.line}`),
    complete: t.hasCompleteStack,
    markers: t.pythonMarkers,
  };
}

function view(snapshots: Snapshot[]) {
  return snapshots.map((s) => ({
    line: s.line,
    crash:
      s.crash === null
        ? null
        : { signal: s.crash.signal, number: s.crash.signalNumber, description: s.crash.description, pthreadId: s.crash.pthreadId },
    notes: s.notes.map((n) => `${n.kind}:${n.message}`),
    threads: s.threads.map(threadView),
  }));
}

const T = (id: string | null, frames: string[], extra: Partial<ReturnType<typeof threadView>> = {}) => ({
  id,
  name: null,
  current: false,
  frames,
  complete: true,
  markers: [] as string[],
  ...extra,
});

interface Case {
  name: string;
  text: string;
  limits?: Partial<Limits>;
  want: ReturnType<typeof view>;
  warnings?: Array<[string, number | null]>;
}

const cases: Case[] = [
  {
    name: 'CPython 3.11 os.abort() with all threads',
    text: [
      'Fatal Python error: Aborted',
      '',
      'Thread 0x00007fbf3a9756c0 (most recent call first):',
      '  File "/srv/demo/crash_abort.py", line 22 in poller',
      '  File "/usr/lib/python3.11/threading.py", line 975 in run',
      '',
      'Current thread 0x00007fbf3c57f040 (most recent call first):',
      '  File "/srv/demo/crash_abort.py", line 27 in check_invariants',
      '  File "/srv/demo/crash_abort.py", line 40 in <module>',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: { signal: 'SIGABRT', number: null, description: 'Fatal Python error: Aborted', pthreadId: '0x7fbf3c57f040' },
        notes: [],
        threads: [
          T('0x7fbf3a9756c0', ['poller@/srv/demo/crash_abort.py:22', 'run@/usr/lib/python3.11/threading.py:975']),
          T('0x7fbf3c57f040', ['check_invariants@/srv/demo/crash_abort.py:27', '<module>@/srv/demo/crash_abort.py:40'], { current: true }),
        ],
      },
    ],
  },
  {
    name: 'Python 2.7 backport: segfault, a thread printed without frames',
    text: [
      'Fatal Python error: Segmentation fault',
      '',
      'Thread 0x00007f0e5c1f9700 (most recent call first):',
      '',
      'Current thread 0x00007f0e61a2c740 (most recent call first):',
      '  File "/usr/lib/python2.7/ctypes/__init__.py", line 499 in string_at',
      '  File "crash.py", line 3 in <module>',
      'Segmentation fault (core dumped)',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: { signal: 'SIGSEGV', number: 11, description: 'Fatal Python error: Segmentation fault', pthreadId: '0x7f0e61a2c740' },
        notes: [],
        threads: [
          T('0x7f0e5c1f9700', []),
          T('0x7f0e61a2c740', ['string_at@/usr/lib/python2.7/ctypes/__init__.py:499', '<module>@crash.py:3'], { current: true }),
        ],
      },
    ],
  },
  {
    name: 'CPython 3.3 header without "(most recent call first)"',
    text: [
      'Fatal Python error: Floating point exception',
      '',
      'Current thread 0x00007fb899f39700:',
      '  File "<stdin>", line 1 in <module>',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: { signal: 'SIGFPE', number: 8, description: 'Fatal Python error: Floating point exception', pthreadId: '0x7fb899f39700' },
        notes: [],
        threads: [T('0x7fb899f39700', ['<module>@<stdin>:1'], { current: true })],
      },
    ],
  },
  {
    name: 'CPython 3.13: <no Python frame>, frames cut with "...", Garbage-collecting',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  <no Python frame>',
      '',
      'Current thread 0x00007f0000002000 (most recent call first):',
      '  Garbage-collecting',
      '  File "/app/deep.py", line 3 in recurse',
      '  File "/app/deep.py", line 3 in recurse',
      '  ...',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: null,
        notes: [],
        threads: [
          T('0x7f0000001000', []),
          T('0x7f0000002000', ['recurse@/app/deep.py:3', 'recurse@/app/deep.py:3'], {
            current: true,
            complete: false,
            markers: ['Garbage-collecting'],
          }),
        ],
      },
    ],
  },
  {
    name: 'CPython 3.15 "plus N frames" and "<freed frame>" end a stack early',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/a.py", line 1 in f',
      'plus 20 frames',
      '',
      'Thread 0x00007f0000003000 (most recent call first):',
      '  File "/b.py", line 2 in g',
      '  <freed frame>',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: null,
        notes: [],
        threads: [T('0x7f0000001000', ['f@/a.py:1'], { complete: false }), T('0x7f0000003000', ['g@/b.py:2'], { complete: false })],
      },
    ],
  },
  {
    name: 'more than 100 threads: "..." line',
    text: ['Thread 0x00007f0000001000 (most recent call first):', '  File "/a.py", line 1 in f', '', '...'].join('\n'),
    want: [
      {
        line: 1,
        crash: null,
        notes: ['info:faulthandler listed only the first 100 threads'],
        threads: [T('0x7f0000001000', ['f@/a.py:1'])],
      },
    ],
    warnings: [['truncated_input', 4]],
  },
  {
    name: 'single-thread dump after a fatal error: Stack header, no id',
    text: ['Fatal Python error: Bus error', '', 'Stack (most recent call first):', '  File "/app/mmap_read.py", line 9 in read_page'].join(
      '\n',
    ),
    want: [
      {
        line: 1,
        crash: { signal: 'SIGBUS', number: null, description: 'Fatal Python error: Bus error', pthreadId: null },
        notes: [],
        threads: [T(null, ['read_page@/app/mmap_read.py:9'], { current: true })],
      },
    ],
  },
  {
    name: 'dump_traceback_later(repeat=True): one snapshot per Timeout header',
    text: [
      'Timeout (0:00:05)!',
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/worker.py", line 10 in spin',
      'Timeout (0:00:05)!',
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/worker.py", line 11 in spin',
    ].join('\n'),
    want: [
      { line: 1, crash: null, notes: ['timeout:Timeout (0:00:05)!'], threads: [T('0x7f0000001000', ['spin@/app/worker.py:10'])] },
      { line: 4, crash: null, notes: ['timeout:Timeout (0:00:05)!'], threads: [T('0x7f0000001000', ['spin@/app/worker.py:11'])] },
    ],
  },
  {
    name: 'faulthandler.register(SIGUSR1) fired twice: a repeated thread id starts a new dump',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/a.py", line 1 in wait',
      '',
      'Current thread 0x00007f0000002000 (most recent call first):',
      '  File "/app/main.py", line 5 in main',
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/a.py", line 2 in wait',
      '',
      'Current thread 0x00007f0000002000 (most recent call first):',
      '  File "/app/main.py", line 6 in main',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: null,
        notes: [],
        threads: [T('0x7f0000001000', ['wait@/app/a.py:1']), T('0x7f0000002000', ['main@/app/main.py:5'], { current: true })],
      },
      {
        line: 6,
        crash: null,
        notes: [],
        threads: [T('0x7f0000001000', ['wait@/app/a.py:2']), T('0x7f0000002000', ['main@/app/main.py:6'], { current: true })],
      },
    ],
  },
  {
    name: 'Py_FatalError (3.11): runtime state, pending exception skipped, extension modules',
    text: [
      "Fatal Python error: _enter_buffered_busy: could not acquire lock for <_io.BufferedWriter name='<stderr>'> at interpreter shutdown",
      'Python runtime state: finalizing (tstate=0x00000000009f2f40)',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.11/logging/__init__.py", line 1113, in emit',
      '    stream.write(msg + self.terminator)',
      'RuntimeError: reentrant call',
      '',
      'Current thread 0x00007f1e1c2d5740 (most recent call first):',
      '  <no Python frame>',
      '',
      'Extension modules: _cffi_backend, yaml._yaml (total: 2)',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: {
          signal: null,
          number: null,
          description:
            "Fatal Python error: _enter_buffered_busy: could not acquire lock for <_io.BufferedWriter name='<stderr>'> at interpreter shutdown",
          pthreadId: '0x7f1e1c2d5740',
        },
        notes: [
          'info:Python runtime state: finalizing (tstate=0x00000000009f2f40)',
          'info:Extension modules: _cffi_backend, yaml._yaml (total: 2)',
        ],
        threads: [T('0x7f1e1c2d5740', [], { current: true })],
      },
    ],
  },
  {
    name: "CPython 3.14: thread names and the current thread's C stack",
    text: [
      'Fatal Python error: Segmentation fault',
      '',
      'Thread 0x00007f58c25be6c0 [sleeper] (most recent call first):',
      '  File "/usr/lib/python3.14/threading.py", line 996 in run',
      '',
      'Current thread 0x00007f58d06bb740 [main_thread] (most recent call first):',
      '  File "/usr/lib/python3.14/ctypes/__init__.py", line 590 in string_at',
      '',
      "Current thread's C stack trace (most recent call first):",
      '  Binary file "/usr/bin/python3.14", at _Py_DumpStack+0x42 [0x5b27f7d7147e]',
      '  Binary file "/usr/lib/libc.so.6", at +0x3def0 [0x77b73226bef0]',
      '  Binary file "/usr/bin/python3.14", at _PyEval_EvalFrameDefault+0x1c3 [0x5b27f7d71000]',
      '  Binary file "/usr/bin/python3.14", at Py_RunMain+0x80 [0x5b27f7d72000]',
      '',
      'Extension modules: _ctypes (total: 1)',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: { signal: 'SIGSEGV', number: 11, description: 'Fatal Python error: Segmentation fault', pthreadId: '0x7f58d06bb740' },
        notes: ['info:Extension modules: _ctypes (total: 1)'],
        threads: [
          T('0x7f58c25be6c0', ['run@/usr/lib/python3.14/threading.py:996'], { name: 'sleeper' }),
          T(
            '0x7f58d06bb740',
            [
              'C:_Py_DumpStack@/usr/bin/python3.14:null',
              'C:null@/usr/lib/libc.so.6:null',
              'string_at@/usr/lib/python3.14/ctypes/__init__.py:590',
              'C:_PyEval_EvalFrameDefault@/usr/bin/python3.14:null',
              'C:Py_RunMain@/usr/bin/python3.14:null',
            ],
            { name: 'main_thread', current: true },
          ),
        ],
      },
    ],
  },
  {
    name: 'free-threaded 3.14t: no thread list, a Stack header',
    text: [
      'Fatal Python error: Segmentation fault',
      '',
      '<Cannot show all threads while the GIL is disabled>',
      'Stack (most recent call first):',
      '  File "/src/tests/test_b.py", line 9 in test_boom',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: { signal: 'SIGSEGV', number: 11, description: 'Fatal Python error: Segmentation fault', pthreadId: null },
        notes: ['info:<Cannot show all threads while the GIL is disabled>'],
        threads: [T(null, ['test_boom@/src/tests/test_b.py:9'], { current: true })],
      },
    ],
  },
  {
    name: 'Windows: named exception is a crash, a bare code is a note',
    text: [
      'Windows fatal exception: code 0x8001010d',
      '',
      'Current thread 0x0000322c (most recent call first):',
      '  File "main.py", line 448 in main',
      '',
      'Windows fatal exception: access violation',
      '',
      'Current thread 0x00001abc (most recent call first):',
      '  File "cdumm\\engine\\apply_engine.py", line 512 in _write_delta',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: null,
        notes: ['info:Windows fatal exception: code 0x8001010d'],
        threads: [T('0x322c', ['main@main.py:448'], { current: true })],
      },
      {
        line: 6,
        crash: { signal: null, number: null, description: 'Windows fatal exception: access violation', pthreadId: '0x1abc' },
        notes: [],
        threads: [T('0x1abc', ['_write_delta@cdumm\\engine\\apply_engine.py:512'], { current: true })],
      },
    ],
  },
  { name: 'empty input', text: '', want: [] },
  { name: 'junk only', text: 'hello\nworld\n  indented junk\n$ python app.py', want: [] },
  {
    name: 'junk before and after, a CI log around the dump',
    text: [
      '+ python -X faulthandler app.py',
      'INFO starting',
      'Fatal Python error: Illegal instruction',
      '',
      'Current thread 0x00007f0000002000 (most recent call first):',
      '  File "/app/simd.py", line 4 in kernel',
      'Illegal instruction (core dumped)',
      '  make: *** [run] Error 132',
    ].join('\n'),
    want: [
      {
        line: 3,
        crash: { signal: 'SIGILL', number: 4, description: 'Fatal Python error: Illegal instruction', pthreadId: '0x7f0000002000' },
        notes: [],
        threads: [T('0x7f0000002000', ['kernel@/app/simd.py:4'], { current: true })],
      },
    ],
  },
  {
    name: 'cut mid-frame at the end of the input',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/a.py", line 1 in f',
      '  File "/usr/lib/python3.11/thre',
    ].join('\n'),
    want: [{ line: 1, crash: null, notes: [], threads: [T('0x7f0000001000', ['f@/app/a.py:1'], { complete: false })] }],
    warnings: [['cut_short', 3]],
  },
  {
    name: 'cut right after a thread header',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/a.py", line 1 in f',
      '',
      'Current thread 0x00007f0000002000 (most',
    ].join('\n'),
    want: [{ line: 1, crash: null, notes: [], threads: [T('0x7f0000001000', ['f@/app/a.py:1'])] }],
    warnings: [['cut_short', 4]],
  },
  {
    name: 'header as the last line',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/a.py", line 1 in f',
      'Current thread 0x00007f0000002000 (most recent call first):',
    ].join('\n'),
    want: [
      {
        line: 1,
        crash: null,
        notes: [],
        threads: [T('0x7f0000001000', ['f@/app/a.py:1']), T('0x7f0000002000', [], { current: true, complete: false })],
      },
    ],
    warnings: [['cut_short', 3]],
  },
  {
    name: 'frames without a header',
    text: ['  File "/app/a.py", line 1 in f', '  File "/app/a.py", line 9 in <module>'].join('\n'),
    want: [{ line: 1, crash: null, notes: [], threads: [T(null, ['f@/app/a.py:1', '<module>@/app/a.py:9'])] }],
    warnings: [['missing_header', 1]],
  },
  {
    name: 'an unknown indented line inside a thread',
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/app/a.py", line 1 in f',
      '  ??? garbage',
      '  File "/app/a.py", line 2 in g',
    ].join('\n'),
    want: [{ line: 1, crash: null, notes: [], threads: [T('0x7f0000001000', ['f@/app/a.py:1', 'g@/app/a.py:2'])] }],
    warnings: [['unrecognized_line', 3]],
  },
  {
    name: 'limits: threads, frames and snapshots',
    limits: { maxThreads: 1, maxFramesPerThread: 1, maxSnapshots: 1 },
    text: [
      'Thread 0x00007f0000001000 (most recent call first):',
      '  File "/a.py", line 1 in f',
      '  File "/a.py", line 2 in g',
      'Thread 0x00007f0000002000 (most recent call first):',
      '  File "/b.py", line 1 in h',
      'Timeout (0:00:01)!',
      'Thread 0x00007f0000001000 (most recent call first):',
    ].join('\n'),
    want: [{ line: 1, crash: null, notes: [], threads: [T('0x7f0000001000', ['f@/a.py:1'], { complete: false })] }],
    warnings: [
      ['too_many_frames', 1],
      ['too_many_threads', 4],
      ['too_many_snapshots', 6],
    ],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const { snapshots, warnings } = parse(c.text, { ...DEFAULT_LIMITS, ...c.limits });
    assert.deepEqual(view(snapshots), c.want);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.line]),
      c.warnings ?? [],
    );
    snapshots.forEach((s, i) => {
      assert.equal(s.index, i);
    });
  });
}

test('a 1 MB line inside a thread warns and the parse goes on', () => {
  const huge = `  ${'('.repeat(1_000_000)}`;
  const text = ['Thread 0x00007f0000001000 (most recent call first):', huge, '  File "/a.py", line 1 in f', 'x'.repeat(1_000_000)].join(
    '\n',
  );
  const { snapshots, warnings } = parse(text);
  assert.deepEqual(view(snapshots)[0]?.threads, [T('0x7f0000001000', ['f@/a.py:1'])]);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.line]),
    [['unrecognized_line', 2]],
  );
});

test('warning messages say what was expected', () => {
  const { warnings } = parse(
    ['Thread 0x00007f0000001000 (most recent call first):', '  nonsense', '  File "/a.py", line 1 in f'].join('\n'),
  );
  assert.match(warnings[0]?.message ?? '', /File .*line N in|File "\/srv\/app\.py", line 22 in poller/);
});

test('parse reads only lines[start, end)', () => {
  const lines = [
    'junk',
    'Thread 0x00007f0000001000 (most recent call first):',
    '  File "/a.py", line 1 in f',
    'Thread 0x00007f0000002000 (most recent call first):',
  ];
  const warnings: ParseWarning[] = [];
  const snaps = faulthandlerFormat.parse(lines, 1, 3, collectingContext(DEFAULT_LIMITS, warnings));
  assert.deepEqual(
    snaps.map((s) => [s.line, s.threads.map((t) => t.pthreadId)]),
    [[2, ['0x7f0000001000']]],
  );
  assert.deepEqual(warnings, []);
});
