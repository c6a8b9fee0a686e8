/**
 * What a blocked thread waits on, read from its whole stack: which mutex (address and symbol),
 * which thread it joins (LWP), which child it reaps (pid), or a signalling wait (condition
 * variable, Event, Queue, semaphore) that only tells us the thread waits to be woken.
 *
 * The stack is read from the leaf outward. Frames that only carry the futex syscall
 * (`__futex_abstimed_wait_common64`, `futex_wait`, `syscall`) are skipped; then the contiguous
 * run of wait frames decides, the outermost one winning, because wrappers reinterpret the
 * primitive below them: `sem_wait ← PyThread_acquire_lock_timed ← lock_PyThread_acquire_lock`
 * is a Python lock, `… ← _PyMutex_LockTimed` a PyMutex, `… ← ThreadHandle_join` a join, and
 * `pthread_cond_timedwait ← take_gil` the GIL (FRAMES.md §1–§5). The run ends at the first
 * frame that is neither, so a mutex taken inside a composite call (`g_mutex_lock ←
 * g_async_queue_pop`) stays a mutex.
 */

import { normalizeHex, normalizePthreadId, pthreadIdFromDecimal } from '../../parsers/identity.js';
import type { RawFrame } from '../../parsers/model.js';
import { baseName } from '../frame-names.js';
import type { ClassifiedThread } from '../model.js';
import {
  argValue,
  frameNames,
  innermostPython,
  intArg,
  isInterpreterFrame,
  isNamed,
  isPythonCode,
  isPythonIn,
  nameContains,
  runsPython,
} from './frame-match.js';
import {
  CHILD,
  GIL,
  JOIN,
  JOIN_PARTS,
  LLL_SHARED,
  LLL_SHARED_FRAMES,
  MUTEX,
  MUTEX_PARTS,
  PY_ACQUIRE_LINE,
  PY_CHILD,
  PY_CROSS_PROCESS,
  PY_JOIN,
  PY_SIGNAL,
  PYLOCK,
  SEMLOCK,
  SIGNAL,
  SIGNAL_PARTS,
  SYSCALL_CARRIER_PARTS,
  SYSCALL_CARRIERS,
} from './wait-frames.js';

export type WaitKind = 'gil' | 'mutex' | 'join' | 'child' | 'signal';

export interface WaitTarget {
  /** `signal`: a condition variable, Event, Queue or semaphore wait. */
  kind: WaitKind;
  /** The frame that decided (`pthread_mutex_lock`, `threading.py:wait`). */
  frame: string;
  /** Identity of the mutex: its address (`0x5558c0ece100`) or, from Python source alone, `py:<expr>`; null when the stack does not show it. */
  lock: string | null;
  /** What a person calls the mutex: the symbol gdb printed (`accounts_mutex`), the Python expression, or the address. */
  lockLabel: string | null;
  /** LWP of the thread being joined (glibc's futex `expected=` under `__pthread_clockjoin_ex`). */
  joinLwp: number | null;
  /** pthread_t of the thread being joined, as `0x…` hex (`__pthread_clockjoin_ex (threadid=…)`). */
  joinPthreadId: string | null;
  /** Pid the thread reaps (`__GI___wait4 (pid=pid@entry=9, …)`); null for any child or unknown. */
  childPid: number | null;
  /** The first frame outside the wait machinery: the code that asked to wait (`reconcile`, `transfer`). */
  caller: RawFrame | null;
  /** False when the stack cannot tell a Python lock from a Condition/Event wait (native frames only, no Python frames). */
  certain: boolean;
  /**
   * True when another process can end the wait: multiprocessing's SemLock (Lock, Semaphore, a
   * Queue's `_rlock`) and process-shared pthread mutexes (glibc passes `private=128`, LLL_SHARED,
   * to `__lll_lock_wait`). Such a wait is on the outside world, not on this process's threads.
   */
  crossProcess: boolean;
}

type FrameClass = Exclude<WaitKind, 'signal'> | 'signal' | 'pylock';

function classify(frame: RawFrame): FrameClass | null {
  if (frame.language !== 'native') return null;
  if (isNamed(frame, GIL)) return 'gil';
  if (isNamed(frame, PYLOCK)) return 'pylock';
  if (isNamed(frame, JOIN) || nameContains(frame, JOIN_PARTS)) return 'join';
  if (isNamed(frame, MUTEX) || nameContains(frame, MUTEX_PARTS) || frameNames(frame).some((n) => n.startsWith('L_lock_'))) return 'mutex';
  if (isNamed(frame, CHILD)) return 'child';
  if (isNamed(frame, SIGNAL) || nameContains(frame, SIGNAL_PARTS)) return 'signal';
  return null;
}

