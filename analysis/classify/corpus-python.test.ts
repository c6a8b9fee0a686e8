/**
 * The Python cases of the shared corpus (../shared/corpus), stacks hand-extracted from their gdb,
 * py-bt, info-threads, faulthandler and ps files, checked against each case's expect.json byLwp.
 * Full stacks must give an expected state; Python-only dumps may say `unknown` but never a wrong state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonFrame, type RawFrame } from '../../parsers/model.js';
import { corpusCases, hasCorpus } from '../../test/support/corpus.js';
import { frames, makeThread } from '../../test/support/threads.js';
import { mergeFrames } from '../correlate/join-threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';

const PY = '/usr/lib/python3.11';
const BOOTSTRAP = frames(`py:${PY}/threading.py:run`, `py:${PY}/threading.py:_bootstrap_inner`, `py:${PY}/threading.py:_bootstrap`);
const THREAD_TAIL = ['thread_run', 'pythread_wrapper', 'start_thread', 'clone3'];
const SEM_WAIT = [
  '__futex_abstimed_wait_common64 private=<optimized out>, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x19c0c210',
  '__futex_abstimed_wait_common',
  '__GI___futex_abstimed_wait_cancelable64',
  'do_futex_wait sem=sem@entry=0x19c0c210, abstime=0x0, clockid=0',
  '__new_sem_wait_slow64',
  '__new_sem_wait',
];
const GIL_COND = [
  '__futex_abstimed_wait_common64 private=0, cancel=true, abstime=0x7f4ec2ff4860, op=137, expected=0, futex_word=0xa563d0 <_PyRuntime+432>',
  '__futex_abstimed_wait_common',
  '__GI___futex_abstimed_wait_cancelable64',
  '__pthread_cond_wait_common',
  '___pthread_cond_timedwait64 cond=cond@entry=0xa563a8 <_PyRuntime+392>',
  'PyCOND_TIMEDWAIT',
];
const VECTORCALL = ['_PyObject_VectorcallTstate', 'PyObject_Vectorcall', '_PyEval_EvalFrameDefault'];

/** One thread of a case as each kind of input shows it. */
interface Sighting {
  lwp: number;
  /** gdb `bt` frames (to the first eval frame, then the rest) and py-bt's Python frames, merged as correlate does. */
  gdb: { native: string[]; python: RawFrame[]; tail: string[] };
  /** gdb `info threads`' one frame. */
  top: string;
  /** faulthandler / traceback dump frames, innermost first. */
  dump: RawFrame[];
  markers?: string[];
  ps?: { osState: string; wchan: string };
  isCrashing?: boolean;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const noSource = (fs: RawFrame[]): RawFrame[] => fs.map((f) => ({ ...f, sourceText: null }));

const WORKER = [pythonFrame('_worker', `${PY}/concurrent/futures/thread.py`, 81, 'work_item = work_queue.get(block=True)'), ...BOOTSTRAP];
const WORK_ITEM = frames(
  `py:${PY}/concurrent/futures/thread.py:run`,
  `py:${PY}/concurrent/futures/thread.py:_worker`,
  ...BOOTSTRAP.map((f) => `py:${f.file}:${f.function}`),
);
const HANDLE = [pythonFrame('handle_request', '/srv/demo/gthread_app.py', 39, 'time.sleep(0.001)'), ...WORK_ITEM];
const RENDER = [pythonFrame('render_report', '/srv/demo/gthread_app.py', 29, 'acc += (i * report_id) % 7'), ...WORK_ITEM];
const GTHREAD_MAIN = [
  pythonFrame('select', `${PY}/selectors.py`, 468, 'fd_event_list = self._selector.poll(timeout, max_ev)'),
  ...frames('py:/srv/demo/gthread_app.py:run', 'py:/srv/demo/gthread_app.py:<module>'),
];
const ps = (osState: string, wchan: string) => ({ osState, wchan });

const CASES: Record<string, Sighting[]> = {
  'py-gil-gthread-40': [
    ...range(32136, 32141).map((lwp) => ({
      lwp,
      gdb: {
        native: [
          ...SEM_WAIT,
          'PyThread_acquire_lock_timed microseconds=microseconds@entry=-1',
          '_queue_SimpleQueue_get_impl',
          '_queue_SimpleQueue_get',
          'method_vectorcall_FASTCALL_KEYWORDS_METHOD',
          ...VECTORCALL,
        ],
        python: WORKER,
        tail: THREAD_TAIL,
      },
      top: SEM_WAIT[0] as string,
      dump: noSource(WORKER),
      ps: ps('Sl', 'futex_do_wait'),
    })),
    ...range(32107, 32135).map((lwp) => ({
      lwp,
      gdb: {
        native: [...GIL_COND, 'take_gil', 'PyEval_RestoreThread', 'pysleep', 'time_sleep', '_PyEval_EvalFrameDefault'],
        python: HANDLE,
        tail: THREAD_TAIL,
      },
      top: GIL_COND[0] as string,
      dump: noSource(HANDLE),
      markers: ['Waiting for the GIL'],
      ps: ps('Sl', 'futex_do_wait'),
    })),
    ...[32102, 32103, 32104, 32106].map((lwp) => ({
      lwp,
      gdb: {
        native: [...GIL_COND, 'take_gil', 'eval_frame_handle_pending', '_PyEval_EvalFrameDefault'],
        python: RENDER,
        tail: THREAD_TAIL,
      },
      top: GIL_COND[0] as string,
      dump: noSource(RENDER),
      markers: ['Waiting for the GIL'],
      ps: ps('Sl', 'futex_do_wait'),
    })),
    {
      lwp: 32105,
      gdb: {
        native: [
          'fast_mod b=0xa56648 <_PyRuntime+1064>, a=0x7f4f11319310',
          'l_mod',
          'long_mod',
          'binary_op1',
          'binary_op',
          'PyNumber_Remainder',
          '_PyEval_EvalFrameDefault',
        ],
        python: RENDER,
        tail: THREAD_TAIL,
      },
      top: 'fast_mod b=0xa56648 <_PyRuntime+1064>, a=0x7f4f11319310',
      dump: noSource(RENDER),
      ps: ps('Rl', '-'),
    },
    {
      lwp: 32100,
      gdb: {
        native: [
          'epoll_wait epfd=5, events=events@entry=0x7f4f11c10710, maxevents=maxevents@entry=1, timeout=timeout@entry=1000',
          'select_epoll_poll_impl',
          'select_epoll_poll',
          'method_vectorcall_FASTCALL_KEYWORDS',
          ...VECTORCALL,
        ],
        python: GTHREAD_MAIN,
        tail: ['PyEval_EvalCode', 'run_eval_code_obj', 'run_mod', 'pymain_run_file_obj', 'Py_RunMain', 'main'],
      },
      top: 'epoll_wait epfd=5, events=events@entry=0x7f4f11c10710, maxevents=maxevents@entry=1, timeout=timeout@entry=1000',
      dump: noSource(GTHREAD_MAIN),
      ps: ps('Sl', 'do_epoll_wait'),
    },
  ],
  'py-mp-queue-join-hang': [
    {
      lwp: 7,
      gdb: {
        native: [
          '__GI___wait4 pid=pid@entry=9, stat_loc=stat_loc@entry=0x7ffd138161ec, options=options@entry=0, usage=usage@entry=0x0',
          '__GI___waitpid',
          'os_waitpid_impl',
          'os_waitpid',
          'cfunction_vectorcall_FASTCALL',
          ...VECTORCALL,
        ],
        python: frames(
          'py:<built-in>:waitpid',
          `py:${PY}/multiprocessing/popen_fork.py:poll`,
          `py:${PY}/multiprocessing/popen_fork.py:wait`,
          `py:${PY}/multiprocessing/process.py:join`,
          'py:/srv/demo/mp_queue_hang.py:<module>',
        ),
        tail: ['PyEval_EvalCode', 'Py_RunMain'],
      },
      top: '__GI___wait4 pid=pid@entry=9, stat_loc=stat_loc@entry=0x7ffd138161ec, options=options@entry=0, usage=usage@entry=0x0',
      dump: frames(
        `py:${PY}/multiprocessing/popen_fork.py:poll`,
        `py:${PY}/multiprocessing/popen_fork.py:wait`,
        `py:${PY}/multiprocessing/process.py:join`,
        'py:/srv/demo/mp_queue_hang.py:<module>',
      ),
      ps: ps('S', 'do_wait'),
    },
    {
      lwp: 9,
      gdb: {
        native: [
          ...SEM_WAIT,
          'PyThread_acquire_lock_timed microseconds=microseconds@entry=-1',
          'acquire_timed',
          'lock_PyThread_acquire_lock',
          'method_vectorcall_VARARGS_KEYWORDS',
          ...VECTORCALL,
        ],
        python: frames(
          `py:${PY}/threading.py:_wait_for_tstate_lock`,
          `py:${PY}/threading.py:join`,
          `py:${PY}/multiprocessing/queues.py:_finalize_join`,
          `py:${PY}/multiprocessing/util.py:__call__`,
        ),
        tail: ['PyEval_EvalCode', 'Py_RunMain'],
      },
      top: SEM_WAIT[0] as string,
      dump: frames(
        `py:${PY}/threading.py:_wait_for_tstate_lock`,
        `py:${PY}/threading.py:join`,
        `py:${PY}/multiprocessing/queues.py:_finalize_join`,
      ),
      ps: ps('Sl', 'futex_do_wait'),
    },
    {
      lwp: 10,
      gdb: {
        native: [
          '__GI___libc_write nbytes=2097161, buf=0x7f89ed43a030, fd=5',
          '__GI___libc_write',
          '_Py_write_impl',
          '_Py_write',
          'os_write_impl',
          'os_write',
          'cfunction_vectorcall_FASTCALL',
          ...VECTORCALL,
        ],
        python: frames(
          'py:<built-in>:write',
          `py:${PY}/multiprocessing/connection.py:_send`,
          `py:${PY}/multiprocessing/connection.py:_send_bytes`,
          `py:${PY}/multiprocessing/connection.py:send_bytes`,
          `py:${PY}/multiprocessing/queues.py:_feed`,
        ),
        tail: THREAD_TAIL,
      },
      top: '__GI___libc_write nbytes=2097161, buf=0x7f89ed43a030, fd=5',
      dump: frames(
        `py:${PY}/multiprocessing/connection.py:_send`,
        `py:${PY}/multiprocessing/connection.py:_send_bytes`,
        `py:${PY}/multiprocessing/queues.py:_feed`,
      ),
      ps: ps('Sl', 'anon_pipe_write'),
    },
  ],
  'py-gevent-blocked-hub': [
    {
      lwp: 828,
      gdb: {
        native: [
          '__GI___libc_read nbytes=4096, buf=0x211b0280, fd=4',
          '__GI___libc_read',
          'read',
          '_Py_read',
          'os_read_impl',
          'os_read',
          '_PyEval_EvalFrameDefault',
        ],
        python: [
          pythonFrame(
            'export_report',
            '/srv/demo/gevent_app.py',
            74,
            'return os.read(rfd, 4096)       # blocks the whole OS thread (and the hub)',
          ),
        ],
        tail: ['_PyEval_Vector', '??', '??', '_PyObject_MakeTpCall', 'method_vectorcall'],
      },
      top: '__GI___libc_read nbytes=4096, buf=0x211b0280, fd=4',
      dump: [
        pythonFrame(
          'export_report',
          '/srv/demo/gevent_app.py',
          74,
          'return os.read(rfd, 4096)       # blocks the whole OS thread (and the hub)',
        ),
      ],
      ps: ps('Sl', 'anon_pipe_read'),
    },
    {
      lwp: 832,
      gdb: {
        native: [
          '__GI___clock_nanosleep clock_id=clock_id@entry=1, flags=flags@entry=1, req=req@entry=0x7fd0badfec70, rem=rem@entry=0x0',
          'pysleep',
          'time_sleep',
          'cfunction_vectorcall_O',
          ...VECTORCALL,
        ],
        python: [pythonFrame('sleep', '<built-in>', null), pythonFrame('stack_dumper', '/srv/demo/gevent_app.py', 59, 'real_sleep(0.5)')],
        tail: THREAD_TAIL,
      },
      top: '__GI___clock_nanosleep clock_id=clock_id@entry=1, flags=flags@entry=1, req=req@entry=0x7fd0badfec70, rem=rem@entry=0x0',
      dump: [
        pythonFrame('dump_all_stacks', '/srv/demo/gevent_app.py', 37, 'out.extend(traceback.format_stack(frame))'),
        pythonFrame('stack_dumper', '/srv/demo/gevent_app.py', 57, null),
      ],
      ps: ps('Sl', 'hrtimer_nanosleep'),
    },
    {
      lwp: 833,
      gdb: {
        native: [
          '__GI___clock_nanosleep clock_id=clock_id@entry=1, flags=flags@entry=1, req=req@entry=0x7fd0ba4fdb30, rem=rem@entry=0x0',
          'pysleep',
          'time_sleep',
          'cfunction_vectorcall_O',
          ...VECTORCALL,
        ],
        python: [
          pythonFrame('sleep', '<built-in>', null),
          pythonFrame('__call__', '/usr/lib/python3/dist-packages/gevent/_monitor.py', 187, 'thread_sleep(sleep_time)'),
        ],
        tail: ['_PyObject_FastCallDictTstate', 'slot_tp_call', ...THREAD_TAIL],
      },
      top: '__GI___clock_nanosleep clock_id=clock_id@entry=1, flags=flags@entry=1, req=req@entry=0x7fd0ba4fdb30, rem=rem@entry=0x0',
      dump: frames('py:/usr/lib/python3/dist-packages/gevent/_monitor.py:__call__'),
      ps: ps('Sl', 'hrtimer_nanosleep'),
    },
  ],
  'py-crash-abort': [
    ...[1093, 1094, 1095].map((lwp) => ({
      lwp,
      gdb: {
        native: [
          ...SEM_WAIT,
          'PyThread_acquire_lock_timed',
          'acquire_timed',
          'lock_PyThread_acquire_lock',
          'method_vectorcall_VARARGS_KEYWORDS',
          ...VECTORCALL,
        ],
        python: [
          pythonFrame('wait', `${PY}/threading.py`, 320, 'waiter.acquire()'),
          pythonFrame('worker', '/srv/demo/crash_abort.py', 17, 'cond.wait()'),
          ...BOOTSTRAP,
        ],
        tail: THREAD_TAIL,
      },
      top: SEM_WAIT[0] as string,
      dump: frames(`py:${PY}/threading.py:wait`, 'py:/srv/demo/crash_abort.py:worker', `py:${PY}/threading.py:run`),
    })),
    {
      lwp: 1096,
      gdb: {
        native: [
          '__GI___select nfds=nfds@entry=4, readfds=readfds@entry=0x7fbf3a968870, writefds=writefds@entry=0x0, exceptfds=exceptfds@entry=0x0, timeout=timeout@entry=0x7fbf3a968860',
          'select_select_impl',
          'cfunction_vectorcall_FASTCALL',
          ...VECTORCALL,
        ],
        python: [
          pythonFrame('select', '<built-in>', null),
          pythonFrame('poller', '/srv/demo/crash_abort.py', 22, 'select.select([rfd], [], [], 60)'),
          ...BOOTSTRAP,
        ],
        tail: THREAD_TAIL,
      },
      top: '__GI___select nfds=nfds@entry=4, readfds=readfds@entry=0x7fbf3a968870, writefds=writefds@entry=0x0, exceptfds=exceptfds@entry=0x0, timeout=timeout@entry=0x7fbf3a968860',
      dump: frames('py:/srv/demo/crash_abort.py:poller', `py:${PY}/threading.py:run`),
    },
    {
      lwp: 1092,
      gdb: {
        native: [
          '__pthread_kill_implementation signo=signo@entry=6, no_tid=no_tid@entry=0',
          '__pthread_kill_internal signo=6',
          '__GI_raise sig=6',
          '??',
          '__pthread_kill_implementation',
          '__pthread_kill_internal',
          '__GI_raise sig=sig@entry=6',
          '__GI_abort',
          'os_abort_impl',
          'os_abort',
          'cfunction_vectorcall_NOARGS',
          ...VECTORCALL,
        ],
        python: [
          pythonFrame('abort', '<built-in>', null),
          pythonFrame('check_invariants', '/srv/demo/crash_abort.py', 27, 'os.abort()'),
          pythonFrame('<module>', '/srv/demo/crash_abort.py', 40, null),
        ],
        tail: ['PyEval_EvalCode', 'Py_RunMain'],
      },
      top: '__pthread_kill_implementation threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0',
      dump: frames('py:/srv/demo/crash_abort.py:check_invariants', 'py:/srv/demo/crash_abort.py:<module>'),
      isCrashing: true,
    },
  ],
};

/** The thread of a sighting as one kind of input shows it. */
function asSeenBy(s: Sighting, input: 'gdb' | 'info-threads' | 'dump' | 'py-bt' | 'ps'): CorrelatedThread {
  const crash = { isCrashing: s.isCrashing ?? false };
  switch (input) {
    case 'gdb':
      return makeThread({ lwp: s.lwp, frames: mergeFrames(frames(...s.gdb.native, ...s.gdb.tail), s.gdb.python), ...crash });
    case 'info-threads':
      return makeThread({ lwp: s.lwp, frames: frames(s.top), topFrameOnly: true, hasNativeStack: false, ...crash });
    case 'py-bt':
      return makeThread({ lwp: s.lwp, frames: s.gdb.python, pythonMarkers: s.markers ?? [], ...crash });
    case 'dump':
      return makeThread({ lwp: s.lwp, frames: s.dump, sourceFormats: ['faulthandler'], ...crash });
    case 'ps':
      return makeThread({ lwp: s.lwp, osState: s.ps?.osState ?? null, wchan: s.ps?.wchan ?? null });
  }
}

const expectations = new Map(corpusCases().map((c) => [c.name, c.expect.threads?.byLwp ?? {}]));
const skip = hasCorpus() ? false : 'the shared corpus is not beside the repository';
const allowed = (name: string, lwp: number): string[] => [expectations.get(name)?.[String(lwp)] ?? []].flat();

for (const [name, sightings] of Object.entries(CASES)) {
  test(`${name}: every thread expect.json names is extracted here`, { skip }, () => {
    assert.deepEqual(
      sightings.map((s) => s.lwp).sort(),
      Object.keys(expectations.get(name) ?? {})
        .map(Number)
        .sort(),
    );
  });
  for (const input of ['gdb', 'info-threads', 'py-bt', 'dump'] as const) {
    test(`${name}: ${input} gives the expected state${input === 'gdb' || input === 'info-threads' ? '' : ' or unknown'}`, { skip }, () => {
      for (const s of sightings) {
        const v = classifyThread(asSeenBy(s, input));
        const ok = [...allowed(name, s.lwp), ...(input === 'gdb' || input === 'info-threads' ? [] : ['unknown'])];
        assert.ok(
          ok.includes(v.state),
          `LWP ${s.lwp}: ${v.state} (${v.classification.rule}: ${v.classification.why}) not in ${ok.join('|')}`,
        );
      }
    });
  }
  test(`${name}: ps wait channels give the expected state (a futex may hide a GIL wait)`, { skip }, () => {
    for (const s of sightings.filter((x) => x.ps)) {
      const v = classifyThread(asSeenBy(s, 'ps'));
      const ok = allowed(name, s.lwp);
      const futexForGil = v.classification.rule === 'wchan.futex' && ok.includes('gil_wait');
      assert.ok(ok.includes(v.state) || futexForGil, `LWP ${s.lwp}: ${v.state} (${v.classification.rule}) not in ${ok.join('|')}`);
    }
  });
}

test('py-gil-gthread-40: idle ThreadPoolExecutor workers are idle, GIL waiters and the main loop are not', { skip }, () => {
  const threads = CASES['py-gil-gthread-40'] ?? [];
  const idle = threads.filter((s) => classifyThread(asSeenBy(s, 'gdb')).idle).map((s) => s.lwp);
  assert.deepEqual(idle, range(32136, 32141));
});

test('py-mp-queue-join-hang: the feeder blocked in write is not idle', { skip }, () => {
  const feeder = CASES['py-mp-queue-join-hang']?.find((s) => s.lwp === 10);
  assert.ok(feeder);
  const v = classifyThread(asSeenBy(feeder, 'gdb'));
  assert.equal(v.idle, false);
  assert.equal(v.blockingFrame, 'write');
});
