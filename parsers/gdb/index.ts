/**
 * The `gdb` format: gdb backtraces of every shape, py-bt, `info threads`, core and attach
 * sessions, and the gdb-based pstack/gstack plus eu-stack. See FORMAT.md.
 */
import type { DumpFormat } from '../format.js';
import { parseGdb } from './parse.js';
import { gdbSignature } from './signature.js';

export const gdbFormat: DumpFormat = {
  name: 'gdb',
  signature: gdbSignature,
  parse: parseGdb,
};
