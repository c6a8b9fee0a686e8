/**
 * The shape of a classification rule. Rules are data (rules-*.ts); match.ts reads them and
 * classify-thread.ts runs them in table order, first match wins. Frame names are written as
 * debuggers print them and normalized when the table is compiled (name-set.ts).
 */
import type { ThreadState } from '../../report/schema.js';

interface RuleBase {
  /** Stable id shown in reports and goldens: `family.what`. */
  id: string;
  state: ThreadState;
  /** True when the wait is a known idle pattern (a worker waiting for work, a loop waiting for events). */
  idle?: boolean;
  /** One line a user reads: what the thread is doing. */
  why: string;
  /** Readable name of the wait; native rules default to the deciding frame's normalized name. */
  blocking?: string | null;
}

/** A test on the leaf frame's gdb arguments; passes when any named argument satisfies it. */
export interface ArgTest {
  names: readonly string[];
  /** The argument's decimal value equals this (`timeout=0`, `nfds=0`, `op=393`); hex pointers never do. */
  equals?: number;
  /** The argument's text contains this (`<_PyRuntime+`). */
  contains?: string;
}

/** One Python frame: file matched by its tail (`threading.py`, `concurrent/futures/thread.py`), function by name. */
export interface PythonFramePattern {
  file: string;
  fn: string | readonly string[];
  /** When the dump shows the frame's source line, it must match this. */
  line?: RegExp;
}

/**
 * A native stack rule, matched on the wait span: the native frames from the innermost one to the
 * first CPython eval or call-dispatch frame (inclusive) or a signal trampoline (exclusive).
 */
export interface NativeRule extends RuleBase {
  kind: 'native';
  /**
   * Frames that may start the wait, reached from the innermost frame over syscall/futex plumbing
   * only (wait-frames.ts `SYSCALL_PLUMBING`); `any` = the innermost frame whatever it is;
   * `not-wait` = an innermost frame that has a name and is not plumbing.
   */
  leaf: readonly string[] | 'any' | 'not-wait';
  /** Must appear in the span, from the leaf outwards, below `under`. */
  via?: readonly string[];
  /** Must appear in the span, from the leaf (or `via`) outwards. */
  under?: readonly string[];
  /** `under` must be the direct caller of `via` (the next frame out): an unnamed frame between means another caller. */
  underIsCaller?: boolean;
  /** Must not appear anywhere in the span. */
  notUnder?: readonly string[];
  /** All must hold on the leaf frame's arguments. */
  args?: readonly ArgTest[];
  /** The innermost Python code frames must start with these. */
  python?: readonly PythonFramePattern[];
  /** Which matched frame names the wait; default `leaf`. */
  decide?: 'leaf' | 'via' | 'under';
  /** Applies only when just the top frame is known (gdb `info threads`). */
  topFrameOnly?: boolean;
}

/** A crash: the thread raised or received a fatal signal. */
export interface CrashRule extends RuleBase {
  kind: 'crash';
  /** Frames that raise, reached from the innermost frame over plumbing. */
  leaf: readonly string[];
  /** Frames that, above a `<signal handler called>` trampoline, mean a fatal-signal handler runs. */
  handler: readonly string[];
}

/** Python frames only, innermost first, consecutive from the innermost code frame (built-in pseudo frames skipped). */
export interface PythonRule extends RuleBase {
  kind: 'python';
  frames: readonly PythonFramePattern[];
  blocking: string;
}

/** py-bt's `<built-in method sleep of module object at remote 0x…>` as the innermost Python frame. */
export interface BuiltinRule extends RuleBase {
  kind: 'builtin';
  fn: readonly string[];
  blocking: string;
}

/** The source line of the innermost Python code frame (py-bt, traceback dumps) shows a blocking call. */
export interface SourceRule extends RuleBase {
  kind: 'source';
  pattern: RegExp;
  blocking: string;
}

/** A py-bt or py-spy marker. `early` markers decide before Python frame rules, `late` ones after. */
export interface MarkerRule extends RuleBase {
  kind: 'marker';
  marker: string;
  stage: 'early' | 'late';
  /** Only when the Python version is known and prints the marker reliably (FRAMES §1.5). */
  needsReliableVersion?: boolean;
}

/** A kernel wait channel from ps (`futex_do_wait`, `do_epoll_wait`); prefixes match truncated columns. */
export interface WchanRule extends RuleBase {
  kind: 'wchan';
  wchan: readonly string[];
}

/** A ps/top scheduler state letter (`R`, `D`, `Z`). */
export interface OsStateRule extends RuleBase {
  kind: 'os-state';
  letter: string;
}

/** CPU use alone (pidstat), when neither a scheduler state nor a wait channel is known. */
export interface CpuRule extends RuleBase {
  kind: 'cpu';
  atLeastPercent: number;
}

export type Rule = NativeRule | CrashRule | PythonRule | BuiltinRule | SourceRule | MarkerRule | WchanRule | OsStateRule | CpuRule;
