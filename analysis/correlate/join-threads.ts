/**
 * Sightings to threads: every sighting of the same OS thread becomes one CorrelatedThread
 * holding the best of what each input knew (the fullest native stack, the Python frames,
 * per-thread CPU and context switches, the OS state), and every source that saw it.
 */
import type { Format, RawFrame, RawThread } from '../../parsers/model.js';
import { frameLabel, isEvalFrame } from '../frame-names.js';
import type { CorrelatedThread } from '../model.js';
import type { Observation, UnitAssignment } from './observations.js';

/** Joins sightings into threads. Keys are unique within the result. */
export function joinThreads(assignment: UnitAssignment): CorrelatedThread[] {
  const { observations, units, pidOfLwp } = assignment;
  const unitPid = new Map(units.map((u) => [u.id, u.pid]));

  // pthread id → LWP within a unit, from sightings that show both (gdb headers).
  const lwpOfPthread = new Map<string, number>();
  for (const o of observations) {
    if (o.unit >= 0 && o.thread.pthreadId !== null && o.thread.lwp !== null)
      lwpOfPthread.set(`${o.unit}/${o.thread.pthreadId}`, o.thread.lwp);
  }

  const byIdentity = new Map<string, Observation[]>();
  let anonymous = 0;
  for (const o of observations) {
    const t = o.thread;
    let identity: string;
    const viaPthread = o.unit >= 0 && t.pthreadId !== null ? lwpOfPthread.get(`${o.unit}/${t.pthreadId}`) : undefined;
    if (t.lwp !== null) identity = `L${t.lwp}`;
    else if (viaPthread !== undefined) identity = `L${viaPthread}`;
    else if (o.unit >= 0 && t.pthreadId !== null) identity = `U${o.unit}/${t.pthreadId}`;
    else identity = `A${anonymous++}`;
    const list = byIdentity.get(identity);
    if (list) list.push(o);
    else byIdentity.set(identity, [o]);
  }

  const threads: CorrelatedThread[] = [];
  const usedKeys = new Set<string>();
  for (const [identity, sightings] of byIdentity) {
    const thread = buildThread(identity, sightings, unitPid, pidOfLwp);
    let key = thread.key;
    for (let n = 2; usedKeys.has(key); n++) key = `${thread.key}~${n}`;
    thread.key = key;
    usedKeys.add(key);
    threads.push(thread);
  }
  return threads.sort(compareThreads);
}

function compareThreads(a: CorrelatedThread, b: CorrelatedThread): number {
  return (
    (a.pid ?? Number.MAX_SAFE_INTEGER) - (b.pid ?? Number.MAX_SAFE_INTEGER) ||
    (a.lwp ?? Number.MAX_SAFE_INTEGER) - (b.lwp ?? Number.MAX_SAFE_INTEGER) ||
    a.key.localeCompare(b.key)
  );
}

// Which input kind to believe first for each fact.
const NAME_ORDER: readonly Format[] = ['traceback_dump', 'gdb', 'ps', 'top', 'pstree', 'pidstat', 'faulthandler', 'strace'];
const CPU_ORDER: readonly Format[] = ['pidstat', 'top', 'ps'];
const OS_STATE_ORDER: readonly Format[] = ['ps', 'top', 'pidstat'];
const PYTHON_ORDER: readonly Format[] = ['gdb', 'traceback_dump', 'faulthandler'];

function buildThread(
  identity: string,
  sightings: Observation[],
  unitPid: ReadonlyMap<number, number | null>,
  pidOfLwp: ReadonlyMap<number, number>,
): CorrelatedThread {
  const rep = representatives(sightings);
  const lwp = first(rep, (t) => t.lwp) ?? (identity.startsWith('L') ? Number(identity.slice(1)) : null);
  const pid =
    first(rep, (t) => t.pid) ??
    firstValue(sightings.map((o) => (o.unit >= 0 ? (unitPid.get(o.unit) ?? null) : null))) ??
    (lwp !== null ? (pidOfLwp.get(lwp) ?? null) : null);
  const pthreadId = first(rep, (t) => t.pthreadId);

  const native = bestNativeStack(rep);
  const python = bestPythonStack(rep);
  const frames = mergeFrames(native?.frames.filter((f) => f.language === 'native') ?? [], python);

  const pick = <T>(order: readonly Format[], get: (t: RawThread) => T | null): T | null => {
    for (const format of order) {
      for (const o of rep)
        if (o.format === format) {
          const v = get(o.thread);
          if (v !== null) return v;
        }
    }
    return null;
  };

  const sources: string[] = [];
  const sourceFormats: Format[] = [];
  for (const o of sightings) {
    if (!sources.includes(o.inputName)) {
      sources.push(o.inputName);
      sourceFormats.push(o.format);
    }
  }
  const markers = new Set<string>();
  for (const o of rep) for (const m of o.thread.pythonMarkers) markers.add(m);

  return {
    key: threadKey(pid, lwp, pthreadId, identity),
    pid,
    lwp,
    pthreadId,
    name: pick(NAME_ORDER, (t) => (t.name && t.name !== 'None' ? t.name : null)),
    frames,
    hasNativeStack: native?.hasCompleteStack === true,
    hasPythonStack: python.length > 0,
    topFrameOnly: native !== null && !native.hasCompleteStack,
    cpuPercent: pick(CPU_ORDER, (t) => t.cpuPercent),
    cpuTimeSeconds: pick(OS_STATE_ORDER, (t) => t.cpuTimeSeconds),
    osState: pick(OS_STATE_ORDER, (t) => t.osState),
    wchan: pick(OS_STATE_ORDER, (t) => t.wchan),
    voluntarySwitchesPerSec: pick(['pidstat'], (t) => t.voluntarySwitchesPerSec),
    involuntarySwitchesPerSec: pick(['pidstat'], (t) => t.involuntarySwitchesPerSec),
    pythonMarkers: [...markers],
    syscalls: pick(['strace'], (t) => t.syscalls),
    sources,
    sourceFormats,
    isCurrent: rep.some((o) => o.thread.isCurrent && o.format === 'gdb'),
    isCrashing: false,
    greenlets: [],
    captures: captureHistory(sightings),
    cpuSamples: cpuHistory(sightings),
  };
}

