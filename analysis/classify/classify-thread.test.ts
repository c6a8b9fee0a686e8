import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame, pythonFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import { classifyThread } from './classify-thread.js';

const TRAMPOLINE = nativeFrame(null, { isSignalTrampoline: true });

test('a thread with nothing known is unknown, and says so', () => {
  const v = classifyThread(makeThread());
  assert.deepEqual(v, {
    state: 'unknown',
    idle: false,
    blockingFrame: null,
    classification: {
      rule: 'none',
      why: 'no stack, scheduler state or wait channel was seen for this thread',
      frameIndex: null,
      confidence: 'low',
    },
  });
});

test('confidence follows what was seen: whole native stack, top frame only, Python frames, OS facts', () => {
  const leaf = '__GI___poll fds=0x7ffc, nfds=1, timeout=1000';
  assert.equal(classifyThread(makeThread({ frames: frames(leaf, 'wait_for_peer', 'main') })).classification.confidence, 'high');
  assert.equal(
    classifyThread(makeThread({ frames: frames(leaf), topFrameOnly: true, hasNativeStack: false })).classification.confidence,
    'medium',
  );
  assert.equal(
    classifyThread(makeThread({ frames: frames('py:/usr/lib/python3.11/selectors.py:select') })).classification.confidence,
    'medium',
  );
  assert.equal(classifyThread(makeThread({ wchan: 'do_sys_poll' })).classification.confidence, 'low');
});

test('the why carries the rule text and the deciding frame', () => {
  const v = classifyThread(
    makeThread({ frames: frames('futex_wait', '__GI___lll_lock_wait', '___pthread_mutex_lock', 'reconcile batch=7') }),
  );
  assert.equal(v.classification.why, 'waiting for a contended pthread mutex (#2 ___pthread_mutex_lock)');
  assert.equal(v.classification.frameIndex, 2);
});

test('native frames decide before the Python frames merged after them', () => {
  const v = classifyThread(
    makeThread({
      frames: [
        ...frames('__GI___libc_read nbytes=4096, fd=4', '_Py_read', 'os_read_impl', 'os_read', '_PyEval_EvalFrameDefault'),
        pythonFrame('get', '/usr/lib/python3.11/queue.py', 180, 'self.not_empty.wait()'),
      ],
    }),
  );
  assert.equal(v.state, 'io_wait');
  assert.equal(v.classification.rule, 'cpython.os_read');
  assert.doesNotMatch(v.classification.why, /Queue/, 'a Python pattern in another state is not quoted');
});

test('an unsymbolized innermost frame hands over to the Python frames, pointing into the merged stack', () => {
  const thread = makeThread({
    frames: [
      nativeFrame(null, { library: '/usr/lib/libfoo.so' }),
      ...frames('_PyEval_EvalFrameDefault', 'py:/usr/lib/python3.11/threading.py:wait', 'py:/srv/app/w.py:run'),
    ],
  });
  const v = classifyThread(thread);
  assert.equal(v.classification.rule, 'py.condition_wait');
  assert.equal(v.classification.frameIndex, 2);
  assert.equal(v.classification.confidence, 'medium');
});

test('an unsymbolized innermost frame with nothing else is unknown, naming the library', () => {
  const v = classifyThread(
    makeThread({ frames: [nativeFrame(null, { library: '/usr/lib/libfoo.so' }), ...frames('worker', 'start_thread')] }),
  );
  assert.equal(v.state, 'unknown');
  assert.equal(v.classification.rule, 'none');
  assert.match(v.classification.why, /no symbol \(\?\? in \/usr\/lib\/libfoo\.so\)/);
  assert.equal(v.classification.confidence, 'high');
});

test('a Python-only user frame is unknown: faulthandler cannot tell running from a wait in C', () => {
  const v = classifyThread(
    makeThread({
      frames: frames('py:/srv/demo/crash_abort.py:poller', 'py:/usr/lib/python3.11/threading.py:run'),
      sourceFormats: ['faulthandler'],
    }),
  );
  assert.equal(v.state, 'unknown');
  assert.match(v.classification.why, /poller \(\/srv\/demo\/crash_abort\.py:1\).*cannot tell running code from a wait inside C code/);
});

