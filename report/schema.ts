/**
 * Report v1 (CONTRACT.md §2), defined once. Types come from `z.infer`; the worker validates
 * before storing, the API serves what was stored, `--json` prints it and the page renders it.
 * A change to a contract name here bumps `REPORT_VERSION`.
 */
import { z } from 'zod';
import { FORMATS, WARNING_CODES } from '../parsers/model.js';

export const REPORT_VERSION = 1 as const;

export const THREAD_STATES = ['running', 'gil_wait', 'lock_wait', 'io_wait', 'sleep', 'child_wait', 'unknown'] as const;
export type ThreadState = (typeof THREAD_STATES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DIAGNOSIS_CODES = [
  'gil_contention',
  'deadlock',
  'busy_spin',
  'high_cpu_thread',
  'queue_feeder_join',
  'all_threads_blocked',
  'event_loop_blocked',
  'thread_explosion',
  'context_switch_storm',
  'lock_contention',
  'crash',
] as const;
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

const nullableInt = z.number().int().nullable();

export const FrameSchema = z.object({
  function: z.string().nullable(),
  file: z.string().nullable(),
  line: nullableInt,
  library: z.string().nullable(),
  language: z.enum(['native', 'python']),
});
export type Frame = z.infer<typeof FrameSchema>;

export const WarningSchema = z.object({
  code: z.enum(WARNING_CODES),
  line: nullableInt,
  message: z.string(),
});

export const InputSchema = z.object({
  name: z.string(),
  format: z.enum(FORMATS),
  bytes: z.number().int().nonnegative(),
  warnings: z.array(WarningSchema),
  /** How the format was told: confidence 0..1 and the lines that decided it. */
  detection: z.object({
    confidence: z.number().min(0).max(1),
    forced: z.boolean(),
    evidence: z.array(z.object({ line: z.number().int(), text: z.string() })),
  }),
  /** Captures found in the input (repeated gdb sessions, top iterations, pidstat intervals). */
  snapshots: z.number().int().nonnegative(),
});
export type ReportInput = z.infer<typeof InputSchema>;

export const ProcessSchema = z.object({
  pid: z.number().int(),
  ppid: nullableInt,
  command: z.string().nullable(),
  threadCount: nullableInt,
  state: z.string().nullable(),
  wchan: z.string().nullable(),
  cpuPercent: z.number().nullable(),
  /** Processes under this one, by pid (ps forests, pstree). */
  children: z.array(z.number().int()),
});
export type ReportProcess = z.infer<typeof ProcessSchema>;

/** Why a thread has its state: the rule that matched and the frame it matched on. */
export const ClassificationSchema = z.object({
  rule: z.string(),
  why: z.string(),
  /** Index into `frames` of the frame that decided, or null when no frame did (ps wchan, no stack). */
  frameIndex: nullableInt,
  /** high: whole stack read; medium: Python frames only or a top frame only; low: OS state only. */
  confidence: z.enum(['high', 'medium', 'low']),
});
export type Classification = z.infer<typeof ClassificationSchema>;

export const GreenletSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  frames: z.array(FrameSchema),
  source: z.string(),
});

export const ThreadSchema = z.object({
  key: z.string(),
  pid: nullableInt,
  lwp: nullableInt,
  pthreadId: z
    .string()
    .regex(/^0x[0-9a-f]+$/)
    .nullable(),
  name: z.string().nullable(),
  state: z.enum(THREAD_STATES),
  idle: z.boolean(),
  blockingFrame: z.string().nullable(),
  cpuPercent: z.number().nullable(),
  frames: z.array(FrameSchema),
  sources: z.array(z.string()),
  classification: ClassificationSchema,
  /** Context switches per second from pidstat -w, when known. */
  voluntarySwitchesPerSec: z.number().nullable(),
  involuntarySwitchesPerSec: z.number().nullable(),
  /** Greenlets that live on this OS thread (gevent), when a dump listed them. */
  greenlets: z.array(GreenletSchema),
  /** Across repeated captures of the same thread: `stuck` (same stack every time), `changed`, or null with one capture. */
  movement: z.enum(['stuck', 'changed']).nullable(),
  /** %CPU per interval, oldest first, when a tool sampled the thread repeatedly (top -n, pidstat, repeated ps); empty otherwise. */
  cpuSamples: z.array(z.number()),
});
export type ReportThread = z.infer<typeof ThreadSchema>;

export const GroupSchema = z.object({
  key: z.string(),
  state: z.enum(THREAD_STATES),
  blockingFrame: z.string().nullable(),
  stackSignature: z.string(),
  count: z.number().int().positive(),
  threadKeys: z.array(z.string()),
  idle: z.boolean(),
  /** Frames of one member, innermost first: what the group looks like. */
  representativeFrames: z.array(FrameSchema),
  /** Processes the members come from. */
  pids: z.array(z.number().int()),
});
export type ReportGroup = z.infer<typeof GroupSchema>;

export const DiagnosisSchema = z.object({
  code: z.enum(DIAGNOSIS_CODES),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  detail: z.string(),
  threadKeys: z.array(z.string()),
  /** Named measurements that made the rule fire (`gilWaiters: 33`), for the page and for CI. */
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

export const ReportSchema = z.object({
  version: z.literal(REPORT_VERSION),
  id: z.string().nullable(),
  signature: z.string(),
  summary: z.string(),
  inputs: z.array(InputSchema),
  processes: z.array(ProcessSchema),
  threads: z.array(ThreadSchema),
  groups: z.array(GroupSchema),
  diagnoses: z.array(DiagnosisSchema),
});
export type Report = z.infer<typeof ReportSchema>;
