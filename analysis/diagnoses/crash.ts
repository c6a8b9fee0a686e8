/**
 * `crash`: the process died on a fatal signal or a fatal error. Evidence is a crash record (a
 * core session's `Program terminated with signal SIGSEGV`, faulthandler's `Fatal Python error:
 * Aborted`) or a thread whose own stack shows the signal being delivered. One diagnosis per
 * crashing process, named after the signal and the frame that explains it (crash-frame.ts).
 */
import type { CrashInfo } from '../../parsers/model.js';
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread, DiagnosisContext } from '../model.js';
import { decidingFrame, handlerSignal, isCrashingThread, matchesCrash, raisedSignal, signalName } from './crash-frame.js';
import { describeFrame } from './frame-match.js';
import type { DiagnosisRule } from './rule.js';
import { threadLabel } from './wording.js';

// What usually causes each signal and where to look next.
const ADVICE: Readonly<Record<string, string>> = {
  SIGSEGV:
    'A SIGSEGV is an access to memory the process does not own: a null or dangling pointer used in that frame, or memory corrupted earlier. ' +
    'Check the pointers it receives; reproduce under AddressSanitizer or valgrind to find where the memory went bad.',
  SIGBUS:
    'A SIGBUS is a misaligned access or a read past the end of a memory-mapped file that shrank; check mmap users and the file they map.',
  SIGABRT:
    'A SIGABRT is the program stopping itself: abort(), a failed assert, a fatal library error or a C++ terminate. ' +
    'The message printed just before it (stderr, the journal) says which check failed; fix the condition that check guards.',
  SIGFPE: 'A SIGFPE is an integer division by zero or overflow in that frame; check the divisor.',
  SIGILL:
    'A SIGILL is an illegal instruction: code built for another CPU, a corrupted function pointer, or a deliberate trap (__builtin_trap, Rust/Go panics).',
  SIGTRAP:
    'A SIGTRAP outside a debugger is a deliberate trap: GLib stops on a fatal warning or critical (G_DEBUG=fatal-warnings), or a __builtin_trap; read the logged message.',
};
// Python processes: faulthandler's traceback is the first thing to read (python/cpython Modules/faulthandler.c).
const PYTHON_ADVICE: Readonly<Record<string, string>> = {
  SIGABRT:
    'In Python an abort is deliberate — os.abort(), an assert in a C extension, or a Fatal Python error: faulthandler printed every thread’s Python traceback, and the innermost frame of the current thread called it.',
  SIGSEGV:
    'Under Python a SIGSEGV is a C extension (or ctypes) bug, never Python code itself: upgrade, isolate or bisect the extension the deciding frame belongs to.',
};

// strsignal() texts as gdb (`Program terminated with signal 11, Segmentation fault.`) and faulthandler
// (`Fatal Python error: Segmentation fault`) print them (glibc string/_strsignal.h, Modules/faulthandler.c).
const SIGNAL_TEXTS: ReadonlyArray<readonly [RegExp, string, number]> = [
  [/segmentation fault/i, 'SIGSEGV', 11],
  [/aborted/i, 'SIGABRT', 6],
  [/bus error/i, 'SIGBUS', 7],
  [/floating[- ]point exception/i, 'SIGFPE', 8],
  [/illegal instruction/i, 'SIGILL', 4],
  [/trace\/breakpoint trap/i, 'SIGTRAP', 5],
];

function signalOf(crashes: readonly CrashInfo[], thread: ClassifiedThread | null): { name: string; number: number | null } {
  for (const c of crashes) {
    if (c.signal !== null) return { name: c.signal, number: c.signalNumber };
    const byNumber = signalName(c.signalNumber);
    if (byNumber !== null) return { name: byNumber, number: c.signalNumber };
  }
  for (const c of crashes) {
    const byText = SIGNAL_TEXTS.find(([re]) => re.test(c.description));
    if (byText !== undefined) return { name: byText[1], number: byText[2] };
  }
  const raised = thread === null ? null : raisedSignal(thread.frames);
  const name = signalName(raised);
  if (name !== null) return { name, number: raised };
  const fatal = crashes.find((c) => c.description !== '');
  return { name: fatal ? fatal.description : 'a fatal signal', number: null };
}

