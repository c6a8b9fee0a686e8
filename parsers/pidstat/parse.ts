/**
 * pidstat output → one snapshot per interval (rows sharing a time stamp) and one for the
 * `Average:` rows. Several reports of one run (`-u` then `-w`, each under its own header)
 * print the same stamps, so their rows merge into the same snapshot, thread by thread.
 *   banner: "Linux 6.18.44-fc-v669 (vm) \t11/21/26 \t_x86_64_\t(2 CPU)" → header
 *   header: "23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command" → row
 *   row:    "23:24:56        0     32100         -      7.92      0.00  python3"   (process; TID '-')
 *           "23:24:56        0         -     32102    204.95    147.52  |__python3" (thread of the TGID above)
 *           "Average:        0         -     32102    208.97    163.12  |__python3" → row | header | banner
 */
import { parseCount, parseDecimal, splitRow, textOrNull } from '../columns.js';
import type { ParseContext } from '../format.js';
import { parseId } from '../identity.js';
import type { RawProcess, RawThread, Snapshot } from '../model.js';
import { emptyProcess, emptySnapshot, emptyThread } from '../model.js';
import type { PidstatHeader, PidstatKey, RowStamp } from './header.js';
import { isSysstatBanner, readPidstatHeader, readRowStamp } from './header.js';

interface Interval {
  snapshot: Snapshot;
  threads: Map<string, RawThread>;
  processes: Map<number, RawProcess>;
  warnedTooMany: boolean;
}

/** Facts one row gives about a process or a thread. */
interface RowFacts {
  cpu: number | null;
  cswch: number | null;
  nvcswch: number | null;
  command: string | null;
  user: string | null;
  threads: number | null;
}

const THREAD_MARK = '|__';
const TASK_COMM_MAX = 15;

/** Parses pidstat output in lines[start, end) into per-interval snapshots. */
export function parsePidstat(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const intervals = new Map<string, Interval>();
  const order: Interval[] = [];
  let header: PidstatHeader | null = null;
  let tgid: number | null = null;
  let warnedMissingHeader = false;
  let warnedSnapshots = false;

  const intervalFor = (stamp: RowStamp, lineNo: number): Interval | null => {
    const key = stamp.isAverage ? '\u0000average' : stamp.label;
    const known = intervals.get(key);
    if (known) return known;
    if (order.length >= ctx.limits.maxSnapshots) {
      if (!warnedSnapshots) ctx.warn('too_many_snapshots', lineNo, `kept the first ${ctx.limits.maxSnapshots} pidstat intervals`);
      warnedSnapshots = true;
      return null;
    }
    const snapshot = emptySnapshot(order.length, lineNo);
    snapshot.label = stamp.label;
    snapshot.isAverage = stamp.isAverage;
    const fresh: Interval = { snapshot, threads: new Map(), processes: new Map(), warnedTooMany: false };
    intervals.set(key, fresh);
    order.push(fresh);
    return fresh;
  };

  for (let i = start; i < end; i++) {
    const text = lines[i] ?? '';
    const lineNo = i + 1;
    if (text.trim() === '' || isSysstatBanner(text)) continue;
    const next = readPidstatHeader(text, lineNo);
    if (next !== null) {
      header = next;
      tgid = null;
      continue;
    }
    if (header === null) {
      if (!warnedMissingHeader && /^\S+\s+\S+\s+\d/.test(text.slice(0, 80))) {
        ctx.warn(
          'missing_header',
          lineNo,
          "a pidstat row came before any header such as '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command'",
        );
        warnedMissingHeader = true;
      }
      continue;
    }
    const stamp = readRowStamp(text, header);
    const cells = stamp === null ? null : splitRow(text, header.layout, stamp.end);
    if (stamp === null || cells === null) {
      ctx.warn(
        'unrecognized_line',
        lineNo,
        `expected a time stamp and ${header.names.length} columns as named by the header on line ${header.line} (${header.names.join(' ')})`,
      );
      continue;
    }
    const cell = (key: PidstatKey): string | null => {
      const at = header?.index[key];
      return at === undefined ? null : (cells[at] ?? null);
    };
    const ids = readIds(cell, header);
    if (ids === null) {
      ctx.warn(
        'unrecognized_line',
        lineNo,
        `expected a process or thread id (or '${header.placeholder}') in the id columns of the header on line ${header.line}`,
      );
      continue;
    }
    const interval = intervalFor(stamp, lineNo);
    if (interval === null) continue;
    const facts: RowFacts = {
      cpu: parseDecimal(cell('cpu')),
      cswch: parseDecimal(cell('cswch')),
      nvcswch: parseDecimal(cell('nvcswch')),
      command: textOrNull(cell('command')),
      user: textOrNull(cell('user') ?? cell('uid')),
      threads: parseCount(cell('threads')),
    };
    if (ids.tid === null) {
      tgid = ids.pid;
      mergeProcess(interval, ids.pid, facts, lineNo);
    } else {
      mergeThread(interval, ids.pid ?? tgid, ids.tid, facts, lineNo, ctx);
    }
  }
  for (const interval of order) {
    const pids = new Set<number>(interval.processes.keys());
    for (const t of interval.threads.values()) if (t.pid !== null) pids.add(t.pid);
    if (pids.size === 1) interval.snapshot.pid = pids.values().next().value ?? null;
  }
  return order.map((iv) => iv.snapshot);
}

