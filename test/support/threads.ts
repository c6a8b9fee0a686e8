/**
 * Builders for analysis tests: a correlated or classified thread from a short stack
 * description, so table tests read like the dumps they stand for.
 */
import type { ClassifiedThread, CorrelatedThread } from '../../analysis/model.js';
import type { RawFrame } from '../../parsers/model.js';
import type { ThreadState } from '../../report/schema.js';

/**
 * Frames from compact specs, innermost first: `'take_gil'` is a native frame,
 * `'py:threading.py:wait'` a Python frame (file, then function), and a spec may carry
 * gdb-style arguments after a space: `'__GI___poll fds=0x1, nfds=1, timeout=0'`.
 */
export function frames(...specs: string[]): RawFrame[] {
  return specs.map((spec) => {
    if (spec.startsWith('py:')) {
      const rest = spec.slice(3);
      const cut = rest.lastIndexOf(':');
      const file = cut > 0 ? rest.slice(0, cut) : null;
      const fn = cut > 0 ? rest.slice(cut + 1) : rest;
      return { function: fn, file, line: 1, library: null, language: 'python', args: null, address: null, sourceText: null };
    }
    const space = spec.indexOf(' ');
    const fn = space > 0 ? spec.slice(0, space) : spec;
    const args = space > 0 ? spec.slice(space + 1) : null;
    return { function: fn === '??' ? null : fn, file: null, line: null, library: null, language: 'native', args, address: null };
  });
}

let serial = 0;

/** A correlated thread with sensible defaults; override any field. */
export function makeThread(over: Partial<CorrelatedThread> = {}): CorrelatedThread {
  serial++;
  const lwp = over.lwp === undefined ? 1000 + serial : over.lwp;
  const pid = over.pid === undefined ? 1000 : over.pid;
  const fr = over.frames ?? [];
  return {
    key: over.key ?? `p${pid}:t${lwp}`,
    pid,
    lwp,
    pthreadId: null,
    name: null,
    frames: fr,
    hasNativeStack: fr.some((f) => f.language === 'native'),
    hasPythonStack: fr.some((f) => f.language === 'python'),
    topFrameOnly: false,
    cpuPercent: null,
    cpuTimeSeconds: null,
    osState: null,
    wchan: null,
    voluntarySwitchesPerSec: null,
    involuntarySwitchesPerSec: null,
    pythonMarkers: [],
    syscalls: null,
    sources: ['test.txt'],
    sourceFormats: ['gdb'],
    isCurrent: false,
    isCrashing: false,
    greenlets: [],
    captures: [],
    cpuSamples: [],
    ...over,
  };
}

/** A classified thread: a correlated one plus a verdict given directly. */
export function makeClassified(state: ThreadState, over: Partial<ClassifiedThread> = {}): ClassifiedThread {
  const base = makeThread(over);
  return {
    ...base,
    state,
    idle: over.idle ?? false,
    blockingFrame: over.blockingFrame ?? null,
    classification: over.classification ?? { rule: 'test', why: 'set by the test', frameIndex: null, confidence: 'high' },
  };
}
