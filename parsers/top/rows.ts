/**
 * The rows of one top iteration → threads (top -H) or processes. In thread mode the PID
 * column is the thread id; the process is known only from a TGID column.
 */
import type { ParseContext } from '../format.js';
import type { RawThread, Snapshot } from '../model.js';
import { emptyProcess, emptyThread } from '../model.js';
import { cellsAreThreadNames, processFigures } from '../procps-threads.js';

export interface TopRow {
  line: number;
  /** PID column: a process id, or with -H a thread id. */
  id: number;
  tgid: number | null;
  ppid: number | null;
  user: string | null;
  cpu: number | null;
  state: string | null;
  time: number | null;
  command: string | null;
  nth: number | null;
  wchan: string | null;
  /** VIRT RES SHR as printed, or null when the header lacks them. */
  memory: string | null;
}

/** Linux thread names are at most 15 characters; a longer COMMAND (top -c) is a command line. */
const TASK_COMM_MAX = 15;

/** Fills a snapshot with the iteration's rows, as threads or processes. */
export function buildTopSnapshot(snapshot: Snapshot, rows: TopRow[], threadMode: boolean, ctx: ParseContext): Snapshot {
  if (threadMode) addThreads(snapshot, rows, ctx);
  else addProcesses(snapshot, rows, ctx);
  const pids = new Set<number>(snapshot.processes.map((p) => p.pid));
  if (pids.size === 1) snapshot.pid = pids.values().next().value ?? null;
  return snapshot;
}

function addProcesses(snapshot: Snapshot, rows: TopRow[], ctx: ParseContext): void {
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.id)) {
      ctx.warn('duplicate_thread', row.line, `process ${row.id} is listed twice in this top iteration; kept the first row`);
      continue;
    }
    seen.add(row.id);
    const p = emptyProcess(row.id, row.line);
    p.ppid = row.ppid;
    p.user = row.user;
    p.cpuPercent = row.cpu;
    p.state = row.state;
    p.cpuTimeSeconds = row.time;
    p.command = row.command;
    p.threadCount = row.nth;
    p.wchan = row.wchan;
    snapshot.processes.push(p);
  }
}

function addThreads(snapshot: Snapshot, rows: TopRow[], ctx: ParseContext): void {
  const groups = new Map<string, TopRow[]>();
  const hasTgid = rows.some((r) => r.tgid !== null);
  for (const row of rows) {
    // Without TGID, threads of one process share their address space and so print the same
    // VIRT, RES and SHR; that groups them for the leader rule, never for a pid.
    const key = hasTgid ? `t${row.tgid}` : row.memory !== null ? `m${row.memory}` : `r${row.id}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const seen = new Set<number>();
  for (const group of groups.values()) {
    const named = cellsAreThreadNames(
      group.map((r) => r.command),
      false,
    );
    const threads: RawThread[] = [];
    const kept: TopRow[] = [];
    for (const row of group) {
      if (seen.has(row.id)) {
        ctx.warn('duplicate_thread', row.line, `thread ${row.id} is listed twice in this top iteration; kept the first row`);
        continue;
      }
      seen.add(row.id);
      const t = emptyThread(row.line);
      t.lwp = row.id;
      t.pid = row.tgid;
      t.name = named && row.command !== null && row.command.length <= TASK_COMM_MAX && !row.command.includes('/') ? row.command : null;
      t.cpuPercent = row.cpu;
      t.osState = row.state;
      t.cpuTimeSeconds = row.time;
      t.wchan = row.wchan;
      threads.push(t);
      kept.push(row);
    }
    for (const t of threads) snapshot.threads.push(t);
    if (kept.length === 0) continue;
    const tgid = kept[0]?.tgid ?? null;
    const leaderPid = tgid ?? (kept.length > 1 ? kept.reduce((min, r) => Math.min(min, r.id), Number.POSITIVE_INFINITY) : null);
    if (leaderPid === null) continue;
    const figures = processFigures(
      leaderPid,
      kept.map((r) => ({ lwp: r.id, cpu: r.cpu, time: r.time })),
      kept.find((r) => r.id === leaderPid)?.nth ?? null,
    );
    const leader = kept[figures.leaderAt];
    const leaderThread = threads[figures.leaderAt];
    if (figures.leaderIsTotal && leader && leaderThread) {
      leaderThread.cpuPercent = null;
      leaderThread.cpuTimeSeconds = null;
      snapshot.notes.push({
        kind: 'info',
        message: `top -H row ${leader.id} shows ${leader.cpu} %CPU, about the sum of the other ${kept.length - 1} threads of its process; procps-ng 4.x prints the whole process's CPU on the thread-group leader, so that thread's own share is unknown`,
        pthreadId: null,
        line: leader.line,
      });
    }
    if (tgid === null) continue;
    const p = emptyProcess(tgid, kept[0]?.line ?? snapshot.line);
    p.threadCount = leader?.nth ?? kept.length;
    p.user = leader?.user ?? kept[0]?.user ?? null;
    p.command = named ? (leader?.command ?? null) : (kept[0]?.command ?? null);
    p.state = leader?.state ?? null;
    p.wchan = leader?.wchan ?? null;
    p.cpuPercent = figures.cpu;
    p.cpuTimeSeconds = figures.time;
    snapshot.processes.push(p);
  }
}
