/**
 * strace output → snapshots: `strace -c` tables, raw traces, or both (`-C`). One run of strace
 * is one snapshot; a table header after a finished table (not a 32-bit personality table) or
 * trace lines after a table start the next run.
 *   attach: "strace: Process 32100 attached with 41 threads" → attach | header | trace
 *   header: "% time     seconds  usecs/call     calls    errors syscall" → rule | row
 *   row:    " 95.57   28.278898         598     47240     17359 futex" → row | rule (then total)
 *   trace:  "[pid 32102] futex(0x7f4f0c000b70, FUTEX_WAKE_PRIVATE, 1) = 0" → trace | header
 */
import type { ParseContext } from '../format.js';
import type { RawProcess, Snapshot, SyscallStat } from '../model.js';
import { emptyProcess, emptySnapshot } from '../model.js';
import type { SummaryHeader } from './summary-table.js';
import { isSummaryRule, readSummaryHeader, readSummaryRow } from './summary-table.js';
import { readTraceLine } from './trace-line.js';
import { TraceTally } from './trace-tally.js';

// "strace: Process 32100 attached with 41 threads", "strace: Process 32102 detached"
const ATTACH = /^strace: Process (\d{1,10}) (attached|detached)(?: with (\d{1,7}) threads)?$/;
const PERSONALITY = /^System call usage summary for .{1,32} mode:$/;
/** Unreadable lines reported one by one before they are only counted (program output often interleaves). */
const MAX_LINE_WARNINGS = 20;

interface Run {
  snapshot: Snapshot;
  table: Map<string, SyscallStat> | null;
  tableDone: boolean;
  tally: TraceTally;
  processes: Map<number, RawProcess>;
  /** Pids named by `attached` lines before any trace line or table. */
  targets: Set<number>;
  started: boolean;
}

/** Parses strace output in lines[start, end) into one snapshot per strace run. */
export function parseStrace(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const snapshots: Snapshot[] = [];
  // Assigned inside newRun too; the cast keeps TypeScript from narrowing it to null here.
  let run = null as Run | null;
  let header: SummaryHeader | null = null;
  let afterPersonality = false;
  let unreadable = 0;
  let stopped = false;

  const newRun = (lineNo: number): Run | null => {
    if (run !== null) pushRun(snapshots, run);
    run = null;
    if (snapshots.length >= ctx.limits.maxSnapshots) {
      ctx.warn('too_many_snapshots', lineNo, `kept the first ${ctx.limits.maxSnapshots} strace runs`);
      stopped = true;
      return null;
    }
    run = {
      snapshot: emptySnapshot(snapshots.length, lineNo),
      table: null,
      tableDone: false,
      tally: new TraceTally(ctx),
      processes: new Map(),
      targets: new Set(),
      started: false,
    };
    return run;
  };

  for (let i = start; i < end && !stopped; i++) {
    const text = lines[i] ?? '';
    const lineNo = i + 1;
    if (text.trim() === '') {
      if (header !== null && run !== null) endTable(run);
      header = null;
      continue;
    }
    const attach = ATTACH.exec(text);
    if (attach !== null) {
      const current: Run | null = run ?? newRun(lineNo);
      if (current !== null) noteAttach(current, attach, lineNo);
      continue;
    }
    if (text.startsWith('strace: ')) continue;
    if (PERSONALITY.test(text)) {
      afterPersonality = true;
      continue;
    }
    const nextHeader = readSummaryHeader(text, lineNo);
    if (nextHeader !== null) {
      let current: Run | null = run;
      if (current === null || (current.tableDone && !afterPersonality)) current = newRun(lineNo);
      if (current === null) continue;
      current.table ??= new Map();
      current.started = true;
      header = nextHeader;
      afterPersonality = false;
      continue;
    }
    if (header !== null && run !== null) {
      const current: Run = run;
      if (isSummaryRule(text)) continue;
      const row = readSummaryRow(text, header);
      if (row === 'total') {
        endTable(current);
        header = null;
        continue;
      }
      if (row !== null) {
        mergeRow(current.table ?? new Map(), row);
        continue;
      }
      endTable(current);
      header = null;
    }
    const event = readTraceLine(text);
    if (event === null) {
      if (run !== null && unreadable++ < MAX_LINE_WARNINGS) {
        ctx.warn('unrecognized_line', lineNo, "expected a strace line such as '[pid 123] futex(…) = 0' or a row of the strace -c table");
      }
      continue;
    }
    let current: Run | null = run;
    if (current === null || current.tableDone) current = newRun(lineNo);
    if (current === null) continue;
    current.started = true;
    current.tally.add(event, lineNo);
  }
  if (run !== null) pushRun(snapshots, run);
  if (unreadable > MAX_LINE_WARNINGS)
    ctx.warn('unrecognized_line', null, `${unreadable - MAX_LINE_WARNINGS} more lines were not strace output and were skipped`);
  return snapshots;
}

function noteAttach(run: Run, m: RegExpExecArray, lineNo: number): void {
  const pid = Number(m[1]);
  if (m[2] !== 'attached' || pid === 0) return;
  if (!run.started) run.targets.add(pid);
  if (m[3] !== undefined && !run.processes.has(pid)) {
    const proc = emptyProcess(pid, lineNo);
    proc.threadCount = Number(m[3]);
    run.processes.set(pid, proc);
  }
}

function endTable(run: Run): void {
  if (run.table !== null) run.tableDone = true;
}

/** Rows of a second (32-bit) table add to the first; their %time no longer applies. */
function mergeRow(table: Map<string, SyscallStat>, row: SyscallStat): void {
  const known = table.get(row.name);
  if (known === undefined) {
    table.set(row.name, row);
    return;
  }
  known.calls += row.calls;
  known.errors = known.errors === null || row.errors === null ? null : known.errors + row.errors;
  known.seconds = known.seconds === null || row.seconds === null ? null : Math.round((known.seconds + row.seconds) * 1e6) / 1e6;
  known.percentTime = null;
}

/** Adds a finished run as a snapshot, unless strace printed nothing but detach lines in it. */
function pushRun(snapshots: Snapshot[], run: Run): void {
  const snapshot = finishRun(run);
  snapshot.index = snapshots.length;
  const isEmpty = snapshot.syscalls === null && snapshot.threads.length === 0 && snapshot.processes.length === 0 && snapshot.pid === null;
  if (!isEmpty) snapshots.push(snapshot);
}

function finishRun(run: Run): Snapshot {
  const { snapshot } = run;
  const traced = run.tally.finish();
  snapshot.syscalls = run.table !== null ? [...run.table.values()] : traced.syscalls;
  snapshot.threads = traced.threads;
  snapshot.notes = traced.notes;
  snapshot.processes = [...run.processes.values()];
  if (run.targets.size === 1) snapshot.pid = run.targets.values().next().value ?? null;
  return snapshot;
}
