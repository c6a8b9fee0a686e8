import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_FILE, type PyBtLine, parsePyBtLine, partialFileLine } from './py-bt.js';

const cases: Array<{ name: string; line: string; want: PyBtLine | null }> = [
  {
    name: 'bytecode frame',
    line: '  File "/srv/demo/crash_abort.py", line 22, in poller',
    want: {
      kind: 'frame',
      frame: {
        function: 'poller',
        file: '/srv/demo/crash_abort.py',
        line: 22,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  {
    name: 'module-level frame',
    line: '  File "/srv/demo/mp_queue_hang.py", line 28, in <module>',
    want: {
      kind: 'frame',
      frame: {
        function: '<module>',
        file: '/srv/demo/mp_queue_hang.py',
        line: 28,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  {
    name: 'a path holding `", line `',
    line: '  File "/tmp/a", line 1, in b.py", line 7, in run',
    want: {
      kind: 'frame',
      frame: {
        function: 'run',
        file: '/tmp/a", line 1, in b.py',
        line: 7,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  {
    name: 'built-in method (3.x)',
    line: '  <built-in method sleep of module object at remote 0x7fd0bc57f0b0>',
    want: {
      kind: 'frame',
      frame: {
        function: 'sleep',
        file: BUILTIN_FILE,
        line: null,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  {
    name: 'built-in function (2.7)',
    line: '  <built-in function sleep>',
    want: {
      kind: 'frame',
      frame: {
        function: 'sleep',
        file: BUILTIN_FILE,
        line: null,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  {
    name: 'method-wrapper',
    line: "  <method-wrapper '__call__' of Foo object at 0x7f>",
    want: {
      kind: 'frame',
      frame: {
        function: '__call__',
        file: BUILTIN_FILE,
        line: null,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  {
    name: 'a callable without a name',
    line: '  <cython_function_or_method at remote 0x7fd0bc095cb0>',
    want: {
      kind: 'frame',
      frame: {
        function: null,
        file: BUILTIN_FILE,
        line: null,
        library: null,
        language: 'python',
        args: null,
        address: null,
        sourceText: null,
      },
    },
  },
  { name: 'source line', line: '    select.select([rfd], [], [], 60)', want: { kind: 'source', text: 'select.select([rfd], [], [], 60)' } },
  { name: 'GIL marker', line: '  Waiting for the GIL', want: { kind: 'marker', text: 'Waiting for the GIL' } },
  { name: 'GC marker', line: '  Garbage-collecting', want: { kind: 'marker', text: 'Garbage-collecting' } },
  { name: 'unreadable frame', line: '  (unable to read python frame information)', want: { kind: 'note' } },
  { name: 'optimized out', line: '  (frame information optimized out)', want: { kind: 'note' } },
  { name: 'PyCFunction note', line: '  PyCFunction invocation (unable to read func)', want: { kind: 'note' } },
  { name: 'faulthandler shape is not py-bt', line: '  File "/x.py", line 3 in f', want: null },
  { name: 'unindented', line: 'File "/x.py", line 3, in f', want: null },
  { name: 'three spaces', line: '   something', want: null },
];

for (const c of cases) {
  test(c.name, () => assert.deepEqual(parsePyBtLine(c.line), c.want));
}

test('a File line cut at the end keeps the file it shows', () => {
  assert.equal(partialFileLine('  File "/usr/lib/python3.11/threa').file, '/usr/lib/python3.11/threa');
  assert.equal(partialFileLine('  File "/a.py", li').file, '/a.py');
});