function isSyscallCarrier(frame: RawFrame): boolean {
  return frame.language === 'native' && (isNamed(frame, SYSCALL_CARRIERS) || nameContains(frame, SYSCALL_CARRIER_PARTS));
}

function matchesAny(frame: RawFrame, table: ReadonlyArray<readonly [string, readonly string[] | undefined]>): boolean {
  return table.some(([file, fns]) => isPythonIn(frame, file, fns));
}

function pyLabel(frame: RawFrame): string {
  return `${baseName(frame.file) ?? ''}:${frame.function ?? '?'}`;
}

/** Reads the mutex address and symbol from the wait frames: `mutex=0x5558c0ece100 <accounts_mutex>`, `futex_word=…`, `lock=…`, `this=…`. */
function lockIdentity(frames: readonly RawFrame[]): { lock: string; label: string } | null {
  for (const f of frames) {
    for (const name of ['mutex', 'futex', 'futex_word', 'lock', 'sem', 'm', 'this', 'self']) {
      const v = argValue(f, name);
      const m = v === null ? null : /^(0x[0-9a-fA-F]+)(?:\s+<([^>]+)>)?/.exec(v);
      const address = normalizeHex(m?.[1]);
      if (!m || address === null || address === '0x0') continue;
      return { lock: address, label: m[2] ?? address };
    }
  }
  return null;
}

/** True when the wait is on a primitive another process can release (see {@link WaitTarget.crossProcess}). */
function isCrossProcess(runFrames: readonly RawFrame[], frames: readonly RawFrame[]): boolean {
  if (runFrames.some((f) => isNamed(f, SEMLOCK))) return true;
  if (runFrames.some((f) => isNamed(f, LLL_SHARED_FRAMES) && intArg(f, 'private') === LLL_SHARED)) return true;
  const py = innermostPython(frames);
  return py !== null && PY_CROSS_PROCESS.some((file) => isPythonIn(py, file));
}

function joinTarget(frames: readonly RawFrame[]): { lwp: number | null; pthreadId: string | null } {
  let lwp: number | null = null;
  let pthreadId: string | null = null;
  for (const f of frames) {
    const expected = intArg(f, 'expected');
    if (lwp === null && expected !== null && expected > 0) lwp = expected;
    const tid = argValue(f, 'threadid') ?? argValue(f, 'thread') ?? argValue(f, 'th');
    if (pthreadId === null && tid !== null && tid !== '0') {
      pthreadId = tid.startsWith('0x') ? normalizePthreadId(tid) : pthreadIdFromDecimal(tid);
    }
  }
  return { lwp, pthreadId };
}

function childTarget(frames: readonly RawFrame[]): number | null {
  for (const f of frames) {
    const pid = intArg(f, 'pid');
    if (pid !== null) return pid > 0 ? pid : null;
  }
  return null;
}

function target(kind: WaitKind, frame: string, over: Partial<WaitTarget> = {}): WaitTarget {
  return {
    kind,
    frame,
    lock: null,
    lockLabel: null,
    joinLwp: null,
    joinPthreadId: null,
    childPid: null,
    caller: null,
    certain: true,
    crossProcess: false,
    ...over,
  };
}

/** The native wait run: leaf carriers skipped, then contiguous wait frames; null when the leaf is not a wait. */
function nativeRun(frames: readonly RawFrame[]): { start: number; end: number; kind: FrameClass; hasGil: boolean } | null {
  let i = 0;
  // Stripped leaf frames (`?? () from …libpthread.so.0`) carry no name; skip them like the syscall carriers.
  while (
    i < frames.length &&
    (frames[i] as RawFrame).language === 'native' &&
    (isSyscallCarrier(frames[i] as RawFrame) || (frames[i] as RawFrame).function === null)
  )
    i++;
  const start = i;
  let kind: FrameClass | null = null;
  let hasGil = false;
  for (; i < frames.length; i++) {
    const f = frames[i] as RawFrame;
    const c = classify(f);
    if (c === null) {
      if (isSyscallCarrier(f)) continue;
      break;
    }
    kind = c;
    if (c === 'gil') hasGil = true;
  }
  return kind === null ? null : { start, end: i, kind, hasGil };
}

function callerAfter(frames: readonly RawFrame[], from: number): RawFrame | null {
  const inPython = runsPython(frames);
  for (let i = from; i < frames.length; i++) {
    const f = frames[i] as RawFrame;
    if (isPythonCode(f)) return f;
    if (f.language === 'python' || f.function === null || isInterpreterFrame(f, inPython) || isSyscallCarrier(f) || classify(f) !== null)
      continue;
    return f;
  }
  return null;
}

