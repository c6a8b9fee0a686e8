/**
 * The `ps` format: procps (or busybox) ps output with any header-driven column set, per
 * process (`ps aux`, `ps -ef`, `ps axfo ppid,pid,wchan,thcount,stat,cmd`) or per thread
 * (`ps -L`, `ps -eLf`, `ps -T`, `ps -eLo …`). Quirks are in FORMAT.md.
 */
import type { DumpFormat } from '../format.js';
import { readPsHeader } from './header.js';
import { parsePs } from './parse.js';

/** 1 for a ps header row (`  PID   LWP %CPU STAT WCHAN COMMAND`); 0 for data rows and anything else. */
export function psSignature(line: string): number {
  // Every ps header names a process or thread id column; most lines of other dumps do not.
  if (!line.includes('PID') && !line.includes('LWP') && !line.includes('TID')) return 0;
  return readPsHeader(line, 0) === null ? 0 : 1;
}

export const psFormat: DumpFormat = {
  name: 'ps',
  signature: psSignature,
  parse: parsePs,
};
