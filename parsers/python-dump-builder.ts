/**
 * Snapshot, thread and frame bookkeeping shared by the two Python dump parsers
 * (faulthandler, traceback dumps): where a capture starts and ends, which thread
 * frames go to, the order they were printed in, and every limit of `Limits`.
 */
import type { ParseContext } from './format.js';
import { emptySnapshot, type RawFrame, type RawThread, type Snapshot } from './model.js';

/** How a tool lists a stack: faulthandler and py-spy innermost first, `traceback` innermost last. */
export type FrameOrder = 'innermostFirst' | 'outermostFirst';

interface OpenThread {
  thread: RawThread;
  frames: RawFrame[];
  order: FrameOrder;
  overflow: boolean;
  /** Dropped by the thread limit: frames are read and thrown away. */
  dropped: boolean;
}

/** Collects snapshots while a parser walks its lines, and applies the limits of one parse. */
export class PythonDumpBuilder {
  private readonly done: Snapshot[] = [];
  private snap: Snapshot | null = null;
  private open: OpenThread | null = null;
  private keys = new Set<string>();
  private threadLimitWarned = false;
  private stopped = false;

  constructor(
    private readonly ctx: ParseContext,
    private readonly tool: string,
  ) {}

  /** True once the snapshot limit was hit: the parser should stop reading. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The snapshot being filled, created at `line` when there is none yet. */
  current(line: number): Snapshot {
    if (this.snap === null) this.snap = emptySnapshot(0, line);
    return this.snap;
  }

  /** The snapshot being filled, or null before the first one. */
  peek(): Snapshot | null {
    return this.snap;
  }

  /** True when the current snapshot holds anything worth reporting. */
  hasContent(): boolean {
    const s = this.snap;
    return s !== null && (s.threads.length > 0 || s.crash !== null || s.notes.length > 0 || s.processes.length > 0);
  }

  /** Ends the current capture and starts another at `line`; null when the snapshot limit is reached. */
  newSnapshot(line: number): Snapshot | null {
    this.closeThread();
    if (this.snap !== null && !this.hasContent()) {
      this.snap.line = line;
      this.keys = new Set();
      this.threadLimitWarned = false;
      return this.snap;
    }
    if (this.snap !== null) {
      if (this.done.length + 1 >= this.ctx.limits.maxSnapshots) {
        this.ctx.warn(
          'too_many_snapshots',
          line,
          `kept the first ${this.ctx.limits.maxSnapshots} ${this.tool} captures; the input from line ${line} on was not read`,
        );
        this.stopped = true;
        return null;
      }
      this.done.push(this.snap);
    }
    this.snap = emptySnapshot(0, line);
    this.keys = new Set();
    this.threadLimitWarned = false;
    return this.snap;
  }

  /** True when a thread with this identity key was already opened in the current snapshot. */
  hasKey(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * Closes the open thread and opens `thread` in the current snapshot. Returns false when the
   * thread limit dropped it; its frames are then read and discarded.
   */
  openThread(thread: RawThread, order: FrameOrder, key: string | null): boolean {
    this.closeThread();
    const snap = this.current(thread.line);
    if (key !== null) this.keys.add(key);
    const dropped = snap.threads.length >= this.ctx.limits.maxThreads;
    if (dropped && !this.threadLimitWarned) {
      this.threadLimitWarned = true;
      this.ctx.warn('too_many_threads', thread.line, `kept the first ${this.ctx.limits.maxThreads} threads of this ${this.tool} capture`);
    }
    if (!dropped) snap.threads.push(thread);
    this.open = { thread, frames: [], order, overflow: false, dropped };
    return !dropped;
  }

  /** The thread frames currently go to, or null (also null for a thread dropped by the limit). */
  openedThread(): RawThread | null {
    return this.open !== null && !this.open.dropped ? this.open.thread : null;
  }

  /** True when a thread section is open, even one dropped by the thread limit. */
  isThreadOpen(): boolean {
    return this.open !== null;
  }

  /** Adds a frame to the open thread in the order the tool printed it. */
  addFrame(frame: RawFrame): void {
    const o = this.open;
    if (o === null || o.dropped) return;
    const max = this.ctx.limits.maxFramesPerThread;
    if (o.order === 'innermostFirst') {
      if (o.frames.length >= max) o.overflow = true;
      else o.frames.push(frame);
      return;
    }
    // Innermost frames come last here and matter most: keep a window of the newest ones.
    o.frames.push(frame);
    if (o.frames.length >= 2 * max) {
      o.frames.splice(0, o.frames.length - max);
      o.overflow = true;
    }
  }

  /** Changes the frame order of the open thread while it has no frames yet (a header names its order). */
  setOrder(order: FrameOrder): void {
    if (this.open !== null && this.open.frames.length === 0) this.open.order = order;
  }

  /** The frame added last to the open thread, to attach a source line to. */
  lastFrame(): RawFrame | null {
    const o = this.open;
    if (o === null || o.dropped) return null;
    return o.frames[o.frames.length - 1] ?? null;
  }

  /** Number of frames read so far for the open thread. */
  openFrameCount(): number {
    return this.open === null ? 0 : this.open.frames.length;
  }

  /** Removes a thread from the current snapshot (a provisional thread replaced by a fuller one). */
  removeThread(thread: RawThread): void {
    if (this.open !== null && this.open.thread === thread) this.open = null;
    if (this.snap !== null) this.snap.threads = this.snap.threads.filter((t) => t !== thread);
  }

  /** Puts the open thread's frames in innermost-first order and applies the frame limit. */
  closeThread(): void {
    const o = this.open;
    this.open = null;
    if (o === null || o.dropped) return;
    const max = this.ctx.limits.maxFramesPerThread;
    let frames = o.frames;
    if (o.order === 'outermostFirst') {
      if (frames.length > max) {
        frames = frames.slice(frames.length - max);
        o.overflow = true;
      }
      frames.reverse();
    }
    o.thread.frames = frames;
    if (o.overflow) {
      o.thread.hasCompleteStack = false;
      this.ctx.warn('too_many_frames', o.thread.line, `kept the ${max} innermost frames of this thread; the outer ones were dropped`);
    }
  }

  /** Closes everything and returns the snapshots that hold something, indexed in input order. */
  finish(): Snapshot[] {
    this.closeThread();
    if (this.snap !== null && this.hasContent() && this.done.length < this.ctx.limits.maxSnapshots) this.done.push(this.snap);
    this.snap = null;
    this.done.forEach((s, i) => {
      s.index = i;
    });
    return this.done;
  }
}
