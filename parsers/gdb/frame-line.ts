/**
 * One gdb stack frame, as `bt` prints it after the `#N  ` prefix, as `info threads` prints it
 * in its Frame column, and as gdb prints the stop location after attaching:
 *
 *   gdb 13.1:  `0x00005558c0ecb55a in reconcile (batch=7) at deadlock.c:32`
 *   inlined or at a line start (no pc): `__GI___lll_lock_wait (futex=…, private=0) at ./nptl/lowlevellock.c:49`
 *   no debug info: `0x000000803a6f3dd8 in .g_logv () from /usr/lib64/libglib-2.0.so.0`
 *   demangled without debug info: `0x… in WTF::threadEntryPoint(void*) () from /usr/lib64/libjavascriptcoregtk-4.0.so.18`
 *   `0x7b4aca5f17667e00 in ?? ()`, `<signal handler called>`
 *
 * The name ends at the first ` (` outside `<…>`, `[…]`, `{…}` and `(…)`, so template
 * arguments, `[with T = …]` notes, `(anonymous namespace)` and a demangled parameter list
 * stay in the name. The argument list ends at its balancing `)`, skipping quoted strings;
 * libpython cuts long object reprs with `...(truncated)`, which leaves brackets open, so the
 * marker closes whatever the argument had opened. Every scan is one pass over the text.
 *
 * eu-stack (elfutils `src/stack.c`) prints `#0  0x00007f6b8c1b0e1d __GI___poll` — an address
 * and a bare symbol, with ` - module` after `-m` and an activation marker `- 1` after `-a`.
 */

import { nativeFrame, type RawFrame } from '../model.js';
import { internString } from '../string-memo.js';

export interface ParsedFrame {
  frame: RawFrame;
  /** False when the text stops inside the argument list or before it (a wrapped or cut line). */
  isComplete: boolean;
  /** True when ` at file:line` or ` from library` was read. */
  hasLocation: boolean;
  /** True for eu-stack's `0x… symbol` shape. */
  isEuStack?: boolean;
}

const SIGNAL_TRAMPOLINE = '<signal handler called>';
/**
 * Fedora's gdb 7.9 names the object for a frame without line info with `at`:
 * `#0  0x00007f77903f8239 in syscall () at /lib64/libc.so.6`. That is a library, not a source file.
 */
const SHARED_OBJECT = /\.so(?:\.[0-9][0-9.]{0,20})?$/;
/** What follows the `(` of libpython's `...(truncated)` marker. */
const TRUNCATED_TAIL = 'truncated)';

/** Parses a gdb frame body (`0x… in f (args) at file:line`); `isFinal` allows the fallback for an unbalanced argument list. */
export function parseFrameBody(text: string, maxArgs: number, isFinal = true): ParsedFrame {
  let pos = 0;
  let address: string | null = null;
  if (text.startsWith('0x')) {
    let j = 2;
    while (j < text.length && isHexDigit(text.charCodeAt(j))) j++;
    if (j > 2) {
      address = text.slice(0, j);
      if (text.startsWith(' in ', j)) pos = j + 4;
      else return parseEuStackBody(text, address, j);
    }
  }
  if (text.startsWith(SIGNAL_TRAMPOLINE, pos)) {
    return { frame: nativeFrame(SIGNAL_TRAMPOLINE, { address, isSignalTrampoline: true }), isComplete: true, hasLocation: false };
  }
  const open = findArgsOpen(text, pos);
  if (open < 0) {
    const name = text.slice(pos).trim();
    return { frame: nativeFrame(functionName(name), { address }), isComplete: false, hasLocation: false };
  }
  const fn = functionName(text.slice(pos, open).trimEnd());
  let close = findArgsClose(text, open);
  if (close < 0 && isFinal) close = fallbackClose(text, open);
  if (close < 0) {
    const args = capArgs(text.slice(open + 1), maxArgs);
    return { frame: nativeFrame(fn, { address, args }), isComplete: false, hasLocation: false };
  }
  const frame = nativeFrame(fn, { address, args: capArgs(text.slice(open + 1, close), maxArgs) });
  const hasLocation = applyLocation(frame, text, close + 1);
  return { frame, isComplete: true, hasLocation };
}

/** Reads a wrapped-line location (`    at ../nptl/pt-raise.c:42`, `   from /lib64/libc.so.6`) into the frame; false when the line is not one. */
export function applyContinuationLocation(frame: RawFrame, line: string): boolean {
  let i = 0;
  while (i < line.length && i < 8 && line.charCodeAt(i) === 32) i++;
  if (i === 0 || i >= 8) return false;
  return applyLocation(frame, line, i - 1);
}

/** Reads an eu-stack `-s` source line (`    /usr/src/debug/glibc/poll.c:29:3`) into the frame; false when it is not one. */
export function applyEuStackSource(frame: RawFrame, line: string): boolean {
  if (!line.startsWith('    ') || line.length < 6 || line.charCodeAt(4) === 32 || line.charCodeAt(4) === 91) return false;
  const text = line.slice(4);
  const last = text.lastIndexOf(':');
  if (last <= 0 || !isAllDigits(text, last + 1, text.length)) return false;
  const prev = text.lastIndexOf(':', last - 1);
  if (prev > 0 && isAllDigits(text, prev + 1, last)) {
    frame.file = text.slice(0, prev);
    frame.line = toLine(text.slice(prev + 1, last));
  } else {
    frame.file = text.slice(0, last);
    frame.line = toLine(text.slice(last + 1));
  }
  return true;
}

