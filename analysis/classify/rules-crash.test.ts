import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeFrame, type RawFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { CRASH_RULES } from './rules-crash.js';

const TRAMPOLINE: RawFrame = nativeFrame('<signal handler called>', { isSignalTrampoline: true });
const stack = (...parts: (string | RawFrame)[]): RawFrame[] => parts.flatMap((p) => (typeof p === 'string' ? frames(p) : [p]));

const cases: { name: string; thread: CorrelatedThread; want: { state: string; rule: string; frameIndex: number | null } }[] = [
  {
    name: 'os.abort() under faulthandler (corpus py-crash-abort gdb-core-bt LWP 1092)',
    thread: makeThread({
      frames: stack(
        '__pthread_kill_implementation threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0',
        '__pthread_kill_internal signo=6, threadid=<optimized out>',
        '__GI_raise sig=6',
        TRAMPOLINE,
        '__pthread_kill_implementation',
        '__pthread_kill_internal',
        '__GI_raise sig=sig@entry=6',
        '__GI_abort',
        'os_abort_impl',
        'os_abort',
        'cfunction_vectorcall_NOARGS',
      ),
    }),
    want: { state: 'running', rule: 'crash.signal', frameIndex: 0 },
  },
  {
    name: 'i386 Xorg abort from its SIGSEGV handler (__kernel_vsyscall ← raise)',
    thread: makeThread({
      frames: stack(
        '__kernel_vsyscall',
        '__GI_raise sig=sig@entry=6',
        '__GI_abort',
        'OsAbort',
        'ddxGiveUp',
        'OsSigHandler signo=11',
        TRAMPOLINE,
        'xf86CursorSetCursor',
      ),
    }),
    want: { state: 'running', rule: 'crash.signal', frameIndex: 1 },
  },
  {
    name: 'ppc64 g_log trap (.raise ← .g_logv)',
    thread: makeThread({ frames: stack('.raise', '.g_logv', '.g_log', '._XError') }),
    want: { state: 'running', rule: 'crash.signal', frameIndex: 0 },
  },
  {
    name: 'faulthandler writing the traceback from its fatal-signal handler',
    thread: makeThread({
      frames: stack(
        '__GI___libc_write fd=2, buf=0x7ffc, nbytes=37',
        '_Py_write_noraise',
        'dump_traceback',
        'faulthandler_fatal_error signum=11',
        TRAMPOLINE,
        'crashy_ext_fn',
      ),
    }),
    want: { state: 'running', rule: 'crash.signal', frameIndex: 3 },
  },
  {
    name: 'the thread a crash record names, faulting in ordinary code (epiphany g_str_hash)',
    thread: makeThread({
      frames: frames('g_str_hash v=v@entry=0x0', 'ephy_location_entry_set_location', 'match_selected_cb'),
      isCrashing: true,
    }),
    want: { state: 'running', rule: 'crash.signal', frameIndex: 0 },
  },
  {
    name: 'a crash record names a thread seen by faulthandler only',
    thread: makeThread({ frames: frames('py:/srv/demo/crash_abort.py:check_invariants'), isCrashing: true }),
    want: { state: 'running', rule: 'crash.signal', frameIndex: 0 },
  },
  {
    name: 'look-alike: a signal handler waiting in poll is a wait, not a crash',
    thread: makeThread({ frames: stack('__GI___poll fds=0x7ffc, nfds=1, timeout=1000', 'on_sigusr1', TRAMPOLINE, 'main_loop') }),
    want: { state: 'io_wait', rule: 'io.poll', frameIndex: 0 },
  },
  {
    name: 'look-alike: the other threads of a crashed process keep their waits',
    thread: makeThread({ frames: frames('pthread_cond_wait@@GLIBC_2.3.2', 'PR_WaitCondVar', 'js::GCHelperThread::threadLoop') }),
    want: { state: 'lock_wait', rule: 'nspr.condvar', frameIndex: 1 },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const v = classifyThread(c.thread);
    assert.deepEqual(
      { state: v.state, rule: v.classification.rule, frameIndex: v.classification.frameIndex },
      c.want,
      v.classification.why,
    );
    assert.equal(v.idle, false);
  });
}

test('every crash rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    CRASH_RULES.map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});
