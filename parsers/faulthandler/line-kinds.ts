/**
 * Every line shape faulthandler (and `Py_FatalError`, which shares its output) prints,
 * recognised one line at a time. Samples and the versions that print them are in FORMAT.md.
 */
import { normalizePthreadId } from '../identity.js';
import { nativeFrame, type RawFrame } from '../model.js';
import { type PythonFrameLine, parsePythonFrameLine } from '../python-frame-line.js';

export type FaulthandlerLine =
  | { kind: 'blank' }
  /** `Fatal Python error: Segmentation fault`; `message` is the text after the colon. */
  | { kind: 'fatal'; message: string }
  /** `Windows fatal exception: access violation` (3.3+ on Windows; `Windows exception:` in early 3.x). */
  | { kind: 'windowsFatal'; message: string }
  /** `Python runtime state: initialized` (3.8+ `Py_FatalError`). */
  | { kind: 'runtimeState' }
  /** `Timeout (0:00:05)!` from `dump_traceback_later`. */
  | { kind: 'timeout' }
  | { kind: 'threadHeader'; isCurrent: boolean; pthreadId: string | null; name: string | null }
  /** `Stack (most recent call first):`: one thread, the caller's, without an id. */
  | { kind: 'stackHeader' }
  | { kind: 'frame'; frame: PythonFrameLine }
  /** `  <no Python frame>`: a thread without Python frames (recent 3.x; the 2.7 backport prints nothing). */
  | { kind: 'noFrame' }
  /** `  <tstate is freed>`, `  <freed frame>`, `  <invalid frame>`: the walk stopped early. */
  | { kind: 'stackBroken' }
  /** `  ...` (≤ 3.14) or `plus N frames` (3.15): more than 100 frames. */
  | { kind: 'framesCut' }
  /** `...` at the line start: more than 100 threads. */
  | { kind: 'threadsCut' }
  /** `<freed thread state>`: the thread list ended on freed memory (3.14+). */
  | { kind: 'freedThreadState' }
  | { kind: 'garbageCollecting' }
  | { kind: 'extensionModules' }
  /** `Current thread's C stack trace (most recent call first):` (3.14+). */
  | { kind: 'cStackHeader' }
  | { kind: 'cFrame'; frame: RawFrame }
  /** `  <truncated rest of calls>`, `  <cannot get C stack on this system>`, `  <system returned no stack trace>`. */
  | { kind: 'cStackNote'; isTruncated: boolean }
  /** `<Cannot show all threads while the GIL is disabled>` (free-threaded 3.13t+). */
  | { kind: 'gilDisabled' }
  /** `Traceback (most recent call last):`: the pending exception `Py_FatalError` prints; not a thread. */
  | { kind: 'exceptionHeader' }
  | { kind: 'other' };

const THREAD_HEADER = /^(Current thread|Thread) 0x([0-9a-fA-F]{1,16})(?: \[(.*)\])?(?: \(most recent call first\))?:$/;
const TIMEOUT = /^Timeout \(\d{1,10}:\d\d:\d\d(?:\.\d{1,6})?\)!$/;
const PLUS_FRAMES = /^\s*plus \d{1,10} frames$/;
const SYMBOL_OFFSET = /^(\S*?)[+-]0x[0-9a-fA-F]{1,16}$/;

const STACK_BROKEN = new Set(['<tstate is freed>', '<freed frame>', '<invalid frame>']);

/** Classifies one cleaned line of a faulthandler dump. */
export function classifyFaulthandlerLine(text: string): FaulthandlerLine {
  if (text.length === 0) return { kind: 'blank' };
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9) return classifyIndented(text);
  switch (text[0]) {
    case 'F':
      if (text.startsWith('Fatal Python error: ')) return { kind: 'fatal', message: text.slice(20).trim() };
      if (text.startsWith('Fatal Python error:')) return { kind: 'fatal', message: text.slice(19).trim() };
      break;
    case 'W':
      if (text.startsWith('Windows fatal exception: ')) return { kind: 'windowsFatal', message: text.slice(25).trim() };
      if (text.startsWith('Windows exception: ')) return { kind: 'windowsFatal', message: text.slice(19).trim() };
      break;
    case 'P':
      if (text.startsWith('Python runtime state: ')) return { kind: 'runtimeState' };
      break;
    case 'T':
      if (text.startsWith('Timeout (') && TIMEOUT.test(text)) return { kind: 'timeout' };
      if (text.startsWith('Thread 0x')) return threadHeader(text);
      if (text === 'Traceback (most recent call first):') return { kind: 'stackHeader' };
      if (text === 'Traceback (most recent call last):') return { kind: 'exceptionHeader' };
      break;
    case 'C':
      if (text.startsWith('Current thread 0x')) return threadHeader(text);
      if (text === "Current thread's C stack trace (most recent call first):") return { kind: 'cStackHeader' };
      break;
    case 'S':
      if (text === 'Stack (most recent call first):') return { kind: 'stackHeader' };
      break;
    case 'E':
      if (text.startsWith('Extension modules: ')) return { kind: 'extensionModules' };
      break;
    case '.':
      if (text === '...') return { kind: 'threadsCut' };
      break;
    case '<':
      if (text === '<freed thread state>') return { kind: 'freedThreadState' };
      if (text === '<Cannot show all threads while the GIL is disabled>') return { kind: 'gilDisabled' };
      if (text === '<no Python frame>') return { kind: 'noFrame' };
      break;
    case 'p':
      if (PLUS_FRAMES.test(text)) return { kind: 'framesCut' };
      break;
    default:
      break;
  }
  if (text.startsWith('File')) return frameOrOther(text);
  return { kind: 'other' };
}