test("faulthandler's current thread is not assumed to run (corpus py-gevent-blocked-hub: MainThread blocked in os.read)", () => {
  const v = classifyThread(
    makeThread({ frames: [pythonFrame('export_report', '/srv/demo/gevent_app.py', 74, 'return os.read(rfd, 4096)')], isCurrent: true }),
  );
  assert.equal(v.state, 'io_wait');
});

test('a signal trampoline ends the wait span: a handler running above an interrupted GIL wait is running', () => {
  const v = classifyThread(
    makeThread({
      frames: [
        ...frames('memcpy', 'log_handler'),
        TRAMPOLINE,
        ...frames('__futex_abstimed_wait_common64', 'take_gil', 'PyEval_RestoreThread'),
      ],
    }),
  );
  assert.equal(v.state, 'running');
  assert.equal(v.classification.rule, 'running.no_wait');
});

test('Python frames below the first eval frame never decide a native verdict', () => {
  const v = classifyThread(
    makeThread({
      frames: [
        ...frames('lookdict_string', 'PyDict_GetItem', '_PyEval_EvalFrameDefault'),
        ...frames('py:/usr/lib/python3.11/threading.py:wait', 'py:/usr/lib/python3.11/queue.py:get'),
      ],
    }),
  );
  assert.equal(v.state, 'running');
  assert.equal(v.idle, false);
});

test('classification is pure: the same thread gives the same verdict', () => {
  const thread = makeThread({ frames: frames('take_gil', 'PyEval_RestoreThread') });
  assert.deepEqual(classifyThread(thread), classifyThread(thread));
});

test('hostile names a line long (64 KiB) are classified without blowing up', () => {
  const n = 64 * 1024;
  const hostile = [
    'a'.repeat(n),
    '_'.repeat(n),
    `${'[clone .x]'.repeat(n / 10)}y`,
    `${'::{{closure}}'.repeat(n / 13)}x`,
    '<'.repeat(n),
    `${'('.repeat(n / 2)}${')'.repeat(n / 2)}`,
    `std::${'Queue'.repeat(n / 5)}::po`,
    `${'x64'.repeat(n / 3)}64`,
  ];
  const thread = makeThread({
    frames: [
      ...hostile.map((name) => nativeFrame(name)),
      pythonFrame('f', `/${'a/'.repeat(n / 2)}threading.py`, 1, `t.join(${'1'.repeat(n)}x`),
    ],
    wchan: `futex_${'a'.repeat(n)}`,
  });
  assert.equal(classifyThread(thread).state, 'running');
  const waiting = makeThread({
    frames: [...frames('pthread_cond_wait', 'std::condition_variable::wait'), ...hostile.map((name) => nativeFrame(name))],
  });
  assert.equal(classifyThread(waiting).classification.rule, 'cxx.condvar');
  assert.equal(classifyThread(makeThread({ frames: [pythonFrame('f', '/app.py', 1, `t.join(${'1'.repeat(n)}x`)] })).state, 'unknown');
});

test('Python frames merged before the first eval frame (as correlate does) do not hide the native stack', () => {
  const python = frames('py:/usr/lib/python2.7/threading.py:run');
  const evalSwitch = makeThread({
    frames: [...frames('sem_wait', 'PyThread_acquire_lock'), ...python, ...frames('PyEval_EvalFrameEx', 'PyEval_EvalCodeEx')],
  });
  assert.equal(classifyThread(evalSwitch).classification.rule, 'gil.py27_eval_switch');
  const bytecode = makeThread({ frames: [...python, ...frames('_PyEval_EvalFrameDefault', '_PyEval_Vector', 'thread_run')] });
  assert.equal(classifyThread(bytecode).classification.rule, 'running.eval_loop');
  assert.equal(classifyThread(bytecode).classification.frameIndex, 1);
});
