/**
 * A frame as it spans lines. gdb 7.0 wraps frames at 80 columns, indenting the rest of the
 * argument list and then the location (thunderbird core, RHEL 6):
 *
 *   `#0  0x00000038484d7de3 in __poll (fds=<value optimized out>, `
 *   `    nfds=<value optimized out>, timeout=<value optimized out>)`
 *   `    at ../sysdeps/unix/sysv/linux/poll.c:87`
 *   `#47 0x0000003139a780a3 in SharedStub ()`
 *   `   from /usr/lib64/thunderbird-3.1/libxpcom_core.so`
 *
 * eu-stack `-s` puts the source on the next line the same way: `    /usr/src/debug/glibc-2.36/io/poll.c:29:3`.
 */
import { applyContinuationLocation, applyEuStackSource, type ParsedFrame, parseFrameBody } from './frame-line.js';

export interface FrameRead {
  parsed: ParsedFrame;
  /** Frame body as printed, wrapped lines joined by one space; compared with gdb's stop line. */
  text: string;
  /** Index of the last line the frame used. */
  last: number;
  /** True when the input ended inside the frame. */
  isCut: boolean;
}

const MAX_JOINED_LINES = 64;
const MAX_JOINED_LENGTH = 65_536;

/** Reads the frame body at lines[i] from column `from`, joining the lines old gdb wrapped it over (lines[i, end) only). */
export function readWrappedFrame(lines: readonly string[], i: number, from: number, end: number, maxArgs: number): FrameRead {
  const first = lines[i] as string;
  let text = from === 0 ? first : first.slice(from);
  let last = i;
  let parsed = parseFrameBody(text, maxArgs, false);
  while (!parsed.isComplete && last + 1 < end && last - i < MAX_JOINED_LINES && text.length < MAX_JOINED_LENGTH) {
    const next = lines[last + 1] as string;
    if (!isContinuation(next)) break;
    text = text.trimEnd();
    text = text.endsWith('(') ? text + next.trim() : `${text} ${next.trim()}`;
    last++;
    parsed = parseFrameBody(text, maxArgs, false);
  }
  let isCut = false;
  if (!parsed.isComplete) {
    parsed = parseFrameBody(text, maxArgs, true);
    isCut = !parsed.isComplete && last === end - 1;
  }
  if (!parsed.hasLocation && last + 1 < end) {
    const next = lines[last + 1] as string;
    if (parsed.isEuStack) {
      if (applyEuStackSource(parsed.frame, next)) last++;
    } else if (parsed.isComplete && applyContinuationLocation(parsed.frame, next)) {
      last++;
    }
  }
  return { parsed, text, last, isCut };
}

/** A wrapped frame's next line: indented 1 to 7 spaces (`bt full` locals are indented 8). */
function isContinuation(line: string): boolean {
  let k = 0;
  while (k < line.length && k < 8 && line.charCodeAt(k) === 32) k++;
  return k > 0 && k < 8 && k < line.length && line.charCodeAt(k) !== 35;
}

/** A frame body starts with `0x`, a name (`_`, a letter, `.` on ppc64, `~`), `<signal handler called>` or `(anonymous namespace)`. */
export function startsLikeFrame(c: number): boolean {
  return c === 48 || c === 95 || c === 46 || c === 60 || c === 40 || c === 126 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
