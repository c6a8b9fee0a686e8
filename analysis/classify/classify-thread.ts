/**
 * Deciding one thread's state from its whole stack through the rule table (rules.ts), keeping the
 * evidence: rule id, deciding frame, a why, and how much of the thread was seen.
 */
import type { Classification } from '../../report/schema.js';
import type { CorrelatedThread, Verdict } from '../model.js';
import {
  matchBuiltin,
  matchCpu,
  matchCrash,
  matchMarker,
  matchNative,
  matchOsState,
  matchPython,
  matchSource,
  matchWchan,
  type RuleMatch,
} from './match.js';
import type { NativeRule, Rule } from './rule.js';
import {
  BUILTIN_TABLE,
  CPU_TABLE,
  CRASH_TABLE,
  EARLY_MARKER_TABLE,
  LATE_MARKER_TABLE,
  NATIVE_TABLE,
  OS_RUNNING_TABLE,
  OS_STATE_TABLE,
  PYTHON_TABLE,
  SOURCE_TABLE,
  WCHAN_TABLE,
} from './rules.js';
import { type StackView, viewStack } from './stack-view.js';

type Confidence = Classification['confidence'];

interface Decision {
  rule: Rule;
  match: RuleMatch;
  confidence: Confidence;
  idle: boolean;
  notes: string[];
}

const GIL_MARKER = 'waiting for the gil';

/** The first rule of a table that matches, with its match. */
function firstMatch<R extends Rule>(rules: readonly R[], match: (rule: R) => RuleMatch | null): [R, RuleMatch] | null {
  for (const rule of rules) {
    const m = match(rule);
    if (m) return [rule, m];
  }
  return null;
}

function decision([rule, match]: [Rule, RuleMatch], confidence: Confidence, notes: string[] = []): Decision {
  return { rule, match, confidence, idle: rule.idle ?? false, notes };
}

/** A native verdict, marked idle when the innermost Python frames are a known idle pattern in the same state. */
function withPythonContext([rule, match]: [NativeRule, RuleMatch], view: StackView, confidence: Confidence): Decision {
  const result = decision([rule, match], confidence);
  const context = firstMatch(PYTHON_TABLE, (r) => matchPython(r, view));
  if (context && context[0].state === rule.state) {
    result.notes.push(`Python ${context[1].evidence}: ${context[0].why}`);
    result.idle ||= context[0].idle ?? false;
  }
  return result;
}

/** py-bt's GIL marker that was not trusted, said so (FRAMES §1.5). */
function untrustedMarkerNote(view: StackView): string[] {
  const has = view.thread.pythonMarkers.some((m) => m.trim().toLowerCase() === GIL_MARKER);
  if (!has) return [];
  const version = view.pythonVersion ? `Python ${view.pythonVersion.join('.')}` : 'an unknown Python version';
  return [`py-bt's 'Waiting for the GIL' not used: for ${version} it may also mark lock waits (reliable from 3.7)`];
}

/** How much of the thread was read: its whole native stack, Python frames or a top frame, or only OS facts. */
function seenConfidence(thread: CorrelatedThread): Confidence {
  if (thread.hasNativeStack && !thread.topFrameOnly) return 'high';
  return thread.frames.length > 0 ? 'medium' : 'low';
}

