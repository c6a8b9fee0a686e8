import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indentOf, isTracebackDecoration, type PythonFrameLine, parsePythonFrameLine } from './python-frame-line.js';

const frameCases: Array<{ name: string; text: string; want: PythonFrameLine | null }> = [
  {
    name: 'faulthandler 3.11: no comma before in',
    text: '  File "/srv/demo/crash_abort.py", line 22 in poller',
    want: { indent: 2, file: '/srv/demo/crash_abort.py', line: 22, function: 'poller', hasComma: false },
  },
  {
    name: 'traceback.format_stack: comma before in',
    text: '  File "/usr/lib/python3/dist-packages/gevent/hub.py", line 647, in run',
    want: { indent: 2, file: '/usr/lib/python3/dist-packages/gevent/hub.py', line: 647, function: 'run', hasComma: true },
  },
  {
    name: 'dumpstacks recipe: File: at the line start',
    text: 'File: "/srv/app/views.py", line 88, in handle',
    want: { indent: 0, file: '/srv/app/views.py', line: 88, function: 'handle', hasComma: true },
  },
  {
    name: 'faulthandler unknown line and name',
    text: '  File "/srv/x.py", line ??? in ???',
    want: { indent: 2, file: '/srv/x.py', line: null, function: null, hasComma: false },
  },
  {
    name: 'faulthandler file name that is not a string',
    text: '  File ???, line 12 in <module>',
    want: { indent: 2, file: null, line: 12, function: '<module>', hasComma: false },
  },
  {
    name: 'Windows path and a tab indent',
    text: '\tFile "C:\\Python312\\Lib\\threading.py", line 1012 in run',
    want: { indent: 1, file: 'C:\\Python312\\Lib\\threading.py', line: 1012, function: 'run', hasComma: false },
  },
  {
    name: 'file name holding quotes and commas',
    text: '  File "/tmp/a", line 1 in b.py", line 5, in main',
    want: { indent: 2, file: '/tmp/a", line 1 in b.py', line: 5, function: 'main', hasComma: true },
  },
  {
    name: 'name cut at 500 characters keeps the dots',
    text: `  File "/x.py", line 3 in ${'a'.repeat(500)}...`,
    want: { indent: 2, file: '/x.py', line: 3, function: `${'a'.repeat(500)}...`, hasComma: false },
  },
  { name: 'cut mid-frame', text: '  File "/usr/lib/python3.11/threa', want: null },
  { name: 'gdb frame line', text: '#5  0x00007f in take_gil (tstate=0x1) at Python/ceval_gil.c:250', want: null },
  { name: 'a source line mentioning File', text: '    File = open("x")', want: null },
  { name: 'empty', text: '', want: null },
];

for (const c of frameCases) test(`parsePythonFrameLine: ${c.name}`, () => assert.deepEqual(parsePythonFrameLine(c.text), c.want));

test('parsePythonFrameLine reads a 1 MB line in linear time', () => {
  assert.equal(parsePythonFrameLine(`  File "${'"'.repeat(1_000_000)}`), null);
  const frame = parsePythonFrameLine(`  File "/x.py", line 1 in ${'f'.repeat(1_000_000)}`);
  assert.equal(frame?.function?.length, 1_000_000);
});

const decorationCases: Array<{ text: string; want: boolean }> = [
  { text: '    ~~~~~~^^^^^^^^^^', want: true },
  { text: '             ^^^^^^^^^^^^^^', want: true },
  { text: '  [Previous line repeated 996 more times]', want: true },
  { text: '    return os.read(rfd, 4096)', want: false },
  { text: '', want: false },
];

for (const c of decorationCases)
  test(`isTracebackDecoration: ${JSON.stringify(c.text)}`, () => assert.equal(isTracebackDecoration(c.text), c.want));

test('indentOf counts spaces and tabs', () => {
  assert.equal(indentOf('    x'), 4);
  assert.equal(indentOf('\t\tx'), 2);
  assert.equal(indentOf('x'), 0);
  assert.equal(indentOf('   '), 3);
});
