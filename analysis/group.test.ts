import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames, makeClassified } from '../test/support/threads.js';
import { groupThreads, normalizeStack, stackSignature } from './group.js';

test('normalization drops addresses, arguments, plumbing and line numbers', () => {
  const a = frames('__GI___poll fds=0x1, nfds=1, timeout=300', '_PyEval_EvalFrameDefault', 'py:/srv/a/app.py:loop', 'start_thread');
  const b = frames('poll fds=0x9, nfds=3, timeout=10', '_PyObject_VectorcallTstate', 'py:/opt/b/app.py:loop', 'start_thread');
  b[2] = { ...(b[2] as NonNullable<(typeof b)[2]>), line: 99 };
  assert.deepEqual(normalizeStack(a), ['poll', 'py:app.py:loop', 'start_thread']);
  assert.equal(stackSignature(a), stackSignature(b));
  assert.match(stackSignature(a), /^v1:[0-9a-f]{16}$/);
});

test('different stacks give different signatures', () => {
  assert.notEqual(stackSignature(frames('poll', 'a')), stackSignature(frames('poll', 'b')));
});

test('groups: same state, blocking frame and stack; largest first; across processes', () => {
  const wait = frames('take_gil', 'PyEval_RestoreThread', 'py:app.py:handle');
  const threads = [
    makeClassified('gil_wait', { pid: 1, frames: wait, blockingFrame: 'take_gil' }),
    makeClassified('gil_wait', { pid: 2, frames: wait, blockingFrame: 'take_gil' }),
    makeClassified('gil_wait', { pid: 2, frames: wait, blockingFrame: 'take_gil' }),
    makeClassified('io_wait', { pid: 1, frames: frames('epoll_wait'), blockingFrame: 'epoll_wait', idle: true }),
    makeClassified('running', { pid: 1, frames: wait, blockingFrame: null }),
  ];
  const groups = groupThreads(threads);
  assert.deepEqual(
    groups.map((g) => [g.state, g.threads.length]),
    [
      ['gil_wait', 3],
      ['running', 1],
      ['io_wait', 1],
    ],
  );
  assert.equal(groups[2]?.idle, true);
  assert.equal(groups[0]?.idle, false);
  assert.match(groups[0]?.key ?? '', /^g-[0-9a-f]{12}$/);
});