function parseEuStackBody(text: string, address: string, from: number): ParsedFrame {
  let rest = text.slice(from).trim();
  if (rest.startsWith('- 1')) rest = rest.slice(3).trimStart();
  let library: string | null = null;
  const dash = rest.lastIndexOf(' - ');
  if (dash >= 0 && rest.indexOf(' ', dash + 3) < 0) {
    library = rest.slice(dash + 3);
    rest = rest.slice(0, dash).trimEnd();
  } else if (rest.startsWith('- ')) {
    library = rest.slice(2);
    rest = '';
  }
  return { frame: nativeFrame(functionName(rest), { address, library }), isComplete: true, hasLocation: false, isEuStack: true };
}

/** `at file:line` or `from library` starting at `text[from]` (a space); false when neither. */
function applyLocation(frame: RawFrame, text: string, from: number): boolean {
  if (text.startsWith(' at ', from)) {
    const loc = text.slice(from + 4);
    const colon = loc.lastIndexOf(':');
    if (colon > 0 && isAllDigits(loc, colon + 1, loc.length)) {
      frame.file = loc.slice(0, colon);
      frame.line = toLine(loc.slice(colon + 1));
    } else if (SHARED_OBJECT.test(loc)) {
      frame.library = loc;
    } else {
      frame.file = loc.length > 0 ? loc : null;
    }
    return true;
  }
  if (text.startsWith(' from ', from)) {
    const lib = text.slice(from + 6);
    frame.library = lib.length > 0 ? lib : null;
    return true;
  }
  return false;
}

/**
 * Index of the `(` that opens the argument list: the first one preceded by a space at
 * bracket depth 0. `operator<<`, `operator()` and `->` are skipped so they do not unbalance
 * the count; a stray closer never drives the depth below 0.
 */
export function findArgsOpen(text: string, start: number): number {
  let depth = 0;
  for (let k = start; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 40) {
      if (depth === 0 && k > start && text.charCodeAt(k - 1) === 32) return k;
      depth++;
    } else if (c === 60 || c === 91 || c === 123) {
      depth++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 62) {
      if (depth > 0 && text.charCodeAt(k - 1) !== 45) depth--;
    } else if (c === 111 && text.startsWith('operator', k) && !isIdentChar(text.charCodeAt(k - 1))) {
      k = skipOperatorSymbol(text, k + 8) - 1;
    }
  }
  return -1;
}

/** After `operator`: the symbol that follows (`<<=`, `()`, `[]`, `->*`), so its brackets are not counted. */
function skipOperatorSymbol(text: string, from: number): number {
  if (text.startsWith('()', from) || text.startsWith('[]', from)) return from + 2;
  let k = from;
  while (k < text.length && k < from + 3 && '<>=!+-*/%^&|~,'.includes(text.charAt(k))) k++;
  return k;
}

/** Index of the `)` that closes the argument list opened at `open`, or -1 when the text ends first. */
export function findArgsClose(text: string, open: number): number {
  let depth = 1;
  let quote = 0;
  const n = text.length;
  for (let k = open + 1; k < n; k++) {
    const c = text.charCodeAt(k);
    if (quote !== 0) {
      if (c === 92) k++;
      else if (c === quote) quote = 0;
      else if (c === 40 && isTruncationMark(text, k)) {
        quote = 0;
        depth = 1;
        k += TRUNCATED_TAIL.length;
      }
      continue;
    }
    if (c === 41) {
      depth--;
      if (depth === 0) return k;
    } else if (c === 40) {
      if (isTruncationMark(text, k)) {
        depth = 1;
        k += TRUNCATED_TAIL.length;
      } else depth++;
    } else if (c === 34 || c === 39) {
      quote = c;
    }
  }
  return -1;
}

/** True when the `(` at `k` is the one of libpython's `...(truncated)`. */
function isTruncationMark(text: string, k: number): boolean {
  return text.startsWith(TRUNCATED_TAIL, k + 1) && text.startsWith('...', k - 3);
}

/**
 * When quotes or parentheses inside the arguments do not balance (a character literal gdb
 * could not print, a cut string), the location still ends the line: take the last `) at ` or
 * `) from `, else a final `)`.
 */
function fallbackClose(text: string, open: number): number {
  const at = text.lastIndexOf(') at ');
  const from = text.lastIndexOf(') from ');
  const best = Math.max(at, from);
  if (best > open) return best;
  if (text.length > open + 1 && text.charCodeAt(text.length - 1) === 41) return text.length - 1;
  return -1;
}

function functionName(name: string): string | null {
  return name === '' || name === '??' ? null : internString(name);
}

function capArgs(args: string, max: number): string {
  return args.length > max ? args.slice(0, max) : args;
}

function toLine(digits: string): number | null {
  if (digits.length === 0 || digits.length > 9) return null;
  return Number(digits);
}

function isAllDigits(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