/**
 * What the Python code above a wait means: the contiguous standard-library frames from the
 * innermost Python frame outward decide (2.7's `Thread.join` is `threading.py wait ← join`),
 * then a user line that takes a lock (`with accounts_lock:`) when the thread is in `lock_wait`.
 */
function pythonMeaning(frames: readonly RawFrame[], state: ClassifiedThread['state']): WaitTarget | null {
  const first = frames.findIndex(isPythonCode);
  if (first < 0) return null;
  let kind: WaitKind | null = null;
  let outermost: RawFrame | null = null;
  let i = first;
  for (; i < frames.length; i++) {
    const f = frames[i] as RawFrame;
    if (!isPythonCode(f)) break;
    const k = matchesAny(f, PY_JOIN) ? 'join' : matchesAny(f, PY_CHILD) ? 'child' : matchesAny(f, PY_SIGNAL) ? 'signal' : null;
    if (k === null) break;
    // A join or a child wait outranks the Condition wait it is built on (2.7 `Thread.join` is `threading.py wait ← join`).
    if (kind === null || kind === 'signal') kind = k;
    outermost = f;
  }
  if (kind !== null && outermost !== null) {
    const caller = frames.slice(i).find(isPythonCode) ?? outermost;
    return target(kind, pyLabel(outermost), { caller });
  }
  const py = frames[first] as RawFrame;
  const expr = acquiredExpression(py);
  if (expr !== null && state === 'lock_wait') return target('mutex', pyLabel(py), { lock: `py:${expr}`, lockLabel: expr, caller: py });
  return null;
}

function acquiredExpression(py: RawFrame | null): string | null {
  const m = py?.sourceText ? PY_ACQUIRE_LINE.exec(py.sourceText) : null;
  return m ? (m[1] ?? m[2] ?? null) : null;
}

// Several rules ask about the same thread; the answer depends only on its (immutable) frames and state.
const memo = new WeakMap<readonly RawFrame[], Map<ClassifiedThread['state'], WaitTarget | null>>();

/** What the thread waits on, or null when its stack shows no wait on a lock, a thread, a child or a signal. */
export function waitTarget(thread: Pick<ClassifiedThread, 'frames' | 'state'>): WaitTarget | null {
  let byState = memo.get(thread.frames);
  if (byState === undefined) {
    byState = new Map();
    memo.set(thread.frames, byState);
  }
  const known = byState.get(thread.state);
  if (known !== undefined) return known;
  const found = readWaitTarget(thread);
  byState.set(thread.state, found);
  return found;
}

function readWaitTarget(thread: Pick<ClassifiedThread, 'frames' | 'state'>): WaitTarget | null {
  const frames = thread.frames;
  const py = innermostPython(frames);
  const run = nativeRun(frames);
  if (thread.state === 'gil_wait' || run?.hasGil) return target('gil', run ? (frames[run.end - 1]?.function ?? 'take_gil') : 'take_gil');
  if (run === null) {
    // No native wait frames: a Python-only dump (faulthandler, traceback) or a thread not waiting at all.
    const meaning = pythonMeaning(frames, thread.state);
    return meaning === null ? null : { ...meaning, crossProcess: isCrossProcess([], frames) };
  }
  const runFrames = frames.slice(0, run.end);
  const decider = frames[run.end - 1] as RawFrame;
  const frame = decider.function ?? '??';
  const caller = callerAfter(frames, run.end);
  switch (run.kind) {
    case 'join': {
      const t = joinTarget(runFrames);
      return target('join', frame, { joinLwp: t.lwp, joinPthreadId: t.pthreadId, caller });
    }
    case 'child': {
      const viaPython = py !== null && matchesAny(py, PY_CHILD) ? py : null;
      return target('child', frame, { childPid: childTarget(runFrames), caller: viaPython ?? caller });
    }
    case 'mutex': {
      const id = lockIdentity(runFrames);
      return target('mutex', frame, {
        lock: id?.lock ?? null,
        lockLabel: id?.label ?? null,
        caller,
        crossProcess: isCrossProcess(runFrames, frames),
      });
    }
    case 'pylock': {
      const crossProcess = isCrossProcess(runFrames, frames);
      const meaning = pythonMeaning(frames, 'unknown');
      if (meaning !== null) return { ...meaning, crossProcess };
      // A plain Lock/RLock acquire in user code; without Python frames it may as well be a Condition's waiter lock.
      const id = lockIdentity(runFrames);
      const label = acquiredExpression(py) ?? id?.label ?? null;
      return target('mutex', frame, { lock: id?.lock ?? null, lockLabel: label, caller: py ?? caller, certain: py !== null, crossProcess });
    }
    case 'signal':
      return target('signal', frame, { caller: py ?? caller, crossProcess: isCrossProcess(runFrames, frames) });
    default:
      return target('gil', frame);
  }
}
