/**
 * gdb's `info threads` table. gdb 13.1 pads the Target Id column to its widest entry, so
 * every Frame starts under the header's `Frame`:
 *
 *   `  Id   Target Id                                  Frame `
 *   `* 1    Thread 0x7faece3d4740 (LWP 402) "deadlock" __futex_abstimed_wait_common64 (…) at ./nptl/futex-internal.c:57`
 *   `  2    Thread 0x7faece3d36c0 (LWP 404) "stats"    0x00007faece4a6545 in __GI___clock_nanosleep (…) at …:48`
 *
 * gdb 7.x printed no padding (`* 1 Thread 0xb7fdc6c0 (LWP 1234)  main () at x.c:5`), and
 * gdb before 7.3 no header at all. A frame gdb cannot read is preceded by the warning that
 * explains why, so the frame moves to the next line (gdb 13.1 on a core with small xstate notes):
 *
 *   `  2    Thread 0x7fbf3c17c6c0 (LWP 1093) warning: Section `.reg-xstate/1093' in core file too small.`
 *   `__futex_abstimed_wait_common64 (private=<optimized out>, …) at ./nptl/futex-internal.c:57`
 */
import { parseTargetId, type ThreadIdentity } from './thread-header.js';

export interface InfoThreadsRow {
  identity: ThreadIdentity;
  isCurrent: boolean;
  /** The Frame column: a frame body, `(running)`, a `warning: …`, or '' when the row ends early. */
  frameText: string;
}

/** Column of `Frame` when `line` is the `info threads` header, else null. */
export function parseInfoThreadsHeader(line: string): number | null {
  if (!line.startsWith('  Id   Target Id')) return null;
  const col = line.indexOf('Frame', 16);
  return col > 0 ? col : -1;
}

const ROW = /^([* ]) {1,8}(\d{1,10})(?:\.(\d{1,10}))? +/;
const MAX_NAME = 64;

/** Reads one `info threads` row, using the header's Frame column when there was one; null when the line is not a row. */
export function parseInfoThreadsRow(line: string, frameColumn: number | null): InfoThreadsRow | null {
  const m = ROW.exec(line);
  if (!m) return null;
  const target = parseTargetId(line, m[0].length);
  if (!target) return null;
  const qualified = m[3] !== undefined;
  let name: string | null = null;
  let rest = target.end;
  if (line.startsWith(' "', target.end)) {
    const close = closingQuote(line, target.end + 2, frameColumn);
    if (close > 0) {
      name = line.slice(target.end + 2, close);
      rest = close + 1;
    }
  }
  return {
    identity: {
      inferior: qualified ? Number(m[2]) : null,
      number: Number(qualified ? m[3] : m[2]),
      lwp: target.lwp,
      pthreadId: target.pthreadId,
      pid: target.pid,
      name,
    },
    isCurrent: m[1] === '*',
    frameText: line.slice(rest).trim(),
  };
}

/**
 * The quote that ends a thread name. With a padded header the name ends at the last `"`
 * left of the Frame column; without one, at the first `"` followed by a space or the end.
 */
function closingQuote(line: string, from: number, frameColumn: number | null): number {
  if (frameColumn !== null && frameColumn > from && frameColumn <= line.length && line.charCodeAt(frameColumn - 1) === 32) {
    const q = line.lastIndexOf('"', frameColumn - 1);
    if (q >= from) return q;
  }
  const limit = Math.min(line.length, from + MAX_NAME + 1);
  for (let k = from; k < limit; k++) {
    if (line.charCodeAt(k) === 34 && (k + 1 === line.length || line.charCodeAt(k + 1) === 32)) return k;
  }
  return -1;
}
