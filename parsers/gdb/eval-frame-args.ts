/**
 * Python locations that gdb prints inside the arguments of the interpreter's eval frames when
 * CPython's gdb extension (libpython.py, python-gdb.py) is loaded but `py-bt` was not run:
 *   `#14 PyEval_EvalFrameEx (f=f@entry=Frame 0x7ff3fa3e85c0, for file /usr/lib/python2.7/threading.py, line 359, in wait (self=<…>), throwflag=0)`
 *   `#9 _PyEval_EvalFrameDefault (f=Frame 0x7f7128000bb0, for file /usr/lib/python3.9/queue.py, line 180, in get (…), throwflag=0)`
 * CPython 2.7 and 3.6–3.10 print it (3.11+ frames are _PyInterpreterFrame, which the printer
 * does not describe this way). One Python frame is often printed by two nested eval frames
 * (`_PyEval_EvalFrame` and `_PyEval_EvalFrameDefault`); the `Frame 0x…` address tells them apart.
 */
import type { RawFrame } from '../model.js';
import { pythonFrame } from '../model.js';

const EVAL_FUNCTIONS = new Set(['PyEval_EvalFrameEx', '_PyEval_EvalFrame', '_PyEval_EvalFrameDefault', 'PyEval_EvalFrame']);
const LOCATION = /Frame (0x[0-9a-fA-F]{1,16}), for file (.{1,400}?), line (\d{1,9}), in ([\w<>.]{1,200})/;

/** Python frames, innermost first, read from the eval frames' arguments; empty when none say where they are. */
export function pythonFramesFromEvalArgs(native: readonly RawFrame[]): RawFrame[] {
  const out: RawFrame[] = [];
  let lastAddress: string | null = null;
  for (const f of native) {
    if (f.function === null || f.args === null || !EVAL_FUNCTIONS.has(f.function)) continue;
    const m = LOCATION.exec(f.args);
    if (!m) continue;
    const [, address, file, line, fn] = m;
    if (address === lastAddress) continue;
    lastAddress = address ?? null;
    out.push(pythonFrame(fn ?? null, file ?? null, Number(line)));
  }
  return out;
}
