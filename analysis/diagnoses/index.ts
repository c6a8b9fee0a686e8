/**
 * All diagnosis rules (CONTRACT.md §2 codes), one per code, and the entry point that runs them.
 */
import { DIAGNOSIS_CODES, type Diagnosis, type DiagnosisCode, type Severity } from '../../report/schema.js';
import type { DiagnosisContext } from '../model.js';
import { detectAllThreadsBlocked } from './all-threads-blocked.js';
import { detectBusySpin } from './busy-spin.js';
import { detectContextSwitchStorm } from './context-switch-storm.js';
import { detectCrash } from './crash.js';
import { detectDeadlock } from './deadlock.js';
import { detectEventLoopBlocked } from './event-loop-blocked.js';
import { detectGilContention } from './gil-contention.js';
import { detectHighCpuThread } from './high-cpu-thread.js';
import { detectLockContention } from './lock-contention.js';
import { detectQueueFeederJoin } from './queue-feeder-join.js';
import type { DiagnosisRule } from './rule.js';
import { detectThreadExplosion } from './thread-explosion.js';

export type { DiagnosisRule } from './rule.js';

/** Every rule by the contract code it reports. */
export const ALL_RULES: Readonly<Record<DiagnosisCode, DiagnosisRule>> = {
  gil_contention: detectGilContention,
  deadlock: detectDeadlock,
  busy_spin: detectBusySpin,
  high_cpu_thread: detectHighCpuThread,
  queue_feeder_join: detectQueueFeederJoin,
  all_threads_blocked: detectAllThreadsBlocked,
  event_loop_blocked: detectEventLoopBlocked,
  thread_explosion: detectThreadExplosion,
  context_switch_storm: detectContextSwitchStorm,
  lock_contention: detectLockContention,
  crash: detectCrash,
};

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Runs every rule over the case and returns its diagnoses, critical first, then warning, then info (stable within a severity). */
export function diagnose(ctx: DiagnosisContext): Diagnosis[] {
  const found = DIAGNOSIS_CODES.flatMap((code) => ALL_RULES[code](ctx));
  return found
    .map((d, i) => ({ d, i }))
    .sort((a, b) => SEVERITY_RANK[a.d.severity] - SEVERITY_RANK[b.d.severity] || a.i - b.i)
    .map(({ d }) => d);
}
