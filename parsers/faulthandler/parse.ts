/**
 * faulthandler dumps into snapshots: a small state machine over the line kinds of
 * `line-kinds.ts`. One snapshot per dump; a dump starts at a `Fatal Python error` /
 * `Windows fatal exception` / `Timeout (…)!` header, at a thread id seen twice, at a second
 * `Current thread`, or at a `Stack` header after threads.
 *
 * States (real lines from CPython 3.11.2, see FORMAT.md):
 *   'none'      between sections: `Fatal Python error: Aborted` → none | thread
 *   'thread'    after `Thread 0x00007fbf3a9756c0 (most recent call first):`:
 *               `  File "/srv/demo/crash_abort.py", line 22 in poller` → thread | none | cStack
 *   'cStack'    after `Current thread's C stack trace (most recent call first):` (3.14+):
 *               `  Binary file "/lib/libc.so.6", at abort+0x2d [0x7f…]` → cStack | none
 *   'exception' after `Traceback (most recent call last):` inside a `Py_FatalError` report:
 *               skipped up to the exception line (`ModuleNotFoundError: …`) → none
 */
import type { ParseContext } from '../format.js';
import { emptyThread, pythonFrame, type RawFrame, type RawThread, type Snapshot } from '../model.js';
import { PythonDumpBuilder } from '../python-dump-builder.js';
import { crashFromFatalError, crashFromWindowsException } from './crash.js';
import { classifyFaulthandlerLine, type FaulthandlerLine } from './line-kinds.js';

type Mode = 'none' | 'thread' | 'cStack' | 'exception';

const EXPECTED_FRAME = `expected a faulthandler frame line such as '  File "/srv/app.py", line 22 in poller'`;

class FaulthandlerParser {
  private readonly b: PythonDumpBuilder;
  private mode: Mode = 'none';
  private hasCurrent = false;
  private cFrames: RawFrame[] = [];
  private cStackLine = 0;
  private cStackTruncated = false;
  private missingHeaderWarned = false;

  /** `lastLine` is the 1-based number of the input's last line: a cut there is the input's end, not a segment's. */
  constructor(
    private readonly ctx: ParseContext,
    private readonly lastLine: number,
  ) {
    this.b = new PythonDumpBuilder(ctx, 'faulthandler');
  }

  get isStopped(): boolean {
    return this.b.isStopped;
  }

  read(text: string, ln: number): void {
    const line = classifyFaulthandlerLine(text);
    if (this.mode === 'cStack' && line.kind !== 'cFrame' && line.kind !== 'cStackNote') this.endCStack();
    if (this.mode === 'exception') {
      if (line.kind === 'other' || line.kind === 'frame') {
        if (!/^\s/.test(text)) this.mode = 'none';
        return;
      }
      this.mode = 'none';
    }
    this.dispatch(line, text, ln);
  }

  private dispatch(line: FaulthandlerLine, text: string, ln: number): void {
    switch (line.kind) {
      case 'blank':
        return;
      case 'fatal': {
        const snap = this.startCapture(ln);
        if (snap) snap.crash = crashFromFatalError(text, line.message, ln);
        return;
      }
      case 'windowsFatal': {
        const snap = this.startCapture(ln);
        if (!snap) return;
        const crash = crashFromWindowsException(text, line.message, ln);
        if (crash) snap.crash = crash;
        else snap.notes.push({ kind: 'info', message: text, pthreadId: null, line: ln });
        return;
      }
      case 'timeout': {
        const snap = this.startCapture(ln);
        snap?.notes.push({ kind: 'timeout', message: text, pthreadId: null, line: ln });
        return;
      }
      case 'runtimeState':
      case 'gilDisabled':
        this.note(text, ln);
        return;
      case 'extensionModules':
        this.endThread();
        this.note(text, ln);
        return;
      case 'threadHeader':
        this.threadHeader(line.pthreadId, line.name, line.isCurrent, ln);
        return;
      case 'stackHeader':
        if ((this.b.peek()?.threads.length ?? 0) > 0 && !this.startCapture(ln)) return;
        this.openThread(emptyThread(ln), true, null);
        return;
      case 'frame':
        if (!this.b.isThreadOpen() || this.mode !== 'thread') this.anonymousThread(ln);
        this.b.addFrame(pythonFrame(line.frame.function, line.frame.file, line.frame.line));
        return;
      case 'noFrame':
        if (!this.b.isThreadOpen()) this.anonymousThread(ln);
        return;
      case 'stackBroken':
      case 'framesCut': {
        const t = this.b.openedThread();
        if (t) t.hasCompleteStack = false;
        return;
      }
      case 'garbageCollecting':
        this.b.openedThread()?.pythonMarkers.push('Garbage-collecting');
        return;
      case 'threadsCut':
        this.endThread();
        this.ctx.warn('truncated_input', ln, 'faulthandler printed "..." after 100 threads: the threads after them are not in the dump');
        this.note('faulthandler listed only the first 100 threads', ln);
        return;
      case 'freedThreadState':
        this.endThread();
        this.note('faulthandler stopped at a freed thread state: later threads are not in the dump', ln);
        return;
      case 'cStackHeader':
        this.endThread();
        this.mode = 'cStack';
        this.cFrames = [];
        this.cStackLine = ln;
        this.cStackTruncated = false;
        return;
      case 'cFrame':
        if (this.mode === 'cStack') this.cFrames.push(line.frame);
        else this.other(text, ln);
        return;
      case 'cStackNote':
        if (line.isTruncated) this.cStackTruncated = true;
        return;
      case 'exceptionHeader':
        this.endThread();
        this.mode = 'exception';
        return;
      case 'other':
        this.other(text, ln);
        return;
    }
  }

