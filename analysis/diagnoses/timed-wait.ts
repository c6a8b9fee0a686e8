/**
 * Whether a thread's wait ends by itself: a lock acquire, condition or semaphore wait with a
 * finite timeout wakes the thread when it expires, so a process whose threads all wait that
 * way is polling, not hung. Read from the arguments gdb prints (FRAMES.md §6.5):
 *   `PyThread_acquire_lock_timed (lock=…, microseconds=1000000, intr_flag=1)`   finite (-1, and 3.13's -1000000, mean forever)
 *   `__futex_abstimed_wait_common64 (…, abstime=0x7f4f112fe8b0, …)`             finite (`abstime=0x0` means forever)
 *   `___sem_clockwait64`, `___pthread_cond_timedwait64`, `pthread_cond_timedwait@@GLIBC_2.3.2`   timed by name
 */
import type { RawFrame } from '../../parsers/model.js';
import type { ClassifiedThread } from '../model.js';
import { frameNames } from './frame-match.js';

// glibc nptl and musl entry points that always take a deadline.
const TIMED_BY_NAME =
  /^(?:sem_timedwait|sem_clockwait|pthread_cond_timedwait|pthread_cond_clockwait|pthread_timedjoin_np|pthread_clockjoin_np)(?:64)?$/;
// How many frames from the leaf the wait's own frames can reach (glibc futex internals, sem, PyThread).
const WAIT_DEPTH = 12;

/** True when the thread's innermost wait has a finite timeout (it will wake up by itself). */
export function isTimedWait(thread: Pick<ClassifiedThread, 'frames'>): boolean {
  const frames = thread.frames;
  for (let i = 0; i < Math.min(frames.length, WAIT_DEPTH); i++) {
    const f = frames[i] as RawFrame;
    if (f.language !== 'native') break;
    const verdict = timeoutOf(f);
    if (verdict !== null) return verdict;
  }
  return false;
}

/** true: this frame waits with a deadline; false: it waits forever; null: it does not say. */
function timeoutOf(frame: RawFrame): boolean | null {
  const args = frame.args ?? '';
  const micro = /(?:^|[\s,])microseconds=(?:microseconds@entry=)?(-?\d+)/.exec(args);
  if (micro?.[1] !== undefined) return Number(micro[1]) >= 0;
  const abstime = /(?:^|[\s,])abstime=(?:abstime@entry=)?(0x[0-9a-fA-F]+)/.exec(args);
  if (abstime?.[1] !== undefined) return !/^0x0+$/.test(abstime[1]);
  if (frameNames(frame).some((n) => TIMED_BY_NAME.test(n))) return true;
  return null;
}
