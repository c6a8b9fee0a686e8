/**
 * The header row of ps output, which names its columns in the order the user asked for:
 *   `    PID     LWP %CPU STAT WCHAN                            COMMAND`   (ps -L -o pid,lwp,pcpu,stat,wchan:32,comm)
 *   `USER       PID   LWP %CPU NLWP %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND`   (ps auxw -L)
 *   `   PPID     PID WCHAN  THCNT STAT CMD`   (ps axfo ppid,pid,wchan,thcount,stat,cmd)
 *   `UID          PID    PPID     LWP  C NLWP STIME TTY          TIME CMD`   (ps -eLf)
 * Header words are procps-ng 4.0.2's; busybox ps prints the same words for the same fields.
 */
import type { RowLayout } from '../columns.js';
import { tokenize } from '../columns.js';

/** What a column means to stacksift; `other` columns are read past. */
export type PsKey = 'pid' | 'tgid' | 'ppid' | 'lwp' | 'pcpu' | 'c' | 'nlwp' | 'stat' | 'wchan' | 'time' | 'command' | 'user' | 'other';

const KEYED: Readonly<Record<string, PsKey>> = {
  PID: 'pid',
  TGID: 'tgid',
  PPID: 'ppid',
  LWP: 'lwp',
  SPID: 'lwp',
  TID: 'lwp',
  '%CPU': 'pcpu',
  C: 'c',
  NLWP: 'nlwp',
  THCNT: 'nlwp',
  STAT: 'stat',
  S: 'stat',
  WCHAN: 'wchan',
  TIME: 'time',
  COMMAND: 'command',
  CMD: 'command',
  ARGS: 'command',
  COMM: 'command',
  USER: 'user',
  UID: 'user',
  RUSER: 'user',
  EUSER: 'user',
};

// Further header words procps prints (ps -o, BSD u/l/j/s/v, -l, -F); any one of them, or a
// keyed word other than an id, makes a line with a PID a header.
const OTHER_PS_WORDS = new Set([
  'STIME',
  'START',
  'STARTED',
  'TTY',
  'TT',
  'VSZ',
  'RSS',
  'RSZ',
  '%MEM',
  'PRI',
  'NI',
  'PSR',
  'F',
  'ADDR',
  'SZ',
  'ELAPSED',
  'PGID',
  'PGRP',
  'SID',
  'SESS',
  'CLS',
  'RTPRIO',
  'GID',
  'GROUP',
  'TPGID',
  'LABEL',
  'MAJFL',
  'MINFL',
  'TRS',
  'DRS',
  'POL',
  'CGROUP',
  'PENDING',
  'BLOCKED',
  'IGNORED',
  'CAUGHT',
  'EUID',
  'RUID',
  'SUID',
  'FUID',
  'RGROUP',
  'EGROUP',
  'SIZE',
  'PSS',
  'UNIT',
]);

// Words only top's column header has: such a line is top's, not ps's.
const TOP_ONLY_WORDS = new Set([
  'TIME+',
  'VIRT',
  'RES',
  'SHR',
  'PR',
  'SWAP',
  'CODE',
  'DATA',
  'USED',
  'nTH',
  'nMaj',
  'nMin',
  'nDRT',
  '%CUU',
  '%CUC',
]);

/** Tokens a column takes in a row: lstart (`STARTED`) prints `Fri Nov 21 23:24:55 2026`. */
const MULTI_TOKEN: Readonly<Record<string, number>> = { STARTED: 5 };

const HEADER_WORD = /^[A-Z%][A-Z0-9%_+-]{0,15}$/;

export interface PsHeader {
  /** Header words as printed. */
  names: string[];
  keys: PsKey[];
  layout: RowLayout;
  /** Column index of the first column with each key. */
  index: Partial<Record<PsKey, number>>;
  /**
   * True when the header is a default format whose command column is the full command line
   * (`u`/BSD `l`: USER %MEM VSZ, `-f`: UID PPID C STIME), not the per-thread comm.
   */
  saysArgs: boolean;
  /** 1-based line of the header. */
  line: number;
}

/** Reads a ps header row, or returns null when the line is not one. */
export function readPsHeader(text: string, line: number): PsHeader | null {
  if (text.length > 4096) return null;
  const tokens = tokenize(text, 0, 64);
  if (tokens.length < 2 || tokens.length >= 64) return null;
  const names = tokens.map((t) => t.text);
  let hasId = false;
  let hasOther = false;
  for (const name of names) {
    if (!HEADER_WORD.test(name) || TOP_ONLY_WORDS.has(name)) return null;
    const key = KEYED[name];
    if (key === 'pid' || key === 'tgid' || key === 'lwp') hasId = true;
    else if (key !== undefined || OTHER_PS_WORDS.has(name)) hasOther = true;
  }
  if (!hasId || !hasOther) return null;
  const keys = names.map((n) => KEYED[n] ?? 'other');
  const index: Partial<Record<PsKey, number>> = {};
  keys.forEach((k, i) => {
    if (index[k] === undefined) index[k] = i;
  });
  const variable = keys.lastIndexOf('command');
  const has = (w: string) => names.includes(w);
  const saysArgs =
    (has('USER') && has('%MEM') && has('VSZ')) ||
    (has('UID') && has('PPID') && has('C') && has('STIME')) ||
    (has('F') && has('UID') && has('PPID') && has('VSZ'));
  return {
    names,
    keys,
    layout: { widths: names.map((n) => MULTI_TOKEN[n] ?? 1), variable: variable >= 0 ? variable : null },
    index,
    saysArgs,
    line,
  };
}