  private other(text: string, ln: number): void {
    if (ln === this.lastLine && /^(?:Current thread|Thread) 0x/.test(text)) {
      this.ctx.warn('cut_short', ln, "the input ends inside a thread header: expected 'Thread 0x… (most recent call first):'");
      return;
    }
    if (!this.b.isThreadOpen()) return;
    const isIndented = /^\s/.test(text);
    if (ln === this.lastLine && isIndented) {
      this.ctx.warn('cut_short', ln, `the input ends inside a thread: ${EXPECTED_FRAME}`);
      const t = this.b.openedThread();
      if (t) t.hasCompleteStack = false;
      return;
    }
    if (isIndented) {
      this.ctx.warn('unrecognized_line', ln, `${EXPECTED_FRAME}, '  <no Python frame>' or '  ...'`);
      return;
    }
    this.endThread();
  }

  private startCapture(ln: number): Snapshot | null {
    this.endThread();
    const snap = this.b.newSnapshot(ln);
    this.hasCurrent = false;
    this.missingHeaderWarned = false;
    return snap;
  }

  private threadHeader(pthreadId: string | null, name: string | null, isCurrent: boolean, ln: number): void {
    const key = pthreadId;
    const repeats = (key !== null && this.b.hasKey(key)) || (isCurrent && this.hasCurrent);
    if (repeats && !this.startCapture(ln)) return;
    const thread = emptyThread(ln);
    thread.pthreadId = pthreadId;
    thread.name = name;
    this.openThread(thread, isCurrent, key);
  }

  private openThread(thread: RawThread, isCurrent: boolean, key: string | null): void {
    thread.isCurrent = isCurrent;
    if (isCurrent) this.hasCurrent = true;
    this.b.openThread(thread, 'innermostFirst', key);
    this.mode = 'thread';
  }

  private anonymousThread(ln: number): void {
    if (!this.missingHeaderWarned) {
      this.missingHeaderWarned = true;
      this.ctx.warn('missing_header', ln, `frames without a thread header: expected 'Thread 0x… (most recent call first):' before them`);
    }
    this.openThread(emptyThread(ln), false, null);
  }

  private endThread(): void {
    this.b.closeThread();
    if (this.mode === 'thread') this.mode = 'none';
  }

  private note(message: string, ln: number): void {
    this.b.current(ln).notes.push({ kind: 'info', message, pthreadId: null, line: ln });
  }

  /** 3.14 prints the C stack of the current thread after all threads; it joins that thread. */
  private endCStack(): void {
    this.mode = 'none';
    if (this.cFrames.length === 0) return;
    const snap = this.b.current(this.cStackLine);
    let thread = [...snap.threads].reverse().find((t) => t.isCurrent);
    if (!thread) {
      thread = emptyThread(this.cStackLine);
      this.openThread(thread, true, null);
      this.endThread();
      if (!snap.threads.includes(thread)) return;
    }
    mergeNativeFrames(thread, this.cFrames, this.ctx);
    if (this.cStackTruncated) thread.hasCompleteStack = false;
    this.cFrames = [];
  }

  finish(): Snapshot[] {
    if (this.mode === 'cStack') this.endCStack();
    const t = this.b.openedThread();
    if (t && t.frames.length === 0 && this.b.openFrameCount() === 0 && t.line === this.lastLine) {
      this.ctx.warn('cut_short', t.line, 'the input ends right after a thread header: its frames are missing');
      t.hasCompleteStack = false;
    }
    const snapshots = this.b.finish();
    for (const s of snapshots) {
      if (s.crash === null) continue;
      const current = [...s.threads].reverse().find((th) => th.isCurrent);
      if (current) s.crash.pthreadId = current.pthreadId;
    }
    return snapshots;
  }
}

// Interpreter frames where one or more Python frames run (CPython `_PyEval_EvalFrameDefault`,
// 2.7 `PyEval_EvalFrameEx`).
const EVAL_FRAME = /^_?_?PyEval_EvalFrame(?:Default|Ex)?$/;

/**
 * Puts a C stack and a Python stack of one thread in one list, innermost first: native frames
 * from the leaf up to the first eval-loop frame, then the Python frames, then the rest. 3.14
 * often prints only offsets (`at +0x32dcbd`); with no eval frame named, the native frames go first.
 */
function mergeNativeFrames(thread: RawThread, native: RawFrame[], ctx: ParseContext): void {
  const room = Math.max(0, ctx.limits.maxFramesPerThread - thread.frames.length);
  const kept = native.slice(0, room);
  if (kept.length < native.length) {
    thread.hasCompleteStack = false;
    ctx.warn('too_many_frames', thread.line, `kept ${kept.length} of ${native.length} C stack frames of the current thread`);
  }
  const split = kept.findIndex((f) => f.function !== null && EVAL_FRAME.test(f.function));
  const leaf = split < 0 ? kept : kept.slice(0, split);
  const rest = split < 0 ? [] : kept.slice(split);
  thread.frames = [...leaf, ...thread.frames, ...rest];
}

/** Parses lines[start, end) of faulthandler output into snapshots. */
export function parseFaulthandler(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const parser = new FaulthandlerParser(ctx, lines.length);
  for (let i = start; i < end && !parser.isStopped; i++) parser.read(lines[i] ?? '', i + 1);
  return parser.finish();
}
