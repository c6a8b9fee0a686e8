import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { CPU_RULES, OS_STATE_RULES, OS_STATE_RUNNING, WCHAN_RULES } from './rules-os.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

/** A thread seen only by ps/top/pidstat. */
const ps = (osState: string | null, wchan: string | null, cpuPercent: number | null = null): CorrelatedThread =>
  makeThread({ osState, wchan, cpuPercent, sourceFormats: ['ps'] });

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'futex_do_wait (corpus c-mutex-deadlock ps-L LWP 405)',
    thread: ps('Sl', 'futex_do_wait'),
    want: { state: 'lock_wait', rule: 'wchan.futex', idle: false, blocking: 'futex' },
  },
  {
    name: 'futex_wait_queue (6.x kernels)',
    thread: ps('S', 'futex_wait_queue'),
    want: { state: 'lock_wait', rule: 'wchan.futex', idle: false, blocking: 'futex' },
  },
  {
    name: 'do_epoll_wait (corpus py-gil-gthread-40 ps-L LWP 32100)',
    thread: ps('Sl', 'do_epoll_wait', 103),
    want: { state: 'io_wait', rule: 'wchan.epoll', idle: false, blocking: 'epoll_wait' },
  },
  {
    name: 'do_sys_poll',
    thread: ps('S', 'do_sys_poll'),
    want: { state: 'io_wait', rule: 'wchan.poll_select', idle: false, blocking: 'poll' },
  },
  { name: 'do_select', thread: ps('S', 'do_select'), want: { state: 'io_wait', rule: 'wchan.poll_select', idle: false, blocking: 'poll' } },
  {
    name: 'anon_pipe_read (corpus py-gevent-blocked-hub ps-L LWP 828)',
    thread: ps('Sl', 'anon_pipe_read', 5.5),
    want: { state: 'io_wait', rule: 'wchan.pipe', idle: false, blocking: 'pipe' },
  },
  {
    name: 'anon_pipe_write (corpus py-mp-queue-join-hang ps-L LWP 10)',
    thread: ps('Sl', 'anon_pipe_write'),
    want: { state: 'io_wait', rule: 'wchan.pipe', idle: false, blocking: 'pipe' },
  },
  {
    name: 'sk_wait_data',
    thread: ps('S', 'sk_wait_data'),
    want: { state: 'io_wait', rule: 'wchan.socket', idle: false, blocking: 'socket' },
  },
  {
    name: 'inet_csk_accept',
    thread: ps('S', 'inet_csk_accept'),
    want: { state: 'io_wait', rule: 'wchan.socket', idle: false, blocking: 'socket' },
  },
  {
    name: 'unix_stream_read_generic',
    thread: ps('S', 'unix_stream_read_generic'),
    want: { state: 'io_wait', rule: 'wchan.socket', idle: false, blocking: 'socket' },
  },
  { name: 'n_tty_read', thread: ps('S+', 'n_tty_read'), want: { state: 'io_wait', rule: 'wchan.tty', idle: false, blocking: 'read' } },
  {
    name: 'hrtimer_nanosleep (corpus c-mutex-deadlock ps-L LWP 404)',
    thread: ps('Sl', 'hrtimer_nanosleep'),
    want: { state: 'sleep', rule: 'wchan.sleep', idle: false, blocking: 'nanosleep' },
  },
  {
    name: 'do_nanosleep',
    thread: ps('S', 'do_nanosleep'),
    want: { state: 'sleep', rule: 'wchan.sleep', idle: false, blocking: 'nanosleep' },
  },
  {
    name: 'do_wait (corpus py-mp-queue-join-hang ps-L LWP 7)',
    thread: ps('S', 'do_wait'),
    want: { state: 'child_wait', rule: 'wchan.child', idle: false, blocking: 'waitpid' },
  },
  {
    name: 'truncated ps column: do_wai',
    thread: ps('S', 'do_wai'),
    want: { state: 'child_wait', rule: 'wchan.child', idle: false, blocking: 'waitpid' },
  },
  {
    name: 'truncated ps column: futex_',
    thread: ps('S', 'futex_'),
    want: { state: 'lock_wait', rule: 'wchan.futex', idle: false, blocking: 'futex' },
  },
  {
    name: 'truncated ps column: pipe_ (read and write agree)',
    thread: ps('S', 'pipe_'),
    want: { state: 'io_wait', rule: 'wchan.pipe', idle: false, blocking: 'pipe' },
  },
  {
    name: 'look-alike: truncated do_ fits waits of several kinds: not guessed',
    thread: ps('S', 'do_'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'look-alike: an unknown kernel wait channel',
    thread: ps('S', 'kthread_worker_fn'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: '/proc wchan with an offset',
    thread: ps(null, 'futex_wait_queue_me+0x1d/0x30'),
    want: { state: 'lock_wait', rule: 'wchan.futex', idle: false, blocking: 'futex' },
  },
  {
    name: 'state R (corpus py-gil-gthread-40 ps-L LWP 32105: Rl, wchan -)',
    thread: ps('Rl', '-', 17.3),
    want: { state: 'running', rule: 'os.runnable', idle: false, blocking: null },
  },
  { name: 'state D', thread: ps('D', null), want: { state: 'io_wait', rule: 'os.uninterruptible', idle: false, blocking: null } },
  { name: 'state Z', thread: ps('Z', null), want: { state: 'unknown', rule: 'os.zombie', idle: false, blocking: null } },
  {
    name: 'look-alike: state S without a wait channel says nothing',
    thread: ps('Sl', null),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'pidstat only: most of a CPU',
    thread: ps(null, null, 98.02),
    want: { state: 'running', rule: 'cpu.busy', idle: false, blocking: null },
  },
  {
    name: 'look-alike: ps/top CPU with a state is not used (the leader row carries the whole process)',
    thread: ps('S', null, 99.9),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'a Python-only user frame falls back to the wait channel',
    thread: makeThread({ frames: frames('py:/srv/demo/crash_abort.py:poller'), osState: 'S', wchan: 'do_select' }),
    want: { state: 'io_wait', rule: 'wchan.poll_select', idle: false, blocking: 'poll' },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const v = classifyThread(c.thread);
    assert.deepEqual(
      { state: v.state, rule: v.classification.rule, idle: v.idle, blocking: v.blockingFrame },
      c.want,
      v.classification.why,
    );
  });
}

test('every OS rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    [...OS_STATE_RUNNING, ...WCHAN_RULES, ...OS_STATE_RULES, ...CPU_RULES].map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('OS-only verdicts are low confidence and name no frame', () => {
  const v = classifyThread(ps('Sl', 'futex_do_wait'));
  assert.equal(v.classification.confidence, 'low');
  assert.equal(v.classification.frameIndex, null);
  assert.match(v.classification.why, /GIL/);
});

test('a wait channel that decides for a Python-only thread says why the frames did not', () => {
  const v = classifyThread(makeThread({ frames: frames('py:/srv/demo/crash_abort.py:poller'), wchan: 'do_select' }));
  assert.match(v.classification.why, /the frames did not decide: .*poller/);
});
