/**
 * Every thread sighting of a case, with where it came from and which process it belongs to.
 *
 * Process-scoped captures (a gdb session, a faulthandler or traceback dump) show one
 * process each; system-scoped ones (ps, top, pidstat, pstree, strace) show many, each row
 * naming its own ids. Captures of one process are tied together by shared LWPs (kernel
 * thread ids are unique on a machine at a moment) and, for Python dumps that show no LWP,
 * by pthread ids — which forked children share with their parent, so a pthread id alone
 * never decides: the Python frames the candidates show break the tie.
 */
import type { Format, ParsedInput, RawThread, Snapshot } from '../../parsers/model.js';
import { baseName } from '../frame-names.js';

/** One sighting of one thread. */
export interface Observation {
  inputIndex: number;
  inputName: string;
  format: Format;
  snapshot: Snapshot;
  /** True when this is the snapshot of its input that speaks for the input (the last one, or pidstat's Average). */
  isRepresentative: boolean;
  thread: RawThread;
  /** Process unit this sighting belongs to (see `assignUnits`); -1 for system-scoped rows. */
  unit: number;
}

export interface Unit {
  id: number;
  pid: number | null;
  /** Observations of process-scoped captures in this unit. */
  snapshots: Array<{ inputIndex: number; snapshot: Snapshot }>;
}

export interface UnitAssignment {
  observations: Observation[];
  units: Unit[];
  /** LWP → pid, from every sighting that names both. */
  pidOfLwp: Map<number, number>;
  /** Messages about joins that could not be decided, per input index. */
  ambiguities: Array<{ inputIndex: number; line: number; message: string }>;
}

const PROCESS_SCOPED: ReadonlySet<Format> = new Set<Format>(['gdb', 'faulthandler', 'traceback_dump']);

/** Gathers every thread sighting and ties process-scoped captures into process units. */
export function assignUnits(inputs: readonly ParsedInput[]): UnitAssignment {
  const observations: Observation[] = [];
  const pidOfLwp = new Map<number, number>();
  const captures: Array<{ inputIndex: number; snapshot: Snapshot; obs: Observation[] }> = [];

  inputs.forEach((input, inputIndex) => {
    const representative = representativeSnapshot(input);
    for (const snapshot of input.snapshots) {
      const scoped = PROCESS_SCOPED.has(input.format);
      const obs: Observation[] = [];
      for (const thread of snapshot.threads) {
        if (thread.kind !== 'thread') continue;
        const pid = thread.pid ?? (scoped ? snapshot.pid : null);
        if (thread.lwp !== null && pid !== null && !pidOfLwp.has(thread.lwp)) pidOfLwp.set(thread.lwp, pid);
        const o: Observation = {
          inputIndex,
          inputName: input.name,
          format: input.format,
          snapshot,
          isRepresentative: snapshot === representative,
          thread,
          unit: -1,
        };
        observations.push(o);
        obs.push(o);
      }
      if (scoped && obs.length > 0) captures.push({ inputIndex, snapshot, obs });
    }
  });

  const units: Unit[] = [];
  const ambiguities: UnitAssignment['ambiguities'] = [];
  // Captures that show LWPs first: they anchor units; Python-only captures attach to them after.
  const withLwp = captures.filter((c) => c.obs.some((o) => o.thread.lwp !== null));
  const withoutLwp = captures.filter((c) => !c.obs.some((o) => o.thread.lwp !== null));

  const unitOfLwp = new Map<number, Unit>();
  for (const c of withLwp) {
    const pid = capturePid(c.snapshot, c.obs, pidOfLwp);
    let unit: Unit | null = null;
    for (const o of c.obs) {
      const u = o.thread.lwp !== null ? unitOfLwp.get(o.thread.lwp) : undefined;
      if (u && (u.pid === null || pid === null || u.pid === pid)) {
        unit = u;
        break;
      }
    }
    if (!unit) {
      unit = { id: units.length, pid, snapshots: [] };
      units.push(unit);
    }
    if (unit.pid === null) unit.pid = pid;
    unit.snapshots.push({ inputIndex: c.inputIndex, snapshot: c.snapshot });
    for (const o of c.obs) {
      o.unit = unit.id;
      if (o.thread.lwp !== null && !unitOfLwp.has(o.thread.lwp)) unitOfLwp.set(o.thread.lwp, unit);
    }
  }

  for (const c of withoutLwp) {
    const pid = capturePid(c.snapshot, c.obs, pidOfLwp);
    const match = pid !== null ? units.find((u) => u.pid === pid) : bestUnitByPthread(c.obs, units, observations, inputs);
    let unit: Unit;
    if (match && typeof match === 'object' && 'id' in match) {
      unit = match;
    } else {
      if (match === 'ambiguous') {
        ambiguities.push({
          inputIndex: c.inputIndex,
          line: c.snapshot.line,
          message:
            'its thread ids match threads of several processes equally well (forked processes share pthread ids); kept as a process of its own',
        });
      }
      unit = { id: units.length, pid, snapshots: [] };
      units.push(unit);
    }
    unit.snapshots.push({ inputIndex: c.inputIndex, snapshot: c.snapshot });
    for (const o of c.obs) o.unit = unit.id;
  }
  return { observations, units, pidOfLwp, ambiguities };
}

