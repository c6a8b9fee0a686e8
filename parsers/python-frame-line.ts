/**
 * The one Python frame line that faulthandler, `traceback.format_stack` and the hand-written
 * dump recipes all print, read in one place for both Python dump formats.
 *
 *   faulthandler (CPython 3.3–3.14, backport for 2.7):  `  File "/srv/app.py", line 22 in poller`
 *   traceback.format_stack (2.7–3.13):                   `  File "/srv/app.py", line 22, in poller`
 *   the "dumpstacks" recipe (StackOverflow 132058, gunicorn's example config):
 *                                                        `File: "/srv/app.py", line 22, in poller`
 *
 * faulthandler writes `???` for a file name that is not a string and for an unknown line
 * (`  File ???, line ??? in ???`, CPython Python/traceback.c `dump_frame`), and cuts names
 * longer than 500 characters with a trailing `...`.
 */

export interface PythonFrameLine {
  /** Leading whitespace width of the line; source lines are indented deeper. */
  indent: number;
  file: string | null;
  line: number | null;
  function: string | null;
  /** True for the traceback-module shape (`, in f`); false for faulthandler's (` in f`). */
  hasComma: boolean;
}

// Greedy `(.*)` for the file finds the last `", line N in`; each part is one linear scan.
const FRAME_LINE = /^([ \t]*)File:? (?:"(.*)"|\?\?\?), line (\d{1,10}|\?\?\?)(,?) in (.*)$/;

/** Reads a `File "…", line N[,] in f` line, or returns null when the line is not one. */
export function parsePythonFrameLine(text: string): PythonFrameLine | null {
  if (!text.includes('File')) return null;
  const m = FRAME_LINE.exec(text);
  if (!m) return null;
  const lineText = m[3] as string;
  const lineNumber = lineText === '???' ? null : Number(lineText);
  const fn = m[5] as string;
  return {
    indent: (m[1] as string).length,
    file: m[2] === undefined || m[2] === '' ? null : m[2],
    line: lineNumber !== null && Number.isSafeInteger(lineNumber) ? lineNumber : null,
    function: fn === '???' || fn === '' ? null : fn,
    hasComma: m[4] === ',',
  };
}

/** Leading whitespace width of a line (spaces and tabs). */
export function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/**
 * True for the lines `traceback` prints under a source line and between frames that carry
 * no frame: 3.11+ position markers (`    ~~~~^^^^^`) and the collapsed recursion line
 * (`  [Previous line repeated 996 more times]`, 3.6+).
 */
export function isTracebackDecoration(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0) return false;
  if (/^[~^\s]+$/.test(trimmed)) return true;
  return /^\[Previous line repeated \d{1,12} more times?\]$/.test(trimmed);
}
