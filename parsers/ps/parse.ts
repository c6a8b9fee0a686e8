/**
 * ps output → snapshots. One header row, then one row per process or, when the header has a
 * thread id column (LWP, SPID, TID), one row per thread. A repeated header starts a new
 * snapshot (`ps -L` run twice into one file).
 *   header: "  PID   LWP %CPU STAT WCHAN                            COMMAND" → row | header
 *   row:    "32100 32102 16.3 Sl   futex_do_wait                    python3" → row | header
 */
import { parseCount, parseCpuTime, parseDecimal, readHeaderRow, textOrNull } from '../columns.js';
import type { ParseContext } from '../format.js';
import { parseId } from '../identity.js';
import type { RawProcess, RawThread, Snapshot } from '../model.js';
import { emptyProcess, emptySnapshot, emptyThread } from '../model.js';
import { cellsAreThreadNames, processFigures } from '../procps-threads.js';
import type { PsHeader } from './header.js';
import { readPsHeader } from './header.js';

interface PsRow {
  line: number;
  pid: number | null;
  lwp: number | null;
  ppid: number | null;
  cpu: number | null;
  nlwp: number | null;
  stat: string | null;
  wchan: string | null;
  time: number | null;
  user: string | null;
  /** Command cell with any forest prefix (`\_ `) removed. */
  command: string | null;
  /** Offset of the forest marker `\_` in the line, or null when the row has none. */
  forestOffset: number | null;
}

// ps f / axf draws the forest inside the command column: "     \_ /usr/bin/python3 ...".
const FOREST_PREFIX = /^[ |]*\\_ /;

/** Parses ps rows in lines[start, end) into one snapshot per header. */
export function parsePs(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const snapshots: Snapshot[] = [];
  let header: PsHeader | null = null;
  let rows: PsRow[] = [];
  let warnedMissingHeader = false;
  let warnedTooMany = false;
  let stopped = false;

  const flush = () => {
    if (header === null || rows.length === 0) return;
    if (snapshots.length >= ctx.limits.maxSnapshots) {
      if (!stopped) ctx.warn('too_many_snapshots', header.line, `kept the first ${ctx.limits.maxSnapshots} ps captures`);
      stopped = true;
    } else {
      snapshots.push(buildSnapshot(snapshots.length, header, rows, ctx));
    }
    rows = [];
  };

  for (let i = start; i < end && !stopped; i++) {
    const text = lines[i] ?? '';
    const lineNo = i + 1;
    if (text.trim() === '') continue;
    const next = readPsHeader(text, lineNo);
    if (next !== null) {
      flush();
      header = next;
      warnedTooMany = false;
      continue;
    }
    if (header === null) {
      if (!warnedMissingHeader && /^\s*\d/.test(text)) {
        ctx.warn(
          'missing_header',
          lineNo,
          "a ps row came before any header row such as '  PID   LWP %CPU STAT WCHAN COMMAND'; rows are read only after a header",
        );
        warnedMissingHeader = true;
      }
      continue;
    }
    if (rows.length >= ctx.limits.maxThreads) {
      if (!warnedTooMany) ctx.warn('too_many_threads', lineNo, `kept the first ${ctx.limits.maxThreads} ps rows of this capture`);
      warnedTooMany = true;
      continue;
    }
    const row = readRow(text, lineNo, header, ctx);
    if (row !== null) rows.push(row);
  }
  flush();
  return snapshots;
}

function readRow(text: string, lineNo: number, header: PsHeader, ctx: ParseContext): PsRow | null {
  const cell = readHeaderRow(text, lineNo, header, ctx);
  if (cell === null) return null;
  const pid = parseId(cell('pid') ?? cell('tgid'));
  const lwp = parseId(cell('lwp'));
  if ((header.index.pid !== undefined || header.index.tgid !== undefined) && pid === null) {
    ctx.warn(
      'unrecognized_line',
      lineNo,
      `expected a process id in the ${header.names[header.index.pid ?? header.index.tgid ?? 0]} column, found '${(cell('pid') ?? cell('tgid') ?? '').slice(0, 40)}'`,
    );
    return null;
  }
  if (header.index.lwp !== undefined && lwp === null) {
    ctx.warn(
      'unrecognized_line',
      lineNo,
      `expected a thread id in the ${header.names[header.index.lwp]} column, found '${(cell('lwp') ?? '').slice(0, 40)}'`,
    );
    return null;
  }
  let command = cell('command');
  let forestOffset: number | null = null;
  if (command !== null) {
    const forest = FOREST_PREFIX.exec(command);
    if (forest !== null) {
      if (header.layout.variable === header.keys.length - 1) forestOffset = text.length - command.length + forest[0].length - 3;
      command = command.slice(forest[0].length);
    }
    command = textOrNull(command);
  }
  return {
    line: lineNo,
    pid,
    lwp,
    ppid: parseCount(cell('ppid')),
    cpu: parseDecimal(cell('pcpu') ?? cell('c')),
    nlwp: parseCount(cell('nlwp')),
    stat: textOrNull(cell('stat')),
    wchan: textOrNull(cell('wchan')),
    time: parseCpuTime(cell('time')),
    user: textOrNull(cell('user')),
    command,
    forestOffset,
  };
}

