/**
 * What faulthandler's fatal-error headers say about a crash.
 *
 * The signal names are the texts of faulthandler's handler table (CPython
 * Modules/faulthandler.c `faulthandler_handlers`, the same in the 2.7 backport):
 * `Fatal Python error: Segmentation fault` etc. Other texts come from `Py_FatalError`
 * (`Fatal Python error: PyThreadState_Get: no current thread`), which then calls abort();
 * the text does not say so, so the signal stays unknown.
 */
import type { CrashInfo } from '../model.js';

interface SignalFacts {
  signal: string;
  /**
   * Only numbers that are the same on Linux, macOS, the BSDs and Windows' C runtime.
   * SIGABRT is 22 on Windows (6 elsewhere) and SIGBUS 7 on Linux x86/ARM (10 on macOS/BSD):
   * the dump does not tell the platform, so those stay null.
   */
  number: number | null;
}

const FAULTHANDLER_SIGNALS: ReadonlyMap<string, SignalFacts> = new Map([
  ['Segmentation fault', { signal: 'SIGSEGV', number: 11 }],
  ['Aborted', { signal: 'SIGABRT', number: null }],
  ['Floating point exception', { signal: 'SIGFPE', number: 8 }],
  ['Bus error', { signal: 'SIGBUS', number: null }],
  ['Illegal instruction', { signal: 'SIGILL', number: 4 }],
]);

/** A crash record for a `Fatal Python error: …` line; `message` is the text after the colon. */
export function crashFromFatalError(text: string, message: string, line: number): CrashInfo {
  const facts = FAULTHANDLER_SIGNALS.get(message);
  return {
    signal: facts?.signal ?? null,
    signalNumber: facts?.number ?? null,
    description: text,
    lwp: null,
    pthreadId: null,
    command: null,
    line,
  };
}

// `faulthandler_exc_handler` (Windows, CPython 3.3+) names these exception codes; any other
// code is printed as `code 0x…` (`code 1234` decimal in some 3.x releases), which includes
// exceptions the program may catch and survive (`code 0x8001010d`, seen with Qt apps), so those
// are kept as a note and not as a crash.
const WINDOWS_FATAL = new Set([
  'access violation',
  'float divide by zero',
  'float overflow',
  'int divide by zero',
  'integer overflow',
  'page error',
  'stack overflow',
  'illegal instruction',
]);

/** A crash record for a named `Windows fatal exception: …` line, or null for a bare exception code. */
export function crashFromWindowsException(text: string, message: string, line: number): CrashInfo | null {
  if (!WINDOWS_FATAL.has(message)) return null;
  return { signal: null, signalNumber: null, description: text, lwp: null, pthreadId: null, command: null, line };
}
