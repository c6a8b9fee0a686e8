/**
 * The report's first line and its signature: what a person reads first, and what stays
 * the same when the same problem is captured again (other pids, addresses, thread counts).
 */
import { createHash } from 'node:crypto';
import type { Diagnosis, ThreadState } from '../report/schema.js';
import type { ClassifiedThread, ThreadGroup } from './model.js';

export const REPORT_SIGNATURE_VERSION = 'v1';

/** One line: the most severe diagnosis, else what the threads are doing. */
export function summarize(
  diagnoses: readonly Diagnosis[],
  threads: readonly ClassifiedThread[],
  processCount: number,
  syscallCount = 0,
): string {
  const lead = diagnoses[0];
  const census = describeThreads(threads, processCount);
  if (lead) {
    const more = diagnoses.length > 1 ? ` (+${diagnoses.length - 1} more finding${diagnoses.length > 2 ? 's' : ''})` : '';
    return `${lead.title}${more}`;
  }
  if (threads.length === 0) {
    if (processCount > 0)
      return `No problem found: ${processCount} process${processCount === 1 ? '' : 'es'} read; no thread stacks in the input`;
    if (syscallCount > 0) return `No problem found in ${syscallCount.toLocaleString('en-US')} system calls; no thread stacks in the input`;
    return 'Nothing could be read';
  }
  return `No problem found: ${census}`;
}

/** `41 threads in 1 process: 33 gil_wait, 6 lock_wait (6 idle), 1 running, 1 io_wait`. */
export function describeThreads(threads: readonly ClassifiedThread[], processCount: number): string {
  const counts = new Map<ThreadState, { n: number; idle: number }>();
  for (const t of threads) {
    const c = counts.get(t.state) ?? { n: 0, idle: 0 };
    c.n++;
    if (t.idle) c.idle++;
    counts.set(t.state, c);
  }
  const parts = [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([state, c]) => `${c.n} ${state}${c.idle > 0 ? ` (${c.idle === c.n ? 'idle' : `${c.idle} idle`})` : ''}`);
  const procs = processCount > 0 ? ` in ${processCount} process${processCount === 1 ? '' : 'es'}` : '';
  return `${threads.length} thread${threads.length === 1 ? '' : 's'}${procs}: ${parts.join(', ')}`;
}

/**
 * Stable across re-captures: the diagnosis codes and, per diagnosis, the set of
 * (state, blocking frame) of the threads that prove it — never counts, ids or addresses.
 * Without diagnoses, the busiest non-idle groups' stack signatures.
 */
export function reportSignature(
  diagnoses: readonly Diagnosis[],
  threads: readonly ClassifiedThread[],
  groups: readonly ThreadGroup[],
): string {
  const byKey = new Map(threads.map((t) => [t.key, t]));
  const parts: string[] = [];
  for (const d of diagnoses) {
    const waits = new Set<string>();
    for (const key of d.threadKeys) {
      const t = byKey.get(key);
      if (t) waits.add(`${t.state}/${t.blockingFrame ?? '-'}`);
    }
    parts.push(`${d.code}:${[...waits].sort().join(',')}`);
  }
  if (parts.length === 0) {
    for (const g of groups.filter((x) => !x.idle).slice(0, 3)) parts.push(`${g.state}:${g.stackSignature}`);
  }
  if (parts.length === 0) parts.push('idle');
  return `${REPORT_SIGNATURE_VERSION}:${createHash('sha256').update(parts.sort().join('\n')).digest('hex').slice(0, 20)}`;
}
