/**
 * The lines of libpython's `py-bt` (CPython `Tools/gdb/libpython.py`, `PyBacktrace`), below
 * `Traceback (most recent call first):`, innermost first:
 *
 *   `  File "/srv/demo/crash_abort.py", line 22, in poller`     a bytecode frame
 *   `    select.select([rfd], [], [], 60)`                       its source line
 *   `  <built-in method sleep of module object at remote 0x7fd0bc57f0b0>`   a C function (3.x)
 *   `  <built-in function sleep>`                                the same under Python 2.7
 *   `  Waiting for the GIL` / `  Garbage-collecting`            markers (`take_gil`, `collect`)
 *   `  (unable to read python frame information)`, `  (frame information optimized out)`,
 *   `  (not a python frame)`, `  PyCFunction invocation (unable to read func)`
 *
 * When a thread runs no Python, `py-bt` prints `Unable to locate python frame` instead of the
 * Traceback line. A Python exception raised inside gdb prints the other header,
 * `Traceback (most recent call last):`, which is not a backtrace of the inferior.
 */
import { pythonFrame, type RawFrame } from '../model.js';

export type PyBtLine =
  | { kind: 'frame'; frame: RawFrame }
  | { kind: 'source'; text: string }
  | { kind: 'marker'; text: string }
  | { kind: 'note' };

export const PY_BT_HEADER = 'Traceback (most recent call first):';
export const PY_BT_NO_FRAME = 'Unable to locate python frame';
export const BUILTIN_FILE = '<built-in>';

const MARKERS = new Set(['Waiting for the GIL', 'Garbage-collecting']);

/** Classifies one indented py-bt line, or returns null when it is not one. */
export function parsePyBtLine(line: string): PyBtLine | null {
  if (line.startsWith('    ')) {
    const text = line.trim();
    return text.length > 0 ? { kind: 'source', text } : null;
  }
  if (!line.startsWith('  ') || line.charCodeAt(2) === 32) return null;
  if (line.startsWith('  File "')) {
    const frame = parseFileLine(line);
    return frame ? { kind: 'frame', frame } : null;
  }
  const body = line.slice(2);
  if (body.charCodeAt(0) === 60) return { kind: 'frame', frame: builtinFrame(body) };
  if (MARKERS.has(body)) return { kind: 'marker', text: body };
  if (body.charCodeAt(0) === 40 || body.startsWith('PyCFunction invocation')) return { kind: 'note' };
  return null;
}

/** Reads `  File "path", line N, in func`; null when the line does not have that shape. */
export function parseFileLine(line: string): RawFrame | null {
  const at = line.lastIndexOf('", line ');
  if (at < 8) return null;
  const file = line.slice(8, at);
  let k = at + 8;
  const digitsFrom = k;
  while (k < line.length && k - digitsFrom < 10 && isDigit(line.charCodeAt(k))) k++;
  if (k === digitsFrom || !line.startsWith(', in ', k)) return null;
  const fn = line.slice(k + 5);
  return pythonFrame(fn.length > 0 ? fn : null, file.length > 0 ? file : null, Number(line.slice(digitsFrom, k)));
}

/** What is left of a `  File "…` line cut at the end of the input. */
export function partialFileLine(line: string): RawFrame {
  const rest = line.slice(8);
  const quote = rest.indexOf('"');
  const file = quote >= 0 ? rest.slice(0, quote) : rest;
  return pythonFrame(null, file.length > 0 ? file : null, null);
}

/**
 * A C function frame: `<built-in method sleep of module object at remote 0x…>` → `sleep`,
 * `<built-in function sleep>` → `sleep`, `<method-wrapper '__call__' of … object at 0x…>` →
 * `__call__`. Any other object (`<cython_function_or_method at remote 0x…>`) has no name.
 */
function builtinFrame(body: string): RawFrame {
  let fn: string | null = null;
  if (body.startsWith('<built-in method ')) fn = wordAt(body, 17);
  else if (body.startsWith('<built-in function ')) fn = wordAt(body, 19);
  else if (body.startsWith("<method-wrapper '")) {
    const end = body.indexOf("'", 17);
    fn = end > 17 ? body.slice(17, end) : null;
  }
  return pythonFrame(fn, BUILTIN_FILE, null);
}

function wordAt(text: string, from: number): string | null {
  let k = from;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 62) break;
    k++;
  }
  return k > from ? text.slice(from, k) : null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
