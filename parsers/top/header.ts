/**
 * The lines of one `top -b` iteration before its rows (procps-ng 4.0.2):
 *   `top - 23:24:55 up 21 min,  0 user,  load average: 0.54, 1.16, 1.20`
 *   `Threads:  41 total,   1 running,  40 sleeping,   0 stopped,   0 zombie`   (-H; `Tasks:` without)
 *   `%Cpu(s): 50.0 us, 50.0 sy,  0.0 ni,  0.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st`
 *   `MiB Mem :  24105.6 total,  23703.4 free,    422.4 used,    211.5 buff/cache`
 *   `MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23683.1 avail Mem`
 *   ``
 *   `  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND`
 * procps 3.x prints `Cpu(s):  0.3%us,` and `Mem:   2048000k total,`; 4.x with `-E g` prints `GiB Mem :`.
 */
import type { RowLayout } from '../columns.js';
import { tokenize } from '../columns.js';

export type SummaryKind = 'start' | 'threads' | 'tasks' | 'cpu' | 'memory';

// Times are strftime %H:%M:%S; "up" follows in every procps-ng version.
const START = /^top - (\d{1,2}:\d{2}:\d{2}) up /;
const COUNTS = /^(Threads|Tasks): +\d{1,9} total,/;
const CPU = /^%?Cpu(?:\(s\)|\d{1,5} *):/;
const NODE = /^%Node\d{1,4} *:/;
const MEMORY = /^(?:[KMGTPE]iB (?:Mem|Swap) *:|Mem: +\d|Swap: +\d)/;

/** What summary line this is, or null for any other line. */
export function summaryKind(line: string): SummaryKind | null {
  if (START.test(line)) return 'start';
  const counts = COUNTS.exec(line);
  if (counts) return counts[1] === 'Threads' ? 'threads' : 'tasks';
  if (CPU.test(line) || NODE.test(line)) return 'cpu';
  if (MEMORY.test(line)) return 'memory';
  return null;
}

/** The `hh:mm:ss` of a `top - ` line, or null. */
export function startTime(line: string): string | null {
  return START.exec(line)?.[1] ?? null;
}

export type TopKey =
  | 'pid'
  | 'tgid'
  | 'ppid'
  | 'user'
  | 'cpu'
  | 'state'
  | 'time'
  | 'command'
  | 'nth'
  | 'wchan'
  | 'virt'
  | 'res'
  | 'shr'
  | 'other';

const KEYED: Readonly<Record<string, TopKey>> = {
  PID: 'pid',
  TGID: 'tgid',
  PPID: 'ppid',
  USER: 'user',
  RUSER: 'user',
  '%CPU': 'cpu',
  S: 'state',
  'TIME+': 'time',
  TIME: 'time',
  COMMAND: 'command',
  nTH: 'nth',
  WCHAN: 'wchan',
  VIRT: 'virt',
  RES: 'res',
  SHR: 'shr',
};

// Header words that only top's column header has; one of them (with PID) makes it top's.
const TOP_WORDS = new Set([
  'TIME+',
  'VIRT',
  'RES',
  'SHR',
  'PR',
  'nTH',
  'SWAP',
  'CODE',
  'DATA',
  'USED',
  'nMaj',
  'nMin',
  'nDRT',
  '%CUU',
  '%CUC',
]);
const HEADER_WORD = /^[A-Za-z%][A-Za-z0-9%+_.-]{0,15}$/;

export interface TopHeader {
  names: string[];
  keys: TopKey[];
  index: Partial<Record<TopKey, number>>;
  layout: RowLayout;
  /** True when the header holds a word only top prints (TIME+, VIRT, …). */
  isTopOnly: boolean;
  line: number;
}

/** Reads top's column header (any field set that includes PID), or returns null. */
export function readTopHeader(text: string, line: number): TopHeader | null {
  if (text.length > 4096) return null;
  const tokens = tokenize(text, 0, 96);
  if (tokens.length < 2 || tokens.length >= 96) return null;
  const names = tokens.map((t) => t.text);
  if (!names.includes('PID') || !names.every((n) => HEADER_WORD.test(n))) return null;
  const keys = names.map((n) => KEYED[n] ?? 'other');
  if (!keys.some((k) => k === 'cpu' || k === 'command' || k === 'time' || k === 'state')) return null;
  const index: Partial<Record<TopKey, number>> = {};
  keys.forEach((k, i) => {
    if (index[k] === undefined) index[k] = i;
  });
  const variable = keys.indexOf('command');
  return {
    names,
    keys,
    index,
    layout: { widths: names.map(() => 1), variable: variable >= 0 ? variable : null },
    isTopOnly: names.some((n) => TOP_WORDS.has(n)),
    line,
  };
}
