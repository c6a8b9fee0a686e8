/**
 * One line of a raw strace trace (strace 4.x–6.x), cut into its prefixes and its event:
 *   `[pid 32102] 23:24:56.123456 futex(0x7f4f0c000b70, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>`
 *   `[pid 32102] 23:24:56.124001 <... futex resumed>) = -1 EAGAIN (Resource temporarily unavailable) <0.000545>`
 *   `32100 poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)`   (-f -o FILE: `%-5d ` pid column)
 *   `1763767496.123456 epoll_wait(4, [], 1024, 1000) = 0 <1.001203>`   (-ttt, -T)
 *   `     0.000123 read(3, "abc", 4096) = 3`   (-r)
 *   `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9, …} ---`   `+++ exited with 0 +++`
 * `-i` adds `[00007f4f11c9b0f2] ` and `-Y` (6.x) `1234<python3>` before the call.
 */

export type TraceEvent =
  | { kind: 'call'; pid: number | null; name: string; text: string }
  | { kind: 'unfinished'; pid: number | null; name: string; head: string }
  | { kind: 'resumed'; pid: number | null; name: string; tail: string }
  | { kind: 'signal'; pid: number | null; signal: string }
  | { kind: 'exit'; pid: number | null; text: string }
  | { kind: 'stack' };

/** A complete call: `name(args) = result …`, with what the result says. */
export interface CallResult {
  /** Argument text between the parentheses, or null when the call was joined from a resumed line alone. */
  args: string | null;
  /** `0`, `-1`, `0x7f…`, `?`; null when no result was printed. */
  value: string | null;
  /** `EAGAIN`, `ERESTARTSYS`, or null. */
  errno: string | null;
  /** Text after the value (`(Timeout)`, `([{fd=3, revents=POLLIN}])`), without the duration. */
  detail: string;
  /** Seconds from -T (`<0.000545>`), or null. */
  duration: number | null;
}

const PID_BRACKET = /\[pid +(\d{1,10})(?:<[^>\n]{0,64}>)?\] +/y;
const PID_COLUMN = /(\d{1,10})(?:<[^>\n]{0,64}>)? +/y;
const TIMESTAMP = / *(?:\d{1,2}:\d{2}:\d{2}(?:\.\d{1,9})?|\d{1,12}\.\d{1,9}) +/y;
const BRACKETED = /\[ *[0-9a-f]{1,16}\] +/y;
const CALL_NAME = /([a-z_][a-z0-9_]{0,47})\(/y;
const RESUMED = /<\.\.\. ([a-z_][a-z0-9_]{0,47}) resumed> ?/y;
const SIGNAL = /--- (SIG[A-Z0-9+]{1,16}|stopped by SIG[A-Z0-9]{1,16}) /y;
const EXIT = /\+\+\+ (?:exited with -?\d{1,4}|killed by SIG[A-Z0-9]{1,16}(?: \(core dumped\))?) \+\+\+$/y;
const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';
const DURATION = /^<(\d{1,9}\.\d{1,9})>$/;

function stickyAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Reads a raw trace line, or returns null when it is not one. */
export function readTraceLine(line: string): TraceEvent | null {
  if (line.startsWith(' > ')) return { kind: 'stack' };
  let pos = 0;
  let pid: number | null = null;
  let m = stickyAt(PID_BRACKET, line, 0);
  if (m === null) {
    // A bare number followed by blanks is the pid column; `-ttt` times have a dot, `-t` times colons.
    m = stickyAt(PID_COLUMN, line, 0);
  }
  if (m !== null) {
    pid = Number(m[1]);
    pos = m[0].length;
  }
  m = stickyAt(TIMESTAMP, line, pos);
  if (m !== null) pos += m[0].length;
  for (let k = 0; k < 2; k++) {
    m = stickyAt(BRACKETED, line, pos);
    if (m === null) break;
    pos += m[0].length;
  }
  m = stickyAt(SIGNAL, line, pos);
  if (m !== null) return { kind: 'signal', pid, signal: m[1] as string };
  if (stickyAt(EXIT, line, pos) !== null) return { kind: 'exit', pid, text: line.slice(pos) };
  m = stickyAt(RESUMED, line, pos);
  if (m !== null) return { kind: 'resumed', pid, name: m[1] as string, tail: line.slice(pos + m[0].length) };
  m = stickyAt(CALL_NAME, line, pos);
  if (m === null) return null;
  const name = m[1] as string;
  const text = line.slice(pos);
  if (text.endsWith(UNFINISHED)) return { kind: 'unfinished', pid, name, head: text.slice(0, -UNFINISHED.length) };
  if (text.endsWith(DETACHED)) return { kind: 'unfinished', pid, name, head: text.slice(0, -DETACHED.length) };
  return readCall(text, name.length + 1, true) === null ? null : { kind: 'call', pid, name, text };
}

/**
 * Offset of the `)` closing a call's arguments, scanning from `from` inside them; strings
 * (`"a)b\"c"`) and brackets are skipped. -1 when the text ends first.
 */
function closingParen(text: string, from: number): number {
  let d = 1;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 40 || c === 91 || c === 123) d++;
    else if (c === 41 || c === 93 || c === 125) {
      d--;
      if (d === 0) return c === 41 ? i : -1;
    }
  }
  return -1;
}

/**
 * Reads `args) = value [ERRNO] [(detail)] [<duration>]` from `from`, just inside the call's
 * parentheses. `argsAreWhole` is false for the tail of a `<... name resumed>` line whose
 * start was not seen. Null when no ` = ` follows the closing parenthesis.
 */
export function readCall(text: string, from: number, argsAreWhole: boolean): CallResult | null {
  const close = closingParen(text, from);
  if (close < 0) return null;
  let i = close + 1;
  while (text.charCodeAt(i) === 32) i++;
  if (text[i] !== '=') return null;
  let rest = text.slice(i + 1).trim();
  let duration: number | null = null;
  const lt = rest.lastIndexOf(' <');
  const last = lt >= 0 ? rest.slice(lt + 1) : rest.startsWith('<') ? rest : '';
  const dm = DURATION.exec(last);
  if (dm !== null) {
    duration = Number(dm[1]);
    rest = lt >= 0 ? rest.slice(0, lt).trimEnd() : '';
  }
  const space = rest.indexOf(' ');
  const value = space < 0 ? rest : rest.slice(0, space);
  let detail = space < 0 ? '' : rest.slice(space + 1).trimStart();
  let errno: string | null = null;
  const errnoMatch = /^(E[A-Z0-9_]{1,31})(?: |$)/.exec(detail);
  if (errnoMatch !== null) {
    errno = errnoMatch[1] as string;
    detail = detail.slice(errnoMatch[0].length);
  }
  return { args: argsAreWhole ? text.slice(from, close) : null, value: value === '' ? null : value, errno, detail, duration };
}
