/**
 * `event_loop_blocked`: the OS thread that runs an asyncio loop or a gevent hub is stuck in a
 * blocking call (or a CPU loop) inside a callback or greenlet, so every other task or greenlet
 * of that loop starves. The loop thread is recognised by its Python frames
 * (`asyncio/base_events.py run_forever/_run_once`, `gevent/hub.py run`, tornado, Twisted), by
 * greenlet frames below the stack (`greenlet::UserGreenlet::g_switch`, `g_initialstub`,
 * `inner_bootstrap`, C greenlet's `slp_switch`; FRAMES.md §6.9), or by greenlets listed on it.
 * Its own selector wait (`epoll_wait ← … ← selectors.py select ← base_events.py _run_once`,
 * libev's `ev_run` under `hub.py run`) is the loop idling, not blocked. gevent's monitor thread
 * also says it outright ("… appears to be blocked", a SnapshotNote with the hub's pthread id).
 */

import { normalizePthreadId } from '../../parsers/identity.js';
import type { RawFrame, SnapshotNote } from '../../parsers/model.js';
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { describeFrame, frameNames, innermostPython, isInterpreterFrame, isNamed, isPythonCode, isPythonIn } from './frame-match.js';
import { processViews } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { effectiveCpu } from './thread-cpu.js';
import { formatPercent, threadLabel } from './wording.js';

/** CPU, in percent of one CPU, from which a loop thread caught running is stuck in a CPU-bound callback. */
export const LOOP_CPU_MIN = 80;
/**
 * Involuntary context switches per second from which a loop thread caught running is CPU-bound
 * even when its %CPU is low: the kernel keeps preempting it because it never stops wanting the
 * CPU — on a busy host its %CPU is what it was given, not what it asked for (pidstat's %wait).
 */
export const LOOP_PREEMPTIONS_MIN = 50;
/** Repeated captures that all show the loop thread running the same stack also prove a stuck callback. */
export const MIN_STUCK_CAPTURES = 2;

type LoopKind = 'asyncio' | 'gevent' | 'tornado' | 'twisted';

const LOOP_PY: ReadonlyArray<readonly [LoopKind, string, readonly string[]]> = [
  ['asyncio', 'asyncio/base_events.py', ['run_forever', '_run_once', 'run_until_complete']],
  ['gevent', 'gevent/hub.py', ['run']],
  ['tornado', 'tornado/ioloop.py', ['start']],
  ['twisted', 'twisted/internet/base.py', ['run', 'mainLoop']],
];
// The loop's own wait for events: the Python frame directly above the poll call.
const OWN_WAIT_PY: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['selectors.py', ['select']],
  ['asyncio/base_events.py', ['_run_once']],
  ['gevent/hub.py', ['run']],
  ['tornado/ioloop.py', ['start']],
  ['twisted/internet/epollreactor.py', ['doPoll']],
  ['twisted/internet/pollreactor.py', ['doPoll']],
  ['twisted/internet/selectreactor.py', ['doSelect']],
];
// Native event-loop cores (libev `deps/libev/ev.c`, libuv `src/unix/core.c`).
const LOOP_NATIVE = new Set(['ev_run', 'epoll_poll', 'uv_run', 'uv__io_poll', 'io_poll']);
const GREENLET_NATIVE = new Set(['g_switch', 'g_initialstub', 'slp_switch', 'g_switchstack']);
const WAITING_STATES = new Set<ClassifiedThread['state']>(['io_wait', 'sleep', 'lock_wait', 'child_wait']);

function hasGreenletFrames(frames: readonly RawFrame[]): boolean {
  return frames.some((f) => f.language === 'native' && (isNamed(f, GREENLET_NATIVE) || (f.function?.includes('greenlet::') ?? false)));
}

/** Which loop the thread runs, or null when it runs none. */
export function loopKind(t: ClassifiedThread): LoopKind | null {
  for (const [kind, file, fns] of LOOP_PY) if (t.frames.some((f) => isPythonIn(f, file, fns))) return kind;
  if (hasGreenletFrames(t.frames) || t.greenlets.length > 0) return 'gevent';
  return null;
}

