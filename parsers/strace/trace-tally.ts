/**
 * Counting a raw strace trace per system call, for the whole trace and per thread id.
 * `<unfinished ...>` and `<... name resumed>` halves are joined per pid before counting:
 *   `[pid 32102] futex(0x7f4f0c000b70, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>`
 *   `[pid 32102] <... futex resumed>) = 0 <0.004211>`
 * A call still unfinished when the trace ends (or `<detached ...>`) counts once, with no result,
 * and leaves a note: it is where that thread was waiting.
 */
import type { ParseContext } from '../format.js';
import type { RawThread, SnapshotNote, SyscallStat } from '../model.js';
import { emptyThread } from '../model.js';
import type { CallResult, TraceEvent } from './trace-line.js';
import { readCall } from './trace-line.js';

/** Argument index of the timeout of each polling call (strace prints input arguments). */
const POLL_TIMEOUT_ARG: Readonly<Record<string, number>> = {
  poll: 2,
  ppoll: 2,
  select: 4,
  _newselect: 4,
  pselect6: 4,
  epoll_wait: 3,
  epoll_pwait: 3,
  epoll_pwait2: 3,
};
/** A -T duration under this many seconds with nothing ready counts as returning at once. */
const IMMEDIATE_SECONDS = 0.001;
/** Characters of a pending call quoted in a note. */
const NOTE_ARGS = 120;

interface Tally {
  calls: number;
  errors: number;
  seconds: number | null;
  immediate: number | null;
}

interface Outcome {
  isError: boolean;
  duration: number | null;
  immediate: boolean | null;
}

interface Pending {
  pid: number | null;
  name: string;
  head: string;
  line: number;
}

/** `0`, `{tv_sec=0, tv_nsec=0}`, `{tv_sec=0, tv_usec=0}`, or strace 4's `{0, 0}`. */
const ZERO_TIME = /^\{(?:tv_sec=)?0, (?:tv_[nu]sec=)?0\}$/;

/** The `index`th top-level argument of an argument text, or null. */
function argumentAt(args: string, index: number): string | null {
  let depth = 0;
  let inString = false;
  let start = 0;
  let n = 0;
  for (let i = 0; i <= args.length; i++) {
    const c = i < args.length ? args.charCodeAt(i) : 44;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 0) {
      if (n === index) return args.slice(start, i).trim();
      n++;
      start = i + 1;
    }
  }
  return null;
}

/** Whether a polling call returned at once; null for calls that do not poll. */
export function returnedAtOnce(name: string, result: CallResult): boolean | null {
  const at = POLL_TIMEOUT_ARG[name];
  if (at === undefined) return null;
  if (result.args !== null) {
    const timeout = argumentAt(result.args, at);
    if (timeout !== null && (timeout === '0' || ZERO_TIME.test(timeout))) return true;
  }
  const nothingReady = result.value === '0' || result.detail.includes('(Timeout)');
  return result.duration !== null && result.duration < IMMEDIATE_SECONDS && nothingReady;
}

function outcomeOf(name: string, result: CallResult): Outcome {
  return { isError: result.errno !== null, duration: result.duration, immediate: returnedAtOnce(name, result) };
}

/** Counts raw trace events; `finish` gives the per-call totals, per-thread totals and notes. */
export class TraceTally {
  private readonly overall = new Map<string, Tally>();
  private readonly perThread = new Map<number, { line: number; calls: Map<string, Tally> }>();
  private readonly pending = new Map<string, Pending>();
  private readonly notes: SnapshotNote[] = [];
  private warnedTooMany = false;
  /** Number of calls counted. */
  count = 0;

  constructor(private readonly ctx: ParseContext) {}

  /** Takes one event of the trace, read from 1-based line `line`. */
  add(event: TraceEvent, line: number): void {
    if (event.kind === 'call') {
      const result = readCall(event.text, event.name.length + 1, true);
      if (result !== null) this.record(event.pid, event.name, outcomeOf(event.name, result), line);
    } else if (event.kind === 'unfinished') {
      const key = String(event.pid);
      const open = this.pending.get(key);
      if (open !== undefined) {
        this.ctx.warn(
          'ambiguous_join',
          line,
          `${open.name}() on line ${open.line} never resumed before ${event.name}() started on the same pid; counted it without a result`,
        );
        this.recordOpen(open);
      }
      this.pending.set(key, { pid: event.pid, name: event.name, head: event.head, line });
    } else if (event.kind === 'resumed') {
      this.resume(event.pid, event.name, event.tail, line);
    } else if (event.kind === 'exit') {
      const open = this.pending.get(String(event.pid));
      if (open !== undefined) {
        this.recordOpen(open);
        this.pending.delete(String(event.pid));
      }
    }
  }

