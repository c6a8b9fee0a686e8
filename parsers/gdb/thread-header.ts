/**
 * How gdb names a thread. The target id is the same text in `thread apply all` headers,
 * `info threads` rows and `[Current thread is …]`; only what surrounds it differs:
 *
 *   `Thread 0x7faec7fff6c0 (LWP 406)`   libthread_db on glibc (every gdb since 7.0)
 *   `Thread 0x7fd0ba4fe6c0 (LWP 833) "python3"`   the OS name, in `bt` headers since gdb 12
 *   `LWP 1093`                          no libthread_db (a core without matching glibc, musl)
 *   `Thread 19965`                      old libthread_db (RHEL 6, gdb 7.0): the number is the LWP
 *   `process 1234`                      a single-threaded inferior: the number is pid and LWP
 *   `Thread 1234.1235`                  gdbserver's remote protocol: pid.lwp
 *
 * The gdb thread id before it is `3`, or `1.3` (inferior 1, thread 3) once a second inferior
 * exists. Linux thread names are at most 15 bytes but may hold spaces, quotes and parentheses.
 */
import { normalizePthreadId, parseId } from '../identity.js';

export interface ThreadIdentity {
  /** gdb inferior number of a qualified id (`1.3` → 1), else null. */
  inferior: number | null;
  /** gdb's per-inferior thread number. */
  number: number | null;
  lwp: number | null;
  pthreadId: string | null;
  pid: number | null;
  name: string | null;
}

export interface TargetId {
  lwp: number | null;
  pthreadId: string | null;
  pid: number | null;
  /** Index just after the target id in the scanned text. */
  end: number;
}

const THREAD_HEX = /Thread (0x[0-9a-fA-F]{1,16})(?: \(LWP (\d{1,10})[^()]{0,64}\))?/y;
const THREAD_DOTTED = /Thread (\d{1,10})\.(\d{1,10})/y;
const THREAD_DECIMAL = /Thread (\d{1,10})(?![\d.])/y;
const LWP_ONLY = /LWP (\d{1,10})/y;
const PROCESS = /process (\d{1,10})/y;

/** Reads a target id starting at `text[from]`, or null when none starts there. */
export function parseTargetId(text: string, from: number): TargetId | null {
  const c = text.charCodeAt(from);
  if (c === 84) {
    let m = exec(THREAD_HEX, text, from);
    if (m) return { pthreadId: normalizePthreadId(m[1]), lwp: parseId(m[2]), pid: null, end: from + m[0].length };
    m = exec(THREAD_DOTTED, text, from);
    if (m) return { pid: parseId(m[1]), lwp: parseId(m[2]), pthreadId: null, end: from + m[0].length };
    m = exec(THREAD_DECIMAL, text, from);
    if (m) return { lwp: parseId(m[1]), pthreadId: null, pid: null, end: from + m[0].length };
    return null;
  }
  if (c === 76) {
    const m = exec(LWP_ONLY, text, from);
    return m ? { lwp: parseId(m[1]), pthreadId: null, pid: null, end: from + m[0].length } : null;
  }
  if (c === 112) {
    const m = exec(PROCESS, text, from);
    if (!m) return null;
    const pid = parseId(m[1]);
    return { lwp: pid, pthreadId: null, pid, end: from + m[0].length };
  }
  return null;
}

const HEADER = /^Thread (\d{1,10})(?:\.(\d{1,10}))? \(/;

/**
 * Reads a `thread apply all` header: `Thread 3 (Thread 0x7f… (LWP 405) "transfer"):`,
 * `Thread 11 (Thread 19965):`, `Thread 1 (process 1234):`, `Thread 1.2 (LWP 55):`;
 * eu-stack's `TID 1235:` too. Null for anything else.
 */
export function parseThreadHeader(line: string): ThreadIdentity | null {
  if (line.startsWith('TID ')) return parseEuStackTid(line);
  if (!line.endsWith('):')) return null;
  const m = HEADER.exec(line);
  if (!m) return null;
  const qualified = m[2] !== undefined;
  const inner = line.slice(m[0].length, line.length - 2);
  const target = parseTargetId(inner, 0);
  if (!target) return null;
  return {
    inferior: qualified ? toNumber(m[1]) : null,
    number: toNumber(qualified ? m[2] : m[1]),
    lwp: target.lwp,
    pthreadId: target.pthreadId,
    pid: target.pid,
    name: quotedTail(inner, target.end),
  };
}

function parseEuStackTid(line: string): ThreadIdentity | null {
  if (!line.endsWith(':')) return null;
  const lwp = parseId(line.slice(4, -1));
  return lwp === null ? null : { inferior: null, number: null, lwp, pthreadId: null, pid: null, name: null };
}

const SELECTED = /^\[(?:Current thread is|Switching to thread) (\d{1,10})(?:\.(\d{1,10}))? \(/;

/**
 * Reads gdb's note of the selected thread: `[Current thread is 1 (Thread 0x7fbf… (LWP 1092))]`
 * after loading a core, `[Switching to thread 2 (Thread 0x7f… (LWP 1235))]` after `thread 2`,
 * `[Switching to Thread 0x7ffff7d8a700 (LWP 1235)]` when a live inferior stops in another thread.
 */
export function parseSelectedThread(line: string): ThreadIdentity | null {
  if (!line.endsWith(']')) return null;
  const m = SELECTED.exec(line);
  if (m) {
    const qualified = m[2] !== undefined;
    const target = parseTargetId(line, m[0].length);
    return {
      inferior: qualified ? toNumber(m[1]) : null,
      number: toNumber(qualified ? m[2] : m[1]),
      lwp: target?.lwp ?? null,
      pthreadId: target?.pthreadId ?? null,
      pid: target?.pid ?? null,
      name: null,
    };
  }
  if (line.startsWith('[Switching to ')) {
    const target = parseTargetId(line, 14);
    if (target) return { inferior: null, number: null, lwp: target.lwp, pthreadId: target.pthreadId, pid: target.pid, name: null };
  }
  return null;
}

/** ` "name"` filling the rest of `text` from `from` (a header knows where its name ends), else null. */
function quotedTail(text: string, from: number): string | null {
  if (text.length - from < 3 || !text.startsWith(' "', from) || !text.endsWith('"')) return null;
  return text.slice(from + 2, text.length - 1);
}

function exec(re: RegExp, text: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(text);
}

function toNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
