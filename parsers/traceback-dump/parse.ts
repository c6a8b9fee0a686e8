/**
 * Traceback dumps into snapshots: thread dumps written by hand with `sys._current_frames()` +
 * `traceback.format_stack`, greenlet sections, `py-spy dump`, and gevent's blocked-hub report.
 *
 * States (real lines in FORMAT.md):
 *   'none'      between sections: `Thread 0x7fd0bc62f040 (MainThread)` → thread | pyspy | blocked | tree
 *   'thread'    `  File "/srv/demo/gevent_app.py", line 74, in export_report` and its source line
 *               `    return os.read(rfd, 4096)`, innermost last → thread | none
 *   'pyspy'     `    select (selectors.py:468)`, innermost first, `--locals` lines → pyspy | none
 *   'blocked'   gevent's `Blocked Stack (for thread id 0x…):` frames → blocked | none
 *   'tree'      gevent's greenlet tree under `* Greenlets`: skipped, `Spawned at:` stacks too → none
 *   'exception' an exception `Traceback (most recent call last):` in the log: skipped → none
 * A capture ends at a py-spy `Process N:` line, a gevent report line, or a thread id seen twice.
 */
import type { ParseContext } from '../format.js';
import { emptyProcess, emptyThread, pythonFrame, type RawThread, type Snapshot, type SnapshotNote } from '../model.js';
import { PythonDumpBuilder } from '../python-dump-builder.js';
import { indentOf, isTracebackDecoration, type PythonFrameLine, parsePythonFrameLine } from '../python-frame-line.js';
import { type GeventLine, isGreenletTreeLine, parseGeventLine } from './gevent-monitor.js';
import { isPySpyLocalsLine, type PySpyLine, parsePySpyFrame, parsePySpyLine } from './py-spy.js';
import { parseThreadHeader, type ThreadHeader } from './thread-header.js';

type Mode = 'none' | 'thread' | 'pyspy' | 'blocked' | 'tree' | 'exception';

