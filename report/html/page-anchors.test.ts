import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Report, ReportThread } from '../schema.js';
import { pageAnchorsFor, slugOf } from './page-anchors.js';

function reportWithKeys(keys: string[]): Report {
  const threads = keys.map(
    (key): ReportThread => ({
      key,
      pid: 1,
      lwp: null,
      pthreadId: null,
      name: null,
      state: 'unknown',
      idle: false,
      blockingFrame: null,
      cpuPercent: null,
      frames: [],
      sources: [],
      classification: { rule: 'r', why: 'w', frameIndex: null, confidence: 'low' },
      voluntarySwitchesPerSec: null,
      involuntarySwitchesPerSec: null,
      greenlets: [],
      movement: null,
      cpuSamples: [],
    }),
  );
  return { version: 1, id: null, signature: 's', summary: 's', inputs: [], processes: [], threads, groups: [], diagnoses: [] };
}

test('thread ids keep only safe characters and stay unique', () => {
  const anchors = pageAnchorsFor(reportWithKeys(['p1:t2', 'p1/t2', 'p1 t2', '"><script>', '', 'p1:t2']));
  assert.equal(anchors.thread('p1:t2'), 'thread-p1-t2');
  assert.equal(anchors.thread('p1/t2'), 'thread-p1-t2-2');
  assert.equal(anchors.thread('p1 t2'), 'thread-p1-t2-3');
  assert.equal(anchors.thread('"><script>'), 'thread-script');
  assert.equal(anchors.thread(''), 'thread-x');
  assert.equal(anchors.thread('not-there'), null);
});

test('slugs are bounded and processes only get ids when listed', () => {
  assert.equal(slugOf('a'.repeat(500)).length, 80);
  const report = {
    ...reportWithKeys([]),
    processes: [{ pid: 7, ppid: null, command: null, threadCount: null, state: null, wchan: null, cpuPercent: null, children: [] }],
  };
  const anchors = pageAnchorsFor(report);
  assert.equal(anchors.process(7), 'process-7');
  assert.equal(anchors.process(8), null);
  assert.equal(anchors.group(0), 'group-1');
});
