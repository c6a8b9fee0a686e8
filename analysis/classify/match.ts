/**
 * Matching one rule against one thread. Each matcher answers with the frame that decided and a
 * short evidence text for the `why`, or null. Name sets are compiled once per rule object.
 */
import type { RawFrame } from '../../parsers/model.js';
import { baseName } from '../frame-names.js';
import { argDecimal, parseFrameArgs } from './frame-args.js';
import { SYSCALL_PLUMBING } from './libc-frames.js';
import { type NameSet, nameSet } from './name-set.js';
import type {
  ArgTest,
  BuiltinRule,
  CpuRule,
  CrashRule,
  MarkerRule,
  NativeRule,
  OsStateRule,
  PythonFramePattern,
  PythonRule,
  SourceRule,
  WchanRule,
} from './rule.js';
import type { PythonFrameRef, StackView } from './stack-view.js';

/** What a rule matched on. */
export interface RuleMatch {
  /** Index into the thread's frames of the deciding frame, or null when no frame decided. */
  frameIndex: number | null;
  /** Readable name of the wait, or null. */
  blocking: string | null;
  /** Short evidence for the why: `#6 take_gil`, `threading.py:320 wait`, `wchan do_epoll_wait`. */
  evidence: string;
}

const PLUMBING = nameSet(SYSCALL_PLUMBING);

interface NativeSets {
  leaf: NameSet | null;
  via: NameSet | null;
  under: NameSet | null;
  notUnder: NameSet | null;
}
const nativeSetCache = new WeakMap<object, NativeSets>();
const singleSetCache = new WeakMap<object, NameSet>();

function optionalSet(names: readonly string[] | undefined): NameSet | null {
  return names ? nameSet(names) : null;
}

function setsOf(rule: NativeRule): NativeSets {
  let sets = nativeSetCache.get(rule);
  if (!sets) {
    sets = {
      leaf: Array.isArray(rule.leaf) ? nameSet(rule.leaf) : null,
      via: optionalSet(rule.via),
      under: optionalSet(rule.under),
      notUnder: optionalSet(rule.notUnder),
    };
    nativeSetCache.set(rule, sets);
  }
  return sets;
}

function singleSet(key: object, names: readonly string[]): NameSet {
  let set = singleSetCache.get(key);
  if (!set) {
    set = nameSet(names);
    singleSetCache.set(key, set);
  }
  return set;
}

/** Position in the span of the rule's leaf: the innermost frame in `leaf`, reached over plumbing frames only; -1 when none. */
function findLeaf(rule: NativeRule, leaf: NameSet | null, view: StackView): number {
  if (view.span.length === 0) return -1;
  if (rule.leaf === 'any') return 0;
  const first = view.names[view.span[0] as number];
  if (rule.leaf === 'not-wait') return first && !PLUMBING.has(first) ? 0 : -1;
  for (let p = 0; p < view.span.length; p++) {
    const index = view.span[p] as number;
    const name = view.names[index];
    if (!name) {
      // `?? () from libc.so.6`: the C library's own internals under the call that names the wait.
      if (isCRuntime(view.thread.frames[index]?.library ?? null)) continue;
      return -1;
    }
    if (leaf?.has(name)) return p;
    if (!PLUMBING.has(name)) return -1;
  }
  return -1;
}

// glibc (libc.so.6, libpthread.so.0), musl (ld-musl-x86_64.so.1, libc.musl-*.so.1), with any directory.
const C_RUNTIME = /(?:^|\/)(?:libc|libpthread|ld-musl|libc\.musl)[\w.-]*\.so(?:[.\d]*)$/;

function isCRuntime(library: string | null): boolean {
  return library !== null && C_RUNTIME.test(library);
}

/** First position at or after `from` in the span whose frame name is in `set`, or -1. */
function findInSpan(view: StackView, set: NameSet, from: number): number {
  for (let p = from; p < view.span.length; p++) {
    const name = view.names[view.span[p] as number];
    if (name && set.has(name)) return p;
  }
  return -1;
}

/** True when an argument test holds on a frame's gdb argument text. */
export function argHolds(test: ArgTest, argText: string | null): boolean {
  const args = parseFrameArgs(argText);
  return test.names.some((name) => {
    const value = args.get(name);
    if (value === undefined) return false;
    if (test.equals !== undefined && argDecimal(value) !== test.equals) return false;
    if (test.contains !== undefined && !value.includes(test.contains)) return false;
    return true;
  });
}

