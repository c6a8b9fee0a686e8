import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  feederBlockedWrite,
  feederIdle,
  finalizeJoin,
  idlePoolWorker,
  parentProcessJoin,
  pyFrames,
} from '../../test/support/corpus-stacks.js';
import { makeContext, makeProcess } from '../../test/support/diagnosis-context.js';
import { makeClassified } from '../../test/support/threads.js';
import type { CaseProcess, ClassifiedThread } from '../model.js';
import { detectQueueFeederJoin } from './queue-feeder-join.js';

const feeder = (pid: number | null) =>
  makeClassified('io_wait', { pid, lwp: 10, key: pid === null ? 't10' : `p${pid}:t10`, frames: feederBlockedWrite() });
const finalizer = (pid: number | null) =>
  makeClassified('lock_wait', { pid, lwp: 9, key: pid === null ? 't9' : `p${pid}:t9`, frames: finalizeJoin() });
const parent = (pid: number | null, child: number) =>
  makeClassified('child_wait', { pid, lwp: 7, key: pid === null ? 't7' : `p${pid}:t7`, frames: parentProcessJoin(child) });

const cases: Array<{ name: string; threads: ClassifiedThread[]; processes?: CaseProcess[]; keys: string[] | null }> = [
  {
    name: 'corpus shape: feeder blocked, child finalize-joins it, parent joins the child',
    threads: [parent(7, 9), finalizer(9), feeder(9)],
    keys: ['p9:t10', 'p9:t9', 'p7:t7'],
  },
  { name: 'feeder + finalize join only (child dumped alone)', threads: [finalizer(9), feeder(9)], keys: ['p9:t10', 'p9:t9'] },
  { name: 'feeder blocked + parent in Process.join on that pid', threads: [feeder(9), parent(7, 9)], keys: ['p9:t10', 'p7:t7'] },
  {
    name: 'faulthandler-only parent (no pids in waitpid): linked by ps ppid',
    threads: [feeder(9), makeClassified('child_wait', { pid: 7, lwp: 7, key: 'p7:t7', frames: parentProcessJoin(9).slice(6) })],
    processes: [makeProcess(9, { ppid: 7 })],
    keys: ['p9:t10', 'p7:t7'],
  },
  {
    name: 'finalize join + parent proven to wait for it, feeder not in the dump',
    threads: [finalizer(9), parent(7, 9)],
    keys: ['p9:t9', 'p7:t7'],
  },
  // Look-alikes.
  {
    name: 'an idle feeder (waiting for items) is fine',
    threads: [makeClassified('lock_wait', { pid: 9, idle: true, frames: feederIdle() }), finalizer(9)],
    keys: null,
  },
  { name: 'a blocked feeder alone: nobody is joining (yet)', threads: [feeder(9)], keys: null },
  { name: 'a parent joining a different child', threads: [feeder(9), parent(7, 12)], keys: null },
  {
    name: 'a parent joining a child that is just working',
    threads: [parent(7, 9), makeClassified('running', { pid: 9, lwp: 9, frames: pyFrames(['/srv/job.py', 'crunch', 3, 'x += 1']) })],
    keys: null,
  },
  {
    name: 'a pool worker process waiting for tasks',
    threads: [makeClassified('lock_wait', { pid: 9, idle: true, frames: idlePoolWorker() })],
    keys: null,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectQueueFeederJoin(makeContext({ threads: c.threads, processes: c.processes ?? [] }));
    if (c.keys === null) {
      assert.deepEqual(
        got.map((d) => d.title),
        [],
      );
      return;
    }
    assert.equal(got.length, 1, got.map((d) => d.title).join(' | '));
    assert.equal(got[0]?.code, 'queue_feeder_join');
    assert.equal(got[0]?.severity, 'critical');
    assert.deepEqual(got[0]?.threadKeys, c.keys);
  });
}

test('the corpus-shaped diagnosis names both processes, the 2 MB write and the fix', () => {
  const [d] = detectQueueFeederJoin(makeContext({ threads: [parent(7, 9), finalizer(9), feeder(9)] }));
  assert.equal(d?.title, "Queue feeder join: process 9's feeder blocks writing to a full queue pipe while parent 7 joins it");
  assert.equal(d?.evidence.pendingBytes, 2097161);
  assert.equal(d?.evidence.childPid, 9);
  assert.equal(d?.evidence.parentPid, 7);
  assert.match(d?.detail ?? '', /q\.get\(\)/);
  assert.match(d?.detail ?? '', /cancel_join_thread/);
});
