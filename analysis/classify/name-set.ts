/**
 * Sets of frame names as rules write them: real spellings (`___pthread_mutex_lock`,
 * `_PyEval_EvalFrameDefault`) normalized once, plus `*` globs for families whose middle varies
 * across versions (`std::sys::*::futex_wait`, `absl::*::CondVar::Wait*`, `_L_lock_*`).
 */
import { normalizeRuleName } from './frame-name.js';

/** A compiled set of normalized names and globs. */
export interface NameSet {
  has(name: string): boolean;
}

/**
 * A `*` glob as a predicate. Pieces are found left to right with indexOf, so matching stays linear
 * in the name's length (frame names come from untrusted dumps, up to a line long).
 */
function globMatcher(glob: string): (name: string) => boolean {
  const pieces = glob.split('*');
  const head = pieces[0] ?? '';
  const tail = pieces[pieces.length - 1] ?? '';
  const middle = pieces.slice(1, -1);
  return (name) => {
    if (name.length < head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail)) return false;
    const end = name.length - tail.length;
    let at = head.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/** Compiles names and globs; each name goes through `normalizeRuleName` first, as frames do. */
export function nameSet(...lists: readonly (readonly string[])[]): NameSet {
  const exact = new Set<string>();
  const globs: ((name: string) => boolean)[] = [];
  for (const list of lists) {
    for (const raw of list) {
      if (raw.includes('*')) globs.push(globMatcher(raw.includes('::') ? raw : normalizeRuleName(raw)));
      else exact.add(normalizeRuleName(raw));
    }
  }
  return { has: (name) => exact.has(name) || globs.some((matches) => matches(name)) };
}