/** The snapshot that speaks for an input: pidstat's Average when present, else the last one with threads. */
function representativeSnapshot(input: ParsedInput): Snapshot | null {
  const average = input.snapshots.find((s) => s.isAverage && s.threads.length > 0);
  if (average) return average;
  for (let i = input.snapshots.length - 1; i >= 0; i--) {
    const s = input.snapshots[i] as Snapshot;
    if (s.threads.length > 0) return s;
  }
  return null;
}

function capturePid(snapshot: Snapshot, obs: readonly Observation[], pidOfLwp: ReadonlyMap<number, number>): number | null {
  if (snapshot.pid !== null) return snapshot.pid;
  for (const o of obs) if (o.thread.pid !== null) return o.thread.pid;
  const votes = new Map<number, number>();
  for (const o of obs) {
    const pid = o.thread.lwp !== null ? pidOfLwp.get(o.thread.lwp) : undefined;
    if (pid !== undefined) votes.set(pid, (votes.get(pid) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestVotes = 0;
  for (const [pid, n] of votes) {
    if (n > bestVotes) {
      best = pid;
      bestVotes = n;
    }
  }
  return best;
}

/**
 * The unit whose threads share the most pthread ids with this capture, Python frames
 * breaking ties. Forked workers idle in the same place show identical stacks; then the file
 * names break the tie (`faulthandler-worker2.txt` goes with `gdb-bt-worker2.txt`), and only
 * a tie on those too is 'ambiguous'. null when no unit shares any pthread id.
 */
function bestUnitByPthread(
  obs: readonly Observation[],
  units: readonly Unit[],
  all: readonly Observation[],
  inputs: readonly ParsedInput[],
): Unit | 'ambiguous' | null {
  const byUnit = new Map<number, Map<string, Observation[]>>();
  for (const o of all) {
    if (o.unit < 0 || o.thread.pthreadId === null) continue;
    let m = byUnit.get(o.unit);
    if (!m) {
      m = new Map();
      byUnit.set(o.unit, m);
    }
    const list = m.get(o.thread.pthreadId);
    if (list) list.push(o);
    else m.set(o.thread.pthreadId, [o]);
  }
  const scored: Array<{ unit: Unit; score: number }> = [];
  for (const unit of units) {
    const m = byUnit.get(unit.id);
    if (!m) continue;
    let score = 0;
    for (const o of obs) {
      if (o.thread.pthreadId === null) continue;
      const peers = m.get(o.thread.pthreadId);
      if (!peers) continue;
      score += 1 + Math.max(...peers.map((p) => pythonSimilarity(o.thread, p.thread)));
    }
    if (score > 0) scored.push({ unit, score });
  }
  if (scored.length === 0) return null;
  const top = Math.max(...scored.map((s) => s.score));
  const leaders = scored.filter((s) => top - s.score <= 1e-9).map((s) => s.unit);
  if (leaders.length === 1) return leaders[0] as Unit;
  const name = inputs[obs[0]?.inputIndex ?? -1]?.name ?? '';
  const affinity = leaders.map((u) => Math.max(...u.snapshots.map((s) => nameAffinity(name, inputs[s.inputIndex]?.name ?? ''))));
  const bestAffinity = Math.max(...affinity);
  const byName = leaders.filter((_, i) => affinity[i] === bestAffinity);
  return bestAffinity > 0 && byName.length === 1 ? (byName[0] as Unit) : 'ambiguous';
}

// Words that name the tool or the command, not the process a file is about.
const TOOL_WORDS =
  /(?:faulthandler|traceback|dump|stack|stacks|gdb|core|bt|full|py|pybt|info|threads|thread|apply|all|ps|top|pidstat|pstree|strace|txt|log|out|gz)/g;

/** How much two file names say they are about the same process: the longest common run of characters once tool words are removed. */
export function nameAffinity(a: string, b: string): number {
  const stem = (n: string) =>
    (
      n
        .slice(n.lastIndexOf('/') + 1)
        .slice(0, 128)
        .toLowerCase()
        .replace(TOOL_WORDS, ' ')
        .match(/[a-z0-9]+/g) ?? []
    ).join('-');
  const x = stem(a);
  const y = stem(b);
  let best = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      let k = 0;
      while (i + k < x.length && j + k < y.length && x[i + k] === y[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/** Jaccard similarity of the `file:function` sets of two threads' Python frames (0 when either has none). */
export function pythonSimilarity(a: RawThread, b: RawThread): number {
  const sa = pythonKeys(a);
  const sb = pythonKeys(b);
  if (sa.size === 0 || sb.size === 0) return 0;
  let common = 0;
  for (const k of sa) if (sb.has(k)) common++;
  return common / (sa.size + sb.size - common);
}

function pythonKeys(t: RawThread): Set<string> {
  const keys = new Set<string>();
  for (const f of t.frames) {
    if (f.language !== 'python' || f.file === '<built-in>') continue;
    keys.add(`${baseName(f.file) ?? '?'}:${f.function ?? '?'}`);
  }
  return keys;
}
