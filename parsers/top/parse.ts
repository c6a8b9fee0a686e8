/**
 * `top -b -n N` output → one snapshot per iteration, labelled `top - hh:mm:ss`.
 *   start:   "top - 23:24:55 up 21 min,  0 user, …"         → summary | header
 *   summary: "Threads:  41 total, …" / "%Cpu(s): …" / "MiB Mem : …" → summary | header
 *   header:  "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND" → row
 *   row:     "32102 root      20   0 1333812  17188   9568 R  20.0   0.1   0:01.40 python3" → row | start
 * `Threads:` (or a `top -H …` command line seen earlier) makes rows threads; `Tasks:` processes.
 */
import { parseCount, parseCpuTime, parseDecimal, readHeaderRow, textOrNull, tokenize } from '../columns.js';
import type { ParseContext } from '../format.js';
import { parseId } from '../identity.js';
import type { Snapshot } from '../model.js';
import { emptySnapshot } from '../model.js';
import type { TopHeader } from './header.js';
import { readTopHeader, startTime, summaryKind } from './header.js';
import type { TopRow } from './rows.js';
import { buildTopSnapshot } from './rows.js';

interface Iteration {
  snapshot: Snapshot;
  threadMode: boolean;
  rows: TopRow[];
  warnedTooMany: boolean;
}

/** Parses top batch output in lines[start, end) into one snapshot per iteration. */
export function parseTop(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const snapshots: Snapshot[] = [];
  // Assigned inside begin too; the cast keeps TypeScript from narrowing it to null here.
  let it = null as Iteration | null;
  let header: TopHeader | null = null;
  let threadHint = false;
  let warnedMissingHeader = false;
  let stopped = false;

  const finish = () => {
    if (it !== null) snapshots.push(buildTopSnapshot(it.snapshot, it.rows, it.threadMode, ctx));
    it = null;
  };
  const begin = (lineNo: number, label: string | null): Iteration | null => {
    finish();
    if (snapshots.length >= ctx.limits.maxSnapshots) {
      ctx.warn('too_many_snapshots', lineNo, `kept the first ${ctx.limits.maxSnapshots} top iterations`);
      stopped = true;
      return null;
    }
    const snapshot = emptySnapshot(snapshots.length, lineNo);
    snapshot.label = label;
    it = { snapshot, threadMode: threadHint, rows: [], warnedTooMany: false };
    return it;
  };

  for (let i = start; i < end && !stopped; i++) {
    const text = lines[i] ?? '';
    const lineNo = i + 1;
    if (text.trim() === '') continue;
    const kind = summaryKind(text);
    if (kind === 'start') {
      header = null;
      begin(lineNo, `top - ${startTime(text)}`);
      continue;
    }
    if (kind !== null) {
      const current: Iteration | null = it ?? begin(lineNo, null);
      if (current && (kind === 'threads' || kind === 'tasks')) current.threadMode = kind === 'threads';
      continue;
    }
    if (isThreadModeCommand(text)) {
      threadHint = true;
      continue;
    }
    const next = readTopHeader(text, lineNo);
    if (next !== null) {
      header = next;
      const current: Iteration | null = it;
      if (current === null || current.rows.length > 0) begin(lineNo, null);
      continue;
    }
    if (header === null || it === null) {
      if (!warnedMissingHeader && /^\s*\d/.test(text)) {
        ctx.warn(
          'missing_header',
          lineNo,
          "a top row came before any column header such as '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND'",
        );
        warnedMissingHeader = true;
      }
      continue;
    }
    const current: Iteration = it;
    if (current.rows.length >= ctx.limits.maxThreads) {
      if (!current.warnedTooMany)
        ctx.warn('too_many_threads', lineNo, `kept the first ${ctx.limits.maxThreads} rows of this top iteration`);
      current.warnedTooMany = true;
      continue;
    }
    const row = readRow(text, lineNo, header, ctx);
    if (row !== null) current.rows.push(row);
  }
  finish();
  return snapshots;
}

/** A `top -H -b -n 1 …` (or `top -bHn1`) command line left in the text by a prompt. */
function isThreadModeCommand(text: string): boolean {
  if (!text.startsWith('top ') || text.length > 512) return false;
  return tokenize(text, 4).some((t) => /^-[a-zA-Z]{0,8}H/.test(t.text));
}

function readRow(text: string, lineNo: number, header: TopHeader, ctx: ParseContext): TopRow | null {
  const cell = readHeaderRow(text, lineNo, header, ctx);
  if (cell === null) return null;
  const id = parseId(cell('pid'));
  if (id === null) {
    ctx.warn('unrecognized_line', lineNo, `expected a number in the PID column, found '${(cell('pid') ?? '').slice(0, 40)}'`);
    return null;
  }
  const memory = header.index.virt !== undefined && header.index.res !== undefined ? `${cell('virt')} ${cell('res')} ${cell('shr')}` : null;
  return {
    line: lineNo,
    id,
    tgid: parseId(cell('tgid')),
    ppid: parseCount(cell('ppid')),
    user: textOrNull(cell('user')),
    cpu: parseDecimal(cell('cpu')),
    state: textOrNull(cell('state')),
    time: parseCpuTime(cell('time')),
    command: textOrNull(cell('command')),
    nth: parseCount(cell('nth')),
    wchan: textOrNull(cell('wchan')),
    memory,
  };
}
