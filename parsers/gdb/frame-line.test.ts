import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame, type RawFrame } from '../model.js';
import { applyContinuationLocation, applyEuStackSource, parseFrameBody } from './frame-line.js';

interface Case {
  name: string;
  text: string;
  want: Partial<RawFrame>;
  isComplete?: boolean;
}

const cases: Case[] = [
  {
    name: 'address, args, file and line (gdb 13.1)',
    text: '0x00005558c0ecb55a in reconcile (batch=7) at deadlock.c:32',
    want: { function: 'reconcile', address: '0x00005558c0ecb55a', args: 'batch=7', file: 'deadlock.c', line: 32, library: null },
  },
  {
    name: 'inlined frame without address',
    text: '__GI___lll_lock_wait (futex=futex@entry=0x5558c0ece100 <accounts_mutex>, private=0) at ./nptl/lowlevellock.c:49',
    want: {
      function: '__GI___lll_lock_wait',
      address: null,
      args: 'futex=futex@entry=0x5558c0ece100 <accounts_mutex>, private=0',
      file: './nptl/lowlevellock.c',
      line: 49,
    },
  },
  {
    name: 'no debug info: from library',
    text: '0x00007fd0bbde9569 in ?? () from /usr/lib/python3/dist-packages/gevent/_gevent_cgreenlet.cpython-311-x86_64-linux-gnu.so',
    want: {
      function: null,
      args: '',
      file: null,
      library: '/usr/lib/python3/dist-packages/gevent/_gevent_cgreenlet.cpython-311-x86_64-linux-gnu.so',
    },
  },
  {
    name: '?? with nothing after',
    text: '0x7b4aca5f17667e00 in ?? ()',
    want: { function: null, address: '0x7b4aca5f17667e00', args: '', file: null, library: null },
  },
  {
    name: 'signal trampoline',
    text: '<signal handler called>',
    want: { function: '<signal handler called>', isSignalTrampoline: true, args: null },
  },
  {
    name: 'demangled C++ without debug info keeps the parameter list in the name',
    text: '0x00007fd0bc206f18 in greenlet::UserGreenlet::g_initialstub(void*) () from /usr/lib/python3/dist-packages/greenlet/_greenlet.so',
    want: {
      function: 'greenlet::UserGreenlet::g_initialstub(void*)',
      args: '',
      library: '/usr/lib/python3/dist-packages/greenlet/_greenlet.so',
    },
  },
  {
    name: 'WTF::threadEntryPoint(void*) ()',
    text: '0x00007f1 in WTF::threadEntryPoint(void*) () from /usr/lib64/libjavascriptcoregtk-4.0.so.18',
    want: { function: 'WTF::threadEntryPoint(void*)', args: '' },
  },
  {
    name: 'operator[] with a parameter list, then args',
    text: '0x0000000000401136 in std::vector<int, std::allocator<int> >::operator[](unsigned long) (this=0x7ffd5a8, __n=3) at /usr/include/c++/12/bits/stl_vector.h:1123',
    want: { function: 'std::vector<int, std::allocator<int> >::operator[](unsigned long)', args: 'this=0x7ffd5a8, __n=3', line: 1123 },
  },
  {
    name: 'operator<< does not unbalance the template depth',
    text: 'std::operator<< <std::char_traits<char> > (__out=..., __s=0x402004 "hi (x)") at /usr/include/c++/12/ostream:611',
    want: {
      function: 'std::operator<< <std::char_traits<char> >',
      args: '__out=..., __s=0x402004 "hi (x)"',
      file: '/usr/include/c++/12/ostream',
      line: 611,
    },
  },
  {
    name: 'operator() then the argument list',
    text: '0x0000555555555189 in main::{lambda(int)#1}::operator()(int) const (__closure=0x7fffffffe0f7, x=1) at l.cc:4',
    want: { function: 'main::{lambda(int)#1}::operator()(int) const', args: '__closure=0x7fffffffe0f7, x=1', line: 4 },
  },
  {
    name: 'template with [with …] note and a function type inside',
    text: 'wait_for<std::unique_lock<bmalloc::Mutex>, long int, std::ratio<1l>, bmalloc::AsyncTask<Object, Function>::entryPoint() [with Object = bmalloc::Heap; Function = void (bmalloc::Heap::*)()]::<lambda()> > (__p=..., __rtime=...) at /usr/include/c++/5.1.1/condition_variable:299',
    want: {
      function:
        'wait_for<std::unique_lock<bmalloc::Mutex>, long int, std::ratio<1l>, bmalloc::AsyncTask<Object, Function>::entryPoint() [with Object = bmalloc::Heap; Function = void (bmalloc::Heap::*)()]::<lambda()> >',
      args: '__p=..., __rtime=...',
      line: 299,
    },
  },
  {
    name: '(anonymous namespace) at the start of the name',
    text: '(anonymous namespace)::Worker::run (this=0x1) at w.cc:9',
    want: { function: '(anonymous namespace)::Worker::run', args: 'this=0x1', file: 'w.cc', line: 9 },
  },
  {
    name: 'Rust trait-qualified path with a space and ->',
    text: '0x000055d1 in <alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once (self=..., args=()) at /rustc/library/alloc/src/boxed.rs:2015',
    want: { function: '<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once', args: 'self=..., args=()', line: 2015 },
  },
  {
    name: 'Rust closure type with a return arrow',
    text: 'core::ops::function::FnOnce::call_once<fn() -> i32, ()> () at /rustc/library/core/src/ops/function.rs:250',
    want: { function: 'core::ops::function::FnOnce::call_once<fn() -> i32, ()>', args: '', line: 250 },
  },
  {
    name: 'ppc64 dot name',
    text: '0x000000803a6f3dd8 in .g_logv () from /usr/lib64/libglib-2.0.so.0',
    want: { function: '.g_logv', library: '/usr/lib64/libglib-2.0.so.0' },
  },
  {
    name: 'ppc64 plt_call stub',
    text: '0x000000803a6ac2c8 in 000000ca.plt_call.strncasecmp@@GLIBC_2.3+0 () from /usr/lib64/libglib-2.0.so.0',
    want: { function: '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0', args: '' },
  },
  {
    name: 'versioned symbol at a line start',
    text: 'pthread_cond_wait@@GLIBC_2.3.2 () at ../sysdeps/unix/sysv/linux/x86_64/pthread_cond_wait.S:185',
    want: { function: 'pthread_cond_wait@@GLIBC_2.3.2', address: null, args: '', line: 185 },
  },
  {
    name: 'Python objects with quotes holding parentheses',
    text: `0x000000000062d403 in run_eval_code_obj (co=0x3fe667b0, globals={'__doc__': "calls os.abort() (as a C library's\\nassert() would)", 'x': ')'}) at ../Python/pythonrun.c:1714`,
    want: {
      function: 'run_eval_code_obj',
      file: '../Python/pythonrun.c',
      line: 1714,
      args: `co=0x3fe667b0, globals={'__doc__': "calls os.abort() (as a C library's\\nassert() would)", 'x': ')'}`,
    },
  },
  {
    name: '...(truncated) leaves brackets open and still ends the value',
    text: `0x000000000062aa5f in run_mod (mod=<optimized out>, globals={'a': <Condition(_lock=<_thread.RLock at remote 0x7f>, _...(truncated), flags=<optimized out>) at ../Python/pythonrun.c:1735`,
    want: { function: 'run_mod', file: '../Python/pythonrun.c', line: 1735 },
  },
  {
    name: '...(truncated) inside a string',
    text: `0x1 in f (s='abc...(truncated), t=1) at f.c:2`,
    want: { function: 'f', args: `s='abc...(truncated), t=1`, file: 'f.c', line: 2 },
  },
  {
    name: 'an escaped quote inside a string',
    text: `f (s=0x4006 "say \\"hi\\" (x"...) at f.c:3`,
    want: { function: 'f', args: `s=0x4006 "say \\"hi\\" (x"...`, line: 3 },
  },
  {
    name: 'an unbalanced quote falls back to the last ") at "',
    text: `0x1 in g (c=39 ''', d=2) at g.c:4`,
    want: { function: 'g', args: `c=39 ''', d=2`, file: 'g.c', line: 4 },
  },
  {
    name: 'Fedora gdb 7.9: "at" naming the library',
    text: '0x00007f77903f8239 in syscall () at /lib64/libc.so.6',
    want: { function: 'syscall', file: null, library: '/lib64/libc.so.6' },
  },
  {
    name: 'file without a line number',
    text: '0x1 in main () at main.c',
    want: { function: 'main', file: 'main.c', line: null },
  },
  {
    name: 'eu-stack frame',
    text: '0x00007f6b8c1b0e1d __GI___poll',
    want: { function: '__GI___poll', address: '0x00007f6b8c1b0e1d', args: null, file: null },
  },
  {
    name: 'eu-stack frame with -m module',
    text: '0x00007f6b8c1b0e1d __GI___poll - /usr/lib64/libc.so.6',
    want: { function: '__GI___poll', library: '/usr/lib64/libc.so.6' },
  },
  {
    name: 'eu-stack frame with -a activation marker',
    text: '0x00007f6b8c1b0e1d - 1 start_thread',
    want: { function: 'start_thread' },
  },
  { name: 'eu-stack frame without a symbol', text: '0x00007f6b8c1b0e1d', want: { function: null, address: '0x00007f6b8c1b0e1d' } },
  {
    name: 'cut inside the arguments',
    text: '0x00007faece4a6545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0, flags=fl',
    want: { function: '__GI___clock_nanosleep', args: 'clock_id=clock_id@entry=0, flags=fl', file: null },
    isComplete: false,
  },
  {
    name: 'cut inside the name',
    text: '0x00007faece4a6545 in __GI___clock_nan',
    want: { function: '__GI___clock_nan', args: null },
    isComplete: false,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = parseFrameBody(c.text, 512);
    assert.equal(got.isComplete, c.isComplete ?? true);
    for (const [key, value] of Object.entries(c.want)) {
      assert.deepEqual(got.frame[key as keyof RawFrame], value, `${key} of ${c.text}`);
    }
    assert.equal(got.frame.language, 'native');
  });
}

