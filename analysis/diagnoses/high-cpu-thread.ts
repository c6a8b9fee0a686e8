/**
 * `high_cpu_thread`: one thread on CPU takes most of its process's CPU: a hot loop, a runaway
 * computation, or a single thread doing work the design meant to spread. Per-thread CPU comes
 * from ps -L, top -H or pidstat -t; the leader-row artifact of procps is corrected first
 * (thread-cpu.ts). The thread must be running (or have no stack that says otherwise): a high
 * figure on a thread caught waiting is busy_spin's question, not this one.
 */
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread } from '../model.js';
import { describeFrame, innermostPython, isInterpreterFrame, runsPython } from './frame-match.js';
import { type ProcessView, processLabel, processViews } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { effectiveCpu, processCpu } from './thread-cpu.js';
import { formatPercent, threadLabel } from './wording.js';

/** Per-thread CPU, in percent of one CPU, from which a thread is hot. */
export const MIN_THREAD_CPU = 80;
/** Share of the process's CPU the thread must take. */
export const MIN_PROCESS_SHARE = 0.6;

function isOnCpu(t: ClassifiedThread): boolean {
  if (t.isCrashing) return false;
  if (t.state === 'running') return true;
  // Only ps/top/pidstat saw it: no stack contradicts the CPU figure.
  return t.state === 'unknown' && t.frames.length === 0;
}

/** Where the thread is: its innermost Python function, else its innermost native function that is not interpreter plumbing. */
function topFunction(t: ClassifiedThread): string | null {
  const py = innermostPython(t.frames);
  if (py !== null) return describeFrame(py, true);
  const inPython = runsPython(t.frames);
  const native = t.frames.find((f) => f.function !== null && !isInterpreterFrame(f, inPython)) ?? t.frames[0];
  return native === undefined ? null : describeFrame(native, true);
}

function hotIn(view: ProcessView): Diagnosis[] {
  const total = processCpu(view.threads) ?? view.process?.cpuPercent ?? null;
  const out: Diagnosis[] = [];
  for (const t of view.threads) {
    const cpu = effectiveCpu(t, view.threads);
    if (cpu === null || cpu < MIN_THREAD_CPU || !isOnCpu(t)) continue;
    const share = total === null || total <= 0 ? 1 : cpu / Math.max(total, cpu);
    if (share < MIN_PROCESS_SHARE) continue;
    const where = topFunction(t);
    const at = where === null ? '' : ` in ${where}`;
    out.push({
      code: 'high_cpu_thread',
      severity: 'warning',
      title: `High CPU: ${threadLabel(t)} uses ${formatPercent(cpu)} of a CPU${at}`,
      detail:
        `In ${processLabel(view)}, ${threadLabel(t)} uses ${formatPercent(cpu)} of one CPU` +
        `${total === null ? '' : `, ${Math.round(share * 100)} % of the process's ${formatPercent(total)}`}, and its stack shows it on CPU${at}. ` +
        'One thread doing most of the work is a hot loop, a runaway computation, or work that was meant to be spread: ' +
        'profile it (py-spy top --pid, perf top -t <lwp>) to see the loop; bound the loop or the input, cache the result, or split the work across threads/processes.',
      threadKeys: [t.key],
      evidence: {
        cpuPercent: Math.round(cpu * 10) / 10,
        processCpuPercent: total === null ? 'unknown' : Math.round(total * 10) / 10,
        share: Math.round(share * 100) / 100,
      },
    });
  }
  return out;
}

/** Reports running threads that take most of their process's CPU. */
export const detectHighCpuThread: DiagnosisRule = (ctx) => processViews(ctx).flatMap(hotIn);
