/**
 * Which thread crashed and which frame explains it. The deciding frame is the first frame that
 * is application code: below gdb's `<signal handler called>` when there is one (frames above it
 * are the handler; Xorg's `OsSigHandler ← <signal handler called> ← xf86CursorSetCursor`), and
 * past the abort/raise/assert/logging machinery that only reports the failure (`raise ← g_logv ←
 * g_log ← _XError`). In a Python process CPython's own frames are passed over too, so
 * `os.abort()` lands on the Python function that called it (`check_invariants`).
 */
import type { CrashInfo, RawFrame } from '../../parsers/model.js';
import type { ClassifiedThread } from '../model.js';
import { frameNames, intArg, isInterpreterFrame, isNamed, isPythonCode, nameContains } from './frame-match.js';

// glibc's path from abort()/raise() to the kernel, as frameNames() spells it.
const SIGNAL_RAISERS = ['raise', 'gsignal', 'abort', 'pthread_kill', 'pthread_kill_implementation', 'pthread_kill_internal'];
// glibc, GLib, libstdc++ and CPython functions that report or deliver a fatal error.
const CRASH_MACHINERY = new Set([
  ...SIGNAL_RAISERS,
  'kernel_vsyscall',
  'restore_rt',
  'assert_fail',
  'assert_fail_base',
  'assert_perror_fail',
  'libc_message',
  'libc_fatal',
  'fortify_fail',
  'chk_fail',
  'stack_chk_fail',
  'malloc_printerr',
  'malloc_assert',
  'int_free',
  'int_free_merge_chunk',
  'int_malloc',
  'int_realloc',
  'unlink_chunk',
  'free',
  'malloc',
  'realloc',
  'calloc',
  'cfree',
  'libc_free',
  'libc_malloc',
  'libc_calloc',
  'libc_realloc',
  'g_logv',
  'g_log',
  'g_log_default_handler',
  'g_log_abort',
  'g_log_structured',
  'g_log_structured_array',
  'g_log_writer_default',
  'g_assertion_message',
  'g_assertion_message_expr',
  'g_assertion_message_cmpnum',
  'g_return_if_fail_warning',
  'Py_FatalError',
  'Py_FatalErrorFunc',
  'Py_FatalErrorFormat',
  'fatal_error',
  'fatal_error_exit',
  'faulthandler_fatal_error',
  'os_abort_impl',
  'os_abort',
]);
const CRASH_MACHINERY_PARTS = [
  'std::terminate',
  '__verbose_terminate_handler',
  '__cxxabiv1::__terminate',
  '__cxa_throw',
  '__cxa_rethrow',
  'panicking::',
  'panic_abort',
  'rust_panic',
  'rust_begin_unwind',
  'abort_internal',
  'unwrap_failed',
  'expect_failed',
  'std::process::abort',
];
// Frames that only deliver a fatal signal: one of these above `<signal handler called>` (or near the top of the stack) marks a crashing thread.
const FATAL_DELIVERY = new Set([
  ...SIGNAL_RAISERS,
  'assert_fail',
  'assert_fail_base',
  'libc_message',
  'g_log_abort',
  'Py_FatalError',
  'fatal_error',
  'faulthandler_fatal_error',
]);
// How far from the leaf an abort() must be to count as the thread's own crash when there is no trampoline frame.
const ABORT_DEPTH = 6;

const SIGNALS: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
  31: 'SIGSYS',
};

/** `SIGSEGV` for 11 (Linux numbering), or null for a number without a common name. */
export function signalName(n: number | null): string | null {
  return n === null ? null : (SIGNALS[n] ?? null);
}

function isTrampoline(f: RawFrame): boolean {
  return f.isSignalTrampoline === true || f.function === '<signal handler called>';
}

function isMachinery(f: RawFrame): boolean {
  if (f.function === null) return true;
  if (f.function.includes('.plt_call.') || f.function.endsWith('@plt')) return true;
  return isNamed(f, CRASH_MACHINERY) || nameContains(f, CRASH_MACHINERY_PARTS);
}

/** Index of the innermost `<signal handler called>` frame, or -1. */
export function trampolineIndex(frames: readonly RawFrame[]): number {
  return frames.findIndex(isTrampoline);
}

/** True when the stack itself shows a fatal signal being delivered (raise/abort around a signal trampoline, or an abort at the top). */
export function showsFatalSignal(frames: readonly RawFrame[]): boolean {
  const tramp = trampolineIndex(frames);
  if (tramp >= 0) return frames.slice(0, tramp).some((f) => isNamed(f, FATAL_DELIVERY));
  return frames
    .slice(0, ABORT_DEPTH)
    .some((f) => frameNames(f).some((n) => n === 'abort' || n === 'assert_fail' || n === 'assert_fail_base'));
}

/** True when a crash record names the thread. */
export function matchesCrash(t: Pick<ClassifiedThread, 'lwp' | 'pthreadId'>, crash: CrashInfo): boolean {
  return (
    (crash.lwp !== null && t.lwp === crash.lwp) || (crash.pthreadId !== null && t.pthreadId !== null && t.pthreadId === crash.pthreadId)
  );
}

/** True when the thread crashed: a crash record names it, correlation flagged it, or its stack shows a fatal signal. */
export function isCrashingThread(t: ClassifiedThread, crashes: readonly CrashInfo[]): boolean {
  return t.isCrashing || crashes.some((c) => matchesCrash(t, c)) || showsFatalSignal(t.frames);
}

/** The frame that explains a crash, with the next application frame out (its caller); null for an empty stack. */
export function decidingFrame(frames: readonly RawFrame[]): { frame: RawFrame; caller: RawFrame | null } | null {
  const hasPython = frames.some((f) => f.language === 'python');
  const tramp = trampolineIndex(frames);
  const isApplication = (f: RawFrame): boolean =>
    f.language === 'python' ? isPythonCode(f) : !isTrampoline(f) && !isMachinery(f) && !isInterpreterFrame(f, hasPython);
  const from = tramp >= 0 ? tramp + 1 : 0;
  let at = frames.slice(from).findIndex(isApplication);
  if (at >= 0) at += from;
  else at = frames.findIndex(isApplication);
  if (at < 0) {
    const first = frames[from] ?? frames[0];
    return first === undefined ? null : { frame: first, caller: null };
  }
  const frame = frames[at] as RawFrame;
  const caller = frames.slice(at + 1).find(isApplication) ?? null;
  return { frame, caller };
}

/** The signal a fatal-signal handler was entered for (`OsSigHandler (signo=11, …)` above the trampoline), or null. */
export function handlerSignal(frames: readonly RawFrame[]): number | null {
  const tramp = trampolineIndex(frames);
  if (tramp <= 0) return null;
  for (let i = tramp - 1; i >= 0; i--) {
    const f = frames[i] as RawFrame;
    if (isNamed(f, FATAL_DELIVERY)) continue;
    return intArg(f, 'signo') ?? intArg(f, 'sig') ?? intArg(f, 'signum') ?? intArg(f, 'signal');
  }
  return null;
}

/** The signal number a stack raises (`__pthread_kill_implementation (…, signo=signo@entry=6, …)`, `raise (sig=6)`), or null. */
export function raisedSignal(frames: readonly RawFrame[]): number | null {
  for (const f of frames.slice(0, ABORT_DEPTH)) {
    if (!isNamed(f, FATAL_DELIVERY)) continue;
    const n = intArg(f, 'signo') ?? intArg(f, 'sig');
    if (n !== null) return n;
  }
  return frames.slice(0, ABORT_DEPTH).some((f) => frameNames(f).includes('abort')) ? 6 : null;
}