/** True when a frame's file ends with the pattern's path (`/usr/lib/python3.11/threading.py` ~ `threading.py`). */
export function fileMatches(file: string | null, pattern: string): boolean {
  if (!file) return false;
  const path = file.replaceAll('\\', '/');
  return path === pattern || path.endsWith(`/${pattern}`);
}

function pythonFrameMatches(pattern: PythonFramePattern, frame: RawFrame): boolean {
  if (!fileMatches(frame.file, pattern.file)) return false;
  const fns: readonly string[] = typeof pattern.fn === 'string' ? [pattern.fn] : pattern.fn;
  if (!frame.function || !fns.includes(frame.function)) return false;
  return !pattern.line || !frame.sourceText || pattern.line.test(frame.sourceText.trim());
}

/** True when the innermost code frames start with the patterns, one frame each. */
export function pythonPrefixMatches(patterns: readonly PythonFramePattern[], code: readonly PythonFrameRef[]): boolean {
  return patterns.length <= code.length && patterns.every((p, i) => pythonFrameMatches(p, (code[i] as PythonFrameRef).frame));
}

function pythonEvidence(ref: PythonFrameRef): string {
  const file = baseName(ref.frame.file) ?? '?';
  return `${file}${ref.frame.line === null ? '' : `:${ref.frame.line}`} ${ref.frame.function ?? '?'}`;
}

/** A frame's function as the dump printed it, so the why can be found in the input. */
function printedName(view: StackView, index: number): string {
  return view.thread.frames[index]?.function ?? '??';
}

/** Matches a native stack rule. */
export function matchNative(rule: NativeRule, view: StackView): RuleMatch | null {
  if (rule.topFrameOnly && !view.thread.topFrameOnly) return null;
  const sets = setsOf(rule);
  const leaf = findLeaf(rule, sets.leaf, view);
  if (leaf < 0) return null;
  if (sets.notUnder && findInSpan(view, sets.notUnder, 0) >= 0) return null;
  const viaAt = sets.via ? findInSpan(view, sets.via, leaf) : leaf;
  if (viaAt < 0) return null;
  const underAt = sets.under ? findInSpan(view, sets.under, viaAt) : viaAt;
  if (underAt < 0) return null;
  if (rule.underIsCaller && underAt !== viaAt + 1) return null;
  const leafArgs = view.thread.frames[view.span[leaf] as number]?.args ?? null;
  if (rule.args && !rule.args.every((t) => argHolds(t, leafArgs))) return null;
  if (rule.python && !pythonPrefixMatches(rule.python, view.code)) return null;
  const at = view.span[rule.decide === 'via' ? viaAt : rule.decide === 'under' ? underAt : leaf] as number;
  const name = view.names[at] ?? null;
  const blocking = rule.blocking === undefined ? name : rule.blocking;
  const python = rule.python && view.code[0] ? `, Python ${pythonEvidence(view.code[0])}` : '';
  return { frameIndex: at, blocking, evidence: `#${at} ${printedName(view, at)}${python}` };
}

/** Matches a crash: a crash record names the thread, it raises a signal, or a fatal-signal handler runs above a trampoline. */
export function matchCrash(rule: CrashRule, view: StackView): RuleMatch | null {
  const raising = singleSet(rule.leaf, rule.leaf);
  for (const i of view.span) {
    const name = view.names[i];
    if (!name) break;
    if (raising.has(name)) return { frameIndex: i, blocking: null, evidence: `#${i} ${printedName(view, i)}` };
    if (!PLUMBING.has(name)) break;
  }
  const handler = singleSet(rule.handler, rule.handler);
  const trampoline = view.thread.frames.findIndex((f) => f.isSignalTrampoline);
  for (let i = 0; i < trampoline; i++) {
    const name = view.names[i];
    if (name && handler.has(name)) {
      return { frameIndex: i, blocking: null, evidence: `#${i} ${printedName(view, i)} above <signal handler called> #${trampoline}` };
    }
  }
  if (view.thread.isCrashing) {
    const top = view.thread.frames.length > 0 ? 0 : null;
    return { frameIndex: top, blocking: null, evidence: 'the crash record names this thread' };
  }
  return null;
}

