import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argDecimal, parseFrameArgs } from './frame-args.js';

const cases: { name: string; text: string | null; want: Record<string, string> }[] = [
  { name: 'no arguments', text: null, want: {} },
  { name: 'empty', text: '', want: {} },
  { name: 'plain', text: 'fds=0x7fb715bbe040, nfds=1, timeout=300000', want: { fds: '0x7fb715bbe040', nfds: '1', timeout: '300000' } },
  {
    name: '@entry value wins',
    text: 'fds=0x7fb715bbe040, nfds=1, timeout=timeout@entry=0',
    want: { fds: '0x7fb715bbe040', nfds: '1', timeout: '0' },
  },
  {
    name: 'symbol in angle brackets',
    text: 'private=0, cancel=true, abstime=0x7f4f112fe8b0, op=137, expected=0, futex_word=0xa563d0 <_PyRuntime+432>',
    want: { private: '0', cancel: 'true', abstime: '0x7f4f112fe8b0', op: '137', expected: '0', futex_word: '0xa563d0 <_PyRuntime+432>' },
  },
  {
    name: 'commas inside nested values and strings',
    text: 'kwdict={}, callargs=(3, 4), buf=0x7f "a, b", n=2',
    want: { kwdict: '{}', callargs: '(3, 4)', buf: '0x7f "a, b"', n: '2' },
  },
  {
    name: 'template in a symbol',
    text: 'cond=0x7f56 <bmalloc::PerProcess<bmalloc::Heap>::s_memory+9304>, mutex=<optimized out>',
    want: { cond: '0x7f56 <bmalloc::PerProcess<bmalloc::Heap>::s_memory+9304>', mutex: '<optimized out>' },
  },
  {
    name: 'leading underscores dropped from names',
    text: '__timeout=-1, __nfds=2, __fds=0x7f28',
    want: { timeout: '-1', nfds: '2', fds: '0x7f28' },
  },
  { name: 'cut mid-argument (gdb line wrap)', text: 'fds=<value optimized out>, ', want: { fds: '<value optimized out>' } },
];

for (const c of cases) test(c.name, () => assert.deepEqual(Object.fromEntries(parseFrameArgs(c.text)), c.want));

const ints: { text: string | undefined; want: number | null }[] = [
  { text: '0', want: 0 },
  { text: '-1', want: -1 },
  { text: '300000', want: 300000 },
  { text: '0x0', want: null },
  { text: '0xa563d0 <_PyRuntime+432>', want: null },
  { text: '<optimized out>', want: null },
  { text: '...', want: null },
  { text: 'true', want: null },
  { text: undefined, want: null },
];
for (const c of ints) test(`argDecimal(${String(c.text)})`, () => assert.equal(argDecimal(c.text), c.want));