/** Runs the stages from the strongest evidence to the weakest. */
function decide(view: StackView): Decision | null {
  const t = view.thread;
  const crash = firstMatch(CRASH_TABLE, (r) => matchCrash(r, view));
  if (crash) return decision(crash, seenConfidence(t));
  const native = firstMatch(NATIVE_TABLE, (r) => matchNative(r, view));
  if (native) return withPythonContext(native, view, seenConfidence(t));
  if (!t.hasNativeStack) {
    const marker = firstMatch(EARLY_MARKER_TABLE, (r) => matchMarker(r, view));
    if (marker) return decision(marker, 'medium');
  }
  const notes = t.hasNativeStack ? [] : untrustedMarkerNote(view);
  const python =
    firstMatch(PYTHON_TABLE, (r) => matchPython(r, view)) ??
    firstMatch(BUILTIN_TABLE, (r) => matchBuiltin(r, view)) ??
    firstMatch(SOURCE_TABLE, (r) => matchSource(r, view)) ??
    firstMatch(LATE_MARKER_TABLE, (r) => matchMarker(r, view));
  if (python) return decision(python, 'medium', notes);
  const os =
    firstMatch(OS_RUNNING_TABLE, (r) => matchOsState(r, view)) ??
    firstMatch(WCHAN_TABLE, (r) => matchWchan(r, view, WCHAN_TABLE)) ??
    firstMatch(OS_STATE_TABLE, (r) => matchOsState(r, view)) ??
    firstMatch(CPU_TABLE, (r) => matchCpu(r, view));
  if (os) return decision(os, 'low', [...notes, ...stackNotSeenNote(view)]);
  return null;
}

/** When the OS decided although frames were there, say why the frames did not. */
function stackNotSeenNote(view: StackView): string[] {
  return view.thread.frames.length > 0 ? [`the frames did not decide: ${framesWhy(view)}`] : [];
}

/** What the frames showed when no frame rule matched. */
function framesWhy(view: StackView): string {
  const leaf = view.span[0];
  if (leaf !== undefined && !view.names[leaf]) {
    const library = view.thread.frames[leaf]?.library;
    return `the innermost native frame has no symbol (??${library ? ` in ${library}` : ''})`;
  }
  const builtin = view.python[0]?.builtin;
  if (builtin) return `the innermost Python frame is the built-in ${builtin}, which is not a recognised blocking call`;
  const code = view.code[0];
  if (code) {
    const where = `${code.frame.file ?? '?'}${code.frame.line === null ? '' : `:${code.frame.line}`}`;
    return `the innermost Python frame ${code.frame.function ?? '?'} (${where}) is not a recognised blocking call, and Python frames alone cannot tell running code from a wait inside C code`;
  }
  return 'no recognised frame';
}

/** The why for a thread no rule classified, saying what was seen. */
function unknownWhy(view: StackView): string {
  const t = view.thread;
  const seen = [t.osState && `state ${t.osState}`, t.wchan && `wchan ${t.wchan}`, t.cpuPercent !== null && `${t.cpuPercent}% CPU`].filter(
    (s): s is string => typeof s === 'string',
  );
  const os = seen.length > 0 ? `; ${seen.join(', ')} does not tell either` : '';
  if (t.frames.length === 0) {
    return seen.length > 0
      ? `no stack, and ${seen.join(', ')} does not tell what the thread waits on`
      : 'no stack, scheduler state or wait channel was seen for this thread';
  }
  const markers = t.pythonMarkers.filter((m) => m.trim().toLowerCase() !== GIL_MARKER);
  const markerNote = markers.length > 0 ? [`markers seen: ${markers.join(', ')}`] : [];
  return [`${framesWhy(view)}${os}`, ...markerNote, ...untrustedMarkerNote(view)].join('; ');
}

/** Decides a thread's state, idle flag and blocking frame from its whole stack, with the rule and evidence that decided. */
export function classifyThread(thread: CorrelatedThread): Verdict {
  const view = viewStack(thread);
  const d = decide(view);
  if (!d) {
    return {
      state: 'unknown',
      idle: false,
      blockingFrame: null,
      classification: { rule: 'none', why: unknownWhy(view), frameIndex: null, confidence: seenConfidence(thread) },
    };
  }
  return {
    state: d.rule.state,
    idle: d.idle,
    blockingFrame: d.match.blocking,
    classification: {
      rule: d.rule.id,
      why: [`${d.rule.why} (${d.match.evidence})`, ...d.notes].join('; '),
      frameIndex: d.match.frameIndex,
      confidence: d.confidence,
    },
  };
}
