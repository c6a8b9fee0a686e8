import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonFrame } from '../../parsers/model.js';
import { frames, makeThread } from '../../test/support/threads.js';
import type { CorrelatedThread } from '../model.js';
import { classifyThread } from './classify-thread.js';
import { BUILTIN_RULES, SOURCE_RULES } from './rules-python-calls.js';

interface Want {
  state: string;
  rule: string;
  idle: boolean;
  blocking: string | null;
}

/** py-bt: `<built-in method NAME of … object at remote 0x…>` over a user frame. */
const builtin = (name: string, user = '/srv/app/main.py:loop'): CorrelatedThread =>
  makeThread({ frames: frames(`py:<built-in>:${name}`, `py:${user}`) });
/** A user frame with the source line py-bt or a traceback dump prints under it. */
const line = (source: string, fn = 'handler'): CorrelatedThread =>
  makeThread({ frames: [pythonFrame(fn, '/srv/app/service.py', 42, source)] });

const cases: { name: string; thread: CorrelatedThread; want: Want }[] = [
  {
    name: 'built-in sleep',
    thread: builtin('sleep'),
    want: { state: 'sleep', rule: 'builtin.sleep', idle: false, blocking: 'time.sleep' },
  },
  {
    name: 'built-in select (corpus py-crash-abort gdb-core-pybt LWP 1096)',
    thread: builtin('select', '/srv/demo/crash_abort.py:poller'),
    want: { state: 'io_wait', rule: 'builtin.select', idle: false, blocking: 'select.select' },
  },
  { name: 'built-in epoll poll', thread: builtin('poll'), want: { state: 'io_wait', rule: 'builtin.poll', idle: false, blocking: 'poll' } },
  {
    name: 'built-in lock acquire',
    thread: builtin('acquire'),
    want: { state: 'lock_wait', rule: 'builtin.lock_acquire', idle: false, blocking: 'Lock.acquire' },
  },
  { name: 'built-in read', thread: builtin('read'), want: { state: 'io_wait', rule: 'builtin.read', idle: false, blocking: 'read' } },
  {
    name: 'built-in write under user code',
    thread: builtin('write', '/srv/app/export.py:dump'),
    want: { state: 'io_wait', rule: 'builtin.write', idle: false, blocking: 'write' },
  },
  {
    name: 'built-in recv_into',
    thread: builtin('recv_into'),
    want: { state: 'io_wait', rule: 'builtin.socket_recv', idle: false, blocking: 'socket.recv' },
  },
  {
    name: 'built-in sendall',
    thread: builtin('sendall'),
    want: { state: 'io_wait', rule: 'builtin.socket_send', idle: false, blocking: 'socket.send' },
  },
  {
    name: 'built-in _accept',
    thread: builtin('_accept'),
    want: { state: 'io_wait', rule: 'builtin.socket_accept', idle: false, blocking: 'socket.accept' },
  },
  {
    name: 'built-in connect',
    thread: builtin('connect'),
    want: { state: 'io_wait', rule: 'builtin.socket_connect', idle: false, blocking: 'socket.connect' },
  },
  {
    name: 'built-in waitpid (corpus py-mp-queue-join-hang gdb-pybt-parent, over popen_fork.py poll)',
    thread: builtin('waitpid', '/srv/app/reaper.py:reap'),
    want: { state: 'child_wait', rule: 'builtin.waitpid', idle: false, blocking: 'os.waitpid' },
  },
  {
    name: 'built-in flock',
    thread: builtin('flock'),
    want: { state: 'lock_wait', rule: 'builtin.file_lock', idle: false, blocking: 'fcntl.flock' },
  },
  {
    name: 'look-alike: a built-in that is not a wait (str.join) decides nothing',
    thread: builtin('join'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'look-alike: a standard-library frame under the built-in decides first (popen_fork.py poll)',
    thread: makeThread({ frames: frames('py:<built-in>:waitpid', 'py:/usr/lib/python3.11/multiprocessing/popen_fork.py:poll') }),
    want: { state: 'child_wait', rule: 'py.mp_popen_wait', idle: false, blocking: 'Popen.wait' },
  },
  {
    name: 'time.sleep( in a handler (corpus py-gil-gthread-40 gdb-pybt LWP 32107)',
    thread: line('time.sleep(0.001)', 'handle_request'),
    want: { state: 'sleep', rule: 'source.sleep', idle: false, blocking: 'time.sleep' },
  },
  {
    name: 'an aliased sleep( (corpus py-gevent-blocked-hub gdb-pybt LWP 832)',
    thread: line('real_sleep(0.5)', 'stack_dumper'),
    want: { state: 'sleep', rule: 'source.sleep', idle: false, blocking: 'time.sleep' },
  },
  {
    name: 'select.select(',
    thread: line('select.select([rfd], [], [], 60)'),
    want: { state: 'io_wait', rule: 'source.select', idle: false, blocking: 'select.select' },
  },
  {
    name: '.poll(',
    thread: line('events = poller.poll(1000)'),
    want: { state: 'io_wait', rule: 'source.poll', idle: false, blocking: 'poll' },
  },
  {
    name: 'os.read( (corpus py-gevent-blocked-hub LWP 828)',
    thread: line('return os.read(rfd, 4096)       # blocks the whole OS thread (and the hub)', 'export_report'),
    want: { state: 'io_wait', rule: 'source.os_read', idle: false, blocking: 'os.read' },
  },
  {
    name: 'os.write(',
    thread: line('os.write(wfd, payload)'),
    want: { state: 'io_wait', rule: 'source.os_write', idle: false, blocking: 'os.write' },
  },
  {
    name: '.recv(',
    thread: line('if not sock.recv(1024):'),
    want: { state: 'io_wait', rule: 'source.recv', idle: false, blocking: 'socket.recv' },
  },
  {
    name: '.accept(',
    thread: line('conn, addr = listener.accept()'),
    want: { state: 'io_wait', rule: 'source.accept', idle: false, blocking: 'socket.accept' },
  },
  {
    name: '.sendall(',
    thread: line('sock.sendall(frame)'),
    want: { state: 'io_wait', rule: 'source.sendall', idle: false, blocking: 'socket.sendall' },
  },
  {
    name: 'os.waitpid(',
    thread: line('pid, status = os.waitpid(child, 0)'),
    want: { state: 'child_wait', rule: 'source.waitpid', idle: false, blocking: 'os.waitpid' },
  },
  {
    name: '.acquire(',
    thread: line('self._lock.acquire()'),
    want: { state: 'lock_wait', rule: 'source.acquire', idle: false, blocking: 'Lock.acquire' },
  },
  {
    name: 't.join()',
    thread: line('worker.join()'),
    want: { state: 'lock_wait', rule: 'source.join', idle: false, blocking: 'Thread.join' },
  },
  {
    name: 't.join(5)',
    thread: line('worker.join(5)'),
    want: { state: 'lock_wait', rule: 'source.join', idle: false, blocking: 'Thread.join' },
  },
  {
    name: 'look-alike: ", ".join(parts) builds a string',
    thread: line('return ", ".join(parts)'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'look-alike: os.path.join(a, b) builds a path',
    thread: line('path = os.path.join(root, name)'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  { name: '.wait(', thread: line('evt.wait()'), want: { state: 'lock_wait', rule: 'source.wait', idle: false, blocking: 'wait' } },
  {
    name: 'q.get(block=True)',
    thread: line('item = q.get(block=True)'),
    want: { state: 'lock_wait', rule: 'source.queue_get', idle: false, blocking: 'Queue.get' },
  },
  {
    name: 'look-alike: d.get(key) is a dict lookup',
    thread: line('value = config.get("timeout")'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
  },
  {
    name: 'fcntl.flock(',
    thread: line('fcntl.flock(fd, fcntl.LOCK_EX)'),
    want: { state: 'lock_wait', rule: 'source.file_lock', idle: false, blocking: 'fcntl.flock' },
  },
  {
    name: 'look-alike: CPU work in a source line (corpus py-gil-gthread-40 LWP 32105)',
    thread: line('acc += (i * report_id) % 7', 'render_report'),
    want: { state: 'unknown', rule: 'none', idle: false, blocking: null },
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

test('every built-in and source rule fires in a case above', () => {
  const fired = new Set(cases.map((c) => c.want.rule));
  assert.deepEqual(
    [...BUILTIN_RULES, ...SOURCE_RULES].map((r) => r.id).filter((id) => !fired.has(id)),
    [],
  );
});

test('the source line a rule matched is quoted in the why', () => {
  const v = classifyThread(line('time.sleep(0.001)', 'handle_request'));
  assert.match(v.classification.why, /time\.sleep\(0\.001\)/);
  assert.equal(v.classification.confidence, 'medium');
});

test('py-bt prints a built-in frame as its own text: `<built-in method sleep of module object at remote 0x…>`', () => {
  const thread = makeThread({ frames: [pythonFrame('<built-in method sleep of module object at remote 0x7fd0bc57f0b0>', null, null)] });
  assert.equal(classifyThread(thread).classification.rule, 'builtin.sleep');
});
