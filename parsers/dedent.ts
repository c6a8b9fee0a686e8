/**
 * Dumps pasted as indented blocks (a Markdown code block, a tab-indented e-mail, a YAML log
 * field) hide every landmark behind the indentation. A block of consecutive indented lines is
 * shifted left by the indentation all its lines share — but only when that reveals landmarks
 * of some format that the indented text did not show, so indented parts of a dump itself
 * (gdb `bt full` locals, faulthandler's `  File` lines) are never touched.
 */

/** Lines from which a block counts: fewer are left alone. */
const MIN_BLOCK_LINES = 2;
/** Lines of a block looked at: a pasted dump shows a landmark at once (`Thread 1 (…`, `#0  …`). */
const PROBE_LINES = 8;

/** Shifts indented blocks that hide a dump left, in place; returns how many blocks moved. */
export function dedentHiddenDumps(lines: string[], isLandmark: (line: string) => boolean): number {
  let moved = 0;
  let i = 0;
  while (i < lines.length) {
    if (!isIndented(lines[i] as string)) {
      i++;
      continue;
    }
    // A block: indented lines, with blank lines allowed inside.
    let end = i;
    let count = 0;
    let common: string | null = null;
    for (let j = i; j < lines.length; j++) {
      const line = lines[j] as string;
      if (line.length === 0) continue;
      if (!isIndented(line)) break;
      common = common === null ? leadingBlank(line) : sharedPrefix(common, leadingBlank(line));
      end = j + 1;
      count++;
    }
    if (count >= MIN_BLOCK_LINES && common !== null && common.length > 0 && revealsLandmarks(lines, i, end, common.length, isLandmark)) {
      for (let j = i; j < end; j++) lines[j] = (lines[j] as string).slice(common.length);
      moved++;
    }
    i = Math.max(end, i + 1);
  }
  return moved;
}

function isIndented(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 32 || c === 9;
}

function leadingBlank(line: string): string {
  let k = 0;
  while (k < line.length && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
  return line.slice(0, k);
}

function sharedPrefix(a: string, b: string): string {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return a.slice(0, k);
}

function revealsLandmarks(
  lines: readonly string[],
  start: number,
  end: number,
  cut: number,
  isLandmark: (line: string) => boolean,
): boolean {
  let before = 0;
  let after = 0;
  let probed = 0;
  for (let j = start; j < end && probed < PROBE_LINES; j++) {
    const line = lines[j] as string;
    if (line.length === 0) continue;
    probed++;
    if (isLandmark(line)) before++;
    if (isLandmark(line.slice(cut))) after++;
  }
  return after > before;
}
