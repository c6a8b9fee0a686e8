/**
 * `context_switch_storm`: very many voluntary context switches for little CPU (pidstat -w
 * `cswch/s`). Threads that block and wake thousands of times a second spend their time in the
 * scheduler: lock or GIL ping-pong, tiny sleeps, a condition signalled per item. Judged per
 * process (the sum over its threads, or pidstat's process row) against the CPU it gets, and per
 * thread for a few threads switching very fast.
 */
import type { Diagnosis } from '../../report/schema.js';
import type { ClassifiedThread } from '../model.js';
import { everyProcessView, type ProcessView, processLabel } from './process-view.js';
import type { DiagnosisRule } from './rule.js';
import { effectiveCpu, processCpu } from './thread-cpu.js';
import { capitalize, formatCount, formatPercent, listThreads } from './wording.js';

/** Voluntary switches per second summed over a process that make a storm … */
export const MIN_PROCESS_SWITCHES_PER_SEC = 5000;
/** … when the process gets less than this much CPU (percent of one CPU) per 1,000 switches. */
export const MAX_CPU_PER_THOUSAND_SWITCHES = 50;
/** Per-thread rate that is a storm on its own … */
export const MIN_THREAD_SWITCHES_PER_SEC = 1000;
/** … on at least this many threads, each under this CPU. */
export const MIN_STORMY_THREADS = 3;
export const MAX_STORMY_THREAD_CPU = 50;
/** Threads named in the title and detail. */
const NAMED = 5;

function stormIn(view: ProcessView): Diagnosis | null {
  const rates = view.threads.filter((t) => t.voluntarySwitchesPerSec !== null);
  const threadSum = rates.reduce((n, t) => n + (t.voluntarySwitchesPerSec ?? 0), 0);
  const total = Math.max(threadSum, view.process?.voluntarySwitchesPerSec ?? 0);
  const cpu = processCpu(view.threads) ?? view.process?.cpuPercent ?? null;
  const cpuPerThousand = cpu === null || total === 0 ? null : cpu / (total / 1000);
  const processStorm = total >= MIN_PROCESS_SWITCHES_PER_SEC && cpuPerThousand !== null && cpuPerThousand < MAX_CPU_PER_THOUSAND_SWITCHES;
  const stormy = rates.filter((t) => {
    const c = effectiveCpu(t, view.threads);
    return (t.voluntarySwitchesPerSec ?? 0) >= MIN_THREAD_SWITCHES_PER_SEC && (c === null || c < MAX_STORMY_THREAD_CPU);
  });
  const threadStorm = stormy.length >= MIN_STORMY_THREADS;
  if (!processStorm && !threadStorm) return null;

  const top = [...(threadStorm ? stormy : rates)]
    .sort((a, b) => (b.voluntarySwitchesPerSec ?? 0) - (a.voluntarySwitchesPerSec ?? 0))
    .slice(0, NAMED);
  const rate = (t: ClassifiedThread) => `${listThreads([t])} ${formatCount(t.voluntarySwitchesPerSec ?? 0)}/s`;
  const gil = view.threads.filter((t) => t.state === 'gil_wait').length;
  const parts = [
    `${capitalize(processLabel(view))} makes ${formatCount(total)} voluntary context switches per second` +
      `${cpu === null ? '' : ` on ${formatPercent(cpu)} of a CPU (${formatPercent(cpuPerThousand ?? 0)} per 1,000 switches)`}.`,
  ];
  if (top.length > 0) parts.push(`Busiest: ${top.map(rate).join(', ')}.`);
  parts.push(
    'A voluntary switch is a thread giving up the CPU to wait; thousands per second for little CPU means threads wake only to block again: ' +
      `${gil > 0 ? `GIL hand-offs (${gil} threads wait for the GIL), ` : ''}lock ping-pong, sleeps of a millisecond or less, or a condition signalled per item.`,
    'Fix: fewer threads contending for the same lock or GIL, batch work per wake-up, longer timeouts instead of short polling sleeps.',
  );
  const evidence: Diagnosis['evidence'] = {
    switchesPerSec: Math.round(total),
    threadsReporting: rates.length,
    stormyThreads: stormy.length,
  };
  if (cpu !== null) evidence.cpuPercent = Math.round(cpu * 10) / 10;
  if (cpuPerThousand !== null) evidence.cpuPerThousandSwitches = Math.round(cpuPerThousand * 10) / 10;
  return {
    code: 'context_switch_storm',
    severity: 'warning',
    title: `Context switch storm: ${formatCount(total)} voluntary switches/s in ${processLabel(view)}${cpu === null ? '' : ` for ${formatPercent(cpu)} CPU`}`,
    detail: parts.join(' '),
    threadKeys: (threadStorm ? stormy : top).map((t) => t.key),
    evidence,
  };
}

/** Reports processes whose threads switch out voluntarily thousands of times a second for little CPU. */
export const detectContextSwitchStorm: DiagnosisRule = (ctx) => everyProcessView(ctx).flatMap((view) => stormIn(view) ?? []);
