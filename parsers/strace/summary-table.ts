/**
 * The `strace -c` summary table (strace 6.1, stderr):
 *   `% time     seconds  usecs/call     calls    errors syscall`
 *   `------ ----------- ----------- --------- --------- ----------------`
 *   ` 95.57   28.278898         598     47240     17359 futex`
 *   `  2.62    0.775396         334      2315           clock_nanosleep`   (errors blank when 0)
 *   `------ ----------- ----------- --------- --------- ----------------`
 *   `100.00   29.589198         596     49590     17391 total`
 * `-U` (strace ≥ 5.18) picks and orders columns (`-U name,calls,errors` prints
 * `syscall            calls    errors`) and adds `shortest`, `longest`, `wall-total`, …. Numbers follow LC_NUMERIC (`66,75    0,003708`). A 32-bit tracee adds
 * a second table after `System call usage summary for 32 bit mode:`.
 */
import type { Token } from '../columns.js';
import { parseCount, parseDecimal, tokenize } from '../columns.js';
import type { SyscallStat } from '../model.js';

export type SummaryColumn = 'percent' | 'seconds' | 'usecs' | 'calls' | 'errors' | 'syscall' | 'other';

const WORDS: Readonly<Record<string, SummaryColumn>> = {
  seconds: 'seconds',
  'usecs/call': 'usecs',
  calls: 'calls',
  errors: 'errors',
  syscall: 'syscall',
  shortest: 'other',
  longest: 'other',
  'wall-total': 'other',
  'wall-min': 'other',
  'wall-max': 'other',
  'wall-avg': 'other',
};

export interface SummaryHeader {
  columns: SummaryColumn[];
  line: number;
}

const SYSCALL_NAME = /^(?:[a-z_][a-z0-9_]{0,47}|syscall_0x[0-9a-f]{1,8})$/;

/** Reads a strace -c header row, or returns null. */
export function readSummaryHeader(text: string, line: number): SummaryHeader | null {
  if (text.length > 512) return null;
  const tokens = tokenize(text, 0, 24).map((t) => t.text);
  const columns: SummaryColumn[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as string;
    if (word === '%' && tokens[i + 1] === 'time') {
      columns.push('percent');
      i++;
      continue;
    }
    const column = WORDS[word];
    if (column === undefined) return null;
    columns.push(column);
  }
  if (!columns.includes('syscall') || !columns.includes('calls')) return null;
  return { columns, line };
}

/** True for the dashed rule under the header and above the total. */
export function isSummaryRule(text: string): boolean {
  const tokens = tokenize(text, 0, 24);
  return tokens.length > 0 && tokens.every((t: Token) => /^-{2,}$/.test(t.text));
}

/**
 * Reads one table row: a SyscallStat, 'total' for the totals row, or null when the row does
 * not fit the header (a blank `errors` cell is read as 0).
 */
export function readSummaryRow(text: string, header: SummaryHeader): SyscallStat | 'total' | null {
  const tokens = tokenize(text, 0, header.columns.length + 1).map((t) => t.text);
  let columns = header.columns;
  if (tokens.length === columns.length - 1 && columns.includes('errors')) columns = columns.filter((c) => c !== 'errors');
  if (tokens.length !== columns.length) return null;
  const cell = (column: SummaryColumn): string | null => {
    const at = columns.indexOf(column);
    return at < 0 ? null : (tokens[at] ?? null);
  };
  const name = cell('syscall') ?? '';
  if (name === 'total') return 'total';
  const calls = parseCount(cell('calls'));
  if (calls === null || !SYSCALL_NAME.test(name)) return null;
  const errorsText = cell('errors');
  return {
    name,
    calls,
    errors: header.columns.includes('errors') ? (errorsText === null ? 0 : parseCount(errorsText)) : null,
    seconds: parseDecimal(cell('seconds')),
    percentTime: parseDecimal(cell('percent')),
    immediateReturns: null,
  };
}
