/**
 * Which lines only traceback dumps print. Frame lines (`  File "x", line 3, in f`) score 0:
 * gdb's py-bt and every Python exception print them too.
 */
import { parseGeventLine } from './gevent-monitor.js';
import { parsePySpyLine } from './py-spy.js';
import { parseThreadHeader } from './thread-header.js';

/** How strongly a line marks a traceback dump, py-spy dump or gevent monitor report (0..1). */
export function tracebackDumpSignature(text: string): number {
  if (text.length < 6) return 0;
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9) return 0;
  if (text[0] === 'P' || text[0] === 'T') {
    const p = parsePySpyLine(text);
    if (p !== null) return p.kind === 'parentProcess' ? 0.8 : 1;
  }
  if (text[0] === 'B' || text.endsWith('appears to be blocked')) {
    const g = parseGeventLine(text);
    if (g !== null && (g.kind === 'report' || g.kind === 'blockedStack')) return 1;
  }
  return parseThreadHeader(text)?.score ?? 0;
}
