/**
 * The shape every format module has. A format is a pure pair: a per-line signature that
 * says "only I print lines like this" (used to find and split dumps inside larger text),
 * and a parser over a range of already-cleaned lines.
 */
import type { Limits } from '../config/limits.js';
import type { Format, ParseWarning, Snapshot, WarningCode } from './model.js';

export interface ParseContext {
  readonly limits: Limits;
  /** Records a warning; the context caps their number. `line` is 1-based. */
  warn(code: WarningCode, line: number | null, message: string): void;
}

export interface DumpFormat {
  readonly name: Format;
  /**
   * How strongly one line marks this format, 0..1: 1 for a header only this format prints
   * (`Thread 2 (Thread 0x7f… (LWP 9)):`), 0 for a line it does not recognise or that many
   * formats print (blank lines, `  File "x", line 3, in f`). Anchored, linear regexes only.
   */
  signature(line: string): number;
  /**
   * Parses lines[start, end) (0-based indexes; the 1-based line number of lines[i] is i + 1).
   * Never throws on bad input: records warnings through ctx and returns what it could read.
   * Returns one snapshot per capture found; an empty array when nothing could be read.
   */
  parse(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[];
}

/** A ParseContext that collects warnings into `warnings`, keeping at most limits.maxWarnings. */
export function collectingContext(limits: Limits, warnings: ParseWarning[]): ParseContext {
  let dropped = 0;
  return {
    limits,
    warn(code, line, message) {
      if (warnings.length < limits.maxWarnings - 1) {
        warnings.push({ code, line, message });
        return;
      }
      dropped++;
      const last = warnings[limits.maxWarnings - 1];
      const summary = `${dropped} more warnings were not kept`;
      if (last && last.code === 'truncated_input' && last.line === null) last.message = summary;
      else warnings.push({ code: 'truncated_input', line: null, message: summary });
    },
  };
}
