import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame, ReportGroup } from '../schema.js';
import { fitLabel, layoutIcicle, MAX_ICICLE_DEPTH, MAX_ICICLE_RECTS, ROW_HEIGHT } from './icicle-layout.js';

const fn = (name: string, language: Frame['language'] = 'native'): Frame => ({
  function: name,
  file: language === 'python' ? 'app.py' : null,
  line: 1,
  library: null,
  language,
});

/** A group from a stack written outermost first, as one reads an icicle. */
function group(count: number, state: ReportGroup['state'], ...outermostFirst: Frame[]): ReportGroup {
  return {
    key: `g${count}${state}`,
    state,
    blockingFrame: outermostFirst.at(-1)?.function ?? null,
    stackSignature: 'v1:x',
    count,
    threadKeys: Array.from({ length: count }, (_, i) => `t${i}`),
    idle: false,
    representativeFrames: [...outermostFirst].reverse(),
    pids: [1],
  };
}

test('shared outer frames merge into one box as wide as all their threads', () => {
  const layout = layoutIcicle(
    [
      group(3, 'gil_wait', fn('clone3'), fn('start_thread'), fn('take_gil')),
      group(1, 'io_wait', fn('clone3'), fn('start_thread'), fn('epoll_wait')),
    ],
    400,
  );
  assert.equal(layout.total, 4);
  const byLabel = (label: string) => layout.rects.filter((r) => r.label === label);
  assert.equal(byLabel('all threads (4)')[0]?.width, 400);
  assert.equal(byLabel('clone3').length, 1, 'merged');
  assert.equal(byLabel('clone3')[0]?.width, 400);
  assert.equal(byLabel('take_gil')[0]?.width, 300, 'width ∝ thread count');
  assert.equal(byLabel('epoll_wait')[0]?.width, 100);
  assert.equal(byLabel('epoll_wait')[0]?.x, 300, 'largest child first, left to right');
  assert.equal(byLabel('take_gil')[0]?.y, 3 * ROW_HEIGHT);
  assert.equal(byLabel('take_gil')[0]?.groupIndex, 0, 'a box of one group links to it');
  assert.equal(byLabel('clone3')[0]?.groupIndex, null, 'a shared box links nowhere');
  assert.deepEqual(
    layout.feet.map((f) => [f.state, f.x, f.width]),
    [
      ['gil_wait', 0, 300],
      ['io_wait', 300, 100],
    ],
  );
  assert.match(byLabel('take_gil')[0]?.tooltip ?? '', /3 of 4 threads \(75%\)/);
});

test('native and Python frames get different colour families', () => {
  const layout = layoutIcicle([group(1, 'running', fn('main'), fn('run', 'python'))], 400);
  const hue = (label: string) => Number(/hsl\((\d+)/.exec(layout.rects.find((r) => r.label.startsWith(label))?.fill ?? '')?.[1]);
  assert.ok(hue('main') < 60, 'native is warm');
  assert.ok(hue('run') > 180, 'python is cool');
  assert.equal(layout.rects.find((r) => r.label.startsWith('run'))?.label, 'run (app.py)');
});

test('a stack group ending where another goes on gets its foot beside the longer stack', () => {
  const layout = layoutIcicle([group(2, 'running', fn('a'), fn('b')), group(2, 'sleep', fn('a'))], 400);
  const foot = layout.feet.find((f) => f.state === 'sleep');
  assert.deepEqual([foot?.x, foot?.width, foot?.y], [200, 200, 2 * ROW_HEIGHT]);
});

test('very deep stacks are cut and say so', () => {
  const deep = Array.from({ length: MAX_ICICLE_DEPTH + 40 }, (_, i) => fn(`f${i}`));
  const layout = layoutIcicle([group(1, 'running', ...deep)]);
  assert.equal(layout.isCut, true);
  assert.equal(Math.max(...layout.rects.map((r) => r.depth)), MAX_ICICLE_DEPTH - 1);
});

test('too many boxes keep the widest and every kept box keeps its parent', () => {
  const groups = Array.from({ length: 600 }, (_, i) =>
    group(1 + (i % 3), 'lock_wait', fn('root'), fn(`mid${i % 50}`), ...Array.from({ length: 12 }, (_, d) => fn(`leaf${i}-${d}`))),
  );
  const layout = layoutIcicle(groups);
  assert.ok(layout.rects.length <= MAX_ICICLE_RECTS);
  assert.ok(layout.omitted > 0);
  for (const rect of layout.rects) {
    if (rect.depth === 0) continue;
    const parent = layout.rects.some(
      (p) => p.depth === rect.depth - 1 && p.x <= rect.x + 1e-6 && p.x + p.width >= rect.x + rect.width - 1e-6,
    );
    assert.ok(parent, `box at ${rect.depth}:${rect.x} has a parent`);
  }
});

test('no groups, no boxes; labels are cut to fit', () => {
  assert.deepEqual(layoutIcicle([]).rects, []);
  assert.equal(fitLabel('pthread_cond_timedwait', 1000), 'pthread_cond_timedwait');
  assert.equal(fitLabel('pthread_cond_timedwait', 60), 'pthread…');
  assert.equal(fitLabel('pthread_cond_timedwait', 10), '');
});
