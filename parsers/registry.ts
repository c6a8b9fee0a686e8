/**
 * Every format stacksift reads, in the order that breaks ties: when two formats claim a
 * line equally, the earlier one wins.
 */

import { faulthandlerFormat } from './faulthandler/index.js';
import type { DumpFormat } from './format.js';
import { gdbFormat } from './gdb/index.js';
import type { Format } from './model.js';
import { pidstatFormat } from './pidstat/index.js';
import { psFormat } from './ps/index.js';
import { pstreeFormat } from './pstree/index.js';
import { straceFormat } from './strace/index.js';
import { topFormat } from './top/index.js';
import { tracebackDumpFormat } from './traceback-dump/index.js';

export const DUMP_FORMATS: readonly DumpFormat[] = [
  gdbFormat,
  faulthandlerFormat,
  tracebackDumpFormat,
  psFormat,
  pstreeFormat,
  topFormat,
  pidstatFormat,
  straceFormat,
];

/** The parser for a contract format word, or null for `unknown` and words no parser reads. */
export function formatByName(name: Format): DumpFormat | null {
  return DUMP_FORMATS.find((f) => f.name === name) ?? null;
}

/** Format words a user may force, in registry order. */
export const READABLE_FORMATS: readonly Format[] = DUMP_FORMATS.map((f) => f.name);