const SEPARATOR = /^([=*#~_+-])\1{2,}$/;
const EXPECTED_FRAME = `expected '  File "/srv/app.py", line 22, in poller' or the source line under it`;
const EXPECTED_PY_SPY = `expected a py-spy frame line such as '    select (selectors.py:468)'`;

interface Pending {
  header: ThreadHeader;
  line: number;
}

/** An unrecognised line that names the thread when a separator and frames follow (Celery's `cry`). */
interface Label {
  text: string;
  line: number;
  sawSeparator: boolean;
}

class TracebackDumpParser {
  private readonly b: PythonDumpBuilder;
  private mode: Mode = 'none';
  private lastFrameIndent: number | null = null;
  private pending: Pending | null = null;
  private label: Label | null = null;
  private pySpyPid: number | null = null;
  private isPySpy = false;
  private blockedThread: RawThread | null = null;
  private eventNote: SnapshotNote | null = null;
  private missingHeaderWarned = false;

  constructor(
    private readonly ctx: ParseContext,
    private readonly lastLine: number,
  ) {
    this.b = new PythonDumpBuilder(ctx, 'traceback dump');
  }

  get isStopped(): boolean {
    return this.b.isStopped;
  }

  read(text: string, ln: number): void {
    if (text.length === 0) {
      if (this.mode === 'exception') this.mode = 'none';
      return;
    }
    if (this.mode === 'tree') {
      if (isGreenletTreeLine(text)) return;
      this.mode = 'none';
    }
    const c = text.charCodeAt(0);
    const isIndented = c === 32 || c === 9;
    if (this.mode === 'exception') {
      if (!isIndented) this.mode = 'none';
      return;
    }
    if (isIndented) this.indented(text, ln);
    else this.unindented(text, ln);
  }

  private indented(text: string, ln: number): void {
    if (this.mode === 'pyspy') {
      const frame = parsePySpyFrame(text);
      if (frame !== null) {
        this.b.addFrame(frame);
        return;
      }
      if (isPySpyLocalsLine(text)) return;
    }
    const frame = parsePythonFrameLine(text);
    if (frame !== null) {
      this.frame(frame, ln);
      return;
    }
    this.pending = null;
    this.label = null;
    if (this.isInTraceback() && this.lastFrameIndent !== null && indentOf(text) > this.lastFrameIndent) {
      if (isTracebackDecoration(text)) return;
      const last = this.b.lastFrame();
      if (last !== null && (last.sourceText ?? null) === null) last.sourceText = text.trim();
      return;
    }
    if (isTracebackDecoration(text)) return;
    // Helpers print faulthandler's words for a thread without Python code.
    if (text.trim() === '<no Python frame>') return;
    const g = parseGeventLine(text);
    if (g !== null) {
      if (g.kind === 'stackElided') {
        const t = this.b.openedThread();
        if (t) t.hasCompleteStack = false;
      }
      return;
    }
    if (!this.b.isThreadOpen() || this.mode === 'none') return;
    if (ln === this.lastLine) {
      this.ctx.warn('cut_short', ln, `the input ends inside a thread: ${this.mode === 'pyspy' ? EXPECTED_PY_SPY : EXPECTED_FRAME}`);
      const t = this.b.openedThread();
      if (t) t.hasCompleteStack = false;
      return;
    }
    this.ctx.warn('unrecognized_line', ln, this.mode === 'pyspy' ? EXPECTED_PY_SPY : EXPECTED_FRAME);
  }

  private unindented(text: string, ln: number): void {
    if (SEPARATOR.test(text)) {
      this.separator();
      return;
    }
    const label = this.label;
    this.label = null;
    const g = parseGeventLine(text);
    if (g !== null) {
      this.pending = null;
      this.gevent(g, text, ln);
      return;
    }
    const p = text[0] === 'P' || text[0] === 'T' ? parsePySpyLine(text) : null;
    if (p !== null && (p.kind !== 'thread' || p.name !== null || this.isPySpy)) {
      this.pending = null;
      this.pySpy(p, text, ln);
      return;
    }
    const frame = parsePythonFrameLine(text);
    if (frame !== null) {
      this.label = label;
      this.frame(frame, ln);
      return;
    }
    this.pending = null;
    const header = parseThreadHeader(text);
    if (header !== null && header.strength === 'strong') {
      this.openHeader(header, ln);
      return;
    }
    if (text === 'Traceback (most recent call last):' || text === 'Traceback (most recent call first):') {
      this.traceback(text);
      return;
    }
    this.endThread();
    if (header !== null) this.pending = { header, line: ln };
    else if (text.length <= 200) this.label = { text, line: ln, sawSeparator: false };
  }

  private isInTraceback(): boolean {
    return (this.mode === 'thread' || this.mode === 'blocked') && this.b.isThreadOpen();
  }

  private separator(): void {
    if (this.b.isThreadOpen() && this.b.openFrameCount() > 0) this.endThread();
    if (this.label !== null && !this.label.sawSeparator) this.label.sawSeparator = true;
    else this.label = null;
  }

  /** A `Traceback (…)` line right under a header belongs to it; elsewhere it is an exception in a log. */
  private traceback(text: string): void {
    if (this.isInTraceback() && this.b.openFrameCount() === 0) {
      if (text.endsWith('first):')) this.b.setOrder('innermostFirst');
      return;
    }
    this.endThread();
    if (text.endsWith('last):')) this.mode = 'exception';
  }

  private frame(f: PythonFrameLine, ln: number): void {
    if (!this.isInTraceback()) {
      if (this.pending !== null) this.openHeader(this.pending.header, this.pending.line);
      else if (this.label?.sawSeparator) this.openNamed(this.label.text, this.label.line);
      else this.anonymousThread(ln);
    }
    this.pending = null;
    this.label = null;
    if (this.b.openFrameCount() === 0 && !f.hasComma) this.b.setOrder('innermostFirst');
    this.b.addFrame(pythonFrame(f.function, f.file, f.line));
    this.lastFrameIndent = f.indent;
  }

  private openHeader(h: ThreadHeader, ln: number): void {
    const blocked = this.blockedThread;
    if (blocked !== null && h.kind === 'thread' && h.pthreadId !== null && h.pthreadId === blocked.pthreadId) {
      this.b.removeThread(blocked);
      this.blockedThread = null;
    }
    if (h.key !== null && this.b.hasKey(h.key) && !this.startCapture(ln)) return;
    const thread = emptyThread(ln, h.kind);
    thread.pthreadId = h.pthreadId;
    thread.lwp = h.lwp;
    thread.name = h.name;
    thread.isCurrent = h.isCurrent;
    if (h.kind === 'greenlet') thread.hostPthreadId = h.hostPthreadId;
    this.b.openThread(thread, h.isInnermostFirst ? 'innermostFirst' : 'outermostFirst', h.key);
    this.mode = 'thread';
    this.lastFrameIndent = null;
  }

  private openNamed(name: string, ln: number): void {
    const thread = emptyThread(ln);
    thread.name = name;
    this.b.openThread(thread, 'outermostFirst', null);
    this.mode = 'thread';
  }

  private anonymousThread(ln: number): void {
    if (!this.missingHeaderWarned) {
      this.missingHeaderWarned = true;
      this.ctx.warn(
        'missing_header',
        ln,
        `frames without a thread header: expected a line such as 'Thread 0x7f… (MainThread)' before them`,
      );
    }
    this.b.openThread(emptyThread(ln), 'outermostFirst', null);
    this.mode = 'thread';
  }

  private endThread(): void {
    this.b.closeThread();
    if (this.mode === 'thread' || this.mode === 'pyspy' || this.mode === 'blocked') this.mode = 'none';
    this.lastFrameIndent = null;
  }

  private startCapture(ln: number): Snapshot | null {
    this.endThread();
    const snap = this.b.newSnapshot(ln);
    this.pySpyPid = null;
    this.isPySpy = false;
    this.blockedThread = null;
    this.eventNote = null;
    this.missingHeaderWarned = false;
    return snap;
  }

  private gevent(g: GeventLine, text: string, ln: number): void {
    switch (g.kind) {
      case 'report': {
        const snap = this.startCapture(ln);
        if (!snap) return;
        snap.label = g.timestamp;
        this.eventNote = { kind: 'event_loop_blocked', message: g.message, pthreadId: null, line: ln };
        snap.notes.push(this.eventNote);
        return;
      }
      case 'blockedStack':
        this.blockedStack(g.pthreadId, text, ln);
        return;
      case 'noHubThread':
        if (this.blockedThread !== null) this.b.removeThread(this.blockedThread);
        this.blockedThread = null;
        this.endThread();
        return;
      case 'info':
        this.endThread();
        return;
      case 'section':
        this.endThread();
        if (g.section === 'greenlets') this.mode = 'tree';
        return;
      default:
        return;
    }
  }

  private blockedStack(pthreadId: string | null, text: string, ln: number): void {
    this.endThread();
    const snap = this.b.current(ln);
    const note = this.eventNote;
    if (note !== null && note.pthreadId === null && snap.notes.includes(note)) note.pthreadId = pthreadId;
    else snap.notes.push({ kind: 'event_loop_blocked', message: text, pthreadId, line: ln });
    if (pthreadId === null) return;
    // Provisional: the report's `* Threads` section lists this thread again, and replaces it.
    const thread = emptyThread(ln);
    thread.pthreadId = pthreadId;
    this.b.openThread(thread, 'outermostFirst', null);
    this.blockedThread = thread;
    this.mode = 'blocked';
  }

  private pySpy(p: PySpyLine, text: string, ln: number): void {
    switch (p.kind) {
      case 'process': {
        const snap = this.startCapture(ln);
        if (!snap) return;
        this.isPySpy = true;
        this.pySpyPid = p.pid;
        snap.pid = p.pid;
        if (p.pid !== null) snap.processes.push({ ...emptyProcess(p.pid, ln), command: p.command });
        return;
      }
      case 'parentProcess': {
        const proc = this.b.peek()?.processes[0];
        if (proc) proc.ppid = p.pid;
        return;
      }
      case 'pythonVersion':
        this.endThread();
        this.isPySpy = true;
        this.b.current(ln).notes.push({ kind: 'info', message: text, pthreadId: null, line: ln });
        return;
      case 'thread': {
        if (p.key !== null && this.b.hasKey(p.key)) {
          if (!this.startCapture(ln)) return;
          this.isPySpy = true;
        }
        const thread = emptyThread(ln);
        thread.pid = this.pySpyPid;
        thread.pthreadId = p.pthreadId;
        thread.lwp = p.lwp;
        thread.name = p.name;
        thread.pythonMarkers.push(...p.markers);
        this.b.openThread(thread, 'innermostFirst', p.key);
        this.mode = 'pyspy';
        this.lastFrameIndent = null;
        return;
      }
    }
  }

  finish(): Snapshot[] {
    const t = this.b.openedThread();
    if (t && this.b.openFrameCount() === 0 && t.line === this.lastLine && t !== this.blockedThread) {
      this.ctx.warn('cut_short', t.line, 'the input ends right after a thread header: its frames are missing');
      t.hasCompleteStack = false;
    }
    return this.b.finish();
  }
}

/** Parses lines[start, end) of a traceback dump, py-spy dump or gevent monitor report into snapshots. */
export function parseTracebackDump(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const parser = new TracebackDumpParser(ctx, lines.length);
  for (let i = start; i < end && !parser.isStopped; i++) parser.read(lines[i] ?? '', i + 1);
  return parser.finish();
}
