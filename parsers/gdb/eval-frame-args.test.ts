import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame } from '../model.js';
import { pythonFramesFromEvalArgs } from './eval-frame-args.js';

test('Python 2.7: locations printed in PyEval_EvalFrameEx arguments become Python frames, innermost first', () => {
  const frames = [
    nativeFrame('__GI___select'),
    nativeFrame('PyEval_EvalFrameEx', {
      args: 'f=f@entry=Frame 0x7ff3fa3e85c0, for file /usr/lib/python2.7/threading.py, line 359, in wait (self=<_Condition at remote 0x1>), throwflag=throwflag@entry=0',
    }),
    nativeFrame('PyEval_EvalCodeEx', { args: 'co=0x1' }),
    nativeFrame('PyEval_EvalFrameEx', {
      args: 'f=Frame 0x7ff3fa3e83f0, for file /usr/lib/python2.7/Queue.py, line 168, in get (self=<Queue at remote 0x2>), throwflag=0',
    }),
  ];
  const py = pythonFramesFromEvalArgs(frames);
  assert.deepEqual(
    py.map((f) => [f.file, f.line, f.function, f.language]),
    [
      ['/usr/lib/python2.7/threading.py', 359, 'wait', 'python'],
      ['/usr/lib/python2.7/Queue.py', 168, 'get', 'python'],
    ],
  );
});

test('CPython 3.6-3.10: the same Frame printed by _PyEval_EvalFrame and _PyEval_EvalFrameDefault counts once', () => {
  const args = 'f=Frame 0x7f7128000bb0, for file /usr/lib/python3.9/queue.py, line 180, in get (self=<Queue at remote 0x3>), throwflag=0';
  const py = pythonFramesFromEvalArgs([nativeFrame('_PyEval_EvalFrameDefault', { args }), nativeFrame('_PyEval_EvalFrame', { args })]);
  assert.equal(py.length, 1);
});

test('eval frames without a printed location, and other functions, give nothing', () => {
  assert.deepEqual(
    pythonFramesFromEvalArgs([
      nativeFrame('_PyEval_EvalFrameDefault', { args: 'tstate=<optimized out>, frame=0x7f01, throwflag=0' }),
      nativeFrame('f', { args: 'for file x.py, line 1, in g' }),
    ]),
    [],
  );
});
