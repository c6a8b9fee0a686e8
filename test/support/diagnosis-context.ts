/**
 * Builders for the diagnosis tests: a DiagnosisContext and CaseProcess with every optional fact
 * unknown, so a table test states only what its scenario is about. Test-only; belongs beside
 * test/support/threads.ts once that folder's owner takes it.
 */

import type { CaseProcess, DiagnosisContext, SyscallSummary } from '../../analysis/model.js';
import type { SyscallStat } from '../../parsers/model.js';

/** A context with nothing in it but what `over` gives. */
export function makeContext(over: Partial<DiagnosisContext> = {}): DiagnosisContext {
  return { threads: [], groups: [], processes: [], crashes: [], syscalls: [], notes: [], rawProcesses: [], ...over };
}

/** A process as ps would report it, every unknown fact null. */
export function makeProcess(pid: number, over: Partial<CaseProcess> = {}): CaseProcess {
  return {
    pid,
    ppid: null,
    command: null,
    threadCount: null,
    state: null,
    wchan: null,
    cpuPercent: null,
    children: [],
    user: null,
    cpuTimeSeconds: null,
    voluntarySwitchesPerSec: null,
    involuntarySwitchesPerSec: null,
    ...over,
  };
}

/** One `strace -c` row. */
export function syscallRow(
  name: string,
  calls: number,
  seconds: number | null,
  percentTime: number | null,
  immediateReturns: number | null = null,
): SyscallStat {
  return { name, calls, errors: null, seconds, percentTime, immediateReturns };
}

/** An `strace -c` table for `pid` (null: the trace named no process). */
export function straceTable(pid: number | null, stats: SyscallStat[]): SyscallSummary {
  return { source: 'strace-c.txt', pid, isTable: true, stats };
}