function buildSnapshot(index: number, header: PsHeader, rows: PsRow[], ctx: ParseContext): Snapshot {
  const snap = emptySnapshot(index, header.line);
  if (header.index.lwp !== undefined) readThreadRows(snap, header, rows, ctx);
  else readProcessRows(snap, header, rows, ctx);
  const pids = new Set(snap.processes.map((p) => p.pid));
  for (const t of snap.threads) if (t.pid !== null) pids.add(t.pid);
  if (pids.size === 1) snap.pid = pids.values().next().value ?? null;
  return snap;
}

function readProcessRows(snap: Snapshot, header: PsHeader, rows: PsRow[], ctx: ParseContext): void {
  const seen = new Set<number>();
  const forest: Array<{ offset: number; pid: number }> = [];
  const deriveParents = header.index.ppid === undefined;
  for (const row of rows) {
    if (row.pid === null) continue;
    let ppid = row.ppid;
    if (deriveParents) {
      if (row.forestOffset === null) forest.length = 0;
      else {
        while (forest.length > 0 && (forest[forest.length - 1]?.offset ?? -1) >= row.forestOffset) forest.pop();
        ppid = forest[forest.length - 1]?.pid ?? null;
      }
      forest.push({ offset: row.forestOffset ?? -1, pid: row.pid });
    }
    if (seen.has(row.pid)) {
      ctx.warn(
        'duplicate_thread',
        row.line,
        `process ${row.pid} is listed twice in the capture starting on line ${header.line}; kept the first row`,
      );
      continue;
    }
    seen.add(row.pid);
    const proc = emptyProcess(row.pid, row.line);
    proc.ppid = ppid;
    proc.command = row.command;
    proc.threadCount = row.nlwp;
    proc.state = row.stat;
    proc.wchan = row.wchan;
    proc.cpuPercent = row.cpu;
    proc.user = row.user;
    proc.cpuTimeSeconds = row.time;
    snap.processes.push(proc);
  }
}

function readThreadRows(snap: Snapshot, header: PsHeader, rows: PsRow[], ctx: ParseContext): void {
  const groups = new Map<number | null, PsRow[]>();
  for (const row of rows) {
    const group = groups.get(row.pid);
    if (group) group.push(row);
    else groups.set(row.pid, [row]);
  }
  for (const [pid, group] of groups) {
    const named = cellsAreThreadNames(
      group.map((r) => r.command),
      header.saysArgs,
    );
    const seen = new Set<number>();
    const threads: RawThread[] = [];
    const kept: PsRow[] = [];
    for (const row of group) {
      if (row.lwp === null) continue;
      if (seen.has(row.lwp)) {
        ctx.warn('duplicate_thread', row.line, `thread ${row.lwp} of process ${pid ?? '?'} is listed twice; kept the first row`);
        continue;
      }
      seen.add(row.lwp);
      const t = emptyThread(row.line);
      t.pid = pid;
      t.lwp = row.lwp;
      t.name = named ? row.command : null;
      t.cpuPercent = row.cpu;
      t.osState = row.stat;
      t.wchan = row.wchan;
      t.cpuTimeSeconds = row.time;
      threads.push(t);
      kept.push(row);
    }
    for (const t of threads) snap.threads.push(t);
    if (pid !== null && kept.length > 0) snap.processes.push(processOf(pid, kept, threads, named));
  }
}

/** One process from its thread rows; the leader row (LWP = PID) speaks for the process. */
function processOf(pid: number, rows: PsRow[], threads: RawThread[], named: boolean): RawProcess {
  const figures = processFigures(
    pid,
    rows.map((r) => ({ lwp: r.lwp ?? 0, cpu: r.cpu, time: r.time })),
    rows[0]?.nlwp ?? null,
  );
  const leader = rows[figures.leaderAt];
  const first = rows[0] as PsRow;
  const proc = emptyProcess(pid, first.line);
  proc.ppid = leader?.ppid ?? first.ppid;
  proc.command = named ? (leader?.command ?? null) : first.command;
  proc.threadCount = leader?.nlwp ?? first.nlwp ?? rows.length;
  proc.state = leader?.stat ?? null;
  proc.wchan = leader?.wchan ?? null;
  proc.user = leader?.user ?? first.user;
  proc.cpuPercent = figures.cpu;
  proc.cpuTimeSeconds = figures.time;
  const leaderThread = threads[figures.leaderAt];
  if (figures.leaderIsTotal && leaderThread) {
    leaderThread.cpuPercent = null;
    leaderThread.cpuTimeSeconds = null;
  }
  return proc;
}
