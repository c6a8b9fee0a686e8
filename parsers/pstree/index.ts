/**
 * The `pstree` format: psmisc pstree with pids (`-p`, `-ap`, `-pt`, `-apl`), ASCII or UTF-8
 * branches. Gives processes with their parents, threads with their process, and thread
 * counts. Quirks are in FORMAT.md.
 */
import type { DumpFormat } from '../format.js';
import { parsePstree } from './parse.js';
import { readTreeLine } from './tree-line.js';

/** How far into a line the signature looks for an entry's id. */
const SIGNATURE_REACH = 256;
// A -a root line: "bash,1 run_mp.sh py-mp-queue-join-hang mp_queue_hang.py".
const ARGS_ROOT = /^[\w.:@+-]{1,64},\d{1,10}(?: |$)/;

// An entry is `name,pid` or `name(pid)`: a comma, or an opening parenthesis glued to a name, before digits.
const ENTRY_ID = /,\d|[^\s(]\(\d/;

/**
 * 1 for a branch with an id (`  |-sshd,900`, `` `-{python3}(10) ``) or a root with chained
 * children (`systemd(1)-+-sshd(900)`); 0.5 for a `-a` root line (`bash,1 run.sh`), which
 * other text could resemble; 0 otherwise.
 */
export function pstreeSignature(line: string): number {
  if (!ENTRY_ID.test(line)) return 0;
  const read = readTreeLine(line, SIGNATURE_REACH);
  const first = read?.entries[0];
  if (read === null || first === undefined || first.id === null) return 0;
  if (read.connector !== null) return 1;
  if (read.entries.length > 1 && read.entries.every((e) => e.id !== null)) return 1;
  return ARGS_ROOT.test(line) ? 0.5 : 0;
}

export const pstreeFormat: DumpFormat = {
  name: 'pstree',
  signature: pstreeSignature,
  parse: parsePstree,
};
