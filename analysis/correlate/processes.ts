/**
 * Processes as the case saw them: ps/pstree/top/pidstat rows merged by pid, plus the
 * processes that only a debugger or dump session showed, with the tree their ppids form.
 */
import type { Format, ParsedInput, RawProcess, Snapshot } from '../../parsers/model.js';
import type { CaseProcess, CorrelatedThread } from '../model.js';

// Which tool to believe first for each field.
const DESCRIPTIVE_ORDER: readonly Format[] = ['ps', 'pstree', 'top', 'pidstat', 'gdb', 'traceback_dump'];
const CPU_ORDER: readonly Format[] = ['pidstat', 'top', 'ps'];

interface Sighting {
  format: Format;
  process: RawProcess;
  isRepresentative: boolean;
}

/** Merges process rows by pid and adds processes known only from their threads. */
export function joinProcesses(
  inputs: readonly ParsedInput[],
  threads: readonly CorrelatedThread[],
  commandOfPid: ReadonlyMap<number, string>,
): CaseProcess[] {
  const byPid = new Map<number, Sighting[]>();
  for (const input of inputs) {
    const rep = lastOrAverage(input.snapshots);
    for (const snapshot of input.snapshots) {
      for (const process of snapshot.processes) {
        const list = byPid.get(process.pid);
        const s: Sighting = { format: input.format, process, isRepresentative: snapshot === rep };
        if (list) list.push(s);
        else byPid.set(process.pid, [s]);
      }
    }
  }

  const threadsOfPid = new Map<number, number>();
  for (const t of threads) if (t.pid !== null) threadsOfPid.set(t.pid, (threadsOfPid.get(t.pid) ?? 0) + 1);

  const out: CaseProcess[] = [];
  for (const [pid, sightings] of byPid) {
    const pick = <T>(order: readonly Format[], get: (p: RawProcess) => T | null): T | null => {
      for (const format of order) {
        for (const s of sightings)
          if (s.format === format && s.isRepresentative) {
            const v = get(s.process);
            if (v !== null) return v;
          }
        for (const s of sightings)
          if (s.format === format) {
            const v = get(s.process);
            if (v !== null) return v;
          }
      }
      return null;
    };
    out.push({
      pid,
      ppid: pick(DESCRIPTIVE_ORDER, (p) => p.ppid),
      command: pick(DESCRIPTIVE_ORDER, (p) => p.command) ?? commandOfPid.get(pid) ?? null,
      threadCount: pick(DESCRIPTIVE_ORDER, (p) => p.threadCount) ?? threadsOfPid.get(pid) ?? null,
      state: pick(DESCRIPTIVE_ORDER, (p) => p.state),
      wchan: pick(DESCRIPTIVE_ORDER, (p) => p.wchan),
      cpuPercent: pick(CPU_ORDER, (p) => p.cpuPercent),
      children: [],
      user: pick(DESCRIPTIVE_ORDER, (p) => p.user),
      cpuTimeSeconds: pick(DESCRIPTIVE_ORDER, (p) => p.cpuTimeSeconds),
      voluntarySwitchesPerSec: pick(['pidstat'], (p) => p.voluntarySwitchesPerSec),
      involuntarySwitchesPerSec: pick(['pidstat'], (p) => p.involuntarySwitchesPerSec),
    });
  }
  for (const [pid, count] of threadsOfPid) {
    if (byPid.has(pid)) continue;
    out.push({
      pid,
      ppid: null,
      command: commandOfPid.get(pid) ?? null,
      threadCount: count,
      state: null,
      wchan: null,
      cpuPercent: null,
      children: [],
      user: null,
      cpuTimeSeconds: null,
      voluntarySwitchesPerSec: null,
      involuntarySwitchesPerSec: null,
    });
  }
  out.sort((a, b) => a.pid - b.pid);
  const known = new Map(out.map((p) => [p.pid, p]));
  for (const p of out) {
    const parent = p.ppid !== null ? known.get(p.ppid) : undefined;
    if (parent) parent.children.push(p.pid);
  }
  return out;
}

function lastOrAverage(snapshots: readonly Snapshot[]): Snapshot | null {
  return (
    snapshots.find((s) => s.isAverage && s.processes.length > 0) ?? [...snapshots].reverse().find((s) => s.processes.length > 0) ?? null
  );
}
