/**
 * Stacks for the diagnosis tests, spelled as gdb 13.1 / CPython 3.11 / glibc 2.36 print them in
 * the shared corpus (../shared/corpus) and FRAMES.md (innermost first, merged native + Python as correlation
 * builds them). Test-only, like test-context.ts.
 */
import type { RawFrame } from '../../parsers/model.js';
import { frames } from './threads.js';

/** Python frames with source lines, as py-bt shows them. */
export function pyFrames(...specs: Array<[file: string, fn: string, line: number, source: string | null]>): RawFrame[] {
  return specs.map(([file, fn, line, source]) => ({
    function: fn,
    file,
    line,
    library: null,
    language: 'python',
    args: null,
    address: null,
    sourceText: source,
  }));
}

const THREAD_ENTRY = frames(
  'thread_run boot_raw=0x7f4f119ecdb0',
  'pythread_wrapper arg=<optimized out>',
  'start_thread arg=<optimized out>',
  'clone3',
);
const PY_THREAD_BOOT = pyFrames(
  ['/usr/lib/python3.11/threading.py', 'run', 975, 'self._target(*self._args, **self._kwargs)'],
  ['/usr/lib/python3.11/threading.py', '_bootstrap_inner', 1038, 'self.run()'],
  ['/usr/lib/python3.11/threading.py', '_bootstrap', 995, 'self._bootstrap_inner()'],
);

