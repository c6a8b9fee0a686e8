/**
 * The single entry point of the pure pipeline:
 *   bytes → detect → parse → correlate → classify → group → diagnose → Report.
 * No Redis, no HTTP, no clock, no randomness: the worker and `stacksift analyze` call this
 * and agree on every file.
 */
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { Format, ParsedInput, RawFrame } from '../parsers/model.js';
import { hasContent, readInput } from '../parsers/read-input.js';
import { type Diagnosis, type Frame, REPORT_VERSION, type Report, type ReportThread } from '../report/schema.js';
import { classifyThread } from './classify/classify-thread.js';
import { correlate } from './correlate/index.js';
import { diagnose } from './diagnoses/index.js';
import { groupThreads, representative } from './group.js';
import type { ClassifiedThread, DiagnosisContext, ThreadGroup } from './model.js';
import { reportSignature, summarize } from './summary.js';

export interface CaseFile {
  name: string;
  bytes: Uint8Array;
  /** Forces a parser; omitted or `unknown` means detect. */
  format?: Format | undefined;
}

/** Nothing in the case could be read: a problem with the input, never worth a retry. */
export class UnreadableCaseError extends Error {
  override readonly name = 'UnreadableCaseError';
}

export interface AnalyzeOptions {
  limits?: Limits;
}

/** Reads and triages the files of one case into a report (id null: the caller names it). */
export function analyzeCase(files: readonly CaseFile[], options: AnalyzeOptions = {}): Report {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (files.length === 0) throw new UnreadableCaseError('the case holds no files');
  const inputs: ParsedInput[] = [];
  let budget = limits.maxCaseBytes;
  for (const file of files.slice(0, limits.maxFiles)) {
    const parsed = readInput(file, { ...limits, maxFileBytes: Math.max(0, Math.min(limits.maxFileBytes, budget)) });
    for (const p of parsed) budget -= p.bytes;
    inputs.push(...parsed);
  }
  if (files.length > limits.maxFiles && inputs[0]) {
    inputs[0].warnings.push({
      code: 'truncated_input',
      line: null,
      message: `the case holds ${files.length} files; only the first ${limits.maxFiles} were read`,
    });
  }
  if (!inputs.some((i) => i.snapshots.some(hasContent))) {
    const names = files.map((f) => f.name).join(', ');
    const why = inputs.flatMap((i) =>
      i.warnings.filter((w) => w.code === 'unknown_format' || w.code === 'missing_header').map((w) => w.message),
    )[0];
    throw new UnreadableCaseError(`nothing in ${names} could be read as a thread dump or process snapshot${why ? `: ${why}` : ''}`);
  }
  return triage(inputs);
}

/** Triage of already-parsed inputs. */
export function triage(inputs: readonly ParsedInput[]): Report {
  const correlation = correlate(inputs);
  const threads: ClassifiedThread[] = correlation.threads.map((t) => ({ ...t, ...classifyThread(t) }));
  const groups = groupThreads(threads);
  const ctx: DiagnosisContext = {
    threads,
    groups,
    processes: correlation.processes,
    crashes: correlation.crashes,
    syscalls: correlation.syscalls,
    notes: correlation.notes,
    rawProcesses: correlation.rawProcesses,
  };
  const diagnoses = diagnose(ctx);
  orderGroups(groups, diagnoses);
  const processCount = new Set([...correlation.processes.map((p) => p.pid), ...threads.flatMap((t) => (t.pid === null ? [] : [t.pid]))])
    .size;

  return {
    version: REPORT_VERSION,
    id: null,
    signature: reportSignature(diagnoses, threads, groups),
    summary: summarize(
      diagnoses,
      threads,
      processCount,
      correlation.syscalls.reduce((n, s) => n + s.stats.reduce((m, x) => m + x.calls, 0), 0),
    ),
    inputs: inputs.map((input, i) => ({
      name: input.name,
      format: input.format,
      bytes: input.bytes,
      warnings: [...input.warnings, ...(correlation.warnings.get(i) ?? [])],
      detection: { confidence: input.detection.confidence, forced: input.detection.forced, evidence: input.detection.evidence },
      snapshots: input.snapshots.length,
    })),
    processes: correlation.processes.map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      command: p.command,
      threadCount: p.threadCount,
      state: p.state,
      wchan: p.wchan,
      cpuPercent: p.cpuPercent,
      children: p.children,
    })),
    threads: threads.map(toReportThread),
    groups: groups.map((g) => ({
      key: g.key,
      state: g.state,
      blockingFrame: g.blockingFrame,
      stackSignature: g.stackSignature,
      count: g.threads.length,
      threadKeys: g.threads.map((t) => t.key),
      idle: g.idle,
      representativeFrames: representative(g).frames.map(toFrame),
      pids: [...new Set(g.threads.flatMap((t) => (t.pid === null ? [] : [t.pid])))].sort((a, b) => a - b),
    })),
    diagnoses,
  };
}

/** Largest first; among groups of one size, those a diagnosis names first, then the non-idle ones. */
function orderGroups(groups: ThreadGroup[], diagnoses: readonly Diagnosis[]): void {
  const named = new Set(diagnoses.flatMap((d) => d.threadKeys));
  const isNamed = (g: ThreadGroup) => (g.threads.some((t) => named.has(t.key)) ? 0 : 1);
  groups.sort((a, b) => b.threads.length - a.threads.length || isNamed(a) - isNamed(b) || Number(a.idle) - Number(b.idle));
}

function toReportThread(t: ClassifiedThread): ReportThread {
  return {
    key: t.key,
    pid: t.pid,
    lwp: t.lwp,
    pthreadId: t.pthreadId,
    name: t.name,
    state: t.state,
    idle: t.idle,
    blockingFrame: t.blockingFrame,
    cpuPercent: t.cpuPercent,
    frames: t.frames.map(toFrame),
    sources: t.sources,
    classification: t.classification,
    voluntarySwitchesPerSec: t.voluntarySwitchesPerSec,
    involuntarySwitchesPerSec: t.involuntarySwitchesPerSec,
    greenlets: t.greenlets.map(({ source, greenlet }) => ({
      id: greenlet.pthreadId,
      name: greenlet.name,
      frames: greenlet.frames.map(toFrame),
      source,
    })),
    movement: t.captures.length < 2 ? null : t.captures.every((c) => c === t.captures[0]) ? 'stuck' : 'changed',
    cpuSamples: t.cpuSamples,
  };
}

function toFrame(f: RawFrame): Frame {
  return { function: f.function, file: f.file, line: f.line, library: f.library, language: f.language };
}