/** Matches Python frames, innermost code frame first. */
export function matchPython(rule: PythonRule, view: StackView): RuleMatch | null {
  const first = view.code[0];
  if (!first || !pythonPrefixMatches(rule.frames, view.code)) return null;
  return { frameIndex: first.index, blocking: rule.blocking, evidence: pythonEvidence(first) };
}

/** Matches py-bt's built-in pseudo frame when it is the innermost Python frame. */
export function matchBuiltin(rule: BuiltinRule, view: StackView): RuleMatch | null {
  const first = view.python[0];
  if (!first?.builtin || !rule.fn.includes(first.builtin)) return null;
  return { frameIndex: first.index, blocking: rule.blocking, evidence: `<built-in ${first.builtin}>` };
}

/** Matches the source line of the innermost Python code frame. */
export function matchSource(rule: SourceRule, view: StackView): RuleMatch | null {
  const first = view.code[0];
  const text = first?.frame.sourceText?.trim();
  if (!first || !text || !rule.pattern.test(text)) return null;
  return { frameIndex: first.index, blocking: rule.blocking, evidence: `${pythonEvidence(first)}: ${text}` };
}

/** True when libpython's markers are reliable for the version the paths name (FRAMES §1.5: 3.7+). */
function hasReliableMarkers(view: StackView): boolean {
  const v = view.pythonVersion;
  return v !== null && (v[0] > 3 || (v[0] === 3 && v[1] >= 7));
}

/** Matches a py-bt / py-spy marker. */
export function matchMarker(rule: MarkerRule, view: StackView): RuleMatch | null {
  const wanted = rule.marker.toLowerCase();
  if (!view.thread.pythonMarkers.some((m) => m.trim().toLowerCase() === wanted)) return null;
  if (rule.needsReliableVersion && !hasReliableMarkers(view)) return null;
  const version = view.pythonVersion ? ` (Python ${view.pythonVersion.join('.')})` : '';
  return { frameIndex: null, blocking: rule.blocking ?? null, evidence: `marker "${rule.marker}"${version}` };
}

/** The kernel symbol of a wait channel: `futex_wait_queue_me+0x1d/0x30` → `futex_wait_queue_me`; `-`/`0` → null. */
export function normalizeWchan(wchan: string | null): string | null {
  const w = wchan
    ?.trim()
    .replace(/[+/].*$/, '')
    .replace(/^_+/, '')
    .replace(/\.(?:isra|constprop|part|cold)(?:\.\d+)?$/, '');
  return w && w !== '-' && w !== '0' ? w : null;
}

/** Shortest wait channel taken for a truncated ps column (`do_wai`, `futex_`). */
const MIN_TRUNCATED_WCHAN = 4;

/**
 * Matches a wait channel exactly, or as a truncated ps column when every rule the prefix fits
 * agrees on the state (`pipe_` fits `pipe_read` and `pipe_write`; `do_` fits waits of every kind).
 */
export function matchWchan(rule: WchanRule, view: StackView, family: readonly WchanRule[]): RuleMatch | null {
  const w = normalizeWchan(view.thread.wchan);
  if (!w) return null;
  if (rule.wchan.includes(w)) return { frameIndex: null, blocking: rule.blocking ?? null, evidence: `wchan ${w}` };
  if (w.length < MIN_TRUNCATED_WCHAN || !rule.wchan.some((n) => n.startsWith(w))) return null;
  const exact = family.some((r) => r.wchan.includes(w));
  const states = new Set(family.filter((r) => r.wchan.some((n) => n.startsWith(w))).map((r) => r.state));
  if (exact || states.size !== 1) return null;
  return { frameIndex: null, blocking: rule.blocking ?? null, evidence: `wchan ${w} (truncated)` };
}

/** Matches the first letter of a scheduler state (`Rl`, `D+`). */
export function matchOsState(rule: OsStateRule, view: StackView): RuleMatch | null {
  const s = view.thread.osState?.trim();
  if (!s?.startsWith(rule.letter)) return null;
  return { frameIndex: null, blocking: rule.blocking ?? null, evidence: `state ${s}` };
}

/** Matches CPU use when nothing else about the thread's scheduling is known. */
export function matchCpu(rule: CpuRule, view: StackView): RuleMatch | null {
  const t = view.thread;
  if (t.osState !== null || t.wchan !== null || t.cpuPercent === null || t.cpuPercent < rule.atLeastPercent) return null;
  return { frameIndex: null, blocking: rule.blocking ?? null, evidence: `${t.cpuPercent}% CPU` };
}