/** py-gil-gthread-40 LWP 32102: forced off the GIL by the eval loop while running render_report. */
export function gilWaiterInLoop(): RawFrame[] {
  return [
    ...frames(
      '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x7f4f112fe8b0, op=137, expected=0, futex_word=0xa563d0 <_PyRuntime+432>',
      '__pthread_cond_wait_common abstime=0x7f4f112fe8b0, clockid=1, mutex=0xa563d8 <_PyRuntime+440>, cond=0xa563a8 <_PyRuntime+392>',
      '___pthread_cond_timedwait64 cond=cond@entry=0xa563a8 <_PyRuntime+392>, mutex=mutex@entry=0xa563d8 <_PyRuntime+440>, abstime=abstime@entry=0x7f4f112fe8b0',
      'PyCOND_TIMEDWAIT us=<optimized out>, mut=<optimized out>, cond=0xa563a8 <_PyRuntime+392>',
      'take_gil tstate=0x19b0a280',
      'eval_frame_handle_pending tstate=<optimized out>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>, frame=<optimized out>, throwflag=<optimized out>',
    ),
    ...pyFrames(
      ['/srv/demo/gthread_app.py', 'render_report', 29, 'acc += (i * report_id) % 7'],
      ['/usr/lib/python3.11/concurrent/futures/thread.py', 'run', 58, 'result = self.fn(*self.args, **self.kwargs)'],
      ['/usr/lib/python3.11/concurrent/futures/thread.py', '_worker', 83, 'work_item.run()'],
    ),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** py-gil-gthread-40 LWP 32110: re-taking the GIL after time.sleep(0.001). */
export function gilWaiterAfterSleep(): RawFrame[] {
  return [
    ...frames(
      '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x7f4f08ff8860, op=137, expected=0, futex_word=0xa563d0 <_PyRuntime+432>',
      '__pthread_cond_wait_common abstime=0x7f4f08ff8860, clockid=1, mutex=0xa563d8 <_PyRuntime+440>, cond=0xa563a8 <_PyRuntime+392>',
      '___pthread_cond_timedwait64 cond=cond@entry=0xa563a8 <_PyRuntime+392>',
      'PyCOND_TIMEDWAIT us=<optimized out>',
      'take_gil tstate=0x19c0dc60',
      'PyEval_RestoreThread tstate=0x19c0dc60',
      'pysleep timeout=<optimized out>',
      'time_sleep self=<optimized out>, timeout_obj=<optimized out>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(['/srv/demo/gthread_app.py', 'handle_request', 40, 'time.sleep(0.001)']),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** py-gil-gthread-40 LWP 32105: the GIL holder in a pure-Python loop. */
export function runningPythonLoop(): RawFrame[] {
  return [
    ...frames(
      'fast_mod b=0xa56648 <_PyRuntime+1064>, a=0x7f4f11319310',
      'l_mod',
      'long_mod a=79936, b=7',
      'binary_op1',
      'PyNumber_Remainder v=79936, w=7',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(['/srv/demo/gthread_app.py', 'render_report', 29, 'acc += (i * report_id) % 7']),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** FRAMES.md §7: ThreadPoolExecutor worker waiting for work (3.11, SimpleQueue.get). */
export function idlePoolWorker(): RawFrame[] {
  return [
    ...frames(
      '__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x7f4ef0000c10',
      '__GI___futex_abstimed_wait_cancelable64 futex_word=futex_word@entry=0x7f4ef0000c10, expected=expected@entry=0',
      'do_futex_wait sem=sem@entry=0x7f4ef0000c10, abstime=0x0, clockid=0',
      '__new_sem_wait_slow64 sem=sem@entry=0x7f4ef0000c10, abstime=0x0, clockid=0',
      '__new_sem_wait sem=sem@entry=0x7f4ef0000c10',
      'PyThread_acquire_lock_timed lock=0x7f4ef0000c10, microseconds=-1, intr_flag=1',
      '_queue_SimpleQueue_get_impl self=0x7f4f1130bf60, cls=<optimized out>, block=1, timeout_obj=None',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(['/usr/lib/python3.11/concurrent/futures/thread.py', '_worker', 81, 'work_item = work_queue.get(block=True)']),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** py-crash-abort LWP 1093: a worker in Condition.wait (waiter lock at `lock`). */
export function conditionWait(lock: string): RawFrame[] {
  return [
    ...frames(
      `__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=${lock}`,
      `__GI___futex_abstimed_wait_cancelable64 futex_word=futex_word@entry=${lock}, expected=expected@entry=0`,
      `do_futex_wait sem=sem@entry=${lock}, abstime=0x0, clockid=0`,
      `__new_sem_wait_slow64 sem=sem@entry=${lock}, abstime=0x0, clockid=0`,
      `__new_sem_wait sem=sem@entry=${lock}`,
      `PyThread_acquire_lock_timed lock=${lock}, microseconds=<optimized out>, intr_flag=1`,
      `acquire_timed timeout=<optimized out>, lock=${lock}`,
      'lock_PyThread_acquire_lock self=0x7fbf3c1b8a40, args=<optimized out>, kwds=<optimized out>',
      'method_vectorcall_VARARGS_KEYWORDS func=<method_descriptor at remote 0x7fbf3c4b2f70>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/usr/lib/python3.11/threading.py', 'wait', 320, 'waiter.acquire()'],
      ['/srv/demo/crash_abort.py', 'worker', 17, 'cond.wait()'],
    ),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** A Python `with <name>:` blocked on a threading.Lock at `lock`. */
export function pythonLockWait(lock: string, name: string, fn: string): RawFrame[] {
  return [
    ...frames(
      `__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=${lock}`,
      `do_futex_wait sem=sem@entry=${lock}, abstime=0x0, clockid=0`,
      `__new_sem_wait sem=sem@entry=${lock}`,
      `PyThread_acquire_lock_timed lock=${lock}, microseconds=-1, intr_flag=1`,
      `acquire_timed timeout=<optimized out>, lock=${lock}`,
      'lock_PyThread_acquire_lock self=0x7f0000001000, args=<optimized out>, kwds=<optimized out>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(['/srv/app/bank.py', fn, 12, `with ${name}:`]),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** c-mutex-deadlock: blocked in pthread_mutex_lock on `symbol` at `address`, called from `caller`. */
export function mutexWait(address: string, symbol: string, caller: string): RawFrame[] {
  return frames(
    `futex_wait private=0, expected=2, futex_word=${address} <${symbol}>`,
    `__GI___lll_lock_wait futex=futex@entry=${address} <${symbol}>, private=0`,
    `lll_mutex_lock_optimized mutex=${address} <${symbol}>`,
    `___pthread_mutex_lock mutex=${address} <${symbol}>`,
    `${caller} batch=7`,
    `${caller}_worker arg=0x0`,
    'start_thread arg=<optimized out>',
    'clone3',
  );
}

/** c-mutex-deadlock LWP 402: main in pthread_join on the thread with LWP `tid`. */
export function joinWait(tid: number, pthreadDecimal = '140388752762560'): RawFrame[] {
  return frames(
    `__futex_abstimed_wait_common64 private=128, cancel=true, abstime=0x0, op=265, expected=${tid}, futex_word=0x7faecdbd2990`,
    `__futex_abstimed_wait_common futex_word=futex_word@entry=0x7faecdbd2990, expected=${tid}, clockid=clockid@entry=0`,
    '__GI___futex_abstimed_wait_cancelable64 futex_word=futex_word@entry=0x7faecdbd2990, expected=<optimized out>',
    `__pthread_clockjoin_ex threadid=${pthreadDecimal}, thread_return=0x0, clockid=0, abstime=0x0, block=<optimized out>`,
    'main',
  );
}

/** c-mutex-deadlock LWP 404: a C thread sleeping in nanosleep. */
export function nanosleepWait(): RawFrame[] {
  return frames(
    '__GI___clock_nanosleep clock_id=clock_id@entry=0, flags=flags@entry=0, req=0x7faece3d2ec0, rem=0x0',
    '__GI___nanosleep req=<optimized out>, rem=<optimized out>',
    'stats_worker arg=0x0',
    'start_thread arg=<optimized out>',
    'clone3',
  );
}

/** FRAMES.md §7: an asyncio loop idle in its selector. */
export function asyncioIdle(): RawFrame[] {
  return [
    ...frames(
      'epoll_wait epfd=3, events=events@entry=0x7f11, maxevents=maxevents@entry=3, timeout=timeout@entry=-1',
      'select_epoll_poll_impl maxevents=<optimized out>, timeout_obj=<optimized out>, self=0x7f22',
      'select_epoll_poll self=0x7f22',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/usr/lib/python3.11/selectors.py', 'select', 468, 'fd_event_list = self._selector.poll(timeout, max_ev)'],
      ['/usr/lib/python3.11/asyncio/base_events.py', '_run_once', 1898, 'event_list = self._selector.select(timeout)'],
      ['/usr/lib/python3.11/asyncio/base_events.py', 'run_forever', 607, 'self._run_once()'],
      ['/usr/lib/python3.11/asyncio/base_events.py', 'run_until_complete', 640, 'self.run_forever()'],
      ['/usr/lib/python3.11/asyncio/runners.py', 'run', 118, 'return self._loop.run_until_complete(task)'],
      ['/srv/app/server.py', '<module>', 90, 'asyncio.run(main())'],
    ),
  ];
}

/** An asyncio loop thread stuck in a blocking socket recv inside a coroutine. */
export function asyncioBlockedRecv(): RawFrame[] {
  return [
    ...frames(
      '__libc_recv fd=7, buf=0x7f33, len=65536, flags=0',
      'sock_recv_impl',
      'sock_call_ex',
      'sock_recv',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/srv/app/client.py', 'fetch_quote', 22, 'data = sock.recv(65536)'],
      ['/usr/lib/python3.11/asyncio/events.py', '_run', 80, 'self._context.run(self._callback, *self._args)'],
      ['/usr/lib/python3.11/asyncio/base_events.py', '_run_once', 1922, 'handle._run()'],
      ['/usr/lib/python3.11/asyncio/base_events.py', 'run_forever', 607, 'self._run_once()'],
    ),
  ];
}

/** py-gevent-blocked-hub LWP 828: os.read on a pipe inside a greenlet, greenlet frames below. */
export function geventBlockedRead(): RawFrame[] {
  return [
    ...frames(
      '__GI___libc_read nbytes=4096, buf=0x211b0280, fd=4',
      '__GI___libc_read fd=fd@entry=4, buf=buf@entry=0x211b0280, nbytes=nbytes@entry=4096',
      'read __nbytes=<optimized out>, __buf=<optimized out>, __fd=<optimized out>',
      '_Py_read fd=4, buf=0x211b0280, count=<optimized out>',
      'os_read_impl module=<optimized out>, length=4096, fd=4',
      'os_read module=<optimized out>, args=<optimized out>, nargs=<optimized out>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>, frame=<optimized out>, throwflag=<optimized out>',
    ),
    ...pyFrames([
      '/srv/demo/gevent_app.py',
      'export_report',
      74,
      'return os.read(rfd, 4096)       # blocks the whole OS thread (and the hub)',
    ]),
    ...frames(
      '_PyEval_Vector kwnames=<optimized out>, argcount=1',
      '_PyFunction_Vectorcall func=<optimized out>',
      '??',
      '??',
      '_PyObject_MakeTpCall tstate=0xa7ebd8 <_PyRuntime+166328>',
      'method_vectorcall method=<optimized out>',
      'greenlet::UserGreenlet::inner_bootstrap(greenlet::refs::_OwnedGreenlet<_greenlet, &greenlet::refs::GreenletChecker>&, greenlet::refs::OwnedReference<_object, &greenlet::refs::NoOpChecker>&)',
      'greenlet::UserGreenlet::g_initialstub(void*)',
      'greenlet::UserGreenlet::g_switch()',
    ),
  ];
}

/** FRAMES.md §7: the gevent hub idle in libev's epoll. */
export function geventHubIdle(): RawFrame[] {
  return [
    ...frames(
      'epoll_wait epfd=4, events=0x1f, maxevents=64, timeout=59743',
      'epoll_poll',
      'ev_run',
      '??',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(['/usr/lib/python3/dist-packages/gevent/hub.py', 'run', 647, 'loop.run()']),
    ...frames(
      'greenlet::UserGreenlet::inner_bootstrap(...)',
      'greenlet::UserGreenlet::g_initialstub(void*)',
      'greenlet::UserGreenlet::g_switch()',
    ),
  ];
}

/** py-gevent-blocked-hub LWP 833: gevent's monitor thread sleeping. */
export function timeSleep(file: string, fn: string, line: number, source: string): RawFrame[] {
  return [
    ...frames(
      '__GI___clock_nanosleep clock_id=clock_id@entry=1, flags=flags@entry=1, req=req@entry=0x7fd0ba4fdb30, rem=rem@entry=0x0',
      'pysleep timeout=<optimized out>',
      'time_sleep self=<optimized out>, timeout_obj=<optimized out>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames([file, fn, line, source]),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** py-mp-queue-join-hang LWP 10: the QueueFeederThread blocked writing 2 MB to the pipe. */
export function feederBlockedWrite(): RawFrame[] {
  return [
    ...frames(
      '__GI___libc_write nbytes=2097161, buf=0x7f89ed43a030, fd=5',
      '__GI___libc_write fd=fd@entry=5, buf=buf@entry=0x7f89ed43a030, nbytes=nbytes@entry=2097161',
      '_Py_write_impl gil_held=1, count=2097161, buf=0x7f89ed43a030, fd=5',
      '_Py_write fd=5, buf=0x7f89ed43a030, count=<optimized out>',
      'os_write_impl data=0x7f89ee07b9f0, fd=5, module=<optimized out>',
      'os_write module=<optimized out>, args=0x7f89ee2d1448, nargs=<optimized out>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/usr/lib/python3.11/multiprocessing/connection.py', '_send', 367, 'n = write(self._handle, buf)'],
      ['/usr/lib/python3.11/multiprocessing/connection.py', '_send_bytes', 404, 'self._send(buf)'],
      ['/usr/lib/python3.11/multiprocessing/connection.py', 'send_bytes', 199, 'self._send_bytes(m[offset:offset + size])'],
      ['/usr/lib/python3.11/multiprocessing/queues.py', '_feed', 250, 'send_bytes(obj)'],
    ),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** FRAMES.md §7: the feeder idle, waiting for items (`nwait()`). */
export function feederIdle(): RawFrame[] {
  return [
    ...conditionWait('0x7f89e8000b70').slice(0, 10),
    ...pyFrames(
      ['/usr/lib/python3.11/threading.py', 'wait', 320, 'waiter.acquire()'],
      ['/usr/lib/python3.11/multiprocessing/queues.py', '_feed', 231, 'nwait()'],
    ),
    ...PY_THREAD_BOOT,
    ...THREAD_ENTRY,
  ];
}

/** py-mp-queue-join-hang LWP 9: the child's main thread joining its feeder at exit (faulthandler/py-bt only). */
export function finalizeJoin(): RawFrame[] {
  return pyFrames(
    ['/usr/lib/python3.11/threading.py', '_wait_for_tstate_lock', 1132, 'if lock.acquire(block, timeout):'],
    ['/usr/lib/python3.11/threading.py', 'join', 1112, 'self._wait_for_tstate_lock()'],
    ['/usr/lib/python3.11/multiprocessing/queues.py', '_finalize_join', 199, 'thread.join()'],
    ['/usr/lib/python3.11/multiprocessing/util.py', '__call__', 224, 'res = self._callback(*self._args, **self._kwargs)'],
    ['/usr/lib/python3.11/multiprocessing/util.py', '_run_finalizers', 300, 'finalizer()'],
    ['/usr/lib/python3.11/multiprocessing/util.py', '_exit_function', 360, '_run_finalizers()'],
    ['/usr/lib/python3.11/multiprocessing/process.py', '_bootstrap', 317, 'util._exit_function()'],
    ['/usr/lib/python3.11/multiprocessing/popen_fork.py', '_launch', 71, 'code = process_obj._bootstrap(parent_sentinel=child_r)'],
    ['/usr/lib/python3.11/multiprocessing/popen_fork.py', '__init__', 19, 'self._launch(process_obj)'],
    ['/usr/lib/python3.11/multiprocessing/process.py', 'start', 121, 'self._popen = self._Popen(self)'],
    ['/srv/demo/mp_queue_hang.py', '<module>', 28, 'p.start()'],
  );
}

/** py-mp-queue-join-hang LWP 7: the parent in Process.join → waitpid(child). */
export function parentProcessJoin(childPid: number): RawFrame[] {
  return [
    ...frames(
      `__GI___wait4 pid=pid@entry=${childPid}, stat_loc=stat_loc@entry=0x7ffd138161ec, options=options@entry=0, usage=usage@entry=0x0`,
      `__GI___waitpid pid=pid@entry=${childPid}, stat_loc=stat_loc@entry=0x7ffd138161ec, options=options@entry=0`,
      `os_waitpid_impl module=<optimized out>, options=0, pid=${childPid}`,
      'os_waitpid module=<optimized out>, args=<optimized out>, nargs=<optimized out>',
      'cfunction_vectorcall_FASTCALL func=<built-in method waitpid of module object at remote 0x7f89ee76dd00>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/usr/lib/python3.11/multiprocessing/popen_fork.py', 'poll', 27, 'pid, sts = os.waitpid(self.pid, flag)'],
      ['/usr/lib/python3.11/multiprocessing/popen_fork.py', 'wait', 43, 'return self.poll(os.WNOHANG if timeout == 0.0 else 0)'],
      ['/usr/lib/python3.11/multiprocessing/process.py', 'join', 149, 'res = self._popen.wait(timeout)'],
      ['/srv/demo/mp_queue_hang.py', '<module>', 31, 'p.join()'],
    ),
  ];
}

/** py-crash-abort LWP 1092: os.abort() in check_invariants, core analysed with gdb, Python frames merged. */
export function pythonAbort(): RawFrame[] {
  return [
    ...frames(
      '__pthread_kill_implementation threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0',
      '__pthread_kill_internal signo=6, threadid=<optimized out>',
      '__GI_raise sig=6',
    ),
    {
      function: '<signal handler called>',
      file: null,
      line: null,
      library: null,
      language: 'native',
      args: null,
      address: null,
      isSignalTrampoline: true,
    },
    ...frames(
      '__pthread_kill_implementation threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0',
      '__pthread_kill_internal signo=6, threadid=<optimized out>',
      '__GI_raise sig=sig@entry=6',
      '__GI_abort',
      'os_abort_impl module=<optimized out>',
      'os_abort module=<optimized out>, _unused_ignored=<optimized out>',
      'cfunction_vectorcall_NOARGS func=<built-in method abort of module object at remote 0x7fbf3c4d1d00>',
      '_PyObject_VectorcallTstate kwnames=<optimized out>',
      'PyObject_Vectorcall callable=<built-in method abort of module object at remote 0x7fbf3c4d1d00>',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/srv/demo/crash_abort.py', 'check_invariants', 27, 'os.abort()'],
      ['/srv/demo/crash_abort.py', '<module>', 40, 'check_invariants(state)'],
    ),
    ...frames(
      '_PyEval_Vector args=0x0',
      'PyEval_EvalCode co=<code at remote 0x3fe667b0>',
      'run_eval_code_obj',
      'run_mod',
      'Py_RunMain',
      'Py_BytesMain',
      '__libc_start_call_main',
      '__libc_start_main_impl',
      '_start',
    ),
  ];
}

/** public-satyr-rhbz-955617: Xorg aborted from its SIGSEGV handler; the fault was in xf86CursorSetCursor. */
export function xorgAbortInHandler(): RawFrame[] {
  return [
    ...frames(
      '__kernel_vsyscall',
      '__GI_raise sig=sig@entry=6',
      '__GI_abort',
      'OsAbort',
      'ddxGiveUp error=error@entry=EXIT_ERR_ABORT',
      'AbortDDX error=error@entry=EXIT_ERR_ABORT',
      'AbortServer',
      'FatalError f=f@entry=0x81f6d38 "Caught signal %d (%s). Server aborting\\n"',
      'OsSigHandler signo=11, sip=0xbfaad08c, unused=0xbfaad10c',
    ),
    {
      function: '<signal handler called>',
      file: null,
      line: null,
      library: null,
      language: 'native',
      args: null,
      address: null,
      isSignalTrampoline: true,
    },
    {
      function: 'xf86CursorSetCursor',
      file: 'xf86Cursor.c',
      line: 333,
      library: null,
      language: 'native',
      args: 'pDev=pDev@entry=0x8f20e48, pScreen=0x8e63948, pCurs=0x9117410, x=747, y=515',
      address: '0x08117ca2',
    },
    ...frames('xf86CursorEnableDisableFBAccess pScrn=0x8e30a68, enable=1', '??'),
  ];
}

/** public-satyr-rhbz-1119072 (ppc64): SIGTRAP from g_log called by an X error handler. */
export function ppcGlogTrap(): RawFrame[] {
  return [
    {
      function: '.raise',
      file: null,
      line: null,
      library: '/usr/lib64/libpthread.so.0',
      language: 'native',
      args: '',
      address: '0x000000803a327a54',
    },
    {
      function: '.g_logv',
      file: null,
      line: null,
      library: '/usr/lib64/libglib-2.0.so.0',
      language: 'native',
      args: '',
      address: '0x000000803a6f3dd8',
    },
    {
      function: '.g_log',
      file: null,
      line: null,
      library: '/usr/lib64/libglib-2.0.so.0',
      language: 'native',
      args: '',
      address: '0x000000803a6f3ef8',
    },
    {
      function: '000002cd.plt_call.XmbTextExtents+0',
      file: null,
      line: null,
      library: '/usr/lib64/libgdk-x11-2.0.so.0',
      language: 'native',
      args: '',
      address: '0x000000803cd0c230',
    },
    {
      function: '._XError',
      file: null,
      line: null,
      library: '/usr/lib64/libX11.so.6',
      language: 'native',
      args: '',
      address: '0x000000803a9e0870',
    },
    {
      function: '._XEventsQueued',
      file: null,
      line: null,
      library: '/usr/lib64/libX11.so.6',
      language: 'native',
      args: '',
      address: '0x000000803a9dd19c',
    },
  ];
}

/** An idle C worker in pthread_cond_wait (no debug info, old glibc), as the satyr cores show. */
export function condvarWaitC(caller: string): RawFrame[] {
  return frames(
    'pthread_cond_wait@@GLIBC_2.3.2',
    `PR_WaitCondVar cvar=0x3315c10, timeout=4294967295`,
    caller,
    '_pt_root',
    'start_thread',
    'clone',
  );
}

/** A C thread idle in poll() under a GLib main loop. */
export function glibPollIdle(): RawFrame[] {
  return frames(
    'poll',
    'g_main_context_iterate priority=2147483647, n_fds=1, fds=0x7f28080010c0, timeout=-1, context=0x33810d0',
    'g_main_context_iteration',
    'dconf_gdbus_worker_thread',
    'g_thread_proxy',
    'start_thread',
    'clone',
  );
}

/** A C thread busy-polling: poll with a zero timeout. */
export function zeroTimeoutPoll(): RawFrame[] {
  return frames('__GI___poll fds=0x7fb715bbe040, nfds=1, timeout=timeout@entry=0', 'pump_events', 'io_thread', 'start_thread', 'clone3');
}

/** A multiprocessing.Lock held by another process (`with mp_lock:` → SemLock). */
export function semLockWait(semaphore: string): RawFrame[] {
  return [
    ...frames(
      `__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=137, expected=0, futex_word=${semaphore}`,
      `do_futex_wait sem=sem@entry=${semaphore}, abstime=0x0, clockid=0`,
      `__new_sem_wait sem=sem@entry=${semaphore}`,
      '_multiprocessing_SemLock_acquire_impl self=0x7f2233, block=1, timeout_obj=None',
      '_multiprocessing_SemLock_acquire self=0x7f2233',
      '_PyEval_EvalFrameDefault tstate=<optimized out>',
    ),
    ...pyFrames(
      ['/usr/lib/python3.11/multiprocessing/synchronize.py', '__enter__', 95, 'return self._semlock.__enter__()'],
      ['/srv/app/shared.py', 'update', 20, 'with mp_lock:'],
    ),
  ];
}

/** A pthread mutex created PTHREAD_PROCESS_SHARED (in shared memory): glibc waits with `private=128`. */
export function sharedMutexWait(address: string): RawFrame[] {
  return frames(
    `futex_wait private=128, expected=2, futex_word=${address}`,
    `__GI___lll_lock_wait futex=futex@entry=${address}, private=128`,
    `___pthread_mutex_lock mutex=${address}`,
    'shm_update',
    'start_thread',
    'clone3',
  );
}
