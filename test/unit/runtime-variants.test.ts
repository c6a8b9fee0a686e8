/**
 * Stacks from runtimes and builds the shared corpus does not show, in the shapes their tools
 * print (FRAMES.md §4, §6.1): musl's cancellable-syscall labels, a Python 2.7 without symbols.
 * Each is checked through the whole pipeline, as `stacksift analyze` reads it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeCase } from '../../analysis/triage.js';

const enc = (s: string) => new TextEncoder().encode(s);
const read = (text: string) => analyzeCase([{ name: 'dump.txt', bytes: enc(text) }]);

// Alpine with musl-dbg: gdb names the pc inside __syscall_cp_asm by its label `__cp_end`
// (src/thread/x86_64/syscall_cp.s); the frames above decide. Shape from a published Alpine backtrace.
const MUSL_DEADLOCK = `Thread 2 (LWP 21):
#0  __cp_end () at src/thread/x86_64/syscall_cp.s:29
#1  0x00007f1c2b6b3a2c in __syscall_cp_c (nr=202, u=<optimized out>, v=<optimized out>, w=<optimized out>, x=<optimized out>, y=<optimized out>, z=0) at src/thread/pthread_cancel.c:33
#2  0x00007f1c2b6b2d7a in __timedwait_cp (addr=addr@entry=0x55d2e8c3f080 <ledger_lock>, val=val@entry=-2147483647, clk=clk@entry=0, at=at@entry=0x0, priv=priv@entry=128) at src/thread/__timedwait.c:52
#3  0x00007f1c2b6b2e34 in __timedwait (addr=addr@entry=0x55d2e8c3f080 <ledger_lock>, val=-2147483647, clk=clk@entry=0, at=at@entry=0x0, priv=priv@entry=128) at src/thread/__timedwait.c:68
#4  0x00007f1c2b6b4c6f in __pthread_mutex_timedlock (m=0x55d2e8c3f080 <ledger_lock>, at=at@entry=0x0) at src/thread/pthread_mutex_timedlock.c:85
#5  0x000055d2e8c3c1a0 in transfer (arg=0x0) at dl.c:14
Thread 1 (LWP 20):
#0  __cp_end () at src/thread/x86_64/syscall_cp.s:29
#1  0x00007f1c2b6b3a2c in __syscall_cp_c (nr=202, u=<optimized out>, v=<optimized out>, w=<optimized out>, x=<optimized out>, y=<optimized out>, z=0) at src/thread/pthread_cancel.c:33
#2  0x00007f1c2b6b2d7a in __timedwait_cp (addr=addr@entry=0x55d2e8c3f040 <accounts_lock>, val=val@entry=-2147483647, clk=clk@entry=0, at=at@entry=0x0, priv=priv@entry=128) at src/thread/__timedwait.c:52
#3  0x00007f1c2b6b2e34 in __timedwait (addr=addr@entry=0x55d2e8c3f040 <accounts_lock>, val=-2147483647, clk=clk@entry=0, at=at@entry=0x0, priv=priv@entry=128) at src/thread/__timedwait.c:68
#4  0x00007f1c2b6b4c6f in __pthread_mutex_timedlock (m=0x55d2e8c3f040 <accounts_lock>, at=at@entry=0x0) at src/thread/pthread_mutex_timedlock.c:85
#5  0x000055d2e8c3c2a0 in audit (arg=0x0) at dl.c:24`;

// CentOS 7 Python 2.7 without debug symbols: the eval loop's own GIL switch calls
// PyThread_acquire_lock directly; an unnamed frame between them is lock_PyThread_acquire_lock.
const PY27_STRIPPED = `Thread 3 (Thread 0x7f2b2f7fe700 (LWP 12391)):
#0  0x00007f2b4a6a16d5 in sem_wait () from /lib64/libpthread.so.0
#1  0x00007f2b4a9c5b75 in PyThread_acquire_lock () from /lib64/libpython2.7.so.1.0
#2  0x00007f2b4a991c96 in PyEval_RestoreThread () from /lib64/libpython2.7.so.1.0
#3  0x00007f2b4a9c9a14 in ?? () from /lib64/libpython2.7.so.1.0
#4  0x00007f2b4a99a8ca in PyEval_EvalFrameEx () from /lib64/libpython2.7.so.1.0
#5  0x00007f2b4a99cefd in PyEval_EvalCodeEx () from /lib64/libpython2.7.so.1.0
#6  0x00007f2b4a9c9a72 in ?? () from /lib64/libpython2.7.so.1.0
#7  0x00007f2b4a69bdd5 in start_thread () from /lib64/libpthread.so.0
#8  0x00007f2b49cc1ead in clone () from /lib64/libc.so.6

Thread 2 (Thread 0x7f2b2ffff700 (LWP 12390)):
#0  0x00007f2b4a6a16d5 in sem_wait () from /lib64/libpthread.so.0
#1  0x00007f2b4a9c5b75 in PyThread_acquire_lock () from /lib64/libpython2.7.so.1.0
#2  0x00007f2b4a9c9682 in ?? () from /lib64/libpython2.7.so.1.0
#3  0x00007f2b4a99a8ca in PyEval_EvalFrameEx () from /lib64/libpython2.7.so.1.0
#4  0x00007f2b4a99cefd in PyEval_EvalCodeEx () from /lib64/libpython2.7.so.1.0
#5  0x00007f2b4a9c9a72 in ?? () from /lib64/libpython2.7.so.1.0
#6  0x00007f2b4a69bdd5 in start_thread () from /lib64/libpthread.so.0
#7  0x00007f2b49cc1ead in clone () from /lib64/libc.so.6`;

test('musl: threads blocked under __cp_end are lock waits, and the lock-order inversion is found', () => {
  const report = read(MUSL_DEADLOCK);
  assert.deepEqual(
    report.threads.map((t) => t.state),
    ['lock_wait', 'lock_wait'],
  );
  const deadlock = report.diagnoses.find((d) => d.code === 'deadlock');
  assert.ok(deadlock, report.summary);
  assert.match(deadlock.title, /accounts_lock/);
  assert.match(deadlock.title, /ledger_lock/);
});

test('Python 2.7 stripped: a PyThread_acquire_lock reached through an unnamed frame is a lock, not the GIL', () => {
  const report = read(PY27_STRIPPED);
  const byLwp = new Map(report.threads.map((t) => [t.lwp, t]));
  assert.equal(byLwp.get(12391)?.state, 'gil_wait', 'under PyEval_RestoreThread: the GIL');
  assert.equal(byLwp.get(12390)?.state, 'lock_wait', 'through ?? (lock_PyThread_acquire_lock): a Python lock');
});