function classifyIndented(text: string): FaulthandlerLine {
  const t = text.trim();
  if (t.length === 0) return { kind: 'blank' };
  if (t.startsWith('File')) return frameOrOther(text);
  if (t === '<no Python frame>') return { kind: 'noFrame' };
  if (t === '...' || PLUS_FRAMES.test(t)) return { kind: 'framesCut' };
  if (t === 'Garbage-collecting') return { kind: 'garbageCollecting' };
  if (STACK_BROKEN.has(t)) return { kind: 'stackBroken' };
  if (t.startsWith('Binary file ')) {
    const frame = parseCFrame(t);
    if (frame !== null) return { kind: 'cFrame', frame };
  }
  if (t === '<truncated rest of calls>') return { kind: 'cStackNote', isTruncated: true };
  if (t === '<cannot get C stack on this system>' || t === '<system returned no stack trace>')
    return { kind: 'cStackNote', isTruncated: false };
  return { kind: 'other' };
}

function frameOrOther(text: string): FaulthandlerLine {
  const frame = parsePythonFrameLine(text);
  return frame === null ? { kind: 'other' } : { kind: 'frame', frame };
}

function threadHeader(text: string): FaulthandlerLine {
  const m = THREAD_HEADER.exec(text);
  if (!m) return { kind: 'other' };
  const name = m[3];
  return {
    kind: 'threadHeader',
    isCurrent: m[1] === 'Current thread',
    pthreadId: normalizePthreadId(m[2]),
    name: name === undefined || name === '' ? null : name,
  };
}

/**
 * Reads one line of 3.14's `Current thread's C stack trace` into a native frame
 * (`_Py_backtrace_symbols_fd`): `  Binary file "/lib/libc.so.6", at abort+0x2d [0x7f…]`,
 * `… at +0x3def0 [0x…]` (no symbol), `  Binary file "/x" [0x…]`, `  Binary file '<unknown>' [0x…]`.
 */
export function parseCFrame(text: string): RawFrame | null {
  const t = text.trim();
  if (!t.startsWith('Binary file ') || !t.endsWith(']')) return null;
  const open = t.lastIndexOf(' [');
  if (open < 12) return null;
  const address = t.slice(open + 2, -1);
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(address)) return null;
  const head = t.slice(12, open);
  if (head === "'<unknown>'") return nativeFrame(null, { address });
  if (!head.startsWith('"')) return null;
  if (head.endsWith('"') && head.length >= 2) return nativeFrame(null, { library: head.slice(1, -1) || null, address });
  const at = head.lastIndexOf('", at ');
  if (at < 0) return null;
  const m = SYMBOL_OFFSET.exec(head.slice(at + 6));
  if (!m) return null;
  return nativeFrame(m[1] === '' || m[1] === undefined ? null : m[1], { library: head.slice(1, at) || null, address });
}

/** How strongly a line marks faulthandler output (see `DumpFormat.signature`). */
export function faulthandlerSignature(text: string): number {
  const line = classifyFaulthandlerLine(text);
  switch (line.kind) {
    case 'threadHeader':
      return text.endsWith('(most recent call first):') ? 1 : 0.6;
    case 'fatal':
    case 'stackHeader':
      // `Traceback (most recent call first):` is also gdb py-bt's header.
      return text.startsWith('Traceback') ? 0 : 1;
    case 'frame':
      return line.frame.hasComma ? 0 : 0.9;
    case 'timeout':
    case 'windowsFatal':
    case 'cStackHeader':
    case 'runtimeState':
    case 'gilDisabled':
      return 0.9;
    case 'extensionModules':
      return text.endsWith(')') ? 0.8 : 0.3;
    case 'noFrame':
    case 'cFrame':
      return 0.7;
    default:
      return 0;
  }
}
