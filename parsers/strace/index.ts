/**
 * The `strace` format: `strace -c [-f] [-w] [-S …] [-U …]` summary tables and raw traces
 * (`-f`, `-p`, `-tt`/`-ttt`/`-r`, `-T`, `-y`, `-i`). Quirks are in FORMAT.md.
 */
import type { DumpFormat } from '../format.js';
import { parseStrace } from './parse.js';
import { readSummaryHeader } from './summary-table.js';
import { readTraceLine } from './trace-line.js';

const ATTACH = /^strace: Process \d{1,10} (?:attached|detached)/;
// "[pid 32102] futex(0x7f4f0c000b70, FUTEX_WAIT" even when the line was cut before its result.
const PID_CALL = /^\[pid +\d{1,10}(?:<[^>\n]{0,64}>)?\] +(?:[\d:.]{1,20} +)?[a-z_][a-z0-9_]{0,47}\(/;

/**
 * 1 for the strace -c header, `strace: Process N attached`, and raw trace lines
 * (`[pid N] name(…`, `name(…) = N`, `<... name resumed>`, `--- SIGCHLD {…} ---`,
 * `+++ exited with 0 +++`); 0 for table rows and anything else.
 */
export function straceSignature(line: string): number {
  if (ATTACH.test(line) || PID_CALL.test(line)) return 1;
  if (line.includes('syscall') && readSummaryHeader(line, 0) !== null) return 1;
  // A traced call has an argument list; signals and exits are framed by --- and +++.
  if (!line.includes('(') && !line.includes('---') && !line.includes('+++')) return 0;
  const event = readTraceLine(line);
  return event === null || event.kind === 'stack' ? 0 : 1;
}

export const straceFormat: DumpFormat = {
  name: 'strace',
  signature: straceSignature,
  parse: parseStrace,
};
