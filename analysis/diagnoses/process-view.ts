/**
 * Threads of a case gathered by the process they belong to: most rules judge one process at a
 * time (a deadlock, a hang and GIL contention are properties of one address space).
 */
import type { CaseProcess, ClassifiedThread, DiagnosisContext, SyscallSummary } from '../model.js';

export interface ProcessView {
  /** Process id, or null for threads no input tied to a process. */
  pid: number | null;
  threads: ClassifiedThread[];
  /** What ps/top/pidstat said about the process, when any did. */
  process: CaseProcess | null;
}

/** The case's threads grouped by pid, in first-seen order; threads without a pid form one view of their own. */
export function processViews(ctx: DiagnosisContext): ProcessView[] {
  // Every rule asks for the same views of the same context: build them once.
  const known = viewsOfContext.get(ctx);
  if (known !== undefined) return [...known];
  const views = new Map<number | null, ProcessView>();
  for (const t of ctx.threads) {
    let view = views.get(t.pid);
    if (view === undefined) {
      view = { pid: t.pid, threads: [], process: ctx.processes.find((p) => p.pid === t.pid) ?? null };
      views.set(t.pid, view);
    }
    view.threads.push(t);
  }
  const built = [...views.values()];
  viewsOfContext.set(ctx, built);
  return [...built];
}

const viewsOfContext = new WeakMap<DiagnosisContext, readonly ProcessView[]>();

/** {@link processViews}, plus an empty view for each process only ps/pidstat/top or a system-call summary speaks of (no stacks). */
export function everyProcessView(ctx: DiagnosisContext): ProcessView[] {
  const views = processViews(ctx);
  for (const p of ctx.processes) {
    if (!views.some((v) => v.pid === p.pid)) views.push({ pid: p.pid, threads: [], process: p });
  }
  for (const s of ctx.syscalls) {
    const covered = views.some((v) => v.pid === s.pid) || (s.pid === null && views.length > 0);
    if (!covered) views.push({ pid: s.pid, threads: [], process: null });
  }
  return views;
}

/** The system-call summaries about one process: its own, and one without a pid when it is the only process in the case. */
export function syscallsFor(view: ProcessView, ctx: DiagnosisContext, viewCount: number): SyscallSummary[] {
  return ctx.syscalls.filter((s) => s.pid === view.pid || (s.pid === null && viewCount === 1));
}

/** Words for a process in titles: `process 402 (deadlock)`, or `the process` when its pid is unknown. */
export function processLabel(view: Pick<ProcessView, 'pid' | 'process'>): string {
  if (view.pid === null) return 'the process';
  const command = view.process?.command?.trim().split(/\s+/)[0];
  const name = command === undefined ? null : command.slice(command.lastIndexOf('/') + 1);
  return name ? `process ${view.pid} (${name})` : `process ${view.pid}`;
}
