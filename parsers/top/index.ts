/**
 * The `top` format: `top -b -n N` and `top -H -b -n N` batch output with any field set,
 * one snapshot per iteration. Quirks are in FORMAT.md.
 */
import type { DumpFormat } from '../format.js';
import { readTopHeader, summaryKind } from './header.js';
import { parseTop } from './parse.js';

/**
 * 1 for lines only top prints: `top - 23:24:55 up …`, `Threads:`/`Tasks:` counts, `%Cpu(s):`,
 * `MiB Mem :`, and a column header holding a top-only word (`TIME+`, `VIRT`); 0 otherwise.
 */
export function topSignature(line: string): number {
  const kind = summaryKind(line);
  if (kind !== null) return kind === 'memory' && !/^[KMGTPE]iB /.test(line) ? 0.5 : 1;
  // top's column header always has a PID column (the thread id with -H).
  if (!line.includes('PID')) return 0;
  const header = readTopHeader(line, 0);
  return header?.isTopOnly ? 1 : 0;
}

export const topFormat: DumpFormat = {
  name: 'top',
  signature: topSignature,
  parse: parseTop,
};
