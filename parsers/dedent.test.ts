import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedentHiddenDumps } from './dedent.js';

const landmark = (l: string) => l.startsWith('Thread 1 (') || /^#\d/.test(l) || l.startsWith('  File "');

test('an indented block that hides landmarks is shifted left by its common indentation', () => {
  const lines = ['Here it is:', '', '    Thread 1 (LWP 5):', '    #0  0x1 in main () at a.c:3', '        x = 1'];
  assert.equal(dedentHiddenDumps(lines, landmark), 1);
  assert.deepEqual(lines, ['Here it is:', '', 'Thread 1 (LWP 5):', '#0  0x1 in main () at a.c:3', '    x = 1']);
});

test('gdb bt full locals stay where they are: moving them reveals nothing', () => {
  const lines = ['#0  0x1 in f () at a.c:3', '        __ret = -512', '        err = <optimized out>', '#1  0x2 in main () at a.c:9'];
  const before = [...lines];
  assert.equal(dedentHiddenDumps(lines, landmark), 0);
  assert.deepEqual(lines, before);
});

test('faulthandler frames keep their two spaces: they are landmarks already', () => {
  const lines = ['Thread 0x1 (most recent call first):', '  File "a.py", line 3 in f', '  File "b.py", line 9 in g'];
  const before = [...lines];
  dedentHiddenDumps(lines, landmark);
  assert.deepEqual(lines, before);
});

test('a single indented line is not a block', () => {
  const lines = ['note:', '    Thread 1 (LWP 5):', 'end'];
  assert.equal(dedentHiddenDumps(lines, landmark), 0);
});
