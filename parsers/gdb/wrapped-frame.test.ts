import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWrappedFrame } from './wrapped-frame.js';

const cases: Array<{
  name: string;
  lines: string[];
  want: {
    fn: string | null;
    args: string | null;
    file?: string | null;
    line?: number | null;
    lib?: string | null;
    last: number;
    isCut: boolean;
  };
}> = [
  {
    name: 'one line',
    lines: ['#2  0x00005558c0ecb63f in stats_worker (arg=0x0) at deadlock.c:53', '#3  …'],
    want: { fn: 'stats_worker', args: 'arg=0x0', file: 'deadlock.c', line: 53, last: 0, isCut: false },
  },
  {
    name: 'arguments over three lines, then the location (gdb 7.0)',
    lines: [
      '#15 0x00007f9095312a10 in nsViewManager::Refresh (this=0x7f9099d40280, ',
      '    aView=0x7f909116e680, aContext=0x7f907d912a60, ',
      '    aRegion=<value optimized out>, aUpdateFlags=1)',
      '    at /usr/src/debug/thunderbird-3.1.1/comm-1.9.2/mozilla/view/src/nsViewManager.cpp:492',
      '        localcx = {<nsCOMPtr_base> = {',
    ],
    want: {
      fn: 'nsViewManager::Refresh',
      args: 'this=0x7f9099d40280, aView=0x7f909116e680, aContext=0x7f907d912a60, aRegion=<value optimized out>, aUpdateFlags=1',
      file: '/usr/src/debug/thunderbird-3.1.1/comm-1.9.2/mozilla/view/src/nsViewManager.cpp',
      line: 492,
      last: 3,
      isCut: false,
    },
  },
  {
    name: 'a break right after the opening parenthesis',
    lines: [
      '#3  0x00007f909544e763 in nsTreeBodyFrame::PrefillPropertyArray (',
      '    this=0x7f909108c8a8, aRowIndex=-1)',
      '    at nsTreeBodyFrame.cpp:2055',
    ],
    want: {
      fn: 'nsTreeBodyFrame::PrefillPropertyArray',
      args: 'this=0x7f909108c8a8, aRowIndex=-1',
      file: 'nsTreeBodyFrame.cpp',
      line: 2055,
      last: 2,
      isCut: false,
    },
  },
  {
    name: 'from on the next line, three spaces in',
    lines: ['#47 0x0000003139a780a3 in SharedStub ()', '   from /usr/lib64/thunderbird-3.1/libxpcom_core.so'],
    want: { fn: 'SharedStub', args: '', lib: '/usr/lib64/thunderbird-3.1/libxpcom_core.so', last: 1, isCut: false },
  },
  {
    name: 'a complete frame with a location takes no more lines',
    lines: ['#0  0x1 in f () at f.c:1', '    at g.c:2'],
    want: { fn: 'f', args: '', file: 'f.c', line: 1, last: 0, isCut: false },
  },
  {
    name: 'locals are not a continuation',
    lines: ['#0  0x1 in f (a=1,', '        b = 2'],
    want: { fn: 'f', args: 'a=1,', file: null, last: 0, isCut: false },
  },
  {
    name: 'cut at the end of the input',
    lines: ['#0  0x1 in f (a=1,', '    b=2, c='],
    want: { fn: 'f', args: 'a=1, b=2, c=', last: 1, isCut: true },
  },
  {
    name: 'eu-stack source line',
    lines: ['#0  0x00007f6b8c1b0e1d __GI___poll', '    /usr/src/debug/glibc-2.36/io/poll.c:29:3'],
    want: { fn: '__GI___poll', args: null, file: '/usr/src/debug/glibc-2.36/io/poll.c', line: 29, last: 1, isCut: false },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = readWrappedFrame(c.lines, 0, 4, c.lines.length, 512);
    const f = got.parsed.frame;
    assert.equal(f.function, c.want.fn);
    assert.equal(f.args, c.want.args);
    if (c.want.file !== undefined) assert.equal(f.file, c.want.file);
    if (c.want.line !== undefined) assert.equal(f.line, c.want.line);
    if (c.want.lib !== undefined) assert.equal(f.library, c.want.lib);
    assert.equal(got.last, c.want.last);
    assert.equal(got.isCut, c.want.isCut);
  });
}

test('joining stops after 64 continuation lines', () => {
  const lines = ['#0  0x1 in f (a=1,', ...Array.from({ length: 500 }, (_, i) => `    b${i}=(,`)];
  const got = readWrappedFrame(lines, 0, 4, lines.length, 512);
  assert.equal(got.last, 64);
  assert.equal(got.parsed.frame.function, 'f');
});

test('the range end is respected', () => {
  const lines = ['#0  0x1 in f (a=1,', '    b=2)', '    at f.c:3'];
  const got = readWrappedFrame(lines, 0, 4, 1, 512);
  assert.equal(got.last, 0);
  assert.equal(got.isCut, true);
});
