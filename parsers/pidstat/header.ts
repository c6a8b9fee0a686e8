/**
 * The fixed lines of sysstat pidstat output (12.6.1 unless said):
 *   banner: `Linux 6.18.44-fc-v669 (vm) \t11/21/26 \t_x86_64_\t(2 CPU)`   (the date follows the locale)
 *   header: `23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command`   (-t -w)
 *           `12:00:00 AM   UID       PID    %usr %system  %guest   %wait    %CPU   CPU  Command`   (12-hour locale)
 *           `#      Time   UID      TGID       TID    %usr %system ...  Command`   (-h: one line per task, epoch times)
 * The header starts with the previous sample's time, the rows with their own; sysstat 10
 * has no UID column and no %wait.
 */
import type { RowLayout, Token } from '../columns.js';
import { tokenize } from '../columns.js';

export type PidstatKey = 'uid' | 'user' | 'pid' | 'tgid' | 'tid' | 'cpu' | 'cswch' | 'nvcswch' | 'threads' | 'command' | 'other';

const KEYED: Readonly<Record<string, PidstatKey>> = {
  UID: 'uid',
  USER: 'user',
  PID: 'pid',
  TGID: 'tgid',
  TID: 'tid',
  '%CPU': 'cpu',
  'cswch/s': 'cswch',
  'nvcswch/s': 'nvcswch',
  threads: 'threads',
  Command: 'command',
};

// Columns only pidstat prints, one per report: -u, -r, -s, -d, -w, -v, -R, -T CHILD.
const PIDSTAT_WORDS = new Set([
  'TGID',
  'TID',
  '%usr',
  '%system',
  '%guest',
  '%wait',
  'cswch/s',
  'nvcswch/s',
  'minflt/s',
  'majflt/s',
  'StkSize',
  'StkRef',
  'kB_rd/s',
  'kB_wr/s',
  'kB_ccwr/s',
  'iodelay',
  'fd-nr',
  'usr-ms',
  'system-ms',
  'guest-ms',
  'minflt-nr',
  'majflt-nr',
]);

const ID_WORDS = new Set(['UID', 'USER', 'PID', 'TGID', 'TID']);
const COLUMN_WORD = /^[A-Za-z%#][A-Za-z0-9%/_-]{0,15}$/;

export interface PidstatHeader {
  names: string[];
  keys: PidstatKey[];
  index: Partial<Record<PidstatKey, number>>;
  layout: RowLayout;
  /** Tokens a row's time stamp takes: 1 for `23:24:56` or -h epoch seconds, 2 for `12:00:01 AM`. */
  timeTokens: number;
  /** What a row prints in TGID/TID where the other id stands: `-`, or `0` with -h. */
  placeholder: string;
  line: number;
}

/** Reads a pidstat column header, or returns null when the line is not one. */
export function readPidstatHeader(text: string, line: number): PidstatHeader | null {
  if (text.length > 4096) return null;
  const tokens = tokenize(text, 0, 64);
  const firstId = tokens.findIndex((t) => ID_WORDS.has(t.text));
  if (firstId < 1 || firstId > 3 || tokens.length - firstId < 2) return null;
  const names = tokens.slice(firstId).map((t) => t.text);
  if (names[names.length - 1] !== 'Command' || !names.every((n) => COLUMN_WORD.test(n))) return null;
  const stamp = tokens.slice(0, firstId);
  const isEpoch = stamp[0]?.text === '#';
  // A time stamp, or the summary label of the averages ("Average:", translated "Moyenne :"),
  // which pidstat also prints before each report's header when -u and -w are combined.
  const isAverageLabel = stamp.length >= 1 && stamp.length <= 2 && stamp[stamp.length - 1]?.text.endsWith(':') === true;
  if (!isEpoch && !isAverageLabel && !stamp.some((t) => /\d/.test(t.text))) return null;
  const keys = names.map((n) => KEYED[n] ?? 'other');
  const index: Partial<Record<PidstatKey, number>> = {};
  keys.forEach((k, i) => {
    if (index[k] === undefined) index[k] = i;
  });
  return {
    names,
    keys,
    index,
    layout: { widths: names.map(() => 1), variable: names.length - 1 },
    timeTokens: isEpoch ? 1 : firstId,
    placeholder: isEpoch ? '0' : '-',
    line,
  };
}

/** True when the header holds a column only pidstat prints (TGID, %usr, cswch/s, …). */
export function hasPidstatColumn(header: PidstatHeader): boolean {
  return header.names.some((n) => PIDSTAT_WORDS.has(n));
}

/** True for the sysstat banner `Linux <release> (<host>) <date> _<arch>_ (<n> CPU)`. */
export function isSysstatBanner(text: string): boolean {
  if (!text.startsWith('Linux ') || !text.endsWith(' CPU)') || text.length > 512) return false;
  const tokens = tokenize(text);
  const host = tokens[2]?.text ?? '';
  const cpus = tokens[tokens.length - 2]?.text ?? '';
  return host.startsWith('(') && host.endsWith(')') && /^\(\d{1,5}$/.test(cpus) && tokens.some((t) => /^_[\w-]{1,32}_$/.test(t.text));
}

export interface RowStamp {
  /** `23:24:56`, `12:00:01 AM`, or the average label without its colon (`Average`). */
  label: string;
  isAverage: boolean;
  /** Offset just after the stamp, where the columns start. */
  end: number;
}

/**
 * The time stamp a row starts with. A first token without digits is the (translated)
 * average label, `Average:` or `Moyenne :`, ending at the token that ends with a colon.
 */
export function readRowStamp(text: string, header: PidstatHeader): RowStamp | null {
  const tokens: Token[] = tokenize(text, 0, header.timeTokens + 3);
  const first = tokens[0];
  if (first === undefined) return null;
  if (!/\d/.test(first.text)) {
    const colon = tokens.findIndex((t, i) => i < 3 && t.text.endsWith(':'));
    const last = tokens[Math.max(colon, 0)] as Token;
    const label = text.slice(first.start, last.end);
    return { label: label.endsWith(':') ? label.slice(0, -1).trimEnd() : label, isAverage: true, end: last.end };
  }
  const last = tokens[header.timeTokens - 1];
  if (last === undefined) return null;
  return { label: text.slice(first.start, last.end), isAverage: false, end: last.end };
}
