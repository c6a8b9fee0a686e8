/**
 * Crashing threads are `running` at the snapshot (FRAMES.md §6.4, §6.6): the thread a crash record
 * names, one raising a signal (`__pthread_kill_implementation ← raise ← abort`, i386
 * `__kernel_vsyscall ← raise`), or one whose fatal-signal handler runs above `<signal handler called>`.
 */
import { RAISE_FRAMES } from './libc-frames.js';
import type { CrashRule } from './rule.js';

export const CRASH_RULES: CrashRule[] = [
  {
    kind: 'crash',
    id: 'crash.signal',
    state: 'running',
    leaf: RAISE_FRAMES,
    handler: [...RAISE_FRAMES, 'faulthandler_fatal_error'],
    blocking: null,
    why: 'crashing: raising or handling a fatal signal, on CPU at the snapshot',
  },
];