/** True when the thread waits in the loop's own selector: idle, not blocked. */
function isOwnWait(t: ClassifiedThread): boolean {
  if (t.state !== 'io_wait') return false;
  const pythonFrames = t.frames.filter(isPythonCode);
  const first = pythonFrames[0];
  if (first === undefined) return t.frames.some((f) => isNamed(f, LOOP_NATIVE));
  if (!OWN_WAIT_PY.some(([file, fns]) => isPythonIn(first, file, fns))) return false;
  // `selectors.py select` is the loop's only when a loop frame called it, not a callback using a selector itself.
  if (!isPythonIn(first, 'selectors.py')) return true;
  const caller = pythonFrames[1];
  return caller !== undefined && OWN_WAIT_PY.some(([file, fns]) => file !== 'selectors.py' && isPythonIn(caller, file, fns));
}

function isStuckRunning(t: ClassifiedThread, siblings: readonly ClassifiedThread[]): boolean {
  const cpu = effectiveCpu(t, siblings);
  if (cpu !== null && cpu >= LOOP_CPU_MIN) return true;
  if (t.involuntarySwitchesPerSec !== null && t.involuntarySwitchesPerSec >= LOOP_PREEMPTIONS_MIN) return true;
  return t.captures.length >= MIN_STUCK_CAPTURES && t.captures.every((c) => c === t.captures[0]);
}

