/**
 * The format-neutral facts every parser produces. Parsers turn text into these;
 * analysis/ reads nothing else. Unknown values are `null`, never guessed.
 */

/** Contract format words (CONTRACT.md §2). New formats add words. */
export const FORMATS = ['gdb', 'faulthandler', 'traceback_dump', 'ps', 'pstree', 'pidstat', 'top', 'strace', 'unknown'] as const;
export type Format = (typeof FORMATS)[number];

/** Closed set of warning codes a parser may emit. */
export const WARNING_CODES = [
  'unrecognized_line',
  'truncated_input',
  'line_too_long',
  'too_many_threads',
  'too_many_frames',
  'too_many_snapshots',
  'missing_header',
  'cut_short',
  'duplicate_thread',
  'inconsistent_value',
  'binary_content',
  'unknown_format',
  'decode_error',
  'ambiguous_join',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface ParseWarning {
  code: WarningCode;
  /** 1-based line number in the input file, or null when the warning is about the whole input. */
  line: number | null;
  /** What was found and what was expected, in words a user understands. */
  message: string;
}

export type FrameLanguage = 'native' | 'python';

/** One stack frame, innermost first in its thread. */
export interface RawFrame {
  /** Function name as printed, with GCC clone suffixes kept (`g_main_context_iterate.isra`). `??` becomes null. */
  function: string | null;
  /** Source file (`deadlock.c`, `/usr/lib/python3.11/threading.py`), or null. */
  file: string | null;
  line: number | null;
  /** Shared object from gdb's `from /lib/...so`, or null. */
  library: string | null;
  language: FrameLanguage;
  /** Argument text between the parentheses, as printed (gdb only), or null. Used for evidence such as `timeout=0`. */
  args: string | null;
  /** Program counter as printed (`0x00007f...`), or null for inlined frames and frames at a line start. */
  address: string | null;
  /** True for gdb's `<signal handler called>` pseudo-frame. */
  isSignalTrampoline?: boolean;
  /** Python source line text shown under the frame (py-bt, traceback dumps), or null. */
  sourceText?: string | null;
}

/** What kind of execution context a RawThread describes. Greenlets ride on an OS thread. */
export type ExecutionKind = 'thread' | 'greenlet';

export interface RawThread {
  kind: ExecutionKind;
  /** Process id when the input tells it, else null (correlation may fill it in). */
  pid: number | null;
  /** Kernel thread id (gdb `LWP n`, ps `LWP`/`SPID`/`TID`, top `PID` with -H). */
  lwp: number | null;
  /** pthread_t as normalized hex (see `normalizePthreadId`), e.g. `0x7f77e26006c0`. */
  pthreadId: string | null;
  /** Thread name: gdb's OS name, Python thread name, ps/top command column for a thread. */
  name: string | null;
  /** gdb's own thread number (`Thread 3 (...)`), when known. */
  debuggerThreadNumber: number | null;
  /** True for gdb's `*` current thread, faulthandler's `Current thread`. */
  isCurrent: boolean;
  /** Frames, innermost first. May hold native frames, Python frames, or both. */
  frames: RawFrame[];
  /** False when only the top frame was shown (gdb `info threads`), or the stack was cut by a limit. */
  hasCompleteStack: boolean;
  /** Per-thread CPU usage in percent of one CPU, or null. */
  cpuPercent: number | null;
  /** Scheduler state letter(s) from ps/top (`R`, `S`, `D`, `Sl`), or null. */
  osState: string | null;
  /** Kernel wait channel from ps (`futex_do_wait`, `do_epoll_wait`), or null. */
  wchan: string | null;
  /** Voluntary / involuntary context switches per second (pidstat -w), or null. */
  voluntarySwitchesPerSec: number | null;
  involuntarySwitchesPerSec: number | null;
  /** Cumulative CPU time in seconds (ps TIME, top TIME+), or null. */
  cpuTimeSeconds: number | null;
  /** Markers libpython's py-bt printed before the frames: `Waiting for the GIL`, `Garbage-collecting`. */
  pythonMarkers: string[];
  /** Per-thread system calls seen in a raw strace, or null. */
  syscalls: SyscallStat[] | null;
  /** For greenlets: pthread id of the OS thread it belongs to, when known. */
  hostPthreadId?: string | null;
  /** 1-based line where this thread's section starts in the input. */
  line: number;
}

export interface RawProcess {
  pid: number;
  ppid: number | null;
  command: string | null;
  threadCount: number | null;
  /** ps STAT / top S, e.g. `Sl`, or null. */
  state: string | null;
  wchan: string | null;
  cpuPercent: number | null;
  user: string | null;
  cpuTimeSeconds: number | null;
  voluntarySwitchesPerSec: number | null;
  involuntarySwitchesPerSec: number | null;
  line: number;
}

/** One row of an `strace -c` table, or a raw trace aggregated per system call. */
export interface SyscallStat {
  name: string;
  calls: number;
  errors: number | null;
  /** Total seconds spent in this call (strace -c `seconds`, or the sum of `-T` durations). */
  seconds: number | null;
  /** `% time` column of strace -c, or null. */
  percentTime: number | null;
  /**
   * Raw traces only: calls that returned at once without waiting (a poll/select/epoll
   * with timeout 0, or returning 0 ready descriptors in under a millisecond). null when unknown.
   */
  immediateReturns: number | null;
}

/** What a core-file session or a fatal-error header says about a crash. */
export interface CrashInfo {
  /** `SIGSEGV`, `SIGABRT`, or null when only a number or text is known. */
  signal: string | null;
  signalNumber: number | null;
  /** The text as printed: `Segmentation fault`, `Aborted`, `Fatal Python error: Aborted`. */
  description: string;
  /** The LWP or pthread id of the crashing thread when the input says which (gdb current thread, faulthandler `Current thread`). */
  lwp: number | null;
  pthreadId: string | null;
  /** Program command line (`Core was generated by ...`), or null. */
  command: string | null;
  line: number;
}

/**
 * One capture of one moment. Most files hold one; repeated captures in one file
 * (top -n 3, pidstat intervals, two gdb sessions pasted together) are several.
 */
export interface Snapshot {
  /** 0-based order in the input. */
  index: number;
  /** What the input names this capture (`23:24:56`, `Average`, `top - 23:24:55`), or null. */
  label: string | null;
  /** True for summary rows over the other snapshots (pidstat `Average:`). */
  isAverage: boolean;
  /** Process the capture is of, when it is about one process (gdb attach, faulthandler of a pid), else null. */
  pid: number | null;
  threads: RawThread[];
  processes: RawProcess[];
  crash: CrashInfo | null;
  /** strace -c table rows, or a raw trace aggregated; null when the input has no syscall data. */
  syscalls: SyscallStat[] | null;
  /** Free-form facts a later stage may use (gevent monitor's "appears to be blocked" thread id …). */
  notes: SnapshotNote[];
  /** 1-based first line of this snapshot. */
  line: number;
}

export interface SnapshotNote {
  /** `incomplete`: the capture is known to miss threads (cut off, a single thread's `bt`). */
  kind: 'event_loop_blocked' | 'gil_marker' | 'timeout' | 'info' | 'incomplete';
  message: string;
  /** Thread the note is about (pthread id), when it names one. */
  pthreadId: string | null;
  line: number;
}

export interface Detection {
  format: Format;
  /** 0..1. */
  confidence: number;
  /** Lines (with their 1-based numbers) that made the detector decide. */
  evidence: Array<{ line: number; text: string }>;
  /** True when the user forced the format. */
  forced: boolean;
}

export interface ParsedInput {
  /** File name as given by the user (never a server path). */
  name: string;
  format: Format;
  bytes: number;
  warnings: ParseWarning[];
  detection: Detection;
  snapshots: Snapshot[];
}

/** A new thread with every optional fact unknown. */
export function emptyThread(line: number, kind: ExecutionKind = 'thread'): RawThread {
  return {
    kind,
    pid: null,
    lwp: null,
    pthreadId: null,
    name: null,
    debuggerThreadNumber: null,
    isCurrent: false,
    frames: [],
    hasCompleteStack: true,
    cpuPercent: null,
    osState: null,
    wchan: null,
    voluntarySwitchesPerSec: null,
    involuntarySwitchesPerSec: null,
    cpuTimeSeconds: null,
    pythonMarkers: [],
    syscalls: null,
    line,
  };
}

/** A new process with every optional fact unknown. */
export function emptyProcess(pid: number, line: number): RawProcess {
  return {
    pid,
    ppid: null,
    command: null,
    threadCount: null,
    state: null,
    wchan: null,
    cpuPercent: null,
    user: null,
    cpuTimeSeconds: null,
    voluntarySwitchesPerSec: null,
    involuntarySwitchesPerSec: null,
    line,
  };
}

/** A new snapshot with nothing in it yet. */
export function emptySnapshot(index: number, line: number): Snapshot {
  return {
    index,
    label: null,
    isAverage: false,
    pid: null,
    threads: [],
    processes: [],
    crash: null,
    syscalls: null,
    notes: [],
    line,
  };
}

/** A native frame with only a function name known; the other fields can be set after. */
export function nativeFrame(fn: string | null, extra: Partial<RawFrame> = {}): RawFrame {
  return { function: fn, file: null, line: null, library: null, language: 'native', args: null, address: null, ...extra };
}

/** A Python frame from `File "f", line n, in func`. */
export function pythonFrame(fn: string | null, file: string | null, line: number | null, sourceText: string | null = null): RawFrame {
  return { function: fn, file, line, library: null, language: 'python', args: null, address: null, sourceText };
}