function crashDiagnosis(
  pid: number | null,
  thread: ClassifiedThread | null,
  crashes: readonly CrashInfo[],
  processThreads: number,
): Diagnosis {
  const signal = signalOf(crashes, thread);
  const deciding = thread === null ? null : decidingFrame(thread.frames);
  const where = deciding === null ? '' : ` at ${describeFrame(deciding.frame, deciding.frame.language === 'python')}`;
  const who = thread === null ? '' : ` in ${threadLabel(thread)}`;
  const handled = thread === null ? null : handlerSignal(thread.frames);
  const original = handled !== null && handled !== signal.number ? signalName(handled) : null;
  const title = `Crash: ${signal.name}${original ? ` after ${original}` : ''}${who}${where}`;

  const described = crashes.find((c) => c.description !== '')?.description;
  const command = crashes.find((c) => c.command !== null)?.command ?? null;
  const subject = pid !== null ? `Process ${pid}${command ? ` (${command})` : ''}` : command ? `The process (${command})` : 'The process';
  const parts = [`${subject} died on ${signal.name}${described && described !== signal.name ? ` (${described})` : ''}${who}.`];
  if (deciding !== null) {
    const caller = deciding.caller === null ? '' : `, called from ${describeFrame(deciding.caller, deciding.caller.language === 'python')}`;
    parts.push(
      `The deciding frame is ${describeFrame(deciding.frame, true)}${caller}: the first application frame below the signal and abort/assert machinery.`,
    );
  } else {
    parts.push(
      'No stack of the crashing thread was given; a backtrace of the core (`gdb -batch -ex "thread apply all bt" program core`) shows where it died.',
    );
  }
  if (handled !== null && handled !== signal.number) {
    parts.push(
      `A fatal-signal handler was running for signal ${handled}${signalName(handled) ? ` (${signalName(handled)})` : ''}: that was the original fault; the ${signal.name} came from the handler.`,
    );
  }
  if (processThreads === 2) parts.push('The other thread was only caught where it stood when the process died.');
  if (processThreads > 2) parts.push(`The other ${processThreads - 1} threads were only caught where they stood when the process died.`);
  const key = handled !== null ? (signalName(handled) ?? signal.name) : signal.name;
  parts.push(ADVICE[key] ?? 'Read the message printed just before the crash and the deciding frame’s arguments.');
  const isPython = thread?.frames.some((f) => f.language === 'python') ?? false;
  const pythonAdvice = PYTHON_ADVICE[key];
  if (pythonAdvice !== undefined && (isPython || crashes.some((c) => c.description.startsWith('Fatal Python error'))))
    parts.push(pythonAdvice);

  const evidence: Diagnosis['evidence'] = { signal: signal.name, threads: processThreads };
  if (signal.number !== null) evidence.signalNumber = signal.number;
  if (thread?.lwp != null) evidence.lwp = thread.lwp;
  if (deciding !== null) evidence.frame = deciding.frame.function ?? '??';
  if (handled !== null) evidence.handlerSignal = handled;
  return { code: 'crash', severity: 'critical', title, detail: parts.join(' '), threadKeys: thread === null ? [] : [thread.key], evidence };
}

/** Reports each process that died on a fatal signal or fatal error, naming the signal and the deciding frame. */
export const detectCrash: DiagnosisRule = (ctx: DiagnosisContext) => {
  const byProcess = new Map<number | null, ClassifiedThread[]>();
  for (const t of ctx.threads) {
    if (!isCrashingThread(t, ctx.crashes)) continue;
    const list = byProcess.get(t.pid);
    if (list) list.push(t);
    else byProcess.set(t.pid, [t]);
  }
  const found: Array<{ pid: number | null; primary: ClassifiedThread; records: CrashInfo[] }> = [];
  for (const [pid, crashing] of byProcess) {
    // The thread a crash record names decides; then correlation's flag; then the first stack that shows the signal.
    const primary =
      crashing.find((t) => ctx.crashes.some((c) => matchesCrash(t, c))) ??
      crashing.find((t) => t.isCrashing) ??
      (crashing[0] as ClassifiedThread);
    found.push({ pid, primary, records: ctx.crashes.filter((c) => matchesCrash(primary, c)) });
  }
  const unmatched = ctx.crashes.filter((c) => !found.some((f) => f.records.includes(c)));
  // Crash records that name no known thread (a core whose threads were not listed, a header without `Current thread`)
  // belong to the one crashing process if there is exactly one; with none, they are a crash of their own.
  const only = found.length === 1 ? found[0] : undefined;
  if (only !== undefined) only.records.push(...unmatched);
  const out = found.map((f) => crashDiagnosis(f.pid, f.primary, f.records, ctx.threads.filter((t) => t.pid === f.pid).length));
  if (found.length === 0 && unmatched.length > 0) out.push(crashDiagnosis(null, null, unmatched, 0));
  return out;
};
