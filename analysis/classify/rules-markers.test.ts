import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { MARKER_RULES } from './rules-markers.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

/** A py-bt thread (no native stack) with its markers. */
const pybt = (markers: string[], ...specs: string[]): CorrelatedThread =>
  makeThread({ frames: frames(...specs.map((s) => `py:${s}`)), pythonMarkers: markers });

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: "3.11 py-bt 'Waiting for the GIL' over time.sleep (corpus py-gil-gthread-40 gdb-pybt LWP 32107)",
    thread: makeThread({
      frames: [
        pythonFrame('handle_request', '/srv/demo/gthread_app.py', 39, 'time.sleep(0.001)'),
        pythonFrame('run', '/usr/lib/python3.11/concurrent/futures/thread.py', 58, 'result = self.fn(*self.args, **self.kwargs)'),
      ],
      pythonMarkers: ['Waiting for the GIL'],
    }),
    want: { state: 'gil_wait', rule: 'marker.waiting_for_gil', idle: false, blocking: 'take_gil' },
  },
  {
    name: "look-alike: 2.7 py-bt 'Waiting for the GIL' also marks lock waits: the Python frames decide",
    thread: pybt(
      ['Waiting for the GIL'],
      '/usr/lib/python2.7/threading.py:wait',
      '/usr/lib/python2.7/Queue.py:get',
      '/srv/app/worker.py:run',
    ),
    want: { state: 'lock_wait', rule: 'py.condition_wait', idle: false, blocking: 'Condition.wait' },
  },
  {
    name: "look-alike: 3.6 py-bt 'Waiting for the GIL' is any timed condvar: not trusted",
    thread: pybt(['Waiting for the GIL'], '/usr/lib/python3.6/threading.py:wait', '/srv/app/worker.py:run'),
    want: { state: 'lock_wait', rule: 'py.condition_wait', idle: false, blocking: 'Condition.wait' },
  },
  {
    name: "look-alike: 'Waiting for the GIL' with no version in the paths is not trusted",
    thread: pybt(['Waiting for the GIL'], '/srv/app/worker.py:crunch'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: "py-bt 'Garbage-collecting'",
    thread: pybt(['Garbage-collecting'], '/srv/app/model.py:build', '/srv/app/main.py:main'),
    want: { state: 'running', rule: 'marker.garbage_collecting', idle: false, blocking: null },
  },
  {
    name: 'py-spy --gil: holds the GIL in user code',
    thread: pybt(['py-spy:gil'], '/srv/app/model.py:score'),
    want: { state: 'running', rule: 'marker.pyspy_gil', idle: false, blocking: null },
  },
  {
    name: 'py-spy: active in user code',
    thread: pybt(['py-spy:active'], '/srv/app/model.py:score'),
    want: { state: 'running', rule: 'marker.pyspy_active', idle: false, blocking: null },
  },
  {
    name: 'look-alike: py-spy active in Queue.get: the frames decide',
    thread: pybt(['py-spy:active'], '/usr/lib/python3.12/threading.py:wait', '/usr/lib/python3.12/queue.py:get'),
    want: { state: 'lock_wait', rule: 'py.queue_get', idle: false, blocking: 'Queue.get' },
  },
  {
    name: 'look-alike: py-spy idle in user code does not say what it waits on',
    thread: pybt(['py-spy:idle'], '/srv/app/model.py:score'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'look-alike: the GIL marker is not used when the native stack is known',
    thread: makeThread({
      frames: frames('fast_mod', 'l_mod', '_PyEval_EvalFrameDefault', 'py:/usr/lib/python3.11/threading.py:run'),
      pythonMarkers: ['Waiting for the GIL'],
    }),
    want: { state: 'running', rule: 'running.no_wait', idle: false, blocking: null },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const v = classifyThread(c.thread);
    assert.deepEqual(
      { state: v.state, rule: v.classification.rule, idle: v.idle, blocking: v.blockingFrame },
      c.want,
      v.classification.why,
    );
  });
}

test('every marker rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    MARKER_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('an untrusted GIL marker is mentioned in the why', () => {
  const v = classifyThread(pybt(['Waiting for the GIL'], '/usr/lib/python2.7/threading.py:wait'));
  assert.match(v.classification.why, /Waiting for the GIL' not used: for Python 2\.7/);
});

test('a trusted GIL marker names the version it relied on', () => {
  const v = classifyThread(pybt(['Waiting for the GIL'], '/usr/lib/python3.11/json/encoder.py:iterencode'));
  assert.match(v.classification.why, /Python 3\.11/);
  assert.equal(v.classification.frameIndex, null);
  assert.equal(v.classification.confidence, 'medium');
});

test('markers that decided nothing are listed in an unknown why', () => {
  const v = classifyThread(pybt(['py-spy:idle'], '/srv/app/model.py:score'));
  assert.match(v.classification.why, /markers seen: py-spy:idle/);
});
