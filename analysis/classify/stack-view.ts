/**
 * What the matcher reads from a correlated thread: normalized native names, the wait span, and
 * the Python frames split into code frames and py-bt's built-in pseudo frames
 * (`<built-in method sleep of module object at remote 0x7fd0bc57f0b0>`).
 */
import type { RawFrame } from '../../parsers/model.js';
import type { CorrelatedThread } from '../model.js';
import { CPYTHON_CALL_FRAMES, CPYTHON_EVAL_FRAMES } from './cpython-frames.js';
import { normalizeRuleName } from './frame-name.js';
import { nameSet } from './name-set.js';

const SPAN_BOUNDARY = nameSet(CPYTHON_EVAL_FRAMES, CPYTHON_CALL_FRAMES);
const BUILTIN_FUNCTION = /^<built-in (?:method|function) ([A-Za-z_][A-Za-z0-9_]*)/;

/** A Python frame and where it sits in the thread's merged frames. */
export interface PythonFrameRef {
  index: number;
  frame: RawFrame;
  /** True for py-bt's built-in pseudo frames (`<built-in method sleep …>`, `<optimized out>`): C, not Python code. */
  isBuiltin: boolean;
  /** The built-in's name (`sleep`), or null when it has none or the frame is code. */
  builtin: string | null;
}

export interface StackView {
  thread: CorrelatedThread;
  /** Normalized name per frame; null for `??` and for Python frames. */
  names: (string | null)[];
  /**
   * Indices of the native frames of the wait span, leaf first: from the innermost native frame to
   * the first CPython eval or call-dispatch frame (inclusive) or a signal trampoline (exclusive).
   * Python frames merged in between are skipped: correlate puts them before the eval frame.
   */
  span: number[];
  /** Python frames, innermost first. */
  python: PythonFrameRef[];
  /** Python frames without built-in pseudo frames: the code the thread runs. */
  code: PythonFrameRef[];
  /** `[3, 11]` when a path or library names the CPython version (`/usr/lib/python3.11/`, `libpython2.7.so`, `Python-3.6.15/`), else null. */
  pythonVersion: [number, number] | null;
}

/** A Python frame's reference, telling py-bt's built-in pseudo frames from code frames. */
function pythonRef(index: number, frame: RawFrame): PythonFrameRef {
  if (frame.file === '<built-in>') return { index, frame, isBuiltin: true, builtin: frame.function };
  const m = frame.function ? BUILTIN_FUNCTION.exec(frame.function) : null;
  return { index, frame, isBuiltin: m !== null, builtin: m?.[1] ?? null };
}

/** The native frames of the wait span, by index into the merged frames. */
function waitSpan(frames: readonly RawFrame[], names: readonly (string | null)[]): number[] {
  const span: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as RawFrame;
    if (frame.language !== 'native') continue;
    if (frame.isSignalTrampoline) break;
    span.push(i);
    const name = names[i];
    if (name && SPAN_BOUNDARY.has(name)) break;
  }
  return span;
}

/** The CPython major/minor version a frame's file or library names, if any. */
function versionIn(frame: RawFrame): [number, number] | null {
  for (const text of [frame.file, frame.library]) {
    const m = text ? /[Pp]ython-?(\d)\.(\d{1,2})(?!\d)/.exec(text) : null;
    if (m) return [Number(m[1]), Number(m[2])];
  }
  return null;
}

/** Builds the matcher's view of one thread. */
export function viewStack(thread: CorrelatedThread): StackView {
  const frames = thread.frames;
  const names = frames.map((f) => (f.language === 'native' && f.function && f.function !== '??' ? normalizeRuleName(f.function) : null));
  const python: PythonFrameRef[] = [];
  let pythonVersion: [number, number] | null = null;
  frames.forEach((frame, index) => {
    if (frame.language === 'python') python.push(pythonRef(index, frame));
    pythonVersion ??= versionIn(frame);
  });
  return {
    thread,
    names,
    span: waitSpan(frames, names),
    python,
    code: python.filter((p) => !p.isBuiltin),
    pythonVersion,
  };
}