/** The call the loop thread is stuck in: short (`read in export_report (gevent_app.py:74)`) and with the source line. */
function blockingCall(t: ClassifiedThread): { short: string; long: string } {
  const py = innermostPython(t.frames);
  const native = t.frames.find((f) => f.language === 'native' && f.function !== null && !isInterpreterFrame(f, true));
  const call = t.blockingFrame ?? (native ? (frameNames(native)[0] ?? describeFrame(native)) : null);
  const code = py?.sourceText?.trim().replace(/\s+#.*$/, '') ?? null;
  const where = py === null ? '' : ` in ${describeFrame(py, true)}`;
  const what = call ?? code ?? 'a blocking call';
  return { short: `${what}${where}`, long: `${what}${code !== null && call !== null ? ` (\`${code}\`)` : ''}${where}` };
}

const FIX: Readonly<Record<LoopKind, string>> = {
  asyncio:
    'Fix: never block in a coroutine or callback — run blocking calls with `await loop.run_in_executor(None, fn)` / `asyncio.to_thread(fn)`, use the async API (asyncio streams, aiohttp, asyncio.sleep), and move CPU-heavy work to a ProcessPoolExecutor.',
  gevent:
    'Fix: make the call cooperative — monkey.patch_all() before anything else is imported, gevent.os.tp_read / nb_read for pipes, gevent.sleep for sleeps — or run it off the hub with gevent.get_hub().threadpool.apply(fn); move CPU-heavy work to a process pool.',
  tornado:
    'Fix: run the blocking call with `await IOLoop.current().run_in_executor(None, fn)` or use tornado’s async clients; move CPU-heavy work to a process pool.',
  twisted: 'Fix: use deferToThread(fn) for blocking calls or Twisted’s async APIs; move CPU-heavy work to a process pool.',
};

const LOOP_NAME: Readonly<Record<LoopKind, string>> = {
  asyncio: 'asyncio loop',
  gevent: 'gevent hub',
  tornado: 'tornado IOLoop',
  twisted: 'Twisted reactor',
};

function samePthread(a: string | null, b: string | null): boolean {
  const x = normalizePthreadId(a);
  return x !== null && x === normalizePthreadId(b);
}

function blockedLoop(
  t: ClassifiedThread,
  kind: LoopKind,
  cpuBound: boolean,
  notes: readonly SnapshotNote[],
  siblings: readonly ClassifiedThread[],
): Diagnosis {
  const loop = LOOP_NAME[kind];
  const call = blockingCall(t);
  const cpu = effectiveCpu(t, siblings);
  const parts = [
    cpuBound
      ? `The ${loop} on ${threadLabel(t)} is running a callback on CPU${cpu === null ? '' : ` (${formatPercent(cpu)} of a CPU)`} in ${call.long} instead of returning to the loop.`
      : `The ${loop} on ${threadLabel(t)} is stuck in ${call.long} (${t.state.replace('_', ' ')}), a call that blocks the whole OS thread.`,
    `While it lasts, no other ${kind === 'gevent' ? 'greenlet' : 'task or callback'} of this loop can run: timers fire late, sockets are not served, health checks time out.`,
  ];
  if (cpuBound && t.involuntarySwitchesPerSec !== null && t.involuntarySwitchesPerSec >= LOOP_PREEMPTIONS_MIN) {
    parts.push(
      `The kernel preempts it ${Math.round(t.involuntarySwitchesPerSec)} times a second: it never gives the CPU back by itself, so its %CPU is only what the busy host lets it have.`,
    );
  }
  if (t.greenlets.length > 0) parts.push(`${t.greenlets.length} greenlet${t.greenlets.length === 1 ? ' waits' : 's wait'} on this thread.`);
  const quotes = [...new Set(notes.map((n) => n.message.trim()))];
  if (quotes.length > 0) {
    const times = notes.length === 1 ? '' : ` ${notes.length} times`;
    parts.push(`The loop's own monitor reported it${times}: "${quotes[quotes.length - 1]}".`);
  }
  parts.push(FIX[kind]);
  const evidence: Diagnosis['evidence'] = { loop: kind, state: t.state, monitorReports: notes.length, greenlets: t.greenlets.length };
  if (cpu !== null) evidence.cpuPercent = Math.round(cpu * 10) / 10;
  if (t.involuntarySwitchesPerSec !== null) evidence.involuntarySwitchesPerSec = Math.round(t.involuntarySwitchesPerSec);
  return {
    code: 'event_loop_blocked',
    severity: 'critical',
    title: `Event loop blocked: ${loop} on ${threadLabel(t)} is stuck in ${call.short}`,
    detail: parts.join(' '),
    threadKeys: [t.key],
    evidence,
  };
}

/** Reports asyncio loops and gevent hubs stuck in a blocking call or a CPU-bound callback. */
export const detectEventLoopBlocked: DiagnosisRule = (ctx: DiagnosisContext) => {
  const monitorNotes = ctx.notes.filter((n) => n.kind === 'event_loop_blocked');
  const out: Diagnosis[] = [];
  const reported = new Set<SnapshotNote>();
  for (const view of processViews(ctx)) {
    for (const t of view.threads) {
      const notes = monitorNotes.filter((n) => samePthread(n.pthreadId, t.pthreadId));
      const kind = loopKind(t) ?? (notes.length > 0 ? 'gevent' : null);
      if (kind === null || t.idle || t.isCrashing) continue;
      const blocked = WAITING_STATES.has(t.state) && !isOwnWait(t);
      const cpuBound = !blocked && t.state === 'running' && isStuckRunning(t, view.threads);
      if (!blocked && !cpuBound && notes.length === 0) continue;
      for (const n of notes) reported.add(n);
      out.push(blockedLoop(t, kind, cpuBound, notes, view.threads));
    }
  }
  // A monitor report about a thread no stack showed still says the hub was blocked.
  const orphan = monitorNotes.filter((n) => !reported.has(n));
  const first = orphan[0];
  if (first !== undefined) {
    out.push({
      code: 'event_loop_blocked',
      severity: 'critical',
      title: `Event loop blocked: the gevent hub${first.pthreadId ? ` on thread ${first.pthreadId}` : ''} was reported blocked by its monitor`,
      detail:
        `gevent's monitor thread reported the hub blocked: "${first.message.trim()}"${orphan.length > 1 ? ` (${orphan.length} reports)` : ''}. ` +
        'A greenlet made a blocking call (or ran on CPU) without yielding, so no other greenlet could run. The blocked stack in the report names the call. ' +
        FIX.gevent,
      threadKeys: [],
      evidence: { loop: 'gevent', monitorReports: orphan.length },
    });
  }
  return out;
};
