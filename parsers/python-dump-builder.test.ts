import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import { collectingContext } from './format.js';
import { emptyThread, type ParseWarning, pythonFrame } from './model.js';
import { PythonDumpBuilder } from './python-dump-builder.js';

function builder(overrides: Partial<Limits> = {}) {
  const warnings: ParseWarning[] = [];
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  return { b: new PythonDumpBuilder(collectingContext(limits, warnings), 'test'), warnings };
}

const frame = (n: number) => pythonFrame(`f${n}`, 'x.py', n);

test('outermost-first frames come out innermost first', () => {
  const { b } = builder();
  b.openThread(emptyThread(1), 'outermostFirst', 't:1');
  for (const n of [1, 2, 3]) b.addFrame(frame(n));
  const [snap] = b.finish();
  assert.deepEqual(
    snap?.threads[0]?.frames.map((f) => f.function),
    ['f3', 'f2', 'f1'],
  );
});

test('the frame limit keeps the innermost frames in both orders', () => {
  for (const order of ['innermostFirst', 'outermostFirst'] as const) {
    const { b, warnings } = builder({ maxFramesPerThread: 3 });
    b.openThread(emptyThread(7), order, null);
    const numbers = order === 'innermostFirst' ? [1, 2, 3, 4, 5, 6, 7] : [7, 6, 5, 4, 3, 2, 1];
    for (const n of numbers) b.addFrame(frame(n));
    const thread = b.finish()[0]?.threads[0];
    assert.deepEqual(
      thread?.frames.map((f) => f.function),
      ['f1', 'f2', 'f3'],
      order,
    );
    assert.equal(thread?.hasCompleteStack, false);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.line]),
      [['too_many_frames', 7]],
    );
  }
});

test('the thread limit drops later threads and their frames, warning once', () => {
  const { b, warnings } = builder({ maxThreads: 2 });
  for (const n of [1, 2, 3, 4]) {
    assert.equal(b.openThread(emptyThread(n), 'innermostFirst', `t:${n}`), n <= 2);
    b.addFrame(frame(n));
  }
  const snaps = b.finish();
  assert.equal(snaps[0]?.threads.length, 2);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.line]),
    [['too_many_threads', 3]],
  );
});

test('the snapshot limit stops reading', () => {
  const { b, warnings } = builder({ maxSnapshots: 2 });
  b.openThread(emptyThread(1), 'innermostFirst', null);
  assert.ok(b.newSnapshot(2));
  b.openThread(emptyThread(2), 'innermostFirst', null);
  assert.equal(b.newSnapshot(3), null);
  assert.equal(b.isStopped, true);
  assert.equal(b.finish().length, 2);
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['too_many_snapshots'],
  );
});

test('an empty snapshot is reused, not kept, and keys reset per snapshot', () => {
  const { b } = builder();
  b.newSnapshot(1);
  b.newSnapshot(5);
  b.openThread(emptyThread(6), 'innermostFirst', 't:a');
  assert.equal(b.hasKey('t:a'), true);
  b.newSnapshot(9);
  assert.equal(b.hasKey('t:a'), false);
  const snaps = b.finish();
  assert.deepEqual(
    snaps.map((s) => [s.index, s.line]),
    [[0, 5]],
  );
});

test('removeThread takes a provisional thread out', () => {
  const { b } = builder();
  const provisional = emptyThread(1);
  b.openThread(provisional, 'outermostFirst', null);
  b.addFrame(frame(1));
  b.removeThread(provisional);
  b.openThread(emptyThread(2), 'outermostFirst', null);
  const snap = b.finish()[0];
  assert.deepEqual(
    snap?.threads.map((t) => t.line),
    [2],
  );
});
