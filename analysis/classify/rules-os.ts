/**
 * Threads seen only by ps/top/pidstat (or a Python dump nothing else explains): the scheduler
 * state and the kernel wait channel (`ps -L -o wchan`, `/proc/<pid>/task/<tid>/wchan`), low
 * confidence. Names from linux `kernel/futex/waitwake.c`, `fs/eventpoll.c`, `fs/select.c`,
 * `fs/pipe.c`, `net/core/sock.c`, `net/ipv4/inet_connection_sock.c`, `net/unix/af_unix.c`,
 * `drivers/tty/n_tty.c`, `kernel/time/hrtimer.c`, `kernel/exit.c` (5.x–6.x).
 */
import type { CpuRule, OsStateRule, WchanRule } from './rule.js';

export const OS_STATE_RUNNING: OsStateRule[] = [
  {
    kind: 'os-state',
    id: 'os.runnable',
    state: 'running',
    letter: 'R',
    blocking: null,
    why: 'the scheduler state is R: running or runnable',
  },
];

export const WCHAN_RULES: WchanRule[] = [
  {
    kind: 'wchan',
    id: 'wchan.futex',
    state: 'lock_wait',
    wchan: ['futex_wait_queue', 'futex_wait_queue_me', 'futex_do_wait', 'futex_wait', 'do_futex', 'futex_wait_multiple'],
    blocking: 'futex',
    why: 'waiting on a futex in the kernel: a lock, semaphore, condvar or join (a futex could also be a GIL wait)',
  },
  {
    kind: 'wchan',
    id: 'wchan.epoll',
    state: 'io_wait',
    wchan: ['do_epoll_wait', 'ep_poll'],
    blocking: 'epoll_wait',
    why: 'waiting in epoll for events',
  },
  {
    kind: 'wchan',
    id: 'wchan.poll_select',
    state: 'io_wait',
    wchan: ['do_sys_poll', 'do_poll', 'poll_schedule_timeout', 'do_select', 'core_sys_select'],
    blocking: 'poll',
    why: 'waiting in poll or select for descriptors',
  },
  {
    kind: 'wchan',
    id: 'wchan.pipe',
    state: 'io_wait',
    wchan: [
      'pipe_read',
      'pipe_write',
      'anon_pipe_read',
      'anon_pipe_write',
      'pipe_wait',
      'pipe_wait_readable',
      'pipe_wait_writable',
      'wait_for_partner',
    ],
    blocking: 'pipe',
    why: 'blocked on a pipe: reading an empty one or writing a full one',
  },
  {
    kind: 'wchan',
    id: 'wchan.socket',
    state: 'io_wait',
    wchan: [
      'sk_wait_data',
      'inet_csk_accept',
      'inet_wait_for_connect',
      'unix_stream_read_generic',
      'unix_stream_data_wait',
      'unix_wait_for_peer',
      'sk_stream_wait_memory',
      'sk_stream_wait_connect',
      'skb_wait_for_more_packets',
      'sock_alloc_send_pskb',
    ],
    blocking: 'socket',
    why: 'blocked on a socket: waiting for data, a connection, or buffer space',
  },
  {
    kind: 'wchan',
    id: 'wchan.tty',
    state: 'io_wait',
    wchan: ['n_tty_read', 'wait_woken'],
    blocking: 'read',
    why: 'waiting for terminal or device input',
  },
  {
    kind: 'wchan',
    id: 'wchan.sleep',
    state: 'sleep',
    wchan: ['hrtimer_nanosleep', 'do_nanosleep', 'common_nsleep'],
    blocking: 'nanosleep',
    why: 'sleeping on a timer in the kernel (nanosleep)',
  },
  {
    kind: 'wchan',
    id: 'wchan.child',
    state: 'child_wait',
    wchan: ['do_wait', 'kernel_wait4', 'kernel_waitid'],
    blocking: 'waitpid',
    why: 'waiting for a child process',
  },
];

export const OS_STATE_RULES: OsStateRule[] = [
  {
    kind: 'os-state',
    id: 'os.uninterruptible',
    state: 'io_wait',
    letter: 'D',
    blocking: null,
    why: 'the scheduler state is D: uninterruptible sleep, usually disk or network-filesystem I/O',
  },
  {
    kind: 'os-state',
    id: 'os.zombie',
    state: 'unknown',
    letter: 'Z',
    blocking: null,
    why: 'the scheduler state is Z: the thread has exited',
  },
];

/** pidstat's per-thread %CPU is trustworthy; ps/top report the group leader with the whole process's CPU, so only CPU alone is used. */
export const CPU_RULES: CpuRule[] = [
  {
    kind: 'cpu',
    id: 'cpu.busy',
    state: 'running',
    atLeastPercent: 50,
    blocking: null,
    why: 'uses most of a CPU over the sample',
  },
];
