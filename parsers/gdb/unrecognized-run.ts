/**
 * Unrecognized lines inside a thread section, collapsed: a run of consecutive junk lines
 * (a log line pasted into a backtrace, a paragraph of notes) gives one warning that names
 * the first line and how many followed, instead of one warning per line.
 */
import type { ParseContext } from '../format.js';

const SNIPPET = 80;

export class UnrecognizedRun {
  private start = -1;
  private count = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly ctx: ParseContext,
  ) {}

  /** Counts lines[i] into the current run. */
  note(i: number): void {
    if (this.count === 0) this.start = i;
    this.count++;
  }

  /** Ends the run, warning once if it held any line. */
  flush(): void {
    if (this.count === 0) return;
    const first = this.lines[this.start] as string;
    const more = this.count > 1 ? ` (and ${this.count - 1} more lines after it)` : '';
    this.ctx.warn(
      'unrecognized_line',
      this.start + 1,
      `expected a frame ('#<n>  0x… in <function> (…) at <file>:<line>'), frame locals or a thread header; found '${snippet(first)}'${more}`,
    );
    this.count = 0;
    this.start = -1;
  }
}

/** The start of `text`, for a warning message. */
export function snippet(text: string): string {
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}