/** The row's process id and, for a thread row, its thread id; null when the id cells are not ids. */
function readIds(
  cell: (key: PidstatKey) => string | null,
  header: PidstatHeader,
): { pid: number; tid: null } | { pid: number | null; tid: number } | null {
  if (header.index.tid === undefined) {
    const pid = parseId(cell('pid') ?? cell('tgid'));
    return pid === null ? null : { pid, tid: null };
  }
  const tgidCell = cell('tgid');
  const tidCell = cell('tid');
  const isPlaceholder = (c: string | null) => c === header.placeholder;
  if (isPlaceholder(tidCell)) {
    const pid = parseId(tgidCell);
    return pid === null ? null : { pid, tid: null };
  }
  const tid = parseId(tidCell);
  if (tid === null) return null;
  if (isPlaceholder(tgidCell) || tgidCell === null) return { pid: null, tid };
  const pid = parseId(tgidCell);
  return pid === null ? null : { pid, tid };
}

function mergeProcess(interval: Interval, pid: number, facts: RowFacts, line: number): void {
  let p = interval.processes.get(pid);
  if (p === undefined) {
    p = emptyProcess(pid, line);
    interval.processes.set(pid, p);
    interval.snapshot.processes.push(p);
  }
  p.cpuPercent ??= facts.cpu;
  p.voluntarySwitchesPerSec ??= facts.cswch;
  p.involuntarySwitchesPerSec ??= facts.nvcswch;
  p.command ??= facts.command;
  p.user ??= facts.user;
  p.threadCount ??= facts.threads;
}

function mergeThread(interval: Interval, pid: number | null, tid: number, facts: RowFacts, line: number, ctx: ParseContext): void {
  const key = `${pid ?? '?'}:${tid}`;
  let t = interval.threads.get(key);
  if (t === undefined) {
    if (interval.snapshot.threads.length >= ctx.limits.maxThreads) {
      if (!interval.warnedTooMany)
        ctx.warn(
          'too_many_threads',
          line,
          `kept the first ${ctx.limits.maxThreads} threads of pidstat interval ${interval.snapshot.label}`,
        );
      interval.warnedTooMany = true;
      return;
    }
    t = emptyThread(line);
    t.pid = pid;
    t.lwp = tid;
    interval.threads.set(key, t);
    interval.snapshot.threads.push(t);
  }
  t.cpuPercent ??= facts.cpu;
  t.voluntarySwitchesPerSec ??= facts.cswch;
  t.involuntarySwitchesPerSec ??= facts.nvcswch;
  t.name ??= threadName(facts.command);
}

/** `|__python3` → `python3`; a command line (-l) is not a thread name. */
function threadName(command: string | null): string | null {
  if (command === null) return null;
  const name = command.startsWith(THREAD_MARK) ? command.slice(THREAD_MARK.length) : command;
  return name !== '' && name.length <= TASK_COMM_MAX && !name.includes('/') ? name : null;
}
