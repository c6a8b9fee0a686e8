/**
 * What analysis works on: one OS thread as all inputs of a case saw it (correlated),
 * then with its state decided (classified). Pure data; no I/O.
 */
import type { CrashInfo, Format, RawFrame, RawProcess, RawThread, SnapshotNote, SyscallStat } from '../parsers/model.js';
import type { Classification, ReportProcess, ThreadState } from '../report/schema.js';

/** One OS thread, joined across every input that saw it. */
export interface CorrelatedThread {
  /** Stable within a report: `p<pid>:t<lwp>`, `t<lwp>`, `p<pid>:x<pthreadId>` or `x<pthreadId>`, or `s<n>` when nothing identifies it. */
  key: string;
  pid: number | null;
  lwp: number | null;
  pthreadId: string | null;
  name: string | null;
  /**
   * Native and Python frames merged, innermost first: native frames from the leaf up to the
   * first interpreter eval frame, then the Python frames, then the remaining native frames.
   */
  frames: RawFrame[];
  /** True when some input showed this thread's native stack in full (not just `info threads`' top frame). */
  hasNativeStack: boolean;
  /** True when some input showed Python frames for it (py-bt, faulthandler, traceback dump). */
  hasPythonStack: boolean;
  /** True when only the top frame of the native stack is known. */
  topFrameOnly: boolean;
  cpuPercent: number | null;
  cpuTimeSeconds: number | null;
  osState: string | null;
  wchan: string | null;
  voluntarySwitchesPerSec: number | null;
  involuntarySwitchesPerSec: number | null;
  pythonMarkers: string[];
  syscalls: SyscallStat[] | null;
  /** Names of the inputs that saw this thread, in input order. */
  sources: string[];
  /** Formats of those inputs. */
  sourceFormats: Format[];
  /** gdb's current thread or faulthandler's `Current thread`. */
  isCurrent: boolean;
  /** True when a crash record names this thread as the one that crashed. */
  isCrashing: boolean;
  /** Greenlets (gevent) that run on this OS thread, with the input that listed them. */
  greenlets: Array<{ source: string; greenlet: RawThread }>;
  /** One entry per repeated capture of the same input kind, oldest first: a normalized stack text each. */
  captures: string[];
  /** %CPU per interval, oldest first, from the input that sampled this thread most often (top -n, pidstat, repeated ps); empty with fewer than two. */
  cpuSamples: number[];
}

/** How the classifier decided a thread's state. */
export interface Verdict {
  state: ThreadState;
  idle: boolean;
  /** Name of the frame that names the wait (`take_gil`, `epoll_wait`, `queue.py:get`), or null. */
  blockingFrame: string | null;
  classification: Classification;
}

export interface ClassifiedThread extends CorrelatedThread, Verdict {}

/** A group of threads with the same state, blocking frame and normalized stack. */
export interface ThreadGroup {
  key: string;
  state: ThreadState;
  blockingFrame: string | null;
  stackSignature: string;
  idle: boolean;
  threads: ClassifiedThread[];
}

/** One process as ps/pstree/top/pidstat (or a gdb attach) saw it. */
export interface CaseProcess extends ReportProcess {
  user: string | null;
  cpuTimeSeconds: number | null;
  voluntarySwitchesPerSec: number | null;
  involuntarySwitchesPerSec: number | null;
}

/** System-call totals an input recorded, for a process (or all traced processes when pid is null). */
export interface SyscallSummary {
  source: string;
  pid: number | null;
  /** True for `strace -c` tables, false for raw traces aggregated. */
  isTable: boolean;
  stats: SyscallStat[];
}

/** Everything a diagnosis rule may look at. Built once per case by triage. */
export interface DiagnosisContext {
  threads: readonly ClassifiedThread[];
  groups: readonly ThreadGroup[];
  processes: readonly CaseProcess[];
  crashes: readonly CrashInfo[];
  syscalls: readonly SyscallSummary[];
  notes: readonly SnapshotNote[];
  /** Raw processes as parsed, for rules that need fields the report drops. */
  rawProcesses: readonly RawProcess[];
}
