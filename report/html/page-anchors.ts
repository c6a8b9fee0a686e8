/**
 * Fragment ids for the things a page links to. Thread keys come from dumps, so an id is
 * made from the key's safe characters only and kept unique within the page: two keys
 * that clean up to the same text (`p1:t2`, `p1/t2`) get `-2`, `-3` … in thread order.
 */
import type { Report } from '../schema.js';

const MAX_SLUG_LENGTH = 80;

/** The letters, digits, `_` and `-` of a key, other runs turned into one `-`. */
export function slugOf(text: string): string {
  const slug = text
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH);
  return slug === '' ? 'x' : slug;
}

export interface PageAnchors {
  /** `thread-…` for a key the report has, or null for a key it does not (a diagnosis may name one). */
  thread(key: string): string | null;
  group(index: number): string;
  /** `process-<pid>` when the report lists that process, else null. */
  process(pid: number): string | null;
}

/** Unique fragment ids for every thread, group and process of a report. */
export function pageAnchorsFor(report: Report): PageAnchors {
  const threadIds = new Map<string, string>();
  const taken = new Set<string>();
  for (const thread of report.threads) {
    if (threadIds.has(thread.key)) continue;
    const base = `thread-${slugOf(thread.key)}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    threadIds.set(thread.key, id);
  }
  const pids = new Set(report.processes.map((p) => p.pid));
  return {
    thread: (key) => threadIds.get(key) ?? null,
    group: (index) => `group-${index + 1}`,
    process: (pid) => (pids.has(pid) ? `process-${pid}` : null),
  };
}
