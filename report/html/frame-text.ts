/** How one stack frame reads on the page: its name and where it lives. */
import type { Frame } from '../schema.js';

/** The frame's function, or `??` as gdb prints an unknown one. */
export function frameName(frame: Frame): string {
  return frame.function ?? '??';
}

/** `file:line`, the file alone, or the shared object; null when the dump told none of them. */
export function frameLocation(frame: Frame): string | null {
  if (frame.file !== null) return frame.line === null ? frame.file : `${frame.file}:${frame.line}`;
  return frame.library;
}

/** One line for a tooltip or a plain-text copy: `take_gil — ../Python/ceval_gil.h:250 [native]`. */
export function frameText(frame: Frame): string {
  const where = frameLocation(frame);
  const lib = frame.file !== null && frame.library !== null ? ` (${frame.library})` : '';
  return `${frameName(frame)}${where === null ? '' : ` — ${where}`}${lib} [${frame.language}]`;
}

/** True when two frames name the same code, so two stacks can be told to be the same. */
export function isSameFrame(a: Frame, b: Frame): boolean {
  return a.function === b.function && a.file === b.file && a.line === b.line && a.library === b.library && a.language === b.language;
}
