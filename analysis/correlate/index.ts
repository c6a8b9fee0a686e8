/**
 * Correlation: the parsed inputs of one case to one model — threads joined across inputs,
 * processes merged, crashes pinned to their thread, greenlets on their host thread, and
 * system-call totals and notes gathered for the diagnoses.
 */
import type { CrashInfo, ParsedInput, ParseWarning, RawProcess, RawThread, SnapshotNote } from '../../parsers/model.js';
import type { CaseProcess, CorrelatedThread, SyscallSummary } from '../model.js';
import { joinThreads } from './join-threads.js';
import { assignUnits, type UnitAssignment } from './observations.js';
import { joinProcesses } from './processes.js';

export interface Correlation {
  threads: CorrelatedThread[];
  processes: CaseProcess[];
  crashes: CrashInfo[];
  syscalls: SyscallSummary[];
  notes: SnapshotNote[];
  rawProcesses: RawProcess[];
  /** Warnings correlation adds to inputs, by input index. */
  warnings: Map<number, ParseWarning[]>;
}

/** Joins what every input of a case says about the same threads and processes. */
export function correlate(inputs: readonly ParsedInput[]): Correlation {
  const assignment = assignUnits(inputs);
  const threads = joinThreads(assignment);
  const warnings = new Map<number, ParseWarning[]>();
  for (const a of assignment.ambiguities) {
    const list = warnings.get(a.inputIndex) ?? [];
    list.push({ code: 'ambiguous_join', line: a.line, message: a.message });
    warnings.set(a.inputIndex, list);
  }

  const crashes: CrashInfo[] = [];
  const notes: SnapshotNote[] = [];
  const syscalls: SyscallSummary[] = [];
  const rawProcesses: RawProcess[] = [];
  const commandOfPid = new Map<number, string>();
  for (const input of inputs) {
    for (const snapshot of input.snapshots) {
      for (const n of snapshot.notes) notes.push(n);
      for (const p of snapshot.processes) rawProcesses.push(p);
      if (snapshot.crash) {
        crashes.push(snapshot.crash);
        if (snapshot.crash.command && snapshot.pid !== null) commandOfPid.set(snapshot.pid, snapshot.crash.command);
      }
      if (snapshot.syscalls && snapshot.syscalls.length > 0 && !snapshot.isAverage) {
        syscalls.push({
          source: input.name,
          pid: snapshot.pid,
          isTable: input.format === 'strace' && snapshot.syscalls.every((s) => s.immediateReturns === null),
          stats: snapshot.syscalls,
        });
      }
    }
  }
  markCrashingThreads(crashes, threads, assignment);
  attachGreenlets(inputs, threads);
  return { threads, processes: joinProcesses(inputs, threads, commandOfPid), crashes, syscalls, notes, rawProcesses, warnings };
}

function markCrashingThreads(crashes: readonly CrashInfo[], threads: CorrelatedThread[], assignment: UnitAssignment): void {
  for (const crash of crashes) {
    let hit = crash.lwp !== null ? threads.find((t) => t.lwp === crash.lwp) : undefined;
    if (!hit && crash.pthreadId !== null) {
      // The same pthread id can exist in a parent and its forked child: only take it when one thread has it.
      const candidates = threads.filter((t) => t.pthreadId === crash.pthreadId);
      if (candidates.length === 1) hit = candidates[0];
      else if (candidates.length > 1) {
        const unitThreads = assignment.observations.filter((o) => o.snapshot.crash === crash);
        const lwp = unitThreads.find((o) => o.thread.pthreadId === crash.pthreadId)?.thread.lwp ?? null;
        hit = candidates.find((t) => t.lwp === lwp) ?? undefined;
      }
    }
    if (hit) hit.isCrashing = true;
  }
}

/** Greenlets ride on the OS thread that runs their hub: the one named, else the snapshot's main thread. */
function attachGreenlets(inputs: readonly ParsedInput[], threads: CorrelatedThread[]): void {
  for (const input of inputs) {
    for (const snapshot of input.snapshots) {
      const source = input.name;
      const greenlets = snapshot.threads.filter((t) => t.kind === 'greenlet');
      if (greenlets.length === 0) continue;
      const inSnapshot = snapshot.threads.filter((t) => t.kind === 'thread');
      for (const g of greenlets) {
        const host = hostOf(g, inSnapshot, threads);
        if (host && !host.greenlets.some((x) => x.greenlet.pthreadId === g.pthreadId && x.greenlet.name === g.name))
          host.greenlets.push({ source, greenlet: g });
      }
    }
  }
}

function hostOf(g: RawThread, inSnapshot: readonly RawThread[], threads: readonly CorrelatedThread[]): CorrelatedThread | undefined {
  const want = g.hostPthreadId ?? inSnapshot.find((t) => t.name === 'MainThread')?.pthreadId ?? inSnapshot[0]?.pthreadId ?? null;
  if (want === null) return undefined;
  const matches = threads.filter((t) => t.pthreadId === want);
  return matches.length === 1 ? matches[0] : matches.find((t) => t.sources.length > 1);
}
