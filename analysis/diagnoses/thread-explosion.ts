/**
 * `thread_explosion`: far more threads than work. A process with very many threads where the
 * large majority are idle or parked in one and the same wait: an unbounded pool, a thread per
 * connection or per task that is never reaped. Each thread costs a stack (8 MiB reserved by
 * default), scheduler work and, in Python, GIL hand-offs.
 */
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { type ProcessView, processLabel, processViews } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { capitalize, plural } from './wording.js';

/** Threads in one process from which the count itself is suspicious. */
export const MIN_THREADS = 100;
/** Share of the seen threads that must be idle or in the single largest wait group. */
export const MIN_PARKED_SHARE = 0.8;

const WAITING = new Set<ClassifiedThread['state']>(['gil_wait', 'lock_wait', 'io_wait', 'sleep', 'child_wait']);

function groupKeys(ctx: DiagnosisContext): Map<string, string> {
  const keys = new Map<string, string>();
  for (const g of ctx.groups) for (const t of g.threads) keys.set(t.key, g.key);
  return keys;
}

function explosionIn(view: ProcessView, keys: ReadonlyMap<string, string>): Diagnosis | null {
  const count = Math.max(view.threads.length, view.process?.threadCount ?? 0);
  if (count < MIN_THREADS) return null;
  const idle = view.threads.filter((t) => t.idle);
  // The largest group of threads parked in the same wait (grouping's stack signature, else state and blocking frame).
  const parked = new Map<string, ClassifiedThread[]>();
  for (const t of view.threads) {
    if (t.idle || !WAITING.has(t.state)) continue;
    const key = keys.get(t.key) ?? `${t.state}|${t.blockingFrame ?? ''}`;
    const list = parked.get(key);
    if (list) list.push(t);
    else parked.set(key, [t]);
  }
  const largest = [...parked.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const seen = view.threads.length;
  const unused = idle.length + largest.length;
  if (seen < MIN_THREADS * MIN_PARKED_SHARE || unused / seen < MIN_PARKED_SHARE) return null;
  const sample = largest[0];
  const wait = sample ? (sample.blockingFrame ?? sample.state) : null;
  const parts = [
    `${capitalize(processLabel(view))} has ${plural(count, 'thread')}; ${Math.round((unused / seen) * 100)} % of the ${seen} seen do nothing: ` +
      `${plural(idle.length, 'is idle', 'are idle')} waiting for work${largest.length > 0 ? ` and ${largest.length} are parked in the same wait (${wait})` : ''}.`,
    'That many threads cost memory (a stack each), scheduling and, in Python, GIL hand-offs, without adding throughput.',
    'Fix: bound the pool (ThreadPoolExecutor(max_workers=…), a fixed worker count near the CPU count for CPU work, a few dozen for I/O), ' +
      'reuse one pool instead of creating one per request, and serve many connections with an event loop or selector rather than a thread each.',
  ];
  return {
    code: 'thread_explosion',
    severity: 'warning',
    title: `Thread explosion: ${plural(count, 'thread')} in ${processLabel(view)}, ${Math.round((unused / seen) * 100)} % of them idle or parked`,
    detail: parts.join(' '),
    threadKeys: [...idle, ...largest].map((t) => t.key),
    evidence: { threads: count, seen, idle: idle.length, largestWaitGroup: largest.length },
  };
}

/** Reports processes with far more threads than work. */
export const detectThreadExplosion: DiagnosisRule = (ctx) => {
  const keys = groupKeys(ctx);
  return processViews(ctx).flatMap((view) => explosionIn(view, keys) ?? []);
};
