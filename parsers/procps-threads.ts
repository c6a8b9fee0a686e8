/**
 * How procps (ps -L, top -H) reports one row per thread, shared by the ps and top parsers:
 * whether the thread-group leader's row carries the whole process's CPU, and whether the
 * command column names each thread or repeats the process's command line.
 */

/** Below this sum of the other threads' %CPU the leader's figure is kept as it is. */
const LEADER_MIN_SUM = 10;
/** Absolute and relative tolerance for "the leader's %CPU equals the others' sum". */
const LEADER_ABS_TOLERANCE = 5;
const LEADER_REL_TOLERANCE = 0.15;

/**
 * True when a thread-group leader's %CPU is the whole process's rather than its own: procps-ng
 * 4.0.2 on kernel 6.x reads the leader row of `ps -L` and `top -H` from /proc/PID/stat, so the
 * main thread shows `103` while its 40 workers sum to about 98. It holds when the other threads
 * sum to at least 10 and the leader is within max(5, 15 %) of that sum. A busy leader whose own
 * use happens to equal its workers' sum is misread; that is rare and only hides a value.
 */
export function leaderCarriesProcessTotal(leader: number | null, others: ReadonlyArray<number | null>): boolean {
  if (leader === null || others.length === 0) return false;
  let sum = 0;
  for (const v of others) if (v !== null) sum += v;
  if (sum < LEADER_MIN_SUM) return false;
  return Math.abs(leader - sum) <= Math.max(LEADER_ABS_TOLERANCE, LEADER_REL_TOLERANCE * sum);
}

/** Linux keeps a task's comm in 16 bytes with the NUL, so a thread name is at most 15 characters. */
const TASK_COMM_MAX = 15;

/**
 * True when one process's per-thread command cells are thread names (ps `comm`/`ucmd`, top -H
 * without -c) rather than the process's command line (ps `args`, `-f`, `u`; top -c), which is
 * the same for every thread. Cells that differ between threads are names. Identical cells are a
 * command line when they hold a `/`, a blank, or more than 15 characters; otherwise
 * `headerSaysArgs` (a `u` or `-f` style header) decides.
 */
export function cellsAreThreadNames(cells: ReadonlyArray<string | null>, headerSaysArgs: boolean): boolean {
  const present = cells.filter((c): c is string => c !== null);
  const first = present[0];
  if (first === undefined) return false;
  if (present.some((c) => c !== first)) return true;
  if (first.length > TASK_COMM_MAX || first.includes('/') || /\s/.test(first)) return false;
  return !headerSaysArgs;
}

/** The figures of one thread row that the leader rule looks at. */
export interface ThreadFigures {
  lwp: number;
  cpu: number | null;
  time: number | null;
}

/** What a process's thread rows say about the process's own %CPU and TIME. */
export interface ProcessFigures {
  /** Index of the leader row (LWP = PID), or -1 when it is not among the rows. */
  leaderAt: number;
  cpu: number | null;
  time: number | null;
  /** True when the leader row holds the process total, so the leader thread's own figures are unknown. */
  leaderIsTotal: boolean;
}

/**
 * The process's %CPU and TIME from its thread rows: the leader's figures when they carry the
 * process total (see leaderCarriesProcessTotal) or when the leader is the only thread; else
 * unknown, since summing threads double-counts on procps-ng 4.x and misses exited threads.
 */
export function processFigures(pid: number, rows: readonly ThreadFigures[], declaredThreads: number | null): ProcessFigures {
  const leaderAt = rows.findIndex((r) => r.lwp === pid);
  const leader = rows[leaderAt];
  if (leader === undefined) return { leaderAt: -1, cpu: null, time: null, leaderIsTotal: false };
  const others = rows.filter((_, i) => i !== leaderAt).map((r) => r.cpu);
  if (leaderCarriesProcessTotal(leader.cpu, others)) return { leaderAt, cpu: leader.cpu, time: leader.time, leaderIsTotal: true };
  if (rows.length === 1 && (declaredThreads === null || declaredThreads === 1)) {
    return { leaderAt, cpu: leader.cpu, time: leader.time, leaderIsTotal: false };
  }
  return { leaderAt, cpu: null, time: null, leaderIsTotal: false };
}
