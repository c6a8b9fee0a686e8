/**
 * Reading the column tables that ps, top, pidstat and strace -c print: whitespace tokens
 * with their offsets, a row cut into one text per header column, and the numbers found in
 * the cells. These tools align columns with spaces but a wide value pushes its neighbours
 * aside (procps-ng 4.0.2 `ps auxw -L` prints `root     32100 32100  103   41  0.0 1333812 17184 ?`),
 * so rows are cut on blanks, never on the header's character positions.
 */

import type { ParseContext } from './format.js';

/** One run of non-blank characters of a line, with its [start, end) offsets. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** How a header's columns take up the tokens of a row. */
export interface RowLayout {
  /** Tokens per column: 1 for nearly all; `STARTED` (ps lstart) prints `Fri Nov 21 23:24:55 2026`. */
  widths: readonly number[];
  /** Index of the one column whose text may hold blanks (COMMAND, args), or null. */
  variable: number | null;
}

const SPACE = 32;
const TAB = 9;

/** Splits a line on runs of spaces and tabs, from offset `from`, keeping at most `max` tokens. */
export function tokenize(line: string, from = 0, max = Number.POSITIVE_INFINITY): Token[] {
  const out: Token[] = [];
  let i = from;
  const n = line.length;
  while (i < n && out.length < max) {
    let c = line.charCodeAt(i);
    while (i < n && (c === SPACE || c === TAB)) c = line.charCodeAt(++i);
    if (i >= n) break;
    const start = i;
    while (i < n && c !== SPACE && c !== TAB) c = line.charCodeAt(++i);
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

/**
 * Cuts a data row into one text per column: the columns before the variable one take their
 * tokens from the left, those after it from the right, and the variable column keeps the
 * text between them exactly as printed. Null when the row has too few or too many tokens.
 */
export function splitRow(line: string, layout: RowLayout, from = 0): string[] | null {
  const tokens = tokenize(line, from);
  const { widths, variable } = layout;
  let fixed = 0;
  for (let i = 0; i < widths.length; i++) if (i !== variable) fixed += widths[i] as number;
  if (variable === null ? tokens.length !== fixed : tokens.length < fixed + 1) return null;
  const cells: string[] = [];
  let t = 0;
  const take = (count: number): string => {
    const first = tokens[t] as Token;
    const last = tokens[t + count - 1] as Token;
    t += count;
    return line.slice(first.start, last.end);
  };
  for (let c = 0; c < widths.length; c++) {
    if (c === variable) {
      let after = 0;
      for (let k = c + 1; k < widths.length; k++) after += widths[k] as number;
      cells.push(take(tokens.length - t - after));
    } else {
      cells.push(take(widths[c] as number));
    }
  }
  return cells;
}

const DECIMAL = /^-?\d{1,15}(?:[.,]\d{1,15})?$/;

/**
 * A number as these tools print it, with a decimal point or, under a locale such as de_DE,
 * a decimal comma (pidstat `19,00`, strace -c `66,75`). Null for `-`, `?` and anything else.
 */
export function parseDecimal(text: string | null | undefined): number | null {
  if (text == null || !DECIMAL.test(text)) return null;
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/** A whole, non-negative number (`41`, `0`), or null. */
export function parseCount(text: string | null | undefined): number | null {
  if (text == null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

const DAY_CLOCK = /^(\d{1,6})-(\d{1,2}):(\d{2}):(\d{2})$/;
const CLOCK = /^(\d{1,9}):(\d{2}):(\d{2})$/;
const MINUTES = /^(\d{1,9}):(\d{2})(?:[.,](\d{1,2}))?$/;
const HOURS_MINUTES = /^(\d{1,9}),(\d{2})$/;
const SCALED = /^(\d{1,9})([hdwHDW])$/;
const SECONDS = /^\d{1,12}$/;

/**
 * Cumulative CPU time in seconds. ps prints TIME as `[DD-]HH:MM:SS` (`-ef`, `-L`) or `M:SS`
 * (BSD `aux`), and `times` as plain seconds; top's scale_tics prints TIME+ as `M:SS.hh`,
 * then `M:SS`, `H,MM`, and `Nh`/`Nd`/`Nw` as the number grows. Null for anything else.
 */
export function parseCpuTime(text: string | null | undefined): number | null {
  if (text == null) return null;
  let m = DAY_CLOCK.exec(text);
  if (m) return Number(m[1]) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  m = CLOCK.exec(text);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  m = MINUTES.exec(text);
  if (m) {
    const hundredths = m[3] === undefined ? 0 : Number(m[3].padEnd(2, '0')) / 100;
    return Math.round((Number(m[1]) * 60 + Number(m[2]) + hundredths) * 100) / 100;
  }
  m = HOURS_MINUTES.exec(text);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60;
  m = SCALED.exec(text);
  if (m) {
    const unit = (m[2] as string).toLowerCase();
    return Number(m[1]) * (unit === 'h' ? 3600 : unit === 'd' ? 86400 : 604800);
  }
  if (SECONDS.test(text)) return Number(text);
  return null;
}

/** A cell that these tools print for "no value" (`-`, `?`, empty) becomes null; anything else is kept. */
export function textOrNull(text: string | null | undefined): string | null {
  if (text == null) return null;
  const t = text.trim();
  return t === '' || t === '-' || t === '?' ? null : t;
}

/** What a column table's header tells about its rows: the names as printed, the layout, and where each keyed column is. */
export interface ColumnHeader<K extends string> {
  names: readonly string[];
  layout: RowLayout;
  index: Partial<Record<K, number>>;
  /** 1-based line of the header. */
  line: number;
}

/**
 * Splits a data row as its header lays it out and returns a reader of its cells by key;
 * null, with a warning naming the header, when the row does not have the header's columns.
 */
export function readHeaderRow<K extends string>(
  text: string,
  lineNo: number,
  header: ColumnHeader<K>,
  ctx: ParseContext,
): ((key: K) => string | null) | null {
  const cells = splitRow(text, header.layout);
  if (cells === null) {
    const want = header.layout.variable === null ? 'exactly' : 'at least';
    ctx.warn(
      'unrecognized_line',
      lineNo,
      `expected ${want} ${header.names.length} columns as named by the header on line ${header.line} (${header.names.join(' ')})`,
    );
    return null;
  }
  return (key) => {
    const at = header.index[key];
    return at === undefined ? null : (cells[at] ?? null);
  };
}