test('arguments are capped at maxArgsLength', () => {
  const long = 'x'.repeat(5000);
  const got = parseFrameBody(`0x1 in f (s="${long}") at f.c:1`, 100);
  assert.equal(got.frame.args?.length, 100);
  assert.equal(got.frame.line, 1);
});

test('a frame still open before the final pass asks for more lines', () => {
  const got = parseFrameBody('0x00000038484d7de3 in __poll (fds=<value optimized out>,', 512, false);
  assert.equal(got.isComplete, false);
});

test('a one-megabyte argument list is read in one pass', () => {
  const args = `v=${'(a) "b" '.repeat(130_000)}`;
  const got = parseFrameBody(`0x1 in f (${args}) at f.c:9`, 512);
  assert.equal(got.frame.line, 9);
});

const locations: Array<{ name: string; line: string; want: Partial<RawFrame> | null }> = [
  {
    name: 'wrapped "at" (gdb 7.0)',
    line: '    at ../nptl/sysdeps/unix/sysv/linux/pt-raise.c:42',
    want: { file: '../nptl/sysdeps/unix/sysv/linux/pt-raise.c', line: 42 },
  },
  {
    name: 'wrapped "from" with three spaces',
    line: '   from /usr/lib64/thunderbird-3.1/libxpcom_core.so',
    want: { library: '/usr/lib64/thunderbird-3.1/libxpcom_core.so' },
  },
  { name: 'a local is not a location', line: '        at = 3', want: null },
  { name: 'unindented text is not a location', line: 'at foo.c:3', want: null },
];

for (const c of locations) {
  test(`continuation: ${c.name}`, () => {
    const frame = nativeFrame('f');
    assert.equal(applyContinuationLocation(frame, c.line), c.want !== null);
    for (const [key, value] of Object.entries(c.want ?? {})) assert.deepEqual(frame[key as keyof RawFrame], value);
  });
}

test('eu-stack -s source line with a column', () => {
  const frame = nativeFrame('poll');
  assert.equal(applyEuStackSource(frame, '    /usr/src/debug/glibc-2.36/io/poll.c:29:3'), true);
  assert.equal(frame.file, '/usr/src/debug/glibc-2.36/io/poll.c');
  assert.equal(frame.line, 29);
  assert.equal(applyEuStackSource(nativeFrame('x'), '    [1c4f0e]@0x7f+0x1'), false);
});
