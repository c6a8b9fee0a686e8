/**
 * Per-thread CPU the rules can trust. procps-ng (ps -L, top -H) prints the thread-group
 * leader's row with the whole process's %CPU on some kernels (seen with procps-ng 4.0.2 on
 * Linux 6.18: `32100 … 99.9` for a main thread idle in epoll_wait while its 40 workers did the
 * work), so a leader that seems busy is checked against its siblings before any rule believes it.
 */
import type { ClassifiedThread } from '../model.js';

// The leader's figure is taken for the process total when the other threads together show
// at least this share of it: their own CPU is already inside the leader's row.
const LEADER_INCLUDES_SIBLINGS_SHARE = 0.5;

/** CPU of one thread in percent of one CPU, corrected for the leader-row artifact; null when unknown or untrustworthy. */
export function effectiveCpu(thread: ClassifiedThread, processThreads: readonly ClassifiedThread[]): number | null {
  const own = thread.cpuPercent;
  if (own === null) return null;
  const isLeader = thread.pid !== null && thread.lwp === thread.pid;
  if (!isLeader) return own;
  const siblings = processThreads.filter((t) => t !== thread && t.pid === thread.pid);
  if (siblings.length === 0) return own;
  const known = siblings.filter((t) => t.cpuPercent !== null);
  // Other threads exist but nothing says what they used: the leader's row cannot be told apart from the total.
  if (known.length === 0) return own < 1 ? own : null;
  const others = known.reduce((sum, t) => sum + (t.cpuPercent ?? 0), 0);
  if (others >= own * LEADER_INCLUDES_SIBLINGS_SHARE) return Math.max(0, own - others);
  return own;
}

/** CPU used by the threads of one process (corrected per thread), or null when no thread's CPU is known. */
export function processCpu(processThreads: readonly ClassifiedThread[]): number | null {
  let total: number | null = null;
  for (const t of processThreads) {
    const cpu = effectiveCpu(t, processThreads);
    if (cpu !== null) total = (total ?? 0) + cpu;
  }
  return total;
}