/** Per input, the sighting from its representative snapshot (or its last one). */
function representatives(sightings: readonly Observation[]): Observation[] {
  const byInput = new Map<number, Observation>();
  for (const o of sightings) {
    const prev = byInput.get(o.inputIndex);
    if (!prev || o.isRepresentative || (!prev.isRepresentative && o.snapshot.index > prev.snapshot.index)) byInput.set(o.inputIndex, o);
  }
  return [...byInput.values()];
}

function bestNativeStack(rep: readonly Observation[]): RawThread | null {
  let best: RawThread | null = null;
  let bestScore = -1;
  for (const o of rep) {
    const count = o.thread.frames.reduce((n, f) => n + (f.language === 'native' ? 1 : 0), 0);
    if (count === 0) continue;
    const score = (o.thread.hasCompleteStack ? 1_000_000 : 0) + count;
    if (score > bestScore) {
      best = o.thread;
      bestScore = score;
    }
  }
  return best;
}

function bestPythonStack(rep: readonly Observation[]): RawFrame[] {
  for (const format of PYTHON_ORDER) {
    let best: RawFrame[] = [];
    for (const o of rep) {
      if (o.format !== format) continue;
      const py = o.thread.frames.filter((f) => f.language === 'python');
      if (py.length > best.length) best = py;
    }
    if (best.length > 0) return best;
  }
  return [];
}

/**
 * Native frames up to the first bytecode-loop frame, then the Python frames, then the rest:
 * the Python stack sits where the interpreter ran it.
 */
export function mergeFrames(native: readonly RawFrame[], python: readonly RawFrame[]): RawFrame[] {
  if (python.length === 0) return [...native];
  if (native.length === 0) return [...python];
  const at = native.findIndex(isEvalFrame);
  if (at < 0) return [...native, ...python];
  return [...native.slice(0, at), ...python, ...native.slice(at)];
}

/** Stack texts of the repeated captures of one input, oldest first (for stuck/changed). */
function captureHistory(sightings: readonly Observation[]): string[] {
  const run = longestRun(sightings, (o) => o.thread.frames.length > 0);
  return run.length < 2 ? [] : run.map((o) => o.thread.frames.map(frameLabel).join(' < '));
}

/** %CPU per interval from the input that sampled this thread most often, oldest first. */
function cpuHistory(sightings: readonly Observation[]): number[] {
  const run = longestRun(sightings, (o) => o.thread.cpuPercent !== null);
  return run.length < 2 ? [] : run.map((o) => o.thread.cpuPercent as number);
}

/** The sightings of the one input that saw the thread most often (averages left out), oldest first. */
function longestRun(sightings: readonly Observation[], keep: (o: Observation) => boolean): Observation[] {
  const byInput = new Map<number, Observation[]>();
  for (const o of sightings) {
    if (o.snapshot.isAverage || !keep(o)) continue;
    const list = byInput.get(o.inputIndex);
    if (list) list.push(o);
    else byInput.set(o.inputIndex, [o]);
  }
  let longest: Observation[] = [];
  for (const list of byInput.values()) if (list.length > longest.length) longest = list;
  return longest.sort((a, b) => a.snapshot.index - b.snapshot.index);
}

function threadKey(pid: number | null, lwp: number | null, pthreadId: string | null, identity: string): string {
  const p = pid !== null ? `p${pid}:` : '';
  if (lwp !== null) return `${p}t${lwp}`;
  if (pthreadId !== null) return `${p}x${pthreadId.slice(2)}`;
  return `${p}s${identity.replace(/[^\w]/g, '')}`;
}

function first<T>(rep: readonly Observation[], get: (t: RawThread) => T | null): T | null {
  for (const o of rep) {
    const v = get(o.thread);
    if (v !== null) return v;
  }
  return null;
}

function firstValue<T>(values: ReadonlyArray<T | null>): T | null {
  for (const v of values) if (v !== null) return v;
  return null;
}
