/**
 * `py-spy dump` text output (benfred/py-spy `src/dump.rs`, 0.1 through 0.4):
 *
 *   Process 1234: python app.py
 *   Python v3.11.2 (/usr/bin/python3.11)
 *   Parent Process 1200: bash                  (with --subprocesses)
 *
 *   Thread 1234 (active+gil): "MainThread"
 *       select (selectors.py:468)
 *           Arguments:                         (with --locals; 0.1.x printed `Arguments::`)
 *               timeout: 1.0
 *
 * The thread number is the OS thread id (Linux TID, `Thread::native_thread_id`, printed in
 * decimal) when py-spy knows it, else the pthread_t in upper-case hex (`0x7F8E4B1FF700`,
 * always so on macOS) — `StackTrace::format_threadid`. Status is `idle`, `active` or
 * `active+gil` (`StackTrace::status_str`). Frames are innermost first; `--native` merges
 * native frames into the same list with the module or C source file in parentheses.
 */
import { normalizePthreadId, parseId } from '../identity.js';
import { nativeFrame, pythonFrame, type RawFrame } from '../model.js';

export type PySpyLine =
  | { kind: 'process'; pid: number | null; command: string }
  | { kind: 'parentProcess'; pid: number | null }
  | { kind: 'pythonVersion' }
  | { kind: 'thread'; pthreadId: string | null; lwp: number | null; name: string | null; markers: string[]; key: string | null };

const PROCESS = /^Process (\d{1,10}): (.*)$/;
const PARENT_PROCESS = /^Parent Process (\d{1,10}): /;
const PYTHON_VERSION = /^Python v\d{1,2}\.\d{1,3}(?:\.\d{1,3})?[\w+.-]{0,20} \(.*\)$/;
const THREAD = /^Thread (0[xX][0-9a-fA-F]{1,16}|\d{1,20}) \(((?:idle|active|gil)(?:\+(?:idle|active|gil)){0,2})\)(?:: "(.*)")?$/;
const LOCALS_HEADER = /^ {8}(?:Arguments|Locals)::?$/;

/** Reads a py-spy process, version or thread line; null for anything else. */
export function parsePySpyLine(text: string): PySpyLine | null {
  const c = text[0];
  if (c === 'P') {
    let m = PROCESS.exec(text);
    if (m) return { kind: 'process', pid: parseId(m[1]), command: m[2] as string };
    if (PYTHON_VERSION.test(text)) return { kind: 'pythonVersion' };
    m = PARENT_PROCESS.exec(text);
    return m ? { kind: 'parentProcess', pid: parseId(m[1]) } : null;
  }
  if (c === 'T') {
    const m = THREAD.exec(text);
    if (!m) return null;
    const id = m[1] as string;
    const isHex = /^0[xX]/.test(id);
    const pthreadId = isHex ? normalizePthreadId(id) : null;
    const lwp = isHex ? null : parseId(id);
    const key = pthreadId !== null ? `t:${pthreadId}` : lwp !== null ? `lwp:${lwp}` : null;
    const markers = (m[2] as string).split('+').map((w) => `py-spy:${w}`);
    return { kind: 'thread', pthreadId, lwp, name: m[3] ?? null, markers, key };
  }
  return null;
}

/** True for py-spy's `--locals` lines (`        Locals:`, `            name: value`). */
export function isPySpyLocalsLine(text: string): boolean {
  return LOCALS_HEADER.test(text) || text.startsWith('            ');
}

// Files that hold native code, as py-spy names them: C sources from debug info, or the module
// (`/lib/x86_64-linux-gnu/libc.so.6`, `_ssl.cpython-311-x86_64-linux-gnu.so`, `python311.dll`).
const NATIVE_SOURCE = /\.(?:c|cc|cpp|cxx|h|hh|hpp|tcc|inl|rs|S|s|m|mm|zig)$/;
const NATIVE_BINARY = /(?:\.so(?:\.\d{1,6}){0,4}|\.dylib|\.dll|\.pyd|\.exe)$/i;
const ADDRESS = /^0x[0-9a-fA-F]{1,16}$/;

/**
 * Reads a py-spy frame line (`    select (selectors.py:468)`, `    <module> (app.py)` when the
 * line is 0, `    epoll_wait (libc.so.6)`, `    0x7f3a2b1c (?)` unsymbolized); null otherwise.
 */
export function parsePySpyFrame(text: string): RawFrame | null {
  if (!text.startsWith('    ') || !text.endsWith(')')) return null;
  const body = text.trim();
  const open = body.lastIndexOf(' (');
  if (open <= 0) return null;
  const name = body.slice(0, open);
  const location = body.slice(open + 2, -1);
  const colon = location.lastIndexOf(':');
  const lineText = colon > 0 ? location.slice(colon + 1) : '';
  const hasLine = /^\d{1,10}$/.test(lineText);
  const file = hasLine ? location.slice(0, colon) : location;
  const line = hasLine ? Number(lineText) : null;
  if (ADDRESS.test(name) || file === '?') {
    return nativeFrame(ADDRESS.test(name) ? null : name, {
      address: ADDRESS.test(name) ? name : null,
      library: file === '?' ? null : file,
    });
  }
  if (NATIVE_BINARY.test(file)) return nativeFrame(name, { library: file, line });
  // C++ and Rust paths (`std::vector<int>::push_back`) never name a Python function.
  if (NATIVE_SOURCE.test(file) || name.includes('::')) return nativeFrame(name, { file, line });
  return pythonFrame(name, file === '' ? null : file, line);
}
