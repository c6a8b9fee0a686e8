import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellsAreThreadNames, leaderCarriesProcessTotal, processFigures } from './procps-threads.js';

const leaders: Array<{ name: string; leader: number | null; others: Array<number | null>; want: boolean }> = [
  { name: 'ps -L gthread: 103 against about 98', leader: 103, others: [16.3, 18.4, 16, 17.3, 18.8, ...Array(29).fill(0.4)], want: true },
  { name: 'top -H: 99.9 against 106.7', leader: 99.9, others: [20, 20, 20, 13.3, 13.3, 6.7, 6.7, 6.7], want: true },
  { name: 'a small sum keeps the leader (gevent 5.5 against 0.2)', leader: 5.5, others: [0.2, 0], want: false },
  { name: 'a busy leader far above its threads', leader: 95, others: [30, 20], want: false },
  { name: 'within 5 points when 15 % is less', leader: 16, others: [6, 5], want: true },
  { name: 'just outside 15 %', leader: 200, others: [100, 70], want: false },
  { name: 'no other threads', leader: 50, others: [], want: false },
  { name: 'unknown leader value', leader: null, others: [50, 50], want: false },
  { name: 'unknown values among the others are left out', leader: 20, others: [10, null, 10], want: true },
];
for (const c of leaders)
  test(`leaderCarriesProcessTotal: ${c.name}`, () => assert.equal(leaderCarriesProcessTotal(c.leader, c.others), c.want));

const names: Array<{ name: string; cells: Array<string | null>; saysArgs: boolean; want: boolean }> = [
  { name: 'different per thread', cells: ['deadlock', 'stats', 'transfer'], saysArgs: true, want: true },
  { name: 'the same short comm', cells: ['python3', 'python3'], saysArgs: false, want: true },
  { name: 'the same short text under a -f header', cells: ['python3', 'python3'], saysArgs: true, want: false },
  { name: 'the same path', cells: ['/usr/bin/python3 app.py', '/usr/bin/python3 app.py'], saysArgs: false, want: false },
  { name: 'the same text with a blank', cells: ['python3 app.py', 'python3 app.py'], saysArgs: false, want: false },
  { name: 'longer than a comm', cells: ['averyveryverylongname', 'averyveryverylongname'], saysArgs: false, want: false },
  { name: 'nothing known', cells: [null, null], saysArgs: false, want: false },
];
for (const c of names) test(`cellsAreThreadNames: ${c.name}`, () => assert.equal(cellsAreThreadNames(c.cells, c.saysArgs), c.want));

test('processFigures: the leader total moves to the process', () => {
  const f = processFigures(
    10,
    [
      { lwp: 10, cpu: 60, time: 100 },
      { lwp: 11, cpu: 30, time: 50 },
      { lwp: 12, cpu: 30, time: 50 },
    ],
    3,
  );
  assert.deepEqual(f, { leaderAt: 0, cpu: 60, time: 100, leaderIsTotal: true });
});

test('processFigures: a lone leader speaks for a single-threaded process only', () => {
  assert.deepEqual(processFigures(10, [{ lwp: 10, cpu: 5, time: 1 }], 1), { leaderAt: 0, cpu: 5, time: 1, leaderIsTotal: false });
  assert.deepEqual(processFigures(10, [{ lwp: 10, cpu: 5, time: 1 }], 4), { leaderAt: 0, cpu: null, time: null, leaderIsTotal: false });
});

test('processFigures: without the leader row nothing is known', () => {
  assert.deepEqual(processFigures(10, [{ lwp: 11, cpu: 5, time: 1 }], null), { leaderAt: -1, cpu: null, time: null, leaderIsTotal: false });
});
