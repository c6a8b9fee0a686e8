/**
 * One line of psmisc pstree output, cut into its branch connector and entries. psmisc 22–23
 * prints, per line, the vertical bars of the levels above, a branch connector, and the entry:
 *   `  |-pstree,28 -ap`                       (-ap, ASCII: `|-` and `` `- ``, `|` above)
 *   `      `-python3,7 /srv/demo/app.py`      (-a puts one process per line, args after the id)
 *   `              `-{python3},10`           (threads in braces)
 *   `systemd(1)-+-ModemManager(785)-+-{ModemManager}(801)`   (-p: children chained with -+- / ---)
 *   `           |                   `-{ModemManager}(802)`
 *   `systemd(1)─┬─sshd(900)───bash(1000)`   (UTF-8 locale or -U: ─┬─ ─── ├─ └─ │)
 * Identical subtrees fold into `3*[{gmain}]` only without -p (-p turns compaction off).
 * `-g`, `-u`, `-S` add `,pgid`, `,user`, `,ns` after the pid: `bash(1001,1001)`, `bash,1001,alice`.
 */

export interface TreeEntry {
  /** Column where the entry starts (its repeat count or name). */
  column: number;
  /** Name as printed, without thread braces or the parentheses -a puts around argument-less processes. */
  name: string;
  isThread: boolean;
  /** Process or thread id, or null when none is printed. */
  id: number | null;
  /** N of `N*[…]`, 1 otherwise. */
  repeat: number;
  /** Arguments after the id (-a), or null. */
  args: string | null;
}

export interface TreeLine {
  /** Column of the branch connector, or null for a line that starts a tree at column 0. */
  connector: number | null;
  /** The entry after the connector and, without -a, the children chained after it. */
  entries: TreeEntry[];
  /** True when the line ends in the middle of an entry (pstree cuts long lines with `+` unless -l). */
  cut: boolean;
}

const P_ID = /\((\d{1,10})([),])/y;
const A_ID = /,(\d{1,10})(?=[ ,)\]]|$)/y;
const REPEAT = /(\d{1,6})\*\[/y;

/** The column of a branch connector after the bars of the levels above, -1 for column 0 text, or null. */
function findConnector(line: string): number | null {
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    const d = line[i + 1];
    if (c === ' ') i++;
    else if (c === '|') {
      if (d === '-') return i;
      i++;
    } else if (c === '│') i++;
    else if ((c === '`' && d === '-') || ((c === '├' || c === '└') && d === '─')) return i;
    else break;
  }
  return i === 0 && n > 0 ? -1 : null;
}

/** Length of the chain connector at `at` (`---`, `-+-`, `───`, `─┬─`), or 0. */
function chainAt(line: string, at: number): number {
  const a = line[at];
  const b = line[at + 1];
  const c = line[at + 2];
  if (a === '-' && c === '-' && (b === '-' || b === '+')) return 3;
  if (a === '─' && c === '─' && (b === '─' || b === '┬')) return 3;
  return 0;
}

interface IdMatch {
  kind: 'p' | 'a';
  at: number;
  id: number;
  /** Offset just after the whole id group (`(785)`, `(1001,1001)`, `,28`, `,1001,alice`). */
  after: number;
}

/** The first `(pid)` or `,pid` from `from`, stopping at a chain connector; at most `limit` characters on. */
function findId(line: string, from: number, limit: number): IdMatch | null {
  const stop = Math.min(line.length, from + limit);
  for (let j = from; j < stop; j++) {
    const ch = line[j];
    if (ch === '-' || ch === '─') {
      if (j > from && chainAt(line, j) > 0) return null;
    } else if (ch === '(') {
      P_ID.lastIndex = j;
      const m = P_ID.exec(line);
      if (m === null || Number(m[1]) === 0) continue;
      let after = j + m[0].length;
      if (m[2] === ',') {
        const close = line.indexOf(')', after);
        after = close < 0 ? line.length : close + 1;
      }
      return { kind: 'p', at: j, id: Number(m[1]), after };
    } else if (ch === ',') {
      A_ID.lastIndex = j;
      const m = A_ID.exec(line);
      if (m === null || Number(m[1]) === 0) continue;
      let after = j + m[0].length;
      while (line[after] === ',') {
        const space = line.indexOf(' ', after);
        after = space < 0 ? line.length : space;
      }
      if (line[after] === ')') after++;
      return { kind: 'a', at: j, id: Number(m[1]), after };
    }
  }
  return null;
}

function makeEntry(column: number, rawName: string, id: number | null, repeat: number, args: string | null): TreeEntry {
  let name = rawName;
  if (name.startsWith('(') && !name.endsWith(')')) name = name.slice(1);
  const isThread = name.length >= 2 && name.startsWith('{') && name.endsWith('}');
  if (isThread) name = name.slice(1, -1);
  return { column, name, isThread, id, repeat, args };
}

/**
 * Reads one tree line. `limit` bounds how far an entry's id is looked for (the signature
 * looks only a little way; the parser passes the line length). Null when the line is not
 * shaped like a pstree line.
 */
export function readTreeLine(line: string, limit = line.length): TreeLine | null {
  const found = findConnector(line);
  if (found === null) return null;
  const connector = found < 0 ? null : found;
  let pos = connector === null ? 0 : connector + 2;
  const entries: TreeEntry[] = [];
  while (pos < line.length) {
    const column = pos;
    let repeat = 1;
    REPEAT.lastIndex = pos;
    const rep = REPEAT.exec(line);
    if (rep !== null) {
      repeat = Number(rep[1]);
      pos += rep[0].length;
    }
    const id = findId(line, pos, limit);
    if (id === null) {
      const rest = line.slice(pos);
      const cut = rest.endsWith('+');
      let end = pos;
      while (end < line.length && chainAt(line, end) === 0) end++;
      let nameEnd = end;
      while (nameEnd > pos && line[nameEnd - 1] === ']') nameEnd--;
      const name = line.slice(pos, nameEnd);
      if (name === '' && entries.length > 0) return { connector, entries, cut };
      entries.push(makeEntry(column, name, null, repeat, null));
      if (end >= line.length) return { connector, entries, cut };
      pos = end + 3;
      continue;
    }
    const rawName = line.slice(pos, id.at);
    if (rawName === '') return null;
    let next = id.after;
    while (line[next] === ']') next++;
    if (id.kind === 'a') {
      const args = line[next] === ' ' ? line.slice(next + 1) : null;
      entries.push(makeEntry(column, rawName, id.id, repeat, args === '' ? null : args));
      return { connector, entries, cut: false };
    }
    entries.push(makeEntry(column, rawName, id.id, repeat, null));
    const chain = chainAt(line, next);
    if (chain === 0) return { connector, entries, cut: next < line.length && line.slice(next) === '+' };
    pos = next + chain;
  }
  return entries.length === 0 ? null : { connector, entries, cut: true };
}
