/**
 * Frame look-ups the diagnosis rules share: names compared the way `analysis/frame-names.ts`
 * normalizes them, Python frames matched by file suffix, gdb argument values read out of `args`.
 */
import type { RawFrame } from '../../parsers/model.js';
import { memoizeByString } from '../../parsers/string-memo.js';
import { baseName, isEvalFrame, isInterpreterPlumbing, normalizeFunctionName } from '../frame-names.js';

/**
 * Names a native frame answers to, without leading underscores: the shared normalization
 * (`__GI___lll_lock_wait` → `lll_lock_wait`) and the raw spelling (`__libc_message` →
 * `libc_message`), so tables read as plain names whatever alias gdb printed.
 */
export function frameNames(frame: RawFrame): readonly string[] {
  if (frame.function === null || frame.language !== 'native') return [];
  return namesOf(frame.function);
}

const namesOf = memoizeByString((fn: string): readonly string[] => {
  const raw = fn.startsWith('.') ? fn.slice(1) : fn;
  const plain = raw.replace(/^_+/, '');
  const normalized = normalizeFunctionName(fn).replace(/^_+/, '');
  return plain === normalized ? [normalized] : [normalized, plain];
});

/** True when a native frame's name is in `names` (plain names, no leading underscores). */
export function isNamed(frame: RawFrame, names: ReadonlySet<string>): boolean {
  return frameNames(frame).some((n) => names.has(n));
}

/** True when a native frame's raw name contains one of `parts` (C++ and Rust paths such as `Mutex::lock_contended`). */
export function nameContains(frame: RawFrame, parts: readonly string[]): boolean {
  const fn = frame.language === 'native' ? frame.function : null;
  return fn !== null && parts.some((p) => fn.includes(p));
}

/** True when a Python frame comes from a file ending in `fileSuffix` (`threading.py`, `multiprocessing/queues.py`), optionally in one of `functions`. */
export function isPythonIn(frame: RawFrame, fileSuffix: string, functions?: readonly string[]): boolean {
  if (frame.language !== 'python' || frame.file === null) return false;
  const file = frame.file.includes('\\') ? frame.file.replaceAll('\\', '/') : frame.file;
  if (file !== fileSuffix && !file.endsWith(`/${fileSuffix}`)) return false;
  return functions === undefined || (frame.function !== null && functions.includes(frame.function));
}

/** True when any Python frame of the stack matches {@link isPythonIn}. */
export function hasPythonFrame(frames: readonly RawFrame[], fileSuffix: string, functions?: readonly string[]): boolean {
  return frames.some((f) => isPythonIn(f, fileSuffix, functions));
}

/**
 * True for a Python frame of real code. libpython's py-bt also lists C functions called from
 * Python (`<built-in method abort of module object at remote 0x…>`): they come through as Python
 * frames of file `<built-in>` and name no code of the program.
 */
export function isPythonCode(frame: RawFrame): boolean {
  return frame.language === 'python' && frame.file !== null && !frame.file.startsWith('<built-in');
}

/** The innermost Python frame of real code (built-in method lines skipped), or null. */
export function innermostPython(frames: readonly RawFrame[]): RawFrame | null {
  return frames.find(isPythonCode) ?? null;
}

/**
 * True for CPython's own frames (eval loop, call plumbing, `Modules/*.c` implementations) that never
 * explain a problem. `inPython` says the thread is known to run Python: only then do bare names
 * like `os_abort_impl` or `select_select_impl` count, which in a C program could be anyone's.
 */
export function isInterpreterFrame(frame: RawFrame, inPython = false): boolean {
  if (frame.language !== 'native' || frame.function === null) return false;
  if (isEvalFrame(frame) || isInterpreterPlumbing(frame.function)) return true;
  const file = frame.file ?? '';
  if (/^(?:\.\.\/)?(?:Modules|Python|Objects|Include|Parser)\//.test(file)) return true;
  if (frame.library !== null && /\/libpython[\d.]*\.so/.test(frame.library)) return true;
  // Builds without line info still name CPython's C implementations this way (`os_abort_impl`, `select_select_impl`).
  return inPython && /^(?:_?Py[A-Z_]|os_|posix_|time_|sock_|select_|builtin_|faulthandler_)/.test(frame.function);
}

/** True when the stack shows Python frames or the interpreter's eval loop. */
export function runsPython(frames: readonly RawFrame[]): boolean {
  return frames.some((f) => f.language === 'python' || isEvalFrame(f));
}

/**
 * The value of a gdb argument (`pid=pid@entry=9` → `9`, `mutex=0x5558c0ece100 <accounts_mutex>` →
 * `0x5558c0ece100 <accounts_mutex>`), or null when absent or `<optimized out>`.
 */
export function argValue(frame: RawFrame, name: string): string | null {
  const args = frame.args;
  if (args === null) return null;
  let from = 0;
  for (;;) {
    const at = args.indexOf(`${name}=`, from);
    if (at < 0) return null;
    const before = at === 0 ? ' ' : args[at - 1];
    from = at + name.length + 1;
    if (before !== ' ' && before !== ',' && before !== '(') continue;
    let value = args.slice(from);
    const entry = `${name}@entry=`;
    if (value.startsWith(entry)) value = value.slice(entry.length);
    const end = value.search(/, [\w@]+=/);
    value = (end >= 0 ? value.slice(0, end) : value).trim();
    return value === '' || value.startsWith('<optimized out>') || value.startsWith('<value optimized out>') ? null : value;
  }
}

/** An integer gdb argument (`expected=405`, `timeout=timeout@entry=0`), or null. */
export function intArg(frame: RawFrame, name: string): number | null {
  const v = argValue(frame, name);
  if (v === null || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}

/** A short name for a frame in titles: `reconcile`, `check_invariants (crash_abort.py:27)`. */
export function describeFrame(frame: RawFrame, withPlace = false): string {
  const name = frame.function ?? '??';
  // ppc64 gdb prints function descriptors with a leading dot (`._XError`).
  const fn = frame.language === 'native' && /^\.[A-Za-z_]/.test(name) ? name.slice(1) : name;
  if (!withPlace) return fn;
  const file = baseName(frame.file);
  if (file !== null && file !== '') return frame.line === null ? `${fn} (${file})` : `${fn} (${file}:${frame.line})`;
  if (frame.library !== null) return `${fn} (${baseName(frame.library)})`;
  return fn;
}