  private resume(pid: number | null, name: string, tail: string, line: number): void {
    const key = String(pid);
    const open = this.pending.get(key);
    this.pending.delete(key);
    if (open !== undefined && open.name === name) {
      const joined = `${open.head}${tail}`;
      const result = readCall(joined, name.length + 1, true);
      this.record(pid, name, result === null ? { isError: false, duration: null, immediate: null } : outcomeOf(name, result), open.line);
      return;
    }
    if (open !== undefined) {
      this.ctx.warn(
        'ambiguous_join',
        line,
        `<... ${name} resumed> follows ${open.name}() from line ${open.line} on the same pid; counted both separately`,
      );
      this.recordOpen(open);
    }
    const result = readCall(tail, 0, false);
    this.record(pid, name, result === null ? { isError: false, duration: null, immediate: null } : outcomeOf(name, result), line);
  }

  private recordOpen(open: Pending): void {
    this.record(
      open.pid,
      open.name,
      { isError: false, duration: null, immediate: POLL_TIMEOUT_ARG[open.name] === undefined ? null : false },
      open.line,
    );
  }

  private record(pid: number | null, name: string, outcome: Outcome, line: number): void {
    this.count++;
    add(this.overall, name, outcome);
    if (pid === null) return;
    let thread = this.perThread.get(pid);
    if (thread === undefined) {
      if (this.perThread.size >= this.ctx.limits.maxThreads) {
        if (!this.warnedTooMany)
          this.ctx.warn('too_many_threads', line, `kept per-thread counts for the first ${this.ctx.limits.maxThreads} pids of this trace`);
        this.warnedTooMany = true;
        return;
      }
      thread = { line, calls: new Map() };
      this.perThread.set(pid, thread);
    }
    add(thread.calls, name, outcome);
  }

  /** Ends the trace: calls still open are counted and noted. */
  finish(): { syscalls: SyscallStat[] | null; threads: RawThread[]; notes: SnapshotNote[] } {
    for (const open of this.pending.values()) {
      this.recordOpen(open);
      const who = open.pid === null ? 'the traced thread' : `thread ${open.pid}`;
      this.notes.push({
        kind: 'info',
        message: `${who} was still inside ${open.head.slice(0, NOTE_ARGS)}${open.head.length > NOTE_ARGS ? '…' : ''} when the trace ended`,
        pthreadId: null,
        line: open.line,
      });
    }
    this.pending.clear();
    const threads: RawThread[] = [];
    for (const [pid, thread] of this.perThread) {
      const t = emptyThread(thread.line);
      t.lwp = pid;
      t.syscalls = toStats(thread.calls);
      threads.push(t);
    }
    threads.sort((a, b) => a.line - b.line);
    return { syscalls: this.overall.size === 0 ? null : toStats(this.overall), threads, notes: this.notes };
  }
}

function add(map: Map<string, Tally>, name: string, outcome: Outcome): void {
  let tally = map.get(name);
  if (tally === undefined) {
    tally = { calls: 0, errors: 0, seconds: null, immediate: outcome.immediate === null ? null : 0 };
    map.set(name, tally);
  }
  tally.calls++;
  if (outcome.isError) tally.errors++;
  if (outcome.duration !== null) tally.seconds = (tally.seconds ?? 0) + outcome.duration;
  if (outcome.immediate !== null) tally.immediate = (tally.immediate ?? 0) + (outcome.immediate ? 1 : 0);
}

function toStats(map: Map<string, Tally>): SyscallStat[] {
  return [...map.entries()]
    .map(([name, t]) => ({
      name,
      calls: t.calls,
      errors: t.errors,
      seconds: t.seconds === null ? null : Math.round(t.seconds * 1e6) / 1e6,
      percentTime: null,
      immediateReturns: t.immediate,
    }))
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
